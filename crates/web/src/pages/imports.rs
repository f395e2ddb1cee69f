//! Uploading exports on the client's KPIs and data page: the files are read and shown first (format, period, the
//! KPIs they feed, what is a period total, every error), then imported when the person confirms. Between the
//! two steps the files travel in the confirming form itself, so nothing is kept on the server for an import that
//! is never confirmed. The preview shows which KPI each export column feeds; the person may send a column into
//! another of the client's KPIs of the same unit, or leave it out, and preview again or import with that mapping.
//! What the import says (errors, reasons, notes) is said in the page's language (`said`).

mod said;

pub(crate) use said::say_format;

use super::back_to;
use super::{Page, Viewer, html_with_status, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use crate::upload::{UPLOAD_LIMIT, boundary, parts};
use accountable_core::actor::Permission;
use accountable_core::error::Error;
use accountable_core::id::ClientId;
use accountable_core::import::{ImportOptions, ImportOutcome, ImportReport, ImportSaid, MapTo};
use accountable_core::kpi::{Kpi, KpiId, KpiKind};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::civil::Date;
use std::collections::HashMap;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/clients/{id}/imports/preview",
            back_to("/clients/{id}/kpis").post(preview),
        )
        .route(
            "/clients/{id}/imports",
            back_to("/clients/{id}/kpis").post(commit),
        )
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
    /// The stored values it would replace, by KPI and writer, in the page's language.
    replaces: Vec<String>,
    reason: String,
    errors: Vec<String>,
    /// "… and N more errors", when more were found than are listed.
    more_errors: String,
}

/// One export column and the KPIs it may feed, for the mapping form.
struct MappingRow {
    /// The form field: `map.` and the column's source.
    field: String,
    /// The column's header, and the files it is in.
    column: String,
    files: String,
    /// (value, label, selected): `auto`, the client's KPIs of the column's unit, `skip`.
    choices: Vec<(String, String, bool)>,
    /// How many values it gives.
    values: String,
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
    mapping: Vec<MappingRow>,
    /// The upload form's options, carried as they were given.
    create_kpis: bool,
    period: Option<(String, String)>,
    /// What is wrong with the upload form's options: nothing was read.
    problem: Option<String>,
    can_import: bool,
}

/// An upload: its files, the person's mapping choices and the upload form's options.
struct Upload {
    files: Vec<(String, Vec<u8>)>,
    mapping: HashMap<String, MapTo>,
    /// Create the KPIs a long-format file names that the client does not have.
    create_kpis: bool,
    /// The period of a renamed Business Profile export, as typed (first and last day).
    period: Option<(Date, Date)>,
    /// What is wrong with the options (a message key), when something is: nothing is read then.
    problem: Option<&'static str>,
}

impl Upload {
    /// How the service is asked to import it.
    fn options(&self, dry_run: bool) -> ImportOptions {
        ImportOptions {
            dry_run,
            create_kpis: self.create_kpis,
            period: self.period,
            mapping: self.mapping.clone(),
            ..Default::default()
        }
    }
}

/// The text of a form part, trimmed, when the form has it.
fn field<'a>(parts: &'a [crate::upload::Part], name: &str) -> Option<std::borrow::Cow<'a, str>> {
    parts
        .iter()
        .find(|p| p.name == name)
        .map(|p| String::from_utf8_lossy(&p.data))
        .filter(|v| !v.trim().is_empty())
}

/// The period fields: both days or neither; what is wrong as a message key of the page.
fn period(parts: &[crate::upload::Part]) -> Result<Option<(Date, Date)>, &'static str> {
    let day = |name: &str| -> Result<Option<Date>, &'static str> {
        field(parts, name)
            .map(|v| v.trim().parse::<Date>().map_err(|_| "imports.period_invalid"))
            .transpose()
    };
    match (day("period_from")?, day("period_to")?) {
        (None, None) => Ok(None),
        (Some(a), Some(b)) if a <= b => Ok(Some((a, b))),
        (Some(_), Some(_)) => Err("imports.period_backwards"),
        (None, Some(_)) | (Some(_), None) => Err("imports.period_half"),
    }
}

