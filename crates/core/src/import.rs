//! Imports of measurements from files: the format is recognised from the content (not the name), the file is
//! checked as a whole — any bad cell imports nothing and every error names its line and column — and a file
//! imported twice changes nothing the second time. Today: the plain long format `date,kpi,value`; the exports of
//! Google Analytics 4, Search Console, Google Ads, Meta and Business Profile come next (issue #5).

use crate::actor::{Actor, Permission};
use crate::error::{Error, Result};
use crate::id::{AgencyId, ClientId, UserId};
use crate::kpi::{Aggregation, Direction, KpiId, KpiInput, KpiKind, Measurement, Unit};
use crate::service::{Change, Services, record};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

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
    /// The file's name.
    pub file: String,
    /// The line, from 1 (the header is line 1).
    pub line: u64,
    /// The column's header, or empty when the whole line is wrong.
    pub column: String,
    /// What is wrong and what was expected.
    pub message: String,
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

/// One value read from a long-format file, not yet tied to a KPI.
#[derive(Debug, Clone, PartialEq)]
pub struct LongRow {
    /// Its line in the file.
    pub line: u64,
    /// The day.
    pub date: Date,
    /// The KPI's name as written.
    pub kpi: String,
    /// The value.
    pub value: f64,
}

/// The rows of a long-format file and every error found in it.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The rows that parsed.
    pub rows: Vec<LongRow>,
    /// Every error, in file order.
    pub errors: Vec<ImportError>,
}

/// Whether a file is the plain long format: a header of `date`, `kpi`, `value` (and optionally `client`).
pub fn is_long_format(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    let header: Vec<String> = text
        .lines()
        .next()
        .unwrap_or("")
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_lowercase())
        .collect();
    ["date", "kpi", "value"]
        .iter()
        .all(|c| header.iter().any(|h| h == c))
}

/// Parses a long-format file (UTF-8, an optional BOM, CRLF or LF).
pub fn parse_long(file: &str, bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let error = |line: u64, column: &str, message: String| ImportError {
        file: file.to_string(),
        line,
        column: column.to_string(),
        message,
    };
    if std::str::from_utf8(body).is_err() {
        parsed
            .errors
            .push(error(1, "", "the file is not UTF-8 text".into()));
        return parsed;
    }
    // Windows line ends become plain ones first: with CR LF the csv reader counts lines one short.
    let normalised: Vec<u8>;
    let body = if body.contains(&b'\r') {
        normalised = String::from_utf8_lossy(body).replace("\r\n", "\n").into_bytes();
        &normalised[..]
    } else {
        body
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(body);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(e) => {
            parsed
                .errors
                .push(error(1, "", format!("the header cannot be read: {e}")));
            return parsed;
        }
    };
    let position = |name: &str| header.iter().position(|h| h == name);
    let (Some(date_at), Some(kpi_at), Some(value_at)) =
        (position("date"), position("kpi"), position("value"))
    else {
        parsed.errors.push(error(
            1,
            "",
            "the header must name the columns date, kpi and value".into(),
        ));
        return parsed;
    };
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                parsed
                    .errors
                    .push(error(line, "", format!("the line cannot be read: {e}")));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        if record.iter().any(|c| c.contains('\0')) {
            parsed
                .errors
                .push(error(line, "", "the line contains a NUL character".into()));
            continue;
        }
        if record.len() > header.len() {
            parsed.errors.push(error(
                line,
                "",
                format!(
                    "the line has {} values but the header names {} columns (is a comma used as the decimal mark?)",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        let date = match cell(date_at).parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                parsed.errors.push(error(
                    line,
                    "date",
                    format!("{:?} is not a date as YYYY-MM-DD", cell(date_at)),
                ));
                None
            }
        };
        let kpi = cell(kpi_at).to_string();
        if kpi.is_empty() {
            parsed
                .errors
                .push(error(line, "kpi", "the KPI's name is missing".into()));
        }
        let value = match cell(value_at).parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                parsed.errors.push(error(
                    line,
                    "value",
                    format!(
                        "{:?} is not a number with a point as the decimal mark, such as 1234.5",
                        cell(value_at)
                    ),
                ));
                None
            }
        };
        if let (Some(date), Some(value), false) = (date, value, kpi.is_empty()) {
            parsed.rows.push(LongRow {
                line,
                date,
                kpi,
                value,
            });
        }
    }
    parsed
}

