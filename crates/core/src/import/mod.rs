//! Imports of measurements from files: the format is recognised from the content (not the name), the file is
//! checked as a whole — any bad cell imports nothing and every error names its line and column — and a file
//! imported twice changes nothing the second time. Formats (see docs/imports.md): the plain long format
//! `date,kpi,value`, and the exports of Search Console (files or the zip), Google Analytics 4, Google Ads, Meta
//! Ads Manager and Google Business Profile, one reader per file beside this one. A period total is stored as one
//! value over its period with its dimension (a campaign, a query…), never spread into invented daily values.

mod agency;
mod archive;
mod business_profile;
mod dates;
mod errors;
mod ga4;
mod google_ads;
mod long;
mod meta;
mod number;
mod plan;
mod read;
mod replaced;
mod said;
mod search_console;
pub mod store;
mod text;
mod wording;

pub use agency::{AgencyImportOutcome, AgencyImportReport, ClientPart, has_client_column};
pub use errors::{ErrorList, MAX_ERRORS, QUOTE_CHARS, clip};
pub use long::{ClientColumn, LongRow, Parsed, is_long_format, parse_long};
pub use number::NumberFormat;
pub use read::{Recognised, read_files, recognise};
pub use replaced::Replaced;
pub use said::{Arg, CODES, ImportSaid, Said};

use crate::actor::{Actor, Permission};
use crate::error::Conflict;
use crate::error::{Error, Result};
use crate::id::{AgencyId, ClientId, UserId};
use crate::kpi::{Aggregation, Direction, KpiId, KpiInput, KpiKind, Measurement, Unit};
use crate::record::AuditAction;
use crate::service::{Change, Services, record};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Every KPI source the readers feed, by export: the source mappings a KPI can have.
pub const SOURCES: &[&str] = &[
    "gsc:clicks",
    "gsc:impressions",
    "gsc:ctr",
    "gsc:position",
    "ga4:views",
    "ga4:sessions",
    "ga4:users",
    "ga4:active-users",
    "ga4:new-users",
    "ga4:events",
    "ga4:key-events",
    "ga4:revenue",
    "ga4:orders",
    "ga4:engagement-rate",
    "ga4:bounce-rate",
    "ga4:avg-session-duration",
    "ga4:avg-engagement-time",
    "gads:clicks",
    "gads:impressions",
    "gads:cost",
    "gads:conversions",
    "gads:conversion-value",
    "meta:reach",
    "meta:impressions",
    "meta:spend",
    "meta:link-clicks",
    "gbp:views",
    "gbp:calls",
    "gbp:messages",
    "gbp:bookings",
    "gbp:directions",
    "gbp:website-clicks",
];

/// Every format an import names (`ImportReport::format`, `ImportRecord::format`): pages say each in words
/// (`[import_format]` in the language files; a test keeps them complete).
pub const FORMATS: &[&str] = &[
    "long",
    "search-console-chart",
    "search-console-query",
    "search-console-page",
    "search-console-country",
    "search-console-device",
    "search-console-search-appearance",
    "search-console-zip",
    "zip",
    "ga4-report",
    "ga4-exploration",
    "ga4-export",
    "google-ads",
    "meta-ads",
    "business-profile",
];

/// An import's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ImportId(pub i64);

