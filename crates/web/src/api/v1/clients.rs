//! `/api/v1/clients`, their contacts and engagements.

use crate::AppState;
use crate::api::{ApiJson, ApiPath, ApiQuery, ApiViewer};
use crate::error::{ApiError, ApiErrorBody};
use accountable_core::client::{Client, ClientForm, ClientListQuery, ClientOverview, Contact, ContactForm};
use accountable_core::engagement::{Engagement, EngagementForm};
use accountable_core::error::Error;
use accountable_core::id::{ClientId, ContactId, EngagementId};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update))
        .routes(routes!(archive))
        .routes(routes!(restore))
        .routes(routes!(list_contacts, create_contact))
        .routes(routes!(show_contact, update_contact, remove_contact))
        .routes(routes!(list_engagements, create_engagement))
        .routes(routes!(show_engagement, update_engagement))
}

/// The query of the client list.
#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// Text to find in the name, VAT number or address.
    q: String,
    /// Archived clients instead of active ones.
    archived: bool,
    /// At most this many (1–500, default 50).
    limit: Option<i64>,
    /// Where the previous page ended: its `next_cursor`.
    cursor: Option<String>,
}

/// A page of a list.
#[derive(Serialize, ToSchema)]
struct ClientPage {
    /// The clients of this page.
    items: Vec<Client>,
    /// How many match in all.
    total: i64,
    /// Pass as `cursor` for the next page; absent on the last page.
    next_cursor: Option<String>,
}

/// Items without paging (a client's contacts or engagements).
#[derive(Serialize, ToSchema)]
struct ContactList {
    items: Vec<Contact>,
}

/// A client's engagements.
#[derive(Serialize, ToSchema)]
struct EngagementList {
    items: Vec<Engagement>,
}

/// The cursor is the position after the page, written so that callers treat it as opaque.
fn decode_cursor(cursor: Option<&str>) -> Result<i64, ApiError> {
    match cursor {
        None | Some("") => Ok(0),
        Some(c) => c
            .strip_prefix("o")
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .ok_or_else(|| {
                ApiError::Core(Error::field(
                    "cursor",
                    "invalid-cursor",
                    "pass a next_cursor from a previous page",
                ))
            }),
    }
}

/// A page of the agency's clients (a client contact sees only their own), by name.
#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", params(ListParams),
    responses((status = 200, body = ClientPage), (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<ClientPage>, ApiError> {
    let offset = decode_cursor(p.cursor.as_deref())?;
    let query = ClientListQuery {
        search: p.q,
        archived: p.archived,
        offset,
        limit: p.limit.unwrap_or(50).clamp(1, 500),
    };
    let (items, total) = state.services.list_clients(&s.actor, &query).await?;
    let end = offset + items.len() as i64;
    let next_cursor = (end < total && !items.is_empty()).then(|| format!("o{end}"));
    Ok(Json(ClientPage {
        items,
        total,
        next_cursor,
    }))
}

/// Creates a client.
#[utoipa::path(post, path = "/api/v1/clients", tag = "clients", request_body = ClientForm,
    responses((status = 201, body = Client), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 422, description = "Field errors, such as a name that is taken", body = ApiErrorBody)))]
async fn create(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiJson(form): ApiJson<ClientForm>,
) -> Result<(StatusCode, Json<Client>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_client(&s.actor, &form).await?),
    ))
}

/// One client with its contacts and engagements.
#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "clients", params(("id" = i64, Path, description = "The client's id")),
    responses((status = 200, body = ClientOverview), (status = 404, body = ApiErrorBody)))]
async fn show(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
) -> Result<Json<ClientOverview>, ApiError> {
    Ok(Json(state.services.client_overview(&s.actor, id).await?))
}

/// Replaces a client's fields.
#[utoipa::path(put, path = "/api/v1/clients/{id}", tag = "clients", params(("id" = i64, Path, description = "The client's id")),
    request_body = ClientForm,
    responses((status = 200, body = Client), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(form): ApiJson<ClientForm>,
) -> Result<Json<Client>, ApiError> {
    Ok(Json(state.services.update_client(&s.actor, id, &form).await?))
}