/// What a file was recognised as, from its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recognised {
    /// The plain long format `date,kpi,value`.
    Long,
    /// A Search Console Performance export's Chart.csv: daily clicks, impressions, CTR and position.
    SearchConsoleChart,
    /// A file that holds no measurements, with the reason.
    Nothing(String),
    /// A known kind of file that cannot be imported yet, with the reason.
    Unsupported(String),
    /// Not a format Accountable knows.
    Unknown,
}

fn first_line(bytes: &[u8]) -> String {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(body)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_lowercase()
}

/// Recognises a file's format from its content, never its name.
pub fn recognise(bytes: &[u8]) -> Recognised {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Recognised::Nothing("the file is empty".into());
    }
    let first = first_line(bytes);
    if is_long_format(bytes) {
        return Recognised::Long;
    }
    match first.as_str() {
        "date,clicks,impressions,ctr,position" => Recognised::SearchConsoleChart,
        "filter,value" => Recognised::Nothing(
            "a Search Console Filters.csv lists the export's filters and date range; it holds no measurements".into(),
        ),
        f if f.ends_with(",clicks,impressions,ctr,position") => Recognised::Unsupported(format!(
            "a Search Console table ({:?}) holds totals for the export's date range, which only its Filters.csv \
             names; importing these tables is not supported yet: import Chart.csv for the daily figures",
            f.split(',').next().unwrap_or("")
        )),
        _ => Recognised::Unknown,
    }
}

/// A value read from a file: which KPI (by name, or by an export's column), the day, the value.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadValue {
    /// Its line in the file.
    pub line: u64,
    /// The KPI it feeds.
    pub kpi: KpiRef,
    /// The day.
    pub date: Date,
    /// The value.
    pub value: f64,
}

/// How a file names the KPI a value feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KpiRef {
    /// By the KPI's name (the long format).
    Name(String),
    /// By a known export column, such as `gsc:clicks`: the client's KPI with that source mapping, or a new one.
    Source(&'static str),
}

/// Parses a number as the en-US exports write it (a point as the decimal mark, commas grouping thousands),
/// naming the locale when it does not fit: `12,5` is refused rather than read as 125.
fn en_us_number(raw: &str, percent: bool) -> Result<f64, String> {
    let what = if percent {
        "a percentage in the en-US format, such as 0.85%"
    } else {
        "a number in the en-US format, such as 1,234.5"
    };
    let bad = || format!("{raw:?} is not {what}");
    let mut s = raw.trim();
    if percent {
        s = s.strip_suffix('%').ok_or_else(bad)?.trim();
    }
    let whole = s.split_once('.').map(|(w, _)| w).unwrap_or(s);
    let groups: Vec<&str> = whole.split(',').collect();
    if groups.iter().enumerate().any(|(i, g)| i > 0 && g.len() != 3) {
        return Err(bad());
    }
    s.replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(bad)
}