impl std::fmt::Display for ImportId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A problem at one place of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// The file's name (`export.zip/Queries.csv` for a file in a zip).
    pub file: String,
    /// The line, from 1 (the header is line 1 when nothing stands above it).
    pub line: u64,
    /// The column's header, or empty when the whole line is wrong.
    pub column: String,
    /// What is wrong and what was expected, in English (the command line's and the API's words).
    pub message: String,
    /// The message's code (see `Said`; empty for English-only text), for a page to say it in the person's
    /// language.
    #[serde(skip)]
    pub code: &'static str,
    /// The values the message names.
    #[serde(skip)]
    pub args: Vec<(&'static str, Arg)>,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "{} line {}: {}", self.file, self.line, self.message)
        } else {
            write!(
                f,
                "{} line {}, column {:?}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// A value read from a file: which KPI (by name, or by an export's column), the period, the dimension, the value.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadValue {
    /// Its line in the file.
    pub line: u64,
    /// The KPI it feeds.
    pub kpi: KpiRef,
    /// The first day it covers.
    pub start: Date,
    /// The last day it covers (the same day for a daily value).
    pub end: Date,
    /// The part it is for, such as `campaign: Brand` or `query: shed base`; empty for the whole.
    pub dimension: String,
    /// The value, in the KPI's unit.
    pub value: f64,
}

/// How a file names the KPI a value feeds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KpiRef {
    /// By the KPI's name (the long format).
    Name(String),
    /// By a known export column, such as `gsc:clicks`: the client's KPI with that source mapping, or a new one.
    Source(&'static str),
}

/// The currency a file states for its amounts, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCurrency {
    /// The ISO 4217 code as written.
    pub code: String,
    /// Where the file says it.
    pub line: u64,
    /// The column saying it.
    pub column: String,
}

/// What was read from a recognised file (or from the files of a zip).
#[derive(Debug, Clone, Default)]
pub struct ReadFile {
    /// The format, such as `search-console-queries` or `google-ads`.
    pub format: String,
    /// The values.
    pub values: Vec<ReadValue>,
    /// Which column fed which KPI source, as the file names it.
    pub columns: Vec<(&'static str, String)>,
    /// The currency of its amounts, when it states one.
    pub currency: Option<FileCurrency>,
    /// What the reader noticed: columns not read, the row that gave the whole…
    pub notes: Vec<Said>,
    /// Every bad cell, in file order.
    pub errors: ErrorList,
    /// The long format's client column, when the file has one: an import for one client refuses other clients'
    /// lines.
    pub clients: Option<ClientColumn>,
}

/// The outcome of reading one file.
#[derive(Debug, Clone)]
pub enum ReadResult {
    /// A recognised file, with its values and any errors.
    Values(ReadFile),
    /// The file holds no measurements, and why.
    Nothing(Said),
    /// The file cannot be read at all (not text, not a known format).
    Refused(ErrorList),
}

/// One file (or zip) read, before any KPI is looked up.
#[derive(Debug, Clone)]
pub struct FileRead {
    /// The file's name.
    pub file: String,
    /// The SHA-256 of its bytes.
    pub sha256: String,
    /// What it held.
    pub result: ReadResult,
}

/// Told the file, the values written so far, and all of its values.
pub type ProgressFn = dyn Fn(&str, usize, usize) + Send + Sync;

/// Called while a long import is written, for a progress display.
#[derive(Clone)]
pub struct ProgressHook(pub Arc<ProgressFn>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

/// Where the person sends an export column's values instead of the automatic choice (the preview page's
/// mapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapTo {
    /// Into this KPI of the client (of the column's unit). A KPI without a source remembers the column.
    Kpi(KpiId),
    /// Not imported.
    Skip,
}

/// Which KPI one export column feeds, as the preview shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MappingLine {
    /// The column's source, such as `gsc:clicks`.
    pub source: String,
    /// The column's header in the file.
    pub column: String,
    /// The unit of its values.
    pub unit: Unit,
    /// The KPI it feeds (its name), or `None` when it is left out.
    pub kpi: Option<String>,
    /// The client's KPI it feeds, when it exists already.
    pub kpi_id: Option<KpiId>,
    /// Whether the import creates that KPI.
    pub created: bool,
    /// Whether the person chose this rather than the automatic mapping.
    pub chosen: bool,
    /// How many values it gives.
    pub values: usize,
}