/// The files of an upload: the `files` parts (a browser sends an empty one when none was chosen), or the
/// `file_name`/`content` pairs a confirming form carries.
async fn uploaded(headers: &HeaderMap, body: Bytes) -> Result<Upload, WebError> {
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
    // `map.gsc:clicks` = `auto`, `skip` or a KPI's id.
    let mut mapping = HashMap::new();
    for p in &parts {
        let Some(source) = p.name.strip_prefix("map.") else {
            continue;
        };
        let value = String::from_utf8_lossy(&p.data);
        let choice = match value.trim() {
            "auto" | "" => continue,
            "skip" => MapTo::Skip,
            id => MapTo::Kpi(KpiId(id.parse().map_err(|_| {
                Error::field(
                    &p.name,
                    "invalid",
                    "choose a KPI, automatic, or leave the column out",
                )
            })?)),
        };
        mapping.insert(source.to_string(), choice);
    }
    let (period, problem) = match period(&parts) {
        Ok(p) => (p, None),
        Err(key) => (None, Some(key)),
    };
    Ok(Upload {
        files,
        mapping,
        create_kpis: field(&parts, "create_kpis").is_some(),
        period,
        problem,
    })
}

/// The mapping form: every export column of the files, once, with the KPIs it may feed.
fn mapping_rows(
    viewer: &Viewer,
    outcomes: &[ImportSaid],
    kpis: &[Kpi],
    language: accountable_core::types::Language,
    chosen: &HashMap<String, MapTo>,
) -> Vec<MappingRow> {
    let tr = viewer.ctx.tr();
    let fmt = tr.fmt();
    let mut rows: Vec<(MappingRow, usize)> = Vec::new();
    for o in outcomes {
        let ImportOutcome::Preview(r) = &o.outcome else {
            continue;
        };
        for line in &r.mapping {
            let field = format!("map.{}", line.source);
            if let Some((row, n)) = rows.iter_mut().find(|(row, _)| row.field == field) {
                row.files.push_str(&format!(", {}", r.file));
                *n += line.values;
                continue;
            }
            // What "automatic" means: the KPI already fed by this column, or the one the import would create.
            let automatic = match kpis.iter().find(|k| k.fields.source == line.source) {
                Some(k) => k.fields.name.clone(),
                None => accountable_core::kpi::preset_for_source(&line.source, language)
                    .map(|p| format!("{} ({})", p.name, tr.t("imports.new_kpi")))
                    .unwrap_or_default(),
            };
            let current = chosen.get(&line.source).copied();
            let mut choices = vec![(
                "auto".to_string(),
                tr.tf("imports.map_auto", &[("kpi", &automatic)]),
                current.is_none(),
            )];
            for k in kpis.iter().filter(|k| k.fields.unit == line.unit) {
                let leading = if k.fields.kind == KpiKind::Leading {
                    format!(" ({})", tr.t("kpis.leading"))
                } else {
                    String::new()
                };
                choices.push((
                    k.id.0.to_string(),
                    format!("{}{leading}", k.fields.name),
                    current == Some(MapTo::Kpi(k.id)),
                ));
            }
            choices.push((
                "skip".to_string(),
                tr.t("imports.map_skip").to_string(),
                current == Some(MapTo::Skip),
            ));
            rows.push((
                MappingRow {
                    field,
                    column: line.column.clone(),
                    files: r.file.clone(),
                    choices,
                    values: String::new(),
                },
                line.values,
            ));
        }
    }
    rows.into_iter()
        .map(|(row, n)| MappingRow {
            values: fmt.integer(n as i64),
            ..row
        })
        .collect()
}

