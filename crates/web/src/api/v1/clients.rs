//! `/api/v1/clients`, their contacts and engagements.

use crate::AppState;
use crate::api::{ApiJson, ApiViewer};
use crate::error::ApiError;
use accountable_core::client::{Client, ClientForm, ClientListQuery, ClientOverview, Contact, ContactForm};
use accountable_core::engagement::{Engagement, EngagementForm};
use accountable_core::id::{ClientId, ContactId, EngagementId};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients", get(list).post(create))
        .route("/clients/{id}", get(show).put(update))
        .route("/clients/{id}/archive", post(archive))
        .route("/clients/{id}/restore", post(restore))
        .route("/clients/{id}/contacts", get(list_contacts).post(create_contact))
        .route(
            "/contacts/{id}",
            get(show_contact).put(update_contact).delete(remove_contact),
        )
        .route(
            "/clients/{id}/engagements",
            get(list_engagements).post(create_engagement),
        )
        .route("/engagements/{id}", get(show_engagement).put(update_engagement))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListParams {
    q: String,
    archived: bool,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[derive(Serialize)]
struct Page<T> {
    items: Vec<T>,
    total: i64,
    offset: i64,
    limit: i64,
}

async fn list(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Query(p): Query<ListParams>,
) -> Result<Json<Page<Client>>, ApiError> {
    let query = ClientListQuery {
        search: p.q,
        archived: p.archived,
        offset: p.offset.unwrap_or(0).max(0),
        limit: p.limit.unwrap_or(50).clamp(1, 500),
    };
    let (items, total) = state.services.list_clients(&s.actor, &query).await?;
    Ok(Json(Page {
        items,
        total,
        offset: query.offset,
        limit: query.limit,
    }))
}

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

async fn show(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ClientId>,
) -> Result<Json<ClientOverview>, ApiError> {
    Ok(Json(state.services.client_overview(&s.actor, id).await?))
}

async fn update(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ClientId>,
    ApiJson(form): ApiJson<ClientForm>,
) -> Result<Json<Client>, ApiError> {
    Ok(Json(state.services.update_client(&s.actor, id, &form).await?))
}

async fn archive(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ClientId>,
) -> Result<Json<Client>, ApiError> {
    Ok(Json(
        state.services.set_client_archived(&s.actor, id, true).await?,
    ))
}

async fn restore(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ClientId>,
) -> Result<Json<Client>, ApiError> {
    Ok(Json(
        state.services.set_client_archived(&s.actor, id, false).await?,
    ))
}

#[derive(Serialize)]
struct Items<T> {
    items: Vec<T>,
}

async fn list_contacts(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ClientId>,
) -> Result<Json<Items<Contact>>, ApiError> {
    Ok(Json(Items {
        items: state.services.client_overview(&s.actor, id).await?.contacts,
    }))
}

async fn create_contact(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ClientId>,
    ApiJson(form): ApiJson<ContactForm>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.services.add_contact(&s.actor, id, &form).await?),
    ))
}

async fn show_contact(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ContactId>,
) -> Result<Json<Contact>, ApiError> {
    Ok(Json(state.services.get_contact(&s.actor, id).await?))
}

async fn update_contact(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ContactId>,
    ApiJson(form): ApiJson<ContactForm>,
) -> Result<Json<Contact>, ApiError> {
    Ok(Json(state.services.update_contact(&s.actor, id, &form).await?))
}

async fn remove_contact(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ContactId>,
) -> Result<StatusCode, ApiError> {
    state.services.remove_contact(&s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_engagements(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ClientId>,
) -> Result<Json<Items<Engagement>>, ApiError> {
    Ok(Json(Items {
        items: state.services.client_overview(&s.actor, id).await?.engagements,
    }))
}

async fn create_engagement(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<ClientId>,
    ApiJson(form): ApiJson<EngagementForm>,
) -> Result<(StatusCode, Json<Engagement>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_engagement(&s.actor, id, &form).await?),
    ))
}

async fn show_engagement(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<EngagementId>,
) -> Result<Json<Engagement>, ApiError> {
    Ok(Json(state.services.get_engagement(&s.actor, id).await?))
}

async fn update_engagement(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<EngagementId>,
    ApiJson(form): ApiJson<EngagementForm>,
) -> Result<Json<Engagement>, ApiError> {
    Ok(Json(state.services.update_engagement(&s.actor, id, &form).await?))
}