/// Archives a client.
#[utoipa::path(post, path = "/api/v1/clients/{id}/archive", tag = "clients", params(("id" = i64, Path, description = "The client's id")),
    responses((status = 200, body = Client), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn archive(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
) -> Result<Json<Client>, ApiError> {
    Ok(Json(
        state.services.set_client_archived(&s.actor, id, true).await?,
    ))
}

/// Restores an archived client.
#[utoipa::path(post, path = "/api/v1/clients/{id}/restore", tag = "clients", params(("id" = i64, Path, description = "The client's id")),
    responses((status = 200, body = Client), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn restore(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
) -> Result<Json<Client>, ApiError> {
    Ok(Json(
        state.services.set_client_archived(&s.actor, id, false).await?,
    ))
}

/// A client's contacts, primary first.
#[utoipa::path(get, path = "/api/v1/clients/{id}/contacts", tag = "contacts", params(("id" = i64, Path, description = "The client's id")),
    responses((status = 200, body = ContactList), (status = 404, body = ApiErrorBody)))]
async fn list_contacts(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
) -> Result<Json<ContactList>, ApiError> {
    Ok(Json(ContactList {
        items: state.services.client_overview(&s.actor, id).await?.contacts,
    }))
}

/// Adds a contact to a client.
#[utoipa::path(post, path = "/api/v1/clients/{id}/contacts", tag = "contacts", params(("id" = i64, Path, description = "The client's id")),
    request_body = ContactForm,
    responses((status = 201, body = Contact), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_contact(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(form): ApiJson<ContactForm>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.services.add_contact(&s.actor, id, &form).await?),
    ))
}

/// One contact.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = i64, Path, description = "The contact's id")),
    responses((status = 200, body = Contact), (status = 404, body = ApiErrorBody)))]
async fn show_contact(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ContactId>,
) -> Result<Json<Contact>, ApiError> {
    Ok(Json(state.services.get_contact(&s.actor, id).await?))
}

/// Replaces a contact's fields.
#[utoipa::path(put, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = i64, Path, description = "The contact's id")),
    request_body = ContactForm,
    responses((status = 200, body = Contact), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_contact(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ContactId>,
    ApiJson(form): ApiJson<ContactForm>,
) -> Result<Json<Contact>, ApiError> {
    Ok(Json(state.services.update_contact(&s.actor, id, &form).await?))
}

/// Removes a contact.
#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = i64, Path, description = "The contact's id")),
    responses((status = 204, description = "Removed"), (status = 404, body = ApiErrorBody)))]
async fn remove_contact(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ContactId>,
) -> Result<StatusCode, ApiError> {
    state.services.remove_contact(&s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A client's engagements, newest first.
#[utoipa::path(get, path = "/api/v1/clients/{id}/engagements", tag = "engagements", params(("id" = i64, Path, description = "The client's id")),
    responses((status = 200, body = EngagementList), (status = 404, body = ApiErrorBody)))]
async fn list_engagements(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
) -> Result<Json<EngagementList>, ApiError> {
    Ok(Json(EngagementList {
        items: state.services.client_overview(&s.actor, id).await?.engagements,
    }))
}

/// Creates an engagement for a client (6 to 12 months, budget in the client's currency).
#[utoipa::path(post, path = "/api/v1/clients/{id}/engagements", tag = "engagements", params(("id" = i64, Path, description = "The client's id")),
    request_body = EngagementForm,
    responses((status = 201, body = Engagement), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_engagement(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(form): ApiJson<EngagementForm>,
) -> Result<(StatusCode, Json<Engagement>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_engagement(&s.actor, id, &form).await?),
    ))
}

/// One engagement.
#[utoipa::path(get, path = "/api/v1/engagements/{id}", tag = "engagements", params(("id" = i64, Path, description = "The engagement's id")),
    responses((status = 200, body = Engagement), (status = 404, body = ApiErrorBody)))]
async fn show_engagement(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<EngagementId>,
) -> Result<Json<Engagement>, ApiError> {
    Ok(Json(state.services.get_engagement(&s.actor, id).await?))
}

/// Replaces an engagement's fields.
#[utoipa::path(put, path = "/api/v1/engagements/{id}", tag = "engagements", params(("id" = i64, Path, description = "The engagement's id")),
    request_body = EngagementForm,
    responses((status = 200, body = Engagement), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_engagement(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<EngagementId>,
    ApiJson(form): ApiJson<EngagementForm>,
) -> Result<Json<Engagement>, ApiError> {
    Ok(Json(state.services.update_engagement(&s.actor, id, &form).await?))
}
