//! The JSON API, versioned under `/api/v1`. The same use cases as the pages; errors in one shape
//! (`{code, message, fields[]}`), malformed JSON answered with its line and column.

pub mod v1;

use crate::AppState;
use crate::cookie;
use crate::error::ApiError;
use accountable_core::error::Error;
use accountable_core::record::RecordKind;
use accountable_core::session::SignedIn;
use accountable_core::token::TokenScope;
use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The API's routes (full paths under `/api/v1`), the OpenAPI document at `/api/v1/openapi.json`, a JSON 404 for
/// any other path under `/api/v1`, and the rule that every unsafe request is JSON (so a cross-site form cannot
/// post here).
pub fn router() -> Router<AppState> {
    let (routes, openapi) = v1::router();
    let document = openapi.to_pretty_json().unwrap_or_default();
    routes
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(
                move || async move { ([(header::CONTENT_TYPE, "application/json")], document) },
            ),
        )
        .route("/api/v1/{*rest}", axum::routing::any(not_found))
        .layer(axum::middleware::from_fn(require_json))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::Extension(BodyLimit(BODY_LIMIT)))
}

/// The largest JSON body the API reads, but for imports (whose router sets its own, with its own
/// [`BodyLimit`]): a larger one is answered 413 naming the limit.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The body limit of the route a request reached, so that a 413 can name it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

async fn not_found() -> ApiError {
    ApiError::Core(Error::NotFound {
        entity: RecordKind::Route,
    })
}

/// Whether a request is under the API, whose errors are JSON.
pub fn is_api_path(path: &str) -> bool {
    path == "/api/v1" || path.starts_with("/api/v1/")
}

fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        })
}

async fn require_json(req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !is_json(req.headers()) {
        return ApiError::UnsupportedMediaType.into_response();
    }
    next.run(req).await
}

/// A path parameter; one that does not parse (such as an id too large for 64 bits) is a JSON 400.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// Query parameters; ones that do not parse are a JSON 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// A JSON body; malformed JSON is a 400 that names the line and column.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let limit = req.extensions().get::<BodyLimit>().map_or(BODY_LIMIT, |l| l.0);
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge { limit }
            } else {
                ApiError::BadJson {
                    line: 0,
                    column: 0,
                    message: e.body_text(),
                }
            }
        })?;
        serde_json::from_slice::<T>(&bytes)
            .map(ApiJson)
            .map_err(|e| ApiError::BadJson {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })
    }
}

/// The person behind an API request: an `Authorization: Bearer` API token, or the session cookie. A read
/// token may only read: any other method is refused with 403.
pub struct ApiViewer(pub SignedIn);

impl FromRequestParts<AppState> for ApiViewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            // The scheme is case-insensitive (RFC 9110 §11.1): `Bearer`, `bearer`, `BEARER`.
            let secret = value
                .to_str()
                .ok()
                .and_then(|v| v.trim().split_once(' '))
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, secret)| secret.trim())
                .ok_or(Error::Unauthenticated)?;
            let holder = state.services.authenticate_token(secret).await?;
            let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            if holder.scope == TokenScope::Read && !safe {
                return Err(ApiError::Core(Error::Forbidden));
            }
            return Ok(ApiViewer(holder.signed_in));
        }
        let token = cookie::get(&parts.headers, cookie::SESSION).ok_or(Error::Unauthenticated)?;
        Ok(ApiViewer(state.services.authenticate(token).await?))
    }
}
