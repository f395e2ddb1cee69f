//! Downloading an archived document exactly as it was issued. A document whose bytes no longer match its
//! SHA-256 is refused, never served silently.

use super::Viewer;
use crate::AppState;
use crate::error::WebError;
use accountable_core::document::DocumentId;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new().route("/documents/{id}", get(download))
}

/// The response for a document's bytes: its own content type, its checksum in a header.
pub fn document_response(doc: &accountable_core::document::Document, bytes: Vec<u8>) -> Response {
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&doc.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&doc.sha256) {
        headers.insert("x-content-sha256", v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<DocumentId>,
) -> Result<Response, WebError> {
    let (doc, bytes) = state.services.document(viewer.actor(), id).await?;
    Ok(document_response(&doc, bytes))
}
