//! `/api/v1/documents/{id}`: an archived document's bytes, exactly as issued.

use crate::AppState;
use crate::api::ApiViewer;
use crate::error::ApiError;
use crate::pages::documents::document_response;
use accountable_core::document::DocumentId;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new().route("/documents/{id}", get(download))
}

async fn download(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    Path(id): Path<DocumentId>,
) -> Result<Response, ApiError> {
    let (doc, bytes) = state.services.document(&s.actor, id).await?;
    Ok(document_response(&doc, bytes))
}
