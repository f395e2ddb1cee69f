//! Choosing the interface language: stored on the person when signed in, in a cookie before.

use super::back_to;
use super::{PageContext, safe_next};
use crate::AppState;
use crate::cookie;
use crate::error::WebError;
use accountable_core::types::Language;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Router};
use serde::Deserialize;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new().route("/language", back_to("/").post(change))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LanguageForm {
    language: String,
}

/// Where to go back to: the page the form was on, if it was on this site.
fn back(headers: &HeaderMap) -> String {
    let referer = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("/");
    let path = match referer.find("://") {
        Some(i) => referer[i + 3..]
            .find('/')
            .map(|j| &referer[i + 3 + j..])
            .unwrap_or("/"),
        None => referer,
    };
    safe_next(Some(path))
}

async fn change(
    State(state): State<AppState>,
    ctx: PageContext,
    headers: HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Result<Response, WebError> {
    let language = Language::parse("language", &form.language).unwrap_or(ctx.language);
    if let Some(s) = &ctx.signed_in {
        state.services.set_language(&s.actor, language).await?;
    }
    let mut res = Redirect::to(&back(&headers)).into_response();
    let value = cookie::set(
        cookie::LANGUAGE,
        language.as_str(),
        Some(365 * 24 * 3600),
        state.web.secure_cookies(),
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}
