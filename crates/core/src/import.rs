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
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let sha256 = crate::document::sha256_hex(bytes);
        if !is_long_format(bytes) {
            let reason = if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                return Ok(ImportOutcome::Nothing {
                    file: file.into(),
                    reason: "the file is empty".into(),
                });
            } else {
                "this is not a format Accountable reads yet: the plain long format needs a header with the columns date, kpi and value"
            };
            let errors = vec![ImportError {
                file: file.into(),
                line: 1,
                column: String::new(),
                message: reason.into(),
            }];
            return Ok(ImportOutcome::Refused {
                file: file.into(),
                errors,
            });
        }
        let parsed = parse_long(file, bytes);
        let mut errors = parsed.errors;
        let existing = tx.list_kpis(actor.agency_id, client).await?;
        let mut kpi_names: Vec<(String, bool)> = Vec::new();
        let mut wanted: Vec<(u64, &str)> = Vec::new();
        for row in &parsed.rows {
            let known = existing
                .iter()
                .any(|k| k.fields.name.to_lowercase() == row.kpi.to_lowercase());
            if !known && !options.create_kpis {
                errors.push(ImportError {
                    file: file.into(),
                    line: row.line,
                    column: "kpi".into(),
                    message: format!(
                        "the client has no KPI named {:?} (add it, or import with --create-kpis)",
                        row.kpi
                    ),
                });
            }
            if !kpi_names
                .iter()
                .any(|(n, _)| n.to_lowercase() == row.kpi.to_lowercase())
            {
                kpi_names.push((row.kpi.clone(), !known));
            }
            wanted.push((row.line, &row.kpi));
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Ok(ImportOutcome::Refused {
                file: file.into(),
                errors,
            });
        }
        if parsed.rows.is_empty() {
            return Ok(ImportOutcome::Nothing {
                file: file.into(),
                reason: "the file has a header and no rows".into(),
            });
        }
        let first = parsed.rows.iter().map(|r| r.date).min();
        let last = parsed.rows.iter().map(|r| r.date).max();
        let mut report = ImportReport {
            file: file.into(),
            format: "long".into(),
            sha256: sha256.clone(),
            period: first.zip(last),
            kpis: kpi_names,
            values: parsed.rows.len(),
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
        let mut ids: Vec<(String, KpiId)> = existing
            .iter()
            .map(|k| (k.fields.name.to_lowercase(), k.id))
            .collect();
        for (name, new) in &report.kpis {
            if *new {
                let kpi = tx
                    .insert_kpi(actor.agency_id, client, &new_kpi(name), now)
                    .await?;
                ids.push((name.to_lowercase(), kpi.id));
            }
        }
        let new_import = NewImport {
            file_name: file.into(),
            sha256,
            format: "long".into(),
            values: parsed.rows.len() as i64,
            created_by: actor.user_id,
        };
        let import_id = tx
            .insert_import(actor.agency_id, client, &new_import, now)
            .await?;
        let measurements: Vec<Measurement> = parsed
            .rows
            .iter()
            .filter_map(|r| {
                let id = ids
                    .iter()
                    .find(|(n, _)| *n == r.kpi.to_lowercase())
                    .map(|(_, id)| *id)?;
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
