//! What runs around every request: the request id and the one log line (`request_log`), and for pages the
//! session, the language, CSRF and the rendering of error pages (`pages`).

use crate::AppState;
use crate::cookie;
use crate::error::{ErrorPage, InternalError};
use crate::pages::{PageContext, Render};
use accountable_core::error::Error;
use accountable_core::password::random_token;
use accountable_core::types::Language;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// The id of one request, in the log line, the `x-request-id` header and any 500 page.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The largest form body accepted.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The path as logged: query strings dropped, and any segment that looks like a secret token replaced, so
/// invitation links never reach a log.
pub fn loggable_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.len() >= 32 && seg.chars().all(|c| c.is_ascii_hexdigit()) {
                "{token}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Gives each request an id, writes one structured log line per request, and logs the cause of any 500
/// (which the person never sees).
pub async fn request_log(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let id = hex::encode(rand::random::<[u8; 8]>());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let path = loggable_path(req.uri().path());
    let matched = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string());
    let started = Instant::now();
    let mut res = next.run(req).await;
    if let Some(InternalError(cause)) = res.extensions_mut().remove::<InternalError>() {
        tracing::error!(request_id = %id, method = %method, path = %path, cause = %cause, "request failed");
        let is_json = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if is_json {
            let body = serde_json::json!({
                "code": "internal",
                "message": "An internal error occurred. Quote the request id when you report it.",
                "fields": [],
                "request_id": id,
            });
            *res.body_mut() = Body::from(body.to_string());
            res.headers_mut().remove(header::CONTENT_LENGTH);
        }
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    let elapsed = started.elapsed();
    state.metrics.observe(
        method.as_str(),
        matched.as_deref(),
        res.status().as_u16(),
        elapsed.as_secs_f64(),
    );
    let micros = elapsed.as_micros() as u64;
    tracing::info!(
        request_id = %id,
        method = %method,
        path = %path,
        status = res.status().as_u16(),
        micros,
        "request"
    );
    res
}

/// The content security policy of every answer: everything from this site only, no frames, no plugins, forms
/// post only here (the pages use no inline script or style).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to every answer: a content security policy, `nosniff`, a same-origin referrer, and
/// `Strict-Transport-Security` when the public URL is https (a browser then never tries plain HTTP again).
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if state.web.secure_cookies() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// For pages: finds the signed-in person, picks the language, checks the CSRF token of every unsafe request,
/// hands a [`PageContext`] to the handler, and renders error pages in the person's language.
pub async fn pages(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let secure = state.web.secure_cookies();
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let headers = req.headers().clone();

    let signed_in = match cookie::get(&headers, cookie::SESSION) {
        Some(token) => match state.services.authenticate(token).await {
            Ok(s) => Some(s),
            Err(Error::Unauthenticated) => None,
            Err(e) => {
                let ctx = PageContext::anonymous(Language::En, String::new(), request_id, None);
                return crate::error::WebError::from(e).into_response().render_error(&ctx);
            }
        },
        None => None,
    };
    let language = match &signed_in {
        Some(s) => s.user.language,
        None => cookie::get(&headers, cookie::LANGUAGE)
            .and_then(|l| Language::parse("language", l).ok())
            .or_else(|| {
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .map(Language::from_accept_language)
            })
            .unwrap_or(Language::En),
    };
    let mut new_pre_token = None;
    let csrf = match &signed_in {
        Some(s) => s.session.csrf_token.clone(),
        None => match cookie::get(&headers, cookie::PRE_CSRF) {
            Some(t) if t.len() == 64 => t.to_string(),
            _ => {
                let t = random_token();
                new_pre_token = Some(t.clone());
                t
            }
        },
    };
    let flash = cookie::get(&headers, cookie::FLASH)
        .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(str::to_string);
    let ctx = PageContext::new(language, csrf.clone(), request_id, signed_in, flash.clone());

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut claimed: Option<(String, String)> = None;
    if unsafe_method {
        let (parts, body) = req.into_parts();
        // A file upload is larger than a form, and carries its token in a part of its own.
        let multipart = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::upload::boundary);
        let limit = if multipart.is_some() {
            crate::upload::UPLOAD_LIMIT
        } else {
            FORM_LIMIT
        };
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(b) => b,
            Err(_) => {
                return ErrorPage::response(StatusCode::PAYLOAD_TOO_LARGE, "too-large").render_error(&ctx);
            }
        };
        let sent = match &multipart {
            Some(boundary) => crate::upload::parts(boundary, bytes.clone())
                .await
                .and_then(|parts| parts.into_iter().find(|p| p.name == "_csrf"))
                .and_then(|p| String::from_utf8(p.data.to_vec()).ok()),
            None => serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .ok()
                .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v)),
        };
        // `token.nonce` from a page's form (`Page::form_token`), or the token alone.
        let (token, nonce) = match sent.as_deref().and_then(|s| s.split_once('.')) {
            Some((t, n)) => (Some(t.to_string()), Some(n.to_string())),
            None => (sent, None),
        };
        let valid = token.is_some_and(|s| constant_time_eq(s.as_bytes(), csrf.as_bytes()));
        if !valid {
            tracing::warn!(request_id = %ctx.request_id, "form refused: missing or wrong CSRF token");
            return ErrorPage::response(StatusCode::FORBIDDEN, "csrf").render_error(&ctx);
        }
        // The same rendered form sent a second time changes nothing: it leads where the first sending led (or,
        // while that has not answered, to the form's address, which shows the page the form is on), with a word
        // saying so.
        if let (Some(s), Some(nonce)) = (&ctx.signed_in, nonce)
            && nonce.len() == 32
            && nonce.bytes().all(|b| b.is_ascii_hexdigit())
        {
            match state.services.claim_form(&s.session.token_hash, &nonce).await {
                Ok(None) => claimed = Some((s.session.token_hash.clone(), nonce)),
                Ok(Some(first)) => {
                    tracing::info!(request_id = %ctx.request_id, path = %parts.uri.path(), "a form sent again changed nothing");
                    let to = first.unwrap_or_else(|| parts.uri.path().to_string());
                    return crate::pages::redirect_with_flash(&state, &to, "form-repeated");
                }
                Err(e) => return crate::error::WebError::from(e).into_response().render_error(&ctx),
            }
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }

    req.extensions_mut().insert(ctx.clone());
    let mut res = next.run(req).await;
    if let Some((session, nonce)) = claimed
        && res.status().is_redirection()
        && let Some(to) = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok())
        && let Err(e) = state.services.record_form_result(&session, &nonce, to).await
    {
        tracing::warn!(request_id = %ctx.request_id, error = %e, "where a form led could not be kept");
    }
    if res.extensions().get::<ErrorPage>().is_some() {
        res = res.render_error(&ctx);
    }
    let sets_flash = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|s| s.starts_with(cookie::FLASH)));
    let mut add_cookie = |value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    };
    if flash.is_some() && !sets_flash {
        add_cookie(cookie::clear(cookie::FLASH, secure));
    }
    if let Some(t) = new_pre_token {
        add_cookie(cookie::set(cookie::PRE_CSRF, &t, None, secure));
    }
    res
}
