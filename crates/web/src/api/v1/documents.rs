//! `/api/v1/documents/{id}`: an archived document's bytes, exactly as issued.

use crate::AppState;
use crate::api::{ApiPath, ApiViewer};
use crate::error::{ApiError, ApiErrorBody};
use crate::pages::documents::document_response;
use accountable_core::document::DocumentId;
use axum::extract::State;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download))
}

/// An archived document, byte for byte, with its SHA-256 in `x-content-sha256`; an altered one is refused (409).
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The document's bytes, in its own content type", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "The bytes no longer match the checksum", body = ApiErrorBody)))]
async fn download(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<DocumentId>,
) -> Result<Response, ApiError> {
    let (doc, bytes) = state.services.document(&s.actor, id).await?;
    Ok(document_response(&doc, bytes))
}
