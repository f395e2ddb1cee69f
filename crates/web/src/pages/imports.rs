//! Uploading exports on the client's KPIs and data page: the files are read and shown first (format, period, the
//! KPIs they feed, what is a period total, every error), then imported when the person confirms. Between the
//! two steps the files travel in the confirming form itself, so nothing is kept on the server for an import that
//! is never confirmed.

use super::{Page, Viewer, html_with_status, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use crate::upload::{UPLOAD_LIMIT, boundary, parts};
use accountable_core::actor::Permission;
use accountable_core::error::Error;
use accountable_core::id::ClientId;
use accountable_core::import::{ImportOptions, ImportOutcome, ImportReport};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients/{id}/imports/preview", post(preview))
        .route("/clients/{id}/imports", post(commit))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
}

/// One file as the preview shows it.
struct FileView {
    file: String,
    /// `preview`, `unchanged`, `nothing`, `refused` or `imported`.
    state: &'static str,
    format: String,
    period: String,
    kpis: Vec<(String, bool)>,
    values: String,
    period_totals: String,
    with_dimension: String,
    notes: Vec<String>,
    reason: String,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "clients/import_preview.html")]
struct PreviewTemplate {
    page: Page,
    client_id: i64,
    client_name: String,
    files: Vec<FileView>,
    /// (name, base64 content) of every uploaded file, for the confirming form.
    carried: Vec<(String, String)>,
    can_import: bool,
}

/// The files of an upload: the `files` parts (a browser sends an empty one when none was chosen), or the
/// `file_name`/`content` pairs a confirming form carries.
async fn uploaded(headers: &HeaderMap, body: Bytes) -> Result<Vec<(String, Vec<u8>)>, WebError> {
    let bad = || {
        WebError::from(Error::field(
            "files",
            "required",
            "send the files as multipart/form-data",
        ))
    };
    let b = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(boundary)
        .ok_or_else(bad)?;
    let parts = parts(&b, body).await.ok_or_else(bad)?;
    let mut files: Vec<(String, Vec<u8>)> = parts
        .iter()
        .filter(|p| p.name == "files")
        .filter_map(|p| {
            let name = p.file_name.clone().filter(|n| !n.is_empty())?;
            Some((name, p.data.to_vec()))
        })
        .collect();
    let names = parts.iter().filter(|p| p.name == "file_name");
    let contents = parts.iter().filter(|p| p.name == "content");
    for (n, c) in names.zip(contents) {
        let name = String::from_utf8_lossy(&n.data).to_string();
        let bytes = STANDARD.decode(&c.data).map_err(|_| bad())?;
        files.push((name, bytes));
    }
    if files.is_empty() {
        return Err(Error::field("files", "required", "choose at least one file").into());
    }
    Ok(files)
}

fn view(viewer: &Viewer, outcome: &ImportOutcome) -> FileView {
    let tr = viewer.ctx.tr();
    let fmt = tr.fmt();
    let from_report = |r: &ImportReport, state: &'static str| FileView {
        file: r.file.clone(),
        state,
        format: r.format.clone(),
        period: r
            .period
            .map(|(a, b)| format!("{} – {}", fmt.date(a), fmt.date(b)))
            .unwrap_or_else(|| "—".into()),
        kpis: r.kpis.clone(),
        values: fmt.integer(r.values as i64),
        period_totals: fmt.integer(r.period_totals as i64),
        with_dimension: fmt.integer(r.with_dimension as i64),
        notes: r.notes.clone(),
        reason: String::new(),
        errors: Vec::new(),
    };
    let bare = |file: &str, state: &'static str| FileView {
        file: file.to_string(),
        state,
        format: String::new(),
        period: String::new(),
        kpis: Vec::new(),
        values: String::new(),
        period_totals: String::new(),
        with_dimension: String::new(),
        notes: Vec::new(),
        reason: String::new(),
        errors: Vec::new(),
    };
    match outcome {
        ImportOutcome::Preview(r) => from_report(r, "preview"),
        ImportOutcome::Committed(r) => from_report(r, "imported"),
        ImportOutcome::AlreadyImported { report, at, .. } => FileView {
            reason: format!("{} UTC", fmt.date_time(*at, "UTC")),
            ..from_report(report, "unchanged")
        },
        ImportOutcome::Nothing { file, reason } => FileView {
            reason: reason.clone(),
            ..bare(file, "nothing")
        },
        ImportOutcome::Refused { file, errors } => FileView {
            errors: errors.iter().map(|e| e.to_string()).collect(),
            ..bare(file, "refused")
        },
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    client: ClientId,
    files: &[(String, Vec<u8>)],
    outcomes: &[ImportOutcome],
) -> Result<Response, WebError> {
    let c = state.services.get_client(viewer.actor(), client).await?;
    let tr = viewer.ctx.tr();
    let views: Vec<FileView> = outcomes.iter().map(|o| view(viewer, o)).collect();
    let refused = views.iter().any(|v| v.state == "refused");
    let can_import = !refused && views.iter().any(|v| v.state == "preview");
    let template = PreviewTemplate {
        page: viewer
            .page(state, tr.t("imports.preview_title"), "clients")
            .await?,
        client_id: client.0,
        client_name: c.fields.name,
        files: views,
        carried: files
            .iter()
            .map(|(n, b)| (n.clone(), STANDARD.encode(b)))
            .collect(),
        can_import,
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html_with_status(status, &template))
}

async fn preview(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    // Another tenant's client is "not found" before the role is asked about.
    state.services.get_client(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    let files = uploaded(&headers, body).await?;
    let options = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    let outcomes = state
        .services
        .import_files(viewer.actor(), id, &files, &options)
        .await?;
    render(&state, &viewer, id, &files, &outcomes).await
}

async fn commit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    state.services.get_client(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    let files = uploaded(&headers, body).await?;
    let outcomes = state
        .services
        .import_files(viewer.actor(), id, &files, &ImportOptions::default())
        .await?;
    if outcomes
        .iter()
        .any(|o| matches!(o, ImportOutcome::Refused { .. }))
    {
        return render(&state, &viewer, id, &files, &outcomes).await;
    }
    let flash = if outcomes.iter().any(|o| matches!(o, ImportOutcome::Committed(_))) {
        "import-committed"
    } else {
        "import-unchanged"
    };
    Ok(redirect_with_flash(&state, &format!("/clients/{id}/kpis"), flash))
}
