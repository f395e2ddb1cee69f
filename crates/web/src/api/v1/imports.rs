//! `/api/v1/clients/{id}/imports`: the same imports as the page and the command line, with the files sent in a
//! JSON body (base64), read as one set, each file all or nothing.

use crate::AppState;
use crate::api::{ApiJson, ApiPath, ApiViewer};
use crate::error::{ApiError, ApiErrorBody};
use accountable_core::error::Error;
use accountable_core::id::ClientId;
use accountable_core::import::{ImportOptions, ImportOutcome, ImportReport, MapTo};
use accountable_core::kpi::KpiId;
use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest import body: base64 makes files a third larger than the page's upload limit.
const BODY_LIMIT: usize = crate::upload::UPLOAD_LIMIT / 3 * 4 + 64 * 1024;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    // Base64 makes files a third larger than the page's upload limit.
    OpenApiRouter::new()
        .routes(routes!(import))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::Extension(crate::api::BodyLimit(BODY_LIMIT)))
}

/// One file to import.
#[derive(Deserialize, ToSchema)]
struct FileIn {
    /// The file's name, for messages (the format is recognised from the content).
    name: String,
    /// The file's bytes, base64-encoded (a zip as downloaded is one file).
    content_base64: String,
}

/// Files to import, as one set (a Search Console export's Filters.csv gives its other files their period).
#[derive(Deserialize, ToSchema)]
struct ImportRequest {
    #[serde(default)]
    files: Vec<FileIn>,
    /// Only say what would be imported.
    #[serde(default)]
    dry_run: bool,
    /// In the long format, create KPIs the client does not have instead of refusing their lines.
    #[serde(default)]
    create_kpis: bool,
    /// Changes to the automatic mapping of export columns, as on the preview page: a column's values go into
    /// another of the client's KPIs of the same unit, or are left out.
    #[serde(default)]
    mapping: Vec<ColumnChoice>,
    /// The period of a Business Profile export whose name no longer carries its dates (both days or neither).
    period_start: Option<Date>,
    period_end: Option<Date>,
}

/// Where one export column's values go instead of the automatic choice.
#[derive(Deserialize, ToSchema)]
struct ColumnChoice {
    /// The column's source, such as `gsc:clicks` (a file's `mapping` lists them).
    source: String,
    /// The client's KPI to feed; give this or `skip`.
    kpi_id: Option<i64>,
    /// Leave the column out.
    #[serde(default)]
    skip: bool,
}

/// Which KPI an export column feeds.
#[derive(Serialize, ToSchema)]
struct ColumnMapping {
    /// The column's source, such as `gsc:clicks`.
    source: String,
    /// The column's header in the file.
    column: String,
    /// The KPI it feeds; absent when the column is left out.
    kpi: Option<String>,
    /// The client's KPI it feeds, when that KPI exists already.
    kpi_id: Option<i64>,
    /// Whether the import creates that KPI.
    created: bool,
    /// Whether this was asked for rather than automatic.
    chosen: bool,
    /// How many values the column gives.
    values: usize,
}

/// A KPI a file feeds.
#[derive(Serialize, ToSchema)]
struct FedKpi {
    name: String,
    /// Whether the import creates it.
    created: bool,
}

/// A problem at one place of a file.
#[derive(Serialize, ToSchema)]
struct FileError {
    line: u64,
    /// The column's header; empty when the whole line is wrong.
    column: String,
    message: String,
}

/// Stored values a file replaces, of one KPI and one writer (in a dry run). They are kept, and undoing the
/// import brings them back.
#[derive(Serialize, ToSchema)]
struct ReplacedValues {
    kpi_id: i64,
    kpi: String,
    /// How many.
    values: usize,
    /// The import that wrote them; absent when they were typed or written through the API.
    import_id: Option<i64>,
    /// That import's file.
    file: Option<String>,
    /// The day it was imported, in the client's time zone.
    imported_on: Option<Date>,
    /// In English, as the command line says it.
    message: String,
}

/// What happened to one file.
#[derive(Serialize, ToSchema)]
struct FileOutcome {
    file: String,
    /// `imported`, `preview` (a dry run), `unchanged` (imported before), `nothing` or `refused`.
    outcome: &'static str,
    format: Option<String>,
    period_start: Option<Date>,
    period_end: Option<Date>,
    kpis: Vec<FedKpi>,
    /// Which KPI each export column feeds (empty for the long format, whose lines name their KPIs).
    mapping: Vec<ColumnMapping>,
    values: usize,
    /// Values that are totals over a period longer than a day.
    period_totals: usize,
    /// Values for a part (a campaign, a query, a page) rather than the whole.
    with_dimension: usize,
    notes: Vec<String>,
    /// In a dry run, the stored values each KPI would have replaced, by who wrote them.
    replaces: Vec<ReplacedValues>,
    /// The import's id (a new one, or the earlier one for `unchanged`).
    import_id: Option<i64>,
    /// Why there is nothing to import.
    reason: Option<String>,
    /// The errors of a refused file: the first 100 by line (each quoting at most 80 characters of a cell).
    errors: Vec<FileError>,
    /// How many more errors the file has beyond those listed.
    more_errors: usize,
}

/// What happened to each file, in the order sent.
#[derive(Serialize, ToSchema)]
struct ImportResponse {
    files: Vec<FileOutcome>,
}

/// A 422 of an import: the outcome of every file when one was refused, or why the request cannot be read.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Only its schema is used: the handler sends either body as itself.
enum ImportRefusal {
    /// A file was refused: every file's outcome.
    Files(ImportResponse),
    /// The request cannot be read.
    Error(ApiErrorBody),
}

