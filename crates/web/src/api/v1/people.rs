//! `/api/v1/me` and `/api/v1/people`.

use crate::AppState;
use crate::api::{ApiPath, ApiViewer};
use crate::error::{ApiError, ApiErrorBody};
use accountable_core::id::UserId;
use accountable_core::user::User;
use axum::Json;
use axum::extract::State;
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