fn view(viewer: &Viewer, told: &ImportSaid) -> FileView {
    let tr = viewer.ctx.tr();
    let fmt = tr.fmt();
    // The notes in the page's language, or as the report has them should the two lists ever differ.
    let notes = |r: &ImportReport| {
        if told.notes.len() == r.notes.len() {
            told.notes.iter().map(|n| said::say(&tr, n)).collect()
        } else {
            r.notes.clone()
        }
    };
    let from_report = |r: &ImportReport, state: &'static str| FileView {
        file: r.file.clone(),
        state,
        format: said::say_format(&tr, &r.format),
        period: r
            .period
            .map(|(a, b)| format!("{} – {}", fmt.date(a), fmt.date(b)))
            .unwrap_or_else(|| "—".into()),
        kpis: r.kpis.clone(),
        values: fmt.integer(r.values as i64),
        period_totals: fmt.integer(r.period_totals as i64),
        with_dimension: fmt.integer(r.with_dimension as i64),
        notes: notes(r),
        replaces: r.replaces.iter().map(|x| said::say(&tr, &x.said())).collect(),
        reason: String::new(),
        errors: Vec::new(),
        more_errors: String::new(),
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
        replaces: Vec::new(),
        reason: String::new(),
        errors: Vec::new(),
        more_errors: String::new(),
    };
    match &told.outcome {
        ImportOutcome::Preview(r) => from_report(r, "preview"),
        ImportOutcome::Committed(r) => from_report(r, "imported"),
        ImportOutcome::AlreadyImported { report, at, .. } => FileView {
            reason: format!("{} UTC", fmt.date_time(*at, "UTC")),
            ..from_report(report, "unchanged")
        },
        ImportOutcome::Nothing { file, reason } => FileView {
            reason: told
                .reason
                .as_ref()
                .map_or_else(|| reason.clone(), |r| said::say(&tr, r)),
            ..bare(file, "nothing")
        },
        ImportOutcome::Refused { file, errors } => FileView {
            errors: errors.iter().map(|e| said::say_error(&tr, e)).collect(),
            more_errors: match errors.more() {
                0 => String::new(),
                more => tr.tn(
                    "imports.more_errors",
                    more as i64,
                    &[("shown", &tr.fmt().integer(errors.shown().len() as i64))],
                ),
            },
            ..bare(file, "refused")
        },
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    client: ClientId,
    upload: &Upload,
    outcomes: &[ImportSaid],
) -> Result<Response, WebError> {
    let c = state.services.get_client(viewer.actor(), client).await?;
    let kpis: Vec<Kpi> = state
        .services
        .client_kpis(viewer.actor(), client)
        .await?
        .into_iter()
        .map(|k| k.kpi)
        .collect();
    let mapping = mapping_rows(viewer, outcomes, &kpis, c.fields.language, &upload.mapping);
    let tr = viewer.ctx.tr();
    let views: Vec<FileView> = outcomes.iter().map(|o| view(viewer, o)).collect();
    let problem = upload.problem.map(|key| tr.t(key).to_string());
    let refused = problem.is_some() || views.iter().any(|v| v.state == "refused");
    let can_import = !refused && views.iter().any(|v| v.state == "preview");
    let template = PreviewTemplate {
        page: viewer
            .page(state, tr.t("imports.preview_title"), "clients")
            .await?,
        client_id: client.0,
        client_name: c.fields.name,
        files: views,
        carried: upload
            .files
            .iter()
            .map(|(n, b)| (n.clone(), STANDARD.encode(b)))
            .collect(),
        mapping,
        create_kpis: upload.create_kpis,
        period: upload.period.map(|(a, b)| (a.to_string(), b.to_string())),
        problem,
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
    let upload = uploaded(&headers, body).await?;
    if upload.problem.is_some() {
        return render(&state, &viewer, id, &upload, &[]).await;
    }
    let options = upload.options(true);
    let outcomes = state
        .services
        .import_files_said(viewer.actor(), id, &upload.files, &options)
        .await?;
    render(&state, &viewer, id, &upload, &outcomes).await
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
    let upload = uploaded(&headers, body).await?;
    if upload.problem.is_some() {
        return render(&state, &viewer, id, &upload, &[]).await;
    }
    let options = upload.options(false);
    let outcomes = state
        .services
        .import_files_said(viewer.actor(), id, &upload.files, &options)
        .await?;
    if outcomes
        .iter()
        .any(|o| matches!(o.outcome, ImportOutcome::Refused { .. }))
    {
        return render(&state, &viewer, id, &upload, &outcomes).await;
    }
    let flash = if outcomes
        .iter()
        .any(|o| matches!(o.outcome, ImportOutcome::Committed(_)))
    {
        "import-committed"
    } else {
        "import-unchanged"
    };
    Ok(redirect_with_flash(&state, &format!("/clients/{id}/kpis"), flash))
}