/// How an import was asked for.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Only show what would be imported.
    pub dry_run: bool,
    /// Create KPIs the client does not have, instead of refusing their lines.
    pub create_kpis: bool,
    /// The period of a file whose content states none and whose name no longer carries it (Business Profile).
    pub period: Option<(Date, Date)>,
    /// Told how far the writing has got, for a progress display.
    pub progress: Option<ProgressHook>,
    /// The person's choices for export columns (by source, such as `gsc:clicks`), over the automatic mapping.
    pub mapping: HashMap<String, MapTo>,
}

/// What an import did, or would do.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The file's name.
    pub file: String,
    /// The format recognised.
    pub format: String,
    /// The SHA-256 of the file.
    pub sha256: String,
    /// The first and last day the file covers.
    pub period: Option<(Date, Date)>,
    /// The KPIs it feeds, with `true` for those it creates.
    pub kpis: Vec<(String, bool)>,
    /// Which KPI each export column feeds (empty for the long format, whose lines name their KPIs).
    pub mapping: Vec<MappingLine>,
    /// How many values it imports (those of columns left out are not counted).
    pub values: usize,
    /// How many of them are totals over a period longer than a day (stored as such, never spread into days).
    pub period_totals: usize,
    /// How many of them are for a part (a campaign, a query, a page) rather than the whole.
    pub with_dimension: usize,
    /// What the reader noticed: columns not read, the row that gave the whole…
    pub notes: Vec<String>,
    /// In a preview, the stored values it would replace, by KPI and by who wrote them (kept when replaced, and
    /// back when the import is undone).
    pub replaces: Vec<Replaced>,
    /// The import's id, once committed.
    pub import_id: Option<ImportId>,
}

/// The outcome of importing one file.
#[derive(Debug, Clone, Serialize)]
pub enum ImportOutcome {
    /// Imported in one transaction.
    Committed(ImportReport),
    /// What would be imported (a dry run).
    Preview(ImportReport),
    /// The same file was imported before; nothing changed.
    AlreadyImported {
        /// What the file holds.
        report: ImportReport,
        /// The earlier import.
        import_id: ImportId,
        /// When it was made.
        at: Timestamp,
    },
    /// The file holds no measurements, and why.
    Nothing {
        /// The file.
        file: String,
        /// Why there is nothing.
        reason: String,
    },
    /// Refused: nothing was imported; every error is listed.
    Refused {
        /// The file.
        file: String,
        /// Every error, by line.
        errors: ErrorList,
    },
}

/// A recorded import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRecord {
    /// Its id.
    pub id: ImportId,
    /// The agency.
    pub agency_id: AgencyId,
    /// The client.
    pub client_id: ClientId,
    /// The file's name.
    pub file_name: String,
    /// The file's SHA-256.
    pub sha256: String,
    /// The format.
    pub format: String,
    /// How many values it wrote.
    pub values: i64,
    /// Who imported it.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
    /// When it was undone, if it was.
    pub undone_at: Option<Timestamp>,
}

/// An import to record.
#[derive(Debug, Clone)]
pub struct NewImport {
    /// The file's name.
    pub file_name: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Its format.
    pub format: String,
    /// How many values.
    pub values: i64,
    /// Who.
    pub created_by: Option<UserId>,
}

/// The mapping of a file's export columns, in the file's order of columns.
fn mapping_lines(read: &ReadFile, plan: &plan::Plan, chosen: &HashMap<String, MapTo>) -> Vec<MappingLine> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for v in &read.values {
        if let KpiRef::Source(s) = v.kpi {
            *counts.entry(s).or_default() += 1;
        }
    }
    let mut lines: Vec<MappingLine> = Vec::new();
    for (source, column) in &read.columns {
        if lines.iter().any(|l| l.source == *source) {
            continue;
        }
        let Some((_, target)) = plan.by_source.iter().find(|(s, _)| s == source) else {
            continue;
        };
        let target = target.and_then(|t| plan.targets.get(t));
        let unit = target
            .map(|t| t.unit)
            .or_else(|| crate::kpi::preset_for_source(source, crate::types::Language::En).map(|p| p.unit))
            .unwrap_or(Unit::Count);
        lines.push(MappingLine {
            source: source.to_string(),
            column: column.clone(),
            unit,
            kpi: target.map(|t| t.name.clone()),
            kpi_id: target.and_then(|t| match t.how {
                plan::How::Existing(id) => Some(id),
                plan::How::New(_) => None,
            }),
            created: target.is_some_and(|t| matches!(t.how, plan::How::New(_))),
            chosen: chosen.contains_key(*source),
            values: counts.get(source).copied().unwrap_or(0),
        });
    }
    lines
}

