//! The one place where `core` errors become HTTP: [`status`] is the exhaustive table (no wildcard arm), used by
//! pages ([`WebError`]) and the API ([`ApiError`]) alike. A 500 shows a fixed message and the request id; the
//! cause goes to the log only.

use accountable_core::error::{Error, FieldError, StoreError};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

/// The HTTP status of each error.
pub fn status(e: &Error) -> StatusCode {
    match e {
        Error::NotFound { .. } => StatusCode::NOT_FOUND,
        Error::Forbidden => StatusCode::FORBIDDEN,
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::InvalidCredentials => StatusCode::UNAUTHORIZED,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Conflict { .. } => StatusCode::CONFLICT,
        Error::Store(StoreError::Unique { .. }) => StatusCode::CONFLICT,
        Error::Store(StoreError::ForeignKey { .. } | StoreError::Other(_)) => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// Marks a response whose body the page middleware renders as an error page in the person's language.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    /// The status to keep.
    pub status: StatusCode,
    /// Which message to show (`not-found`, `forbidden`, `csrf`, `internal`, …).
    pub code: &'static str,
}

impl ErrorPage {
    /// An empty response with the marker; the page middleware fills in the page.
    pub fn response(status: StatusCode, code: &'static str) -> Response {
        let mut res = status.into_response();
        res.extensions_mut().insert(ErrorPage { status, code });
        res
    }
}

/// The cause of a 500, carried to the request logger and never to the person.
#[derive(Debug, Clone)]
pub struct InternalError(pub String);

/// A use case's error on the way to a page response.
#[derive(Debug)]
pub struct WebError(pub Error);

impl From<Error> for WebError {
    fn from(e: Error) -> Self {
        WebError(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let code = match &self.0 {
            Error::Unauthenticated => return Redirect::to("/sign-in").into_response(),
            Error::NotFound { .. } => "not-found",
            Error::Forbidden => "forbidden",
            Error::InvalidCredentials => "invalid-credentials",
            Error::RateLimited { .. } => "rate-limited",
            Error::Validation(_) => "validation",
            Error::Conflict { code, .. } => code.code(),
            Error::Store(_) => "internal",
        };
        let mut res = ErrorPage::response(status(&self.0), code);
        decorate(&self.0, &mut res);
        res
    }
}

/// Adds what an error needs beyond its status: `Retry-After`, or the cause for the log.
fn decorate(e: &Error, res: &mut Response) {
    match e {
        Error::RateLimited { retry_after_secs } => {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        Error::Store(cause) => {
            res.extensions_mut().insert(InternalError(cause.to_string()));
        }
        _ => {}
    }
}

/// The API's one error shape.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    /// A stable machine word.
    pub code: String,
    /// A sentence for a person.
    pub message: String,
    /// Field errors, for `validation-failed`.
    pub fields: Vec<FieldError>,
}

/// An error on the way to an API response.
#[derive(Debug)]
pub enum ApiError {
    /// A use case's error.
    Core(Error),
    /// The body is not the JSON expected: where and why.
    BadJson {
        line: usize,
        column: usize,
        message: String,
    },
    /// The body is not JSON at all (wrong content type).
    UnsupportedMediaType,
    /// A path or query parameter cannot be read: which and why.
    BadRequest(String),
    /// The body is larger than the route reads (its limit in bytes).
    TooLarge { limit: usize },
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::Core(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body, error) = match self {
            ApiError::Core(e) => {
                let fields = match &e {
                    Error::Validation(fields) => fields.clone(),
                    _ => Vec::new(),
                };
                let message = match &e {
                    Error::Store(_) => "An internal error occurred.".to_string(),
                    other => other.to_string(),
                };
                (
                    status(&e),
                    ApiErrorBody {
                        code: e.code().to_string(),
                        message,
                        fields,
                    },
                    Some(e),
                )
            }
            ApiError::BadJson {
                line,
                column,
                message,
            } => (
                StatusCode::BAD_REQUEST,
                ApiErrorBody {
                    code: "malformed-json".into(),
                    message: format!("malformed JSON at line {line}, column {column}: {message}"),
                    fields: Vec::new(),
                },
                None,
            ),
            ApiError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                ApiErrorBody {
                    code: "bad-request".into(),
                    message,
                    fields: Vec::new(),
                },
                None,
            ),
            ApiError::TooLarge { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ApiErrorBody {
                    code: "too-large".into(),
                    message: format!(
                        "the body is larger than this route reads: at most {limit} bytes ({} MiB)",
                        limit / (1024 * 1024)
                    ),
                    fields: Vec::new(),
                },
                None,
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ApiErrorBody {
                    code: "unsupported-media-type".into(),
                    message: "send the body as application/json".into(),
                    fields: Vec::new(),
                },
                None,
            ),
        };
        let mut res = (status, axum::Json(body)).into_response();
        if let Some(e) = error {
            if matches!(e, Error::Unauthenticated) {
                res.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            decorate(&e, &mut res);
        }
        res
    }
}
