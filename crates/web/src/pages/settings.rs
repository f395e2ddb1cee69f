//! A person's own settings: API tokens (created here, shown once, revocable). The interface language is chosen
//! from the header on every page.

use super::back_to;
use super::{FormErrors, Page, Viewer, form_result, html_with_status, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use accountable_core::error::FieldError;
use accountable_core::token::{TokenForm, TokenId};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings", get(show))
        .route("/settings/tokens", back_to("/settings").post(create_token))
        .route(
            "/settings/tokens/{id}/revoke",
            back_to("/settings").post(revoke_token),
        )
}

struct TokenRow {
    id: i64,
    name: String,
    scope: String,
    expires: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsTemplate {
    page: Page,
    tokens: Vec<TokenRow>,
    new_secret: Option<String>,
    form: TokenForm,
    errors: FormErrors,
    scopes: Vec<(String, String)>,
    api_base: String,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    form: TokenForm,
    errors: &[FieldError],
    new_secret: Option<String>,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let now = state.services.now();
    let tokens = state
        .services
        .my_tokens(viewer.actor())
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.0,
            name: t.name,
            scope: tr.t(&format!("settings.scope.{}", t.scope.as_str())).to_string(),
            expires: format!("{} UTC", tr.fmt().date_time(t.expires_at, "UTC")),
            active: t.revoked_at.is_none() && t.expires_at > now,
        })
        .collect();
    let scopes = ["read", "read-write"]
        .iter()
        .map(|s| (s.to_string(), tr.t(&format!("settings.scope.{s}")).to_string()))
        .collect();
    let template = SettingsTemplate {
        page: viewer.page(state, tr.t("settings.title"), "settings").await?,
        tokens,
        new_secret,
        form,
        errors: FormErrors::new(tr, errors),
        scopes,
        api_base: format!("{}/api/v1", state.web.public_url.trim_end_matches('/')),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_with_status(status, &template))
}

fn blank() -> TokenForm {
    TokenForm {
        scope: "read".into(),
        days: "90".into(),
        ..Default::default()
    }
}

async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    page(&state, &viewer, blank(), &[], None).await
}

async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    let Some(me) = viewer.actor().user_id else {
        return Err(WebError(accountable_core::Error::Forbidden));
    };
    match form_result(state.services.create_token(viewer.actor(), me, &form).await)? {
        Ok(issued) => page(&state, &viewer, blank(), &[], Some(issued.secret)).await,
        Err(errors) => page(&state, &viewer, form, &errors, None).await,
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<TokenId>,
) -> Result<Response, WebError> {
    state.services.revoke_own_token(viewer.actor(), id).await?;
    Ok(redirect_with_flash(&state, "/settings", "token-revoked"))
}