/// A KPI created by `--create-kpis`: a count that is better when higher, summed, a business result.
fn new_kpi(name: &str) -> KpiInput {
    KpiInput {
        name: name.to_string(),
        unit: Unit::Count,
        direction: Direction::Up,
        aggregation: Aggregation::Sum,
        kind: KpiKind::Business,
        source: String::new(),
    }
}

/// How many values one write carries: as many as between two progress reports. The store's writer cuts them into
/// statements of its own (store/src/bulk.rs), and each write also checks its KPIs and sums up its months once, so
/// fewer, larger writes cost less.
const WRITE_CHUNK: usize = PROGRESS_EVERY;

/// How many values are written between two progress reports.
const PROGRESS_EVERY: usize = 10_000;

impl Services {
    /// Imports one file of measurements for a client (a zip is one file: its files are read as one set): all or
    /// nothing, and a second import of the same file changes nothing.
    pub async fn import_file(
        &self,
        actor: &Actor,
        client: ClientId,
        file: &str,
        bytes: &[u8],
        options: &ImportOptions,
    ) -> Result<ImportOutcome> {
        self.check_import(actor, client).await?;
        let read = read_files(&[(file, bytes)], options.period);
        let mut outcome = ImportOutcome::Nothing {
            file: file.into(),
            reason: wording::no_file_given().english,
        };
        for r in read {
            outcome = self.import_read(actor, client, r, options).await?;
        }
        Ok(outcome)
    }

    /// Imports files named together: they are read as one set, so the files of one Search Console export give
    /// each other their period (its Filters.csv names it); each file (a zip is one) is still imported all or
    /// nothing in its own transaction. The outcomes keep the files' order.
    pub async fn import_files(
        &self,
        actor: &Actor,
        client: ClientId,
        files: &[(String, Vec<u8>)],
        options: &ImportOptions,
    ) -> Result<Vec<ImportOutcome>> {
        self.check_import(actor, client).await?;
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        let mut outcomes = Vec::with_capacity(files.len());
        let reads = crate::service::cpu_bound(|| read_files(&refs, options.period));
        for r in reads {
            outcomes.push(self.import_read(actor, client, r, options).await?);
        }
        Ok(outcomes)
    }

