//! `/api/v1/me` and `/api/v1/people`.

use crate::AppState;
use crate::api::ApiViewer;
use crate::error::ApiError;
use accountable_core::id::UserId;
use accountable_core::user::User;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/people", get(list))
        .route("/people/{id}", get(show))
}

async fn me(ApiViewer(s): ApiViewer) -> Json<User> {
    Json(s.user)
}

#[derive(Serialize)]
struct People {
    items: Vec<User>,
}

async fn list(State(state): State<AppState>, ApiViewer(s): ApiViewer) -> Result<Json<People>, ApiError> {
    Ok(Json(People {
        items: state.services.list_people(&s.actor).await?,
    }))
}

async fn show(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<UserId>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(state.services.get_person(&s.actor, id).await?))
}
