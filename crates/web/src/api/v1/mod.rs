//! Version 1 of the API: each area owns its routes, merged here.

pub mod clients;
pub mod documents;
pub mod people;

use crate::AppState;
use axum::Router;

/// Every route of `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(clients::router())
        .merge(people::router())
        .merge(documents::router())
}
