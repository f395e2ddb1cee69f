//! Signing in and out, and accepting an invitation.

use super::back_to;
use super::{
    FormErrors, Page, PageContext, Viewer, form_result, html, html_with_status, redirect_with_flash,
    safe_next,
};
use crate::AppState;
use crate::cookie;
use crate::error::WebError;
use accountable_core::error::{Error, FieldError};
use accountable_core::session::NewSession;
use askama::Template;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use std::net::SocketAddr;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sign-in", get(show_sign_in).post(sign_in))
        .route("/sign-out", back_to("/").post(sign_out))
        .route(
            "/invitations/{token}",
            get(show_invitation).post(accept_invitation),
        )
}

/// The network address a request came from, for the sign-in rate limit.
pub struct PeerAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(PeerAddress(ip.unwrap_or_else(|| "unknown".to_string())))
    }
}

/// Where each person lands: a client contact on their client's page, everyone else on their home page.
async fn home(State(state): State<AppState>, ctx: PageContext) -> Result<Response, WebError> {
    let Some(signed_in) = ctx.signed_in.clone() else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    match signed_in.actor.client_scope() {
        Some(client) if client.0 > 0 => Ok(Redirect::to(&format!("/clients/{}", client.0)).into_response()),
        Some(_) => Ok(Redirect::to("/clients").into_response()),
        None => super::home::show(&state, &Viewer { ctx, signed_in }).await,
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInTemplate {
    page: Page,
    errors: FormErrors,
    email: String,
    next: String,
    problem: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

async fn show_sign_in(ctx: PageContext, super::PageQuery(q): super::PageQuery<NextQuery>) -> Response {
    if ctx.signed_in.is_some() {
        return Redirect::to(&safe_next(Some(&q.next))).into_response();
    }
    let tr = ctx.tr();
    html(&SignInTemplate {
        page: ctx.page(tr.t("sign_in.title"), ""),
        errors: FormErrors::default(),
        email: String::new(),
        next: safe_next(Some(&q.next)),
        problem: None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInForm {
    email: String,
    password: String,
    next: String,
}

fn session_cookie(state: &AppState, res: &mut Response, session: &NewSession) {
    let lifetime = state.services.settings().session_lifetime_secs;
    let value = cookie::set(
        cookie::SESSION,
        &session.token,
        Some(lifetime),
        state.web.secure_cookies(),
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

async fn sign_in(
    State(state): State<AppState>,
    ctx: PageContext,
    PeerAddress(address): PeerAddress,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let tr = ctx.tr();
    let again = |problem: String, status: StatusCode| {
        html_with_status(
            status,
            &SignInTemplate {
                page: ctx.page(tr.t("sign_in.title"), ""),
                errors: FormErrors::default(),
                email: form.email.clone(),
                next: safe_next(Some(&form.next)),
                problem: Some(problem),
            },
        )
    };
    match state
        .services
        .sign_in(&form.email, &form.password, &address)
        .await
    {
        Ok((_, session)) => {
            let mut res = redirect_with_flash(&state, &safe_next(Some(&form.next)), "signed-in");
            session_cookie(&state, &mut res, &session);
            Ok(res)
        }
        Err(Error::InvalidCredentials) => {
            Ok(again(tr.t("sign_in.wrong").to_string(), StatusCode::UNAUTHORIZED))
        }
        Err(Error::RateLimited { retry_after_secs }) => {
            let minutes = i64::try_from(retry_after_secs.div_ceil(60)).unwrap_or(i64::MAX);
            let mut res = again(
                tr.tn("sign_in.rate_limited", minutes, &[]),
                StatusCode::TOO_MANY_REQUESTS,
            );
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(res)
        }
        Err(e) => Err(WebError(e)),
    }
}

async fn sign_out(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    if let Some(token) = cookie::get(&headers, cookie::SESSION) {
        state.services.sign_out(token).await?;
    }
    let mut res = redirect_with_flash(&state, "/sign-in", "signed-out");
    if let Ok(v) = HeaderValue::from_str(&cookie::clear(cookie::SESSION, state.web.secure_cookies())) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationTemplate {
    page: Page,
    errors: FormErrors,
    token: String,
    agency: String,
    email: String,
    person_name: String,
}

async fn invitation_page(
    state: &AppState,
    ctx: &PageContext,
    token: &str,
    name: &str,
    errors: &[FieldError],
) -> Result<Response, WebError> {
    let invitation = state.services.find_open_invitation(token).await?;
    let agency = state
        .services
        .agency(&accountable_core::actor::Actor::operator(invitation.agency_id))
        .await?;
    let tr = ctx.tr();
    let template = InvitationTemplate {
        page: ctx.page(tr.t("invitation.title"), ""),
        errors: FormErrors::new(tr, errors),
        token: token.to_string(),
        agency: agency.name,
        email: invitation.email.to_string(),
        person_name: name.to_string(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_with_status(status, &template))
}

async fn show_invitation(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    invitation_page(&state, &ctx, &token, "", &[]).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AcceptForm {
    name: String,
    password: String,
    language: String,
}

async fn accept_invitation(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, WebError> {
    match form_result(
        state
            .services
            .accept_invitation(&token, &form.name, &form.password, &form.language)
            .await,
    )? {
        Ok((_, session)) => {
            let mut res = redirect_with_flash(&state, "/clients", "welcome");
            session_cookie(&state, &mut res, &session);
            Ok(res)
        }
        Err(errors) => invitation_page(&state, &ctx, &token, &form.name, &errors).await,
    }
}
