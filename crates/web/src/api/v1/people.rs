//! `/api/v1/me` and `/api/v1/people`.

use crate::AppState;
use crate::api::{ApiJson, ApiPath, ApiViewer};
use crate::error::{ApiError, ApiErrorBody};
use accountable_core::audit::AuditEvent;
use accountable_core::id::UserId;
use accountable_core::record::RecordKind;
use accountable_core::user::{Invitation, PersonForm, User};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list))
        .routes(routes!(show))
        .routes(routes!(invite))
        .routes(routes!(change_role))
        .routes(routes!(deactivate))
        .routes(routes!(reactivate))
        .routes(routes!(history))
        .routes(routes!(tokens))
        .routes(routes!(revoke_token))
}

/// An API token (never its secret).
#[derive(Serialize, ToSchema)]
struct TokenView {
    id: i64,
    /// The person it acts as.
    user_id: i64,
    /// That person's name.
    person: String,
    name: String,
    /// `read` or `read-write`.
    scope: String,
    expires_at: String,
    revoked_at: Option<String>,
    created_at: String,
}

/// API tokens.
#[derive(Serialize, ToSchema)]
struct TokenList {
    items: Vec<TokenView>,
}

/// Every API token of the agency (owners only), newest first.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "people", responses((status = 200, body = TokenList)))]
async fn tokens(State(state): State<AppState>, ApiViewer(s): ApiViewer) -> Result<Json<TokenList>, ApiError> {
    let items = state
        .services
        .agency_tokens(&s.actor)
        .await?
        .into_iter()
        .map(|(t, person)| TokenView {
            id: t.id.0,
            user_id: t.user_id.0,
            person,
            name: t.name,
            scope: t.scope.as_str().to_string(),
            expires_at: t.expires_at.to_string(),
            revoked_at: t.revoked_at.map(|r| r.to_string()),
            created_at: t.created_at.to_string(),
        })
        .collect();
    Ok(Json(TokenList { items }))
}

/// Revokes a token: your own, or as the owner any of the agency's; it stops working at once.
#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", tag = "people", params(("id" = i64, Path, description = "The token's id")),
    responses((status = 204)))]
async fn revoke_token(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<accountable_core::token::TokenId>,
) -> Result<StatusCode, ApiError> {
    state.services.revoke_token(&s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new invitation and its link (the link works once, for seven days; it is shown only here).
#[derive(Serialize, ToSchema)]
struct InvitationCreated {
    invitation: Invitation,
    link: String,
}

/// Invites a person by e-mail (owners only); the invitation is also e-mailed.
#[utoipa::path(post, path = "/api/v1/people/invitations", tag = "people", request_body = PersonForm,
    responses((status = 201, body = InvitationCreated)))]
async fn invite(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiJson(form): ApiJson<PersonForm>,
) -> Result<(StatusCode, Json<InvitationCreated>), ApiError> {
    let issued = state.services.invite(&s.actor, &form).await?;
    let link = format!(
        "{}/invitations/{}",
        state.web.public_url.trim_end_matches('/'),
        issued.token
    );
    Ok((
        StatusCode::CREATED,
        Json(InvitationCreated {
            invitation: issued.invitation,
            link,
        }),
    ))
}

/// A role change.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
struct RoleChange {
    /// `owner`, `account-executive`, `specialist`, `finance` or `client-contact`.
    role: String,
    /// For a client contact: the client's id.
    client_id: String,
}

/// Changes a person's role (owners only); their sessions end.
#[utoipa::path(put, path = "/api/v1/people/{id}/role", tag = "people", params(("id" = i64, Path, description = "The person's id")),
    request_body = RoleChange, responses((status = 200, body = User)))]
async fn change_role(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<UserId>,
    ApiJson(change): ApiJson<RoleChange>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(
        state
            .services
            .change_role(&s.actor, id, &change.role, &change.client_id)
            .await?,
    ))
}

/// Deactivates a person (owners only): they cannot sign in, and their sessions end at once.
#[utoipa::path(post, path = "/api/v1/people/{id}/deactivate", tag = "people", params(("id" = i64, Path, description = "The person's id")),
    responses((status = 200, body = User), (status = 409, body = ApiErrorBody)))]
async fn deactivate(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<UserId>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(state.services.set_active(&s.actor, id, false).await?))
}

/// Reactivates a person (owners only).
#[utoipa::path(post, path = "/api/v1/people/{id}/reactivate", tag = "people", params(("id" = i64, Path, description = "The person's id")),
    responses((status = 200, body = User)))]
async fn reactivate(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<UserId>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(state.services.set_active(&s.actor, id, true).await?))
}

/// A record's history.
#[derive(Serialize, ToSchema)]
struct History {
    /// Events about the record, newest first.
    items: Vec<AuditEvent>,
}

/// The audit trail of one record (`client`, `contact`, `engagement`, `goal` or `user`), newest first, with each event's
/// hash.
#[utoipa::path(get, path = "/api/v1/history/{entity}/{id}", tag = "history",
    params(("entity" = String, Path, description = "client, contact, engagement, goal or user"), ("id" = i64, Path, description = "The record's id")),
    responses((status = 200, body = History)))]
async fn history(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath((entity, id)): ApiPath<(String, i64)>,
) -> Result<Json<History>, ApiError> {
    // Only the kinds that have a History page; any other word is a path that does not exist.
    let kind = RecordKind::parse(&entity)
        .filter(|k| k.has_history())
        .ok_or(ApiError::Core(accountable_core::Error::NotFound {
            entity: RecordKind::Route,
        }))?;
    Ok(Json(History {
        items: state.services.history(&s.actor, kind, id).await?,
    }))
}

/// The person the request acts as.
#[utoipa::path(get, path = "/api/v1/me", tag = "people",
    responses((status = 200, body = User), (status = 401, body = ApiErrorBody)))]
async fn me(ApiViewer(s): ApiViewer) -> Json<User> {
    Json(s.user)
}

/// The agency's people.
#[derive(Serialize, ToSchema)]
struct People {
    items: Vec<User>,
}

/// The agency's people (not for client contacts).
#[utoipa::path(get, path = "/api/v1/people", tag = "people",
    responses((status = 200, body = People), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
async fn list(State(state): State<AppState>, ApiViewer(s): ApiViewer) -> Result<Json<People>, ApiError> {
    Ok(Json(People {
        items: state.services.list_people(&s.actor).await?,
    }))
}

/// One person of the agency.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path, description = "The person's id")),
    responses((status = 200, body = User), (status = 404, body = ApiErrorBody)))]
async fn show(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<UserId>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(state.services.get_person(&s.actor, id).await?))
}