    /// The client must be the actor's to see (another agency's is not found, whatever the file) and theirs to
    /// change, before any file is read.
    async fn check_import(&self, actor: &Actor, client: ClientId) -> Result<()> {
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)
    }

    /// Imports what was read from one file, in one transaction.
    async fn import_read(
        &self,
        actor: &Actor,
        client: ClientId,
        read: FileRead,
        options: &ImportOptions,
    ) -> Result<ImportOutcome> {
        let FileRead { file, sha256, result } = read;
        let mut read = match result {
            ReadResult::Refused(errors) => {
                return Ok(ImportOutcome::Refused {
                    file,
                    errors: errors.finish(),
                });
            }
            ReadResult::Nothing(reason) => {
                return Ok(ImportOutcome::Nothing {
                    file,
                    reason: reason.english,
                });
            }
            ReadResult::Values(read) => read,
        };
        // The client's values lock while the values are written; the agency's chain lock only at the end.
        let mut tx = self.values_of(actor.agency_id, &[client]).await?;
        let client_record = tx
            .get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let existing = tx.list_kpis(actor.agency_id, client).await?;
        let mut plan = plan::Plan::make(
            &file,
            &read,
            &existing,
            &client_record,
            options.create_kpis,
            &options.mapping,
        );
        let mut errors = std::mem::take(&mut read.errors);
        errors.append(std::mem::take(&mut plan.errors));
        if !errors.is_empty() {
            return Ok(ImportOutcome::Refused {
                file,
                errors: errors.finish(),
            });
        }
        let values = &read.values;
        let mapping = mapping_lines(&read, &plan, &options.mapping);
        // Values of a column left out are not imported.
        let kept = || {
            values
                .iter()
                .zip(&plan.target_of)
                .filter(|(_, t)| **t != usize::MAX)
                .map(|(v, _)| v)
        };
        let first = kept().map(|r| r.start).min();
        let last = kept().map(|r| r.end).max();
        let mut report = ImportReport {
            file: file.clone(),
            format: read.format.clone(),
            sha256: sha256.clone(),
            period: first.zip(last),
            kpis: plan
                .targets
                .iter()
                .map(|t| (t.name.clone(), matches!(t.how, plan::How::New(_))))
                .collect(),
            mapping,
            values: kept().count(),
            period_totals: kept().filter(|v| v.start != v.end).count(),
            with_dimension: kept().filter(|v| !v.dimension.is_empty()).count(),
            notes: read.notes.into_iter().map(|n| n.english).collect(),
            replaces: Vec::new(),
            import_id: None,
        };
        if let Some(previous) = tx.find_import_by_sha(actor.agency_id, client, &sha256).await? {
            return Ok(ImportOutcome::AlreadyImported {
                report,
                import_id: previous.id,
                at: previous.created_at,
            });
        }
        if options.dry_run {
            report.replaces =
                replaced::replaced(tx.as_mut(), actor.agency_id, &client_record, values, &plan).await?;
            return Ok(ImportOutcome::Preview(report));
        }
        if report.values == 0 {
            return Ok(ImportOutcome::Nothing {
                file,
                reason: wording::all_left_out().english,
            });
        }
        let now = self.now();
        let (mut ids, mut created) = (Vec::with_capacity(plan.targets.len()), Vec::new());
        for target in &plan.targets {
            ids.push(match &target.how {
                plan::How::Existing(id) => *id,
                plan::How::New(input) => {
                    let id = tx.insert_kpi(actor.agency_id, client, input, now).await?.id;
                    created.push(id);
                    id
                }
            });
        }
        // A column the person sent into a KPI that no export feeds yet is remembered as that KPI's source.
        for (source, id) in &plan.chosen {
            if existing.iter().any(|k| k.id == *id && k.fields.source.is_empty())
                && !existing.iter().any(|k| k.fields.source == *source)
            {
                tx.set_kpi_source(actor.agency_id, *id, source).await?;
            }
        }
        let new_import = NewImport {
            file_name: file.clone(),
            sha256,
            format: read.format.clone(),
            values: report.values as i64,
            created_by: actor.user_id,
        };
        let import_id = tx
            .insert_import(actor.agency_id, client, &new_import, now)
            .await?;
        // Its undo removes them again if nothing holds to them then.
        tx.note_kpis_created(actor.agency_id, import_id, &created).await?;
        let (mut written, mut reported) = (0, 0);
        let total = report.values;
        for (chunk, targets) in values.chunks(WRITE_CHUNK).zip(plan.target_of.chunks(WRITE_CHUNK)) {
            let measurements: Vec<Measurement> = chunk
                .iter()
                .zip(targets)
                .filter_map(|(v, t)| {
                    Some(Measurement {
                        kpi_id: *ids.get(*t)?,
                        period_start: v.start,
                        period_end: v.end,
                        dimension: v.dimension.clone(),
                        value: v.value,
                    })
                })
                .collect();
            tx.upsert_measurements(actor.agency_id, client, Some(import_id), &measurements)
                .await?;
            written += measurements.len();
            if let Some(hook) = &options.progress
                && (written - reported >= PROGRESS_EVERY || written == total)
            {
                reported = written;
                (hook.0)(&file, written, total);
            }
        }
        let change = Change {
            action: AuditAction::ImportCommitted,
            entity_id: Some(client.0),
            before: serde_json::Value::Null,
            after: serde_json::json!({
                "import": import_id, "file": file, "format": report.format, "sha256": report.sha256,
                "values": report.values
            }),
        };
        // The last full month (in the client's time zone) keeps its notable moves as records for the monthly
        // report to explain.
        let today = client_record.today(now);
        crate::moves::record_moves_in(
            tx.as_mut(),
            actor.agency_id,
            client,
            crate::moves::last_full_month(today),
            now,
        )
        .await?;
        crate::home::refresh(tx.as_mut(), actor.agency_id, &[client], now).await?;
        // Only now the agency's chain: its other writes and sign-ins never waited on the values above.
        tx.lock_chain(actor.agency_id.0).await?;
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        report.import_id = Some(import_id);
        Ok(ImportOutcome::Committed(report))
    }

    /// A client's imports, newest first.
    pub async fn imports(&self, actor: &Actor, client: ClientId) -> Result<Vec<ImportRecord>> {
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ViewHistory)?;
        tx.list_imports(actor.agency_id, client).await
    }

    /// One import, within the person's client scope (another agency's, or another client's for a client
    /// contact, is not found).
    pub async fn get_import(&self, actor: &Actor, id: ImportId) -> Result<ImportRecord> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        let import = tx.get_import(actor.agency_id, id).await?;
        tx.get_client(actor.agency_id, actor.client_scope(), import.client_id)
            .await?;
        Ok(import)
    }

    /// Undoes an import as a whole, in one transaction: every value it wrote is removed, and where it had
    /// replaced one, that value is back; its values that a later write replaced stay replaced (what it had
    /// replaced is what that write's undo brings back). The KPIs it created that hold nothing then (no value, no
    /// goal, no explained notable move) are removed. See docs/decisions/0013-replaced-values-kept.md.
    pub async fn undo_import(&self, actor: &Actor, id: ImportId) -> Result<ImportRecord> {
        let of = self
            .read()
            .await?
            .get_import(actor.agency_id, id)
            .await?
            .client_id;
        let mut tx = self.write_client(actor.agency_id, of).await?;
        let import = tx.get_import(actor.agency_id, id).await?;
        let client = tx
            .get_client(actor.agency_id, actor.client_scope(), import.client_id)
            .await?;
        actor.require(Permission::ManageClients)?;
        if import.undone_at.is_some() {
            return Err(Error::Conflict {
                code: Conflict::ImportUndone,
                message: "this import was undone already".into(),
            });
        }
        let now = self.now();
        let undone = tx.undo_import(actor.agency_id, id, now).await?;
        let gone = tx
            .remove_kpis_left_empty(actor.agency_id, import.client_id)
            .await?;
        let change = Change::deleted(
            AuditAction::ImportUndone,
            import.client_id.0,
            serde_json::json!({
                "import": id, "values": undone.removed + undone.restored, "restored": undone.restored,
                "kpis_removed": gone.iter().map(|k| serde_json::json!({"id": k.id, "name": k.fields.name}))
                    .collect::<Vec<_>>()
            }),
        );
        record(tx.as_mut(), actor, now, change).await?;
        let today = client.today(now);
        crate::moves::record_moves_in(
            tx.as_mut(),
            actor.agency_id,
            import.client_id,
            crate::moves::last_full_month(today),
            now,
        )
        .await?;
        crate::home::refresh(tx.as_mut(), actor.agency_id, &[import.client_id], now).await?;
        let after = tx.get_import(actor.agency_id, id).await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_localised;
