//! The owner's Outbox page: every message the agency sent or is sending, with its state and last error.

use super::{Page, Viewer, html};
use crate::AppState;
use crate::error::WebError;
use accountable_core::mail::MailState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new().route("/outbox", get(list))
}

struct MessageRow {
    to: String,
    subject: String,
    state: String,
    failed: bool,
    attempts: i64,
    when: String,
    error: String,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct ListTemplate {
    page: Page,
    messages: Vec<MessageRow>,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let messages = state.services.outbox(viewer.actor()).await?;
    let rows = messages
        .iter()
        .map(|m| MessageRow {
            to: m.to.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", "),
            subject: m.subject.clone(),
            state: tr.t(&format!("outbox.state.{}", m.state.as_str())).to_string(),
            failed: m.state == MailState::Failed,
            attempts: m.attempts,
            when: format!(
                "{} UTC",
                tr.fmt().date_time(m.sent_at.unwrap_or(m.created_at), "UTC")
            ),
            error: m.last_error.clone().unwrap_or_default(),
        })
        .collect();
    let template = ListTemplate {
        page: viewer.page(&state, tr.t("outbox.title"), "outbox").await?,
        messages: rows,
    };
    Ok(html(&template))
}