fn from_report(r: &ImportReport, outcome: &'static str, import_id: Option<i64>) -> FileOutcome {
    FileOutcome {
        file: r.file.clone(),
        outcome,
        format: Some(r.format.clone()),
        period_start: r.period.map(|p| p.0),
        period_end: r.period.map(|p| p.1),
        kpis: r
            .kpis
            .iter()
            .map(|(name, created)| FedKpi {
                name: name.clone(),
                created: *created,
            })
            .collect(),
        mapping: r
            .mapping
            .iter()
            .map(|m| ColumnMapping {
                source: m.source.clone(),
                column: m.column.clone(),
                kpi: m.kpi.clone(),
                kpi_id: m.kpi_id.map(|k| k.0),
                created: m.created,
                chosen: m.chosen,
                values: m.values,
            })
            .collect(),
        values: r.values,
        period_totals: r.period_totals,
        with_dimension: r.with_dimension,
        notes: r.notes.clone(),
        replaces: r
            .replaces
            .iter()
            .map(|x| ReplacedValues {
                kpi_id: x.kpi_id.0,
                kpi: x.kpi.clone(),
                values: x.values,
                import_id: x.import_id.map(|i| i.0),
                file: x.file.clone(),
                imported_on: x.imported_on,
                message: x.to_string(),
            })
            .collect(),
        import_id: import_id.or(r.import_id.map(|i| i.0)),
        reason: None,
        errors: Vec::new(),
        more_errors: 0,
    }
}

fn bare(file: &str, outcome: &'static str) -> FileOutcome {
    FileOutcome {
        file: file.to_string(),
        outcome,
        format: None,
        period_start: None,
        period_end: None,
        kpis: Vec::new(),
        mapping: Vec::new(),
        values: 0,
        period_totals: 0,
        with_dimension: 0,
        notes: Vec::new(),
        replaces: Vec::new(),
        import_id: None,
        reason: None,
        errors: Vec::new(),
        more_errors: 0,
    }
}

/// Imports files of measurements for a client: each file's format is recognised from its content; each file is
/// imported all or nothing; a file imported before changes nothing (`unchanged`). A refused file lists every
/// error with its line and column (the first 100, and how many more). When any file is refused the answer is
/// 422 with the same body, the outcome of every file; a request that cannot be read is 422 with an error body.
#[utoipa::path(post, path = "/api/v1/clients/{id}/imports", tag = "kpis", params(("id" = i64, Path, description = "The client's id")),
    request_body = ImportRequest,
    responses((status = 200, description = "Every file imported, previewed, unchanged or with nothing to import", body = ImportResponse),
        (status = 404, body = ApiErrorBody),
        (status = 422, description = "A file was refused (the outcome of every file), or the request cannot be read (an error body)", body = ImportRefusal)))]
async fn import(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(body): ApiJson<ImportRequest>,
) -> Result<(StatusCode, Json<ImportResponse>), ApiError> {
    state.services.get_client(&s.actor, id).await?;
    if body.files.is_empty() {
        return Err(Error::field("files", "required", "send at least one file").into());
    }
    let mut files = Vec::with_capacity(body.files.len());
    for (i, f) in body.files.iter().enumerate() {
        let bytes = STANDARD.decode(f.content_base64.trim()).map_err(|_| {
            Error::field(
                &format!("files[{i}].content_base64"),
                "invalid-base64",
                "the content is not base64",
            )
        })?;
        files.push((f.name.clone(), bytes));
    }
    let mut mapping = std::collections::HashMap::new();
    for (i, c) in body.mapping.iter().enumerate() {
        let choice = match (c.kpi_id, c.skip) {
            (Some(k), false) => MapTo::Kpi(KpiId(k)),
            (None, true) => MapTo::Skip,
            _ => {
                return Err(Error::field(
                    &format!("mapping[{i}]"),
                    "invalid",
                    "give either kpi_id or skip: true",
                )
                .into());
            }
        };
        mapping.insert(c.source.clone(), choice);
    }
    let period = match (body.period_start, body.period_end) {
        (None, None) => None,
        (Some(a), Some(b)) if a <= b => Some((a, b)),
        (Some(_), Some(_)) => {
            return Err(Error::field("period_end", "invalid", "the last day comes before the first").into());
        }
        (None, Some(_)) => return Err(Error::field("period_start", "required", "give both days").into()),
        (Some(_), None) => return Err(Error::field("period_end", "required", "give both days").into()),
    };
    let options = ImportOptions {
        dry_run: body.dry_run,
        create_kpis: body.create_kpis,
        mapping,
        period,
        ..Default::default()
    };
    let outcomes = state
        .services
        .import_files(&s.actor, id, &files, &options)
        .await?;
    let files = outcomes
        .iter()
        .map(|o| match o {
            ImportOutcome::Committed(r) => from_report(r, "imported", None),
            ImportOutcome::Preview(r) => from_report(r, "preview", None),
            ImportOutcome::AlreadyImported {
                report, import_id, ..
            } => from_report(report, "unchanged", Some(import_id.0)),
            ImportOutcome::Nothing { file, reason } => FileOutcome {
                reason: Some(reason.clone()),
                ..bare(file, "nothing")
            },
            ImportOutcome::Refused { file, errors } => FileOutcome {
                errors: errors
                    .iter()
                    .map(|e| FileError {
                        line: e.line,
                        column: e.column.clone(),
                        message: e.message.clone(),
                    })
                    .collect(),
                more_errors: errors.more(),
                ..bare(file, "refused")
            },
        })
        .collect();
    let refused = outcomes
        .iter()
        .any(|o| matches!(o, ImportOutcome::Refused { .. }));
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(ImportResponse { files })))
}