/// Parses a Search Console Chart.csv: one line a day with clicks, impressions, CTR and average position.
pub fn parse_search_console_chart(file: &str, bytes: &[u8]) -> (Vec<ReadValue>, Vec<ImportError>) {
    let mut values = Vec::new();
    let mut errors = Vec::new();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = String::from_utf8_lossy(body).replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let columns: [(&str, &'static str, bool); 4] = [
        ("Clicks", "gsc:clicks", false),
        ("Impressions", "gsc:impressions", false),
        ("CTR", "gsc:ctr", true),
        ("Position", "gsc:position", false),
    ];
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(ImportError {
                    file: file.into(),
                    line,
                    column: String::new(),
                    message: format!("the line cannot be read: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        let date = match record.get(0).unwrap_or("").parse::<Date>() {
            Ok(d) => d,
            Err(_) => {
                errors.push(ImportError {
                    file: file.into(),
                    line,
                    column: "Date".into(),
                    message: format!("{:?} is not a date as YYYY-MM-DD", record.get(0).unwrap_or("")),
                });
                continue;
            }
        };
        for (i, (column, source, percent)) in columns.iter().enumerate() {
            let raw = record.get(i + 1).unwrap_or("");
            match en_us_number(raw, *percent) {
                Ok(value) => values.push(ReadValue {
                    line,
                    kpi: KpiRef::Source(source),
                    date,
                    value,
                }),
                Err(message) => errors.push(ImportError {
                    file: file.into(),
                    line,
                    column: (*column).into(),
                    message,
                }),
            }
        }
    }
    (values, errors)
}

/// How an import was asked for.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Only show what would be imported.
    pub dry_run: bool,
    /// Create KPIs the client does not have, instead of refusing their lines.
    pub create_kpis: bool,
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
    /// How many values it holds.
    pub values: usize,
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
        report: ImportReport,
        import_id: ImportId,
        at: Timestamp,
    },
    /// The file holds no measurements, and why.
    Nothing { file: String, reason: String },
    /// Refused: nothing was imported; every error is listed.
    Refused { file: String, errors: Vec<ImportError> },
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

impl Services {
    /// Imports one file of measurements for a client: all or nothing, and a second import of the same file
    /// changes nothing.
    pub async fn import_file(
        &self,
        actor: &Actor,
        client: ClientId,
        file: &str,
        bytes: &[u8],
        options: &ImportOptions,
    ) -> Result<ImportOutcome> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let client_record = tx
            .get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let sha256 = crate::document::sha256_hex(bytes);
        let refuse = |errors: Vec<ImportError>| ImportOutcome::Refused {
            file: file.into(),
            errors,
        };
        let (format, read, mut errors) = match recognise(bytes) {
            Recognised::Long => {
                let parsed = parse_long(file, bytes);
                let read = parsed
                    .rows
                    .into_iter()
                    .map(|r| ReadValue {
                        line: r.line,
                        kpi: KpiRef::Name(r.kpi),
                        date: r.date,
                        value: r.value,
                    })
                    .collect::<Vec<_>>();
                ("long", read, parsed.errors)
            }
            Recognised::SearchConsoleChart => {
                let (read, errors) = parse_search_console_chart(file, bytes);
                ("search-console-chart", read, errors)
            }
            Recognised::Nothing(reason) => {
                return Ok(ImportOutcome::Nothing {
                    file: file.into(),
                    reason,
                });
            }
            Recognised::Unsupported(reason) => {
                return Ok(refuse(vec![ImportError {
                    file: file.into(),
                    line: 1,
                    column: String::new(),
                    message: reason,
                }]));
            }
            Recognised::Unknown => {
                let message =
                    "this is not a format Accountable reads: the plain long format needs a header with the \
                               columns date, kpi and value; a Search Console Chart.csv starts with \
                               Date,Clicks,Impressions,CTR,Position"
                        .to_string();
                return Ok(refuse(vec![ImportError {
                    file: file.into(),
                    line: 1,
                    column: String::new(),
                    message,
                }]));
            }
        };
        let existing = tx.list_kpis(actor.agency_id, client).await?;
        // Which KPI each kind of value feeds: the reference, the KPI's name, what to create, the KPI's id.
        let mut plan: Vec<(KpiRef, String, Option<KpiInput>, Option<KpiId>)> = Vec::new();
        for v in &read {
            if plan.iter().any(|(k, _, _, _)| *k == v.kpi) {
                continue;
            }
            match &v.kpi {
                KpiRef::Name(name) => match existing
                    .iter()
                    .find(|k| k.fields.name.to_lowercase() == name.to_lowercase())
                {
                    Some(k) => plan.push((v.kpi.clone(), k.fields.name.clone(), None, Some(k.id))),
                    None if options.create_kpis => {
                        plan.push((v.kpi.clone(), name.clone(), Some(new_kpi(name)), None))
                    }
                    None => {}
                },
                KpiRef::Source(source) => match existing.iter().find(|k| k.fields.source == *source) {
                    Some(k) => plan.push((v.kpi.clone(), k.fields.name.clone(), None, Some(k.id))),
                    None => {
                        let created = crate::kpi::preset_for_source(source, client_record.fields.language);
                        let name = created
                            .as_ref()
                            .map(|c| c.name.clone())
                            .unwrap_or_else(|| (*source).to_string());
                        plan.push((v.kpi.clone(), name, created, None));
                    }
                },
            }
        }
        for v in &read {
            if let KpiRef::Name(name) = &v.kpi
                && !plan.iter().any(|(k, _, _, _)| *k == v.kpi)
            {
                errors.push(ImportError {
                    file: file.into(),
                    line: v.line,
                    column: "kpi".into(),
                    message: format!(
                        "the client has no KPI named {name:?} (add it, or import with --create-kpis)"
                    ),
                });
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Ok(refuse(errors));
        }
        if read.is_empty() {
            return Ok(ImportOutcome::Nothing {
                file: file.into(),
                reason: "the file has a header and no rows".into(),
            });
        }
        let first = read.iter().map(|r| r.date).min();
        let last = read.iter().map(|r| r.date).max();
        let mut report = ImportReport {
            file: file.into(),
            format: format.into(),
            sha256: sha256.clone(),
            period: first.zip(last),
            kpis: plan
                .iter()
                .map(|(_, name, created, _)| (name.clone(), created.is_some()))
                .collect(),
            values: read.len(),
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
            return Ok(ImportOutcome::Preview(report));
        }
        let now = self.now();
        for entry in plan.iter_mut() {
            if let (Some(input), None) = (&entry.2, entry.3) {
                entry.3 = Some(tx.insert_kpi(actor.agency_id, client, input, now).await?.id);
            }
        }
        let new_import = NewImport {
            file_name: file.into(),
            sha256,
            format: format.into(),
            values: read.len() as i64,
            created_by: actor.user_id,
        };
        let import_id = tx
            .insert_import(actor.agency_id, client, &new_import, now)
            .await?;
        let measurements: Vec<Measurement> = read
            .iter()
            .filter_map(|r| {
                let id = plan
                    .iter()
                    .find(|(k, _, _, _)| *k == r.kpi)
                    .and_then(|(_, _, _, id)| *id)?;
                Some(Measurement {
                    kpi_id: id,
                    period_start: r.date,
                    period_end: r.date,
                    dimension: String::new(),
                    value: r.value,
                })
            })
            .collect();
        tx.upsert_measurements(actor.agency_id, client, Some(import_id), &measurements)
            .await?;
        let change = Change {
            action: "import.committed",
            entity: "client",
            entity_id: Some(client.0),
            before: serde_json::Value::Null,
            after: serde_json::json!({ "import": import_id, "file": file, "sha256": report.sha256, "values": report.values }),
        };
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

    /// Undoes an import as a whole: the values it wrote are removed.
    pub async fn undo_import(&self, actor: &Actor, id: ImportId) -> Result<ImportRecord> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let import = tx.get_import(actor.agency_id, id).await?;
        tx.get_client(actor.agency_id, actor.client_scope(), import.client_id)
            .await?;
        actor.require(Permission::ManageClients)?;
        if import.undone_at.is_some() {
            return Err(Error::Conflict {
                code: "import-undone",
                message: "this import was undone already".into(),
            });
        }
        let now = self.now();
        let removed = tx.undo_import(actor.agency_id, id, now).await?;
        let change = Change {
            action: "import.undone",
            entity: "client",
            entity_id: Some(import.client_id.0),
            before: serde_json::json!({ "import": id, "values": removed }),
            after: serde_json::Value::Null,
        };
        record(tx.as_mut(), actor, now, change).await?;
        let after = tx.get_import(actor.agency_id, id).await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_format_reads_bom_crlf_and_names_every_bad_cell() {
        let file = "\u{feff}date,kpi,value\r\n2026-11-01,Leads,12\r\n2026-11-02,Leads,12,5\r\n2026-13-01,Leads,3\r\n2026-11-03,,x\r\n";
        let parsed = parse_long("leads.csv", file.as_bytes());
        assert_eq!(parsed.rows.len(), 1, "{parsed:?}");
        assert_eq!(parsed.rows[0].value, 12.0);
        let places: Vec<(u64, &str)> = parsed
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(
            places,
            [(3, ""), (4, "date"), (5, "kpi"), (5, "value")],
            "{:?}",
            parsed.errors
        );
        assert!(parsed.errors[0].message.contains("decimal mark"));
        assert_eq!(
            parsed.errors[1].to_string(),
            r#"leads.csv line 4, column "date": "2026-13-01" is not a date as YYYY-MM-DD"#
        );
    }

    #[test]
    fn a_comma_decimal_is_refused_with_what_was_expected() {
        let parsed = parse_long("x.csv", b"date,kpi,value\n2026-11-01,Revenue,\"12,5\"\n");
        assert!(parsed.errors[0].message.contains("point as the decimal mark"));
    }

    #[test]
    fn the_format_is_recognised_from_the_content() {
        assert!(is_long_format(b"Date,KPI,Value\n"));
        assert!(is_long_format(b"client,date,kpi,value\n"));
        assert!(!is_long_format(b"# Google Analytics\nDate,Sessions\n"));
    }
}

#[cfg(test)]
mod search_console_tests {
    use super::*;

    #[test]
    fn a_search_console_chart_is_recognised_and_read_with_its_percentages() {
        let file = "Date,Clicks,Impressions,CTR,Position\n2026-03-01,9,\"12,177\",0.07%,7.5\n2026-03-02,54,19123,0.28%,7.4\n";
        assert_eq!(recognise(file.as_bytes()), Recognised::SearchConsoleChart);
        let (values, errors) = parse_search_console_chart("Chart.csv", file.as_bytes());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(values.len(), 8);
        let impressions = values
            .iter()
            .find(|v| v.kpi == KpiRef::Source("gsc:impressions"))
            .unwrap();
        assert_eq!(impressions.value, 12177.0);
        let ctr = values
            .iter()
            .find(|v| v.kpi == KpiRef::Source("gsc:ctr"))
            .unwrap();
        assert_eq!(ctr.value, 0.07);
    }

    #[test]
    fn a_comma_decimal_percentage_is_refused_naming_the_column_and_the_locale() {
        let file = "Date,Clicks,Impressions,CTR,Position\n2026-03-01,9,100,\"12,5 %\",7.5\n";
        let (_, errors) = parse_search_console_chart("Queries.csv", file.as_bytes());
        assert_eq!(
            errors[0].to_string(),
            r#"Queries.csv line 2, column "CTR": "12,5 %" is not a percentage in the en-US format, such as 0.85%"#
        );
    }

    #[test]
    fn filters_and_tables_are_told_apart_from_measurements() {
        assert!(matches!(
            recognise(b"Filter,Value\nSearch type,Web\n"),
            Recognised::Nothing(_)
        ));
        assert!(matches!(
            recognise(b"Top queries,Clicks,Impressions,CTR,Position\nx,1,2,3%,4\n"),
            Recognised::Unsupported(_)
        ));
        assert!(matches!(recognise(b"   \n"), Recognised::Nothing(_)));
        assert_eq!(recognise(b"Campaign,Cost\n"), Recognised::Unknown);
    }
}
