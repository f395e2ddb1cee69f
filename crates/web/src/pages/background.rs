//! The owner's Background work page: the agency's jobs, failed ones first with their last error, and a button
//! to retry a failed job by hand.

use super::back_to;
use super::{Page, Viewer, html, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use accountable_core::job::{JobId, JobState};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/background", get(list))
        .route("/background/{id}/retry", back_to("/background").post(retry))
}

struct JobRow {
    id: i64,
    kind: String,
    state: String,
    failed: bool,
    attempts: String,
    when: String,
    error: String,
}

#[derive(Template)]
#[template(path = "background.html")]
struct ListTemplate {
    page: Page,
    jobs: Vec<JobRow>,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let jobs = state.services.background_work(viewer.actor()).await?;
    let rows = jobs
        .iter()
        .map(|j| JobRow {
            id: j.id.0,
            // In words; a kind this version has no words for (a newer instance's) shows as stored.
            kind: tr.t(&format!("job_kind.{}", j.kind)).replace("job_kind.", ""),
            state: tr
                .t(&format!("background.state.{}", j.state.as_str()))
                .to_string(),
            failed: j.state == JobState::Failed,
            attempts: format!("{} / {}", j.attempts, j.max_attempts),
            when: format!("{} UTC", tr.fmt().date_time(j.updated_at, "UTC")),
            error: j.last_error.clone().unwrap_or_default(),
        })
        .collect();
    let template = ListTemplate {
        page: viewer
            .page(&state, tr.t("background.title"), "background")
            .await?,
        jobs: rows,
    };
    Ok(html(&template))
}

async fn retry(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<JobId>,
) -> Result<Response, WebError> {
    state.services.retry_job(viewer.actor(), id).await?;
    Ok(redirect_with_flash(&state, "/background", "job-retried"))
}
