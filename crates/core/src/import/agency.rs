//! Agency-wide imports: one long-format file with a `client` column (`client,date,kpi,value`, each client named by
//! its id or exact name) for many clients of the actor's agency.
//!
//! All or nothing in one transaction: a bad cell, a client the agency does not have or (without `create_kpis`) a
//! KPI a client does not have refuses the whole file, listing every error with its line and column. Each client
//! gets an import record of its own (the same SHA-256 for all), so each client's history shows the import and it
//! is undone client by client; a client whose part was imported before is left as it is, so a repeat of the same
//! file changes nothing.
//!
//! Built for a million lines: the file is read into compact rows (see `long.rs`), each line's client and KPI are
//! looked up once per distinct name, and the rows are put in order by KPI and day with a counting sort, which also
//! finds a value given twice and hands the store its rows in the order of its unique key.

use super::long::{self, Cell, LongTable};
use super::text::{decode, error};
use super::{ErrorList, ImportId, ImportOptions, NewImport, clip, new_kpi};
use crate::actor::{Actor, Permission};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::id::ClientId;
use crate::kpi::{KpiId, KpiInput, Measurement};
use crate::record::AuditAction;
use crate::service::{Change, Services, record};
use crate::store::Tx;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;

/// One client's part of an agency-wide import.
#[derive(Debug, Clone, Serialize)]
pub struct ClientPart {
    /// The client.
    pub client_id: ClientId,
    /// The client's name.
    pub client: String,
    /// How many values the file holds for this client.
    pub values: usize,
    /// The first and last day of this client's values.
    pub period: (Date, Date),
    /// The KPIs fed, with `true` for those the import creates.
    pub kpis: Vec<(String, bool)>,
    /// This client's import record, once committed.
    pub import_id: Option<ImportId>,
    /// The earlier import of the same file for this client, when there is one: this part changes nothing.
    pub imported_before: Option<ImportId>,
}

/// What an agency-wide import did, or would do.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyImportReport {
    /// The file's name.
    pub file: String,
    /// The format recognised (`long`).
    pub format: String,
    /// The SHA-256 of the file.
    pub sha256: String,
    /// The first and last day the file covers.
    pub period: Option<(Date, Date)>,
    /// How many values the file holds.
    pub values: usize,
    /// Each client's part, in the order the file first names them.
    pub clients: Vec<ClientPart>,
}

/// The outcome of an agency-wide import.
#[derive(Debug, Clone, Serialize)]
pub enum AgencyImportOutcome {
    /// Imported in one transaction, one import record per client.
    Committed(AgencyImportReport),
    /// What would be imported (a dry run).
    Preview(AgencyImportReport),
    /// Every client's part was imported before; nothing changed.
    AlreadyImported(AgencyImportReport),
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

/// Whether a file is the long format with a `client` column (the header is read, nothing else): the command line
/// imports such a file for the whole agency when no client is named.
pub fn has_client_column(bytes: &[u8]) -> bool {
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let head = if utf16 {
        // The header is in the first few hundred bytes; a cut half character is lost with the rest.
        let cut = bytes.len().min(4096) & !1;
        decode("", bytes.get(..cut).unwrap_or(bytes)).unwrap_or_default()
    } else {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        String::from_utf8_lossy(body.get(..body.len().min(4096)).unwrap_or(body)).into_owned()
    };
    let first = head.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    long::is_long_header(first) && header_names_client(first)
}

fn header_names_client(first: &str) -> bool {
    first
        .split(',')
        .any(|h| h.trim().trim_matches('"').eq_ignore_ascii_case("client"))
}

/// A value that found its client and KPI, keyed for sorting.
#[derive(Debug, Clone, Copy)]
struct Keyed {
    line: u64,
    target: u32,
    date: Date,
    value: f64,
}

/// A KPI one client's values feed.
#[derive(Debug)]
struct Target {
    part: usize,
    name: String,
    how: How,
}

#[derive(Debug)]
enum How {
    Existing(KpiId),
    New(KpiInput),
}

/// A client the file names, with its KPIs by lower-cased name.
struct Part {
    client: Client,
    kpis: HashMap<String, KpiId>,
}

/// The file read and tied to clients and KPIs: the rows in order by client, KPI and day, or every error.
struct Plan {
    parts: Vec<Part>,
    targets: Vec<Target>,
    /// The rows, grouped by target (targets numbered client by client), each target's by day.
    rows: Vec<Keyed>,
    /// Where each target's rows start in `rows` (one more entry than targets).
    starts: Vec<usize>,
    errors: ErrorList,
}

impl Plan {
    /// Ties every row to its client (`part_of` maps the file's client cells to the clients found) and KPI.
    fn make(
        file: &str,
        table: LongTable,
        parts: Vec<Part>,
        part_of: &[Option<usize>],
        create_kpis: bool,
    ) -> Plan {
        let LongTable {
            clients: cells,
            kpis: names,
            rows,
            bad_lines,
            errors,
            ..
        } = table;
        let mut plan = Plan {
            parts,
            targets: Vec::new(),
            rows: Vec::with_capacity(rows.len()),
            starts: Vec::new(),
            errors,
        };
        let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        // (part, lower-cased name) → target, and the file's (client cell, KPI cell) → target, for every line.
        let mut by_name: HashMap<(usize, &str), Option<u32>> = HashMap::new();
        let mut by_cells: HashMap<(u32, u32), Option<u32>> = HashMap::new();
        let unknown_client = |cell: u32| {
            let named = clip(cells.get(cell as usize).map(String::as_str).unwrap_or(""));
            format!("the agency has no client {named:?} (name a client by its id or its exact name)")
        };
        for &Cell {
            line,
            client,
            kpi,
            date,
            value,
        } in &rows
        {
            let Some(part) = part_of.get(client as usize).copied().flatten() else {
                plan.errors
                    .push(error(file, line, "client", unknown_client(client)));
                continue;
            };
            let target = match by_cells.get(&(client, kpi)) {
                Some(t) => *t,
                None => {
                    let key = lower.get(kpi as usize).map(String::as_str).unwrap_or("");
                    let t = match by_name.get(&(part, key)) {
                        Some(t) => *t,
                        None => {
                            let name = names.get(kpi as usize).map(String::as_str).unwrap_or("");
                            let t = plan.target(part, name, key, create_kpis);
                            by_name.insert((part, key), t);
                            t
                        }
                    };
                    by_cells.insert((client, kpi), t);
                    t
                }
            };
            match target {
                Some(target) => plan.rows.push(Keyed {
                    line,
                    target,
                    date,
                    value,
                }),
                None => {
                    let name = names.get(kpi as usize).map(String::as_str).unwrap_or("");
                    let client = plan
                        .parts
                        .get(part)
                        .map(|p| p.client.fields.name.as_str())
                        .unwrap_or("");
                    plan.errors.push(error(
                        file,
                        line,
                        "kpi",
                        format!(
                            "the client {client:?} has no KPI named {:?} (add it, or import with --create-kpis)",
                            clip(name)
                        ),
                    ));
                }
            }
        }
        for (line, client) in bad_lines {
            if part_of.get(client as usize).copied().flatten().is_none() {
                plan.errors
                    .push(error(file, line, "client", unknown_client(client)));
            }
        }
        plan.order(file);
        // In file order (stable: a line's own errors keep their column order), the first ones kept.
        plan.errors = std::mem::take(&mut plan.errors).finish();
        plan
    }

    /// The target for a client's KPI name, added on first sight; `None` when the client has no such KPI and
    /// none may be created.
    fn target(&mut self, part: usize, name: &str, key: &str, create_kpis: bool) -> Option<u32> {
        let how = match self.parts.get(part)?.kpis.get(key) {
            Some(id) => How::Existing(*id),
            None if create_kpis => How::New(new_kpi(name)),
            None => return None,
        };
        self.targets.push(Target {
            part,
            name: name.to_string(),
            how,
        });
        Some(self.targets.len() as u32 - 1)
    }

    /// Puts the rows in order by client, KPI and day (a counting sort by target: linear, and stable, so of two
    /// values for the same day the first line comes first) and refuses a value given twice.
    fn order(&mut self, file: &str) {
        // Targets are numbered as the file first names them; renumber them client by client.
        let mut order: Vec<usize> = (0..self.targets.len()).collect();
        order.sort_by_key(|t| self.targets.get(*t).map_or(0, |t| t.part));
        let mut rank = vec![0u32; self.targets.len()];
        for (r, t) in order.iter().enumerate() {
            if let Some(slot) = rank.get_mut(*t) {
                *slot = r as u32;
            }
        }
        let mut targets: Vec<Option<Target>> =
            std::mem::take(&mut self.targets).into_iter().map(Some).collect();
        self.targets = order
            .iter()
            .filter_map(|t| targets.get_mut(*t).and_then(Option::take))
            .collect();
        let mut counts = vec![0usize; self.targets.len() + 1];
        for row in &mut self.rows {
            row.target = rank.get(row.target as usize).copied().unwrap_or(0);
            if let Some(c) = counts.get_mut(row.target as usize + 1) {
                *c += 1;
            }
        }
        let mut sum = 0;
        for c in &mut counts {
            sum += *c;
            *c = sum;
        }
        self.starts = counts.clone();
        let mut sorted = self.rows.clone();
        for row in &self.rows {
            if let Some(at) = counts.get_mut(row.target as usize) {
                if let Some(slot) = sorted.get_mut(*at) {
                    *slot = *row;
                }
                *at += 1;
            }
        }
        self.rows = sorted;
        for w in self.starts.windows(2) {
            let Some(group) = self.rows.get_mut(w[0]..w[1]) else {
                continue;
            };
            // Files list days in order: sorting is then only a check.
            if !group.is_sorted_by_key(|r| r.date) {
                group.sort_by_key(|r| r.date);
            }
            for pair in group.windows(2) {
                if pair[0].date == pair[1].date {
                    let target = self.targets.get(pair[1].target as usize);
                    let kpi = clip(target.map_or("", |t| t.name.as_str()));
                    let client = target
                        .and_then(|t| self.parts.get(t.part))
                        .map_or("", |p| p.client.fields.name.as_str());
                    self.errors.push(error(
                        file,
                        pair[1].line,
                        "",
                        format!(
                            "line {} already gives {kpi} of {client:?} on {}: a file may give each value once",
                            pair[0].line, pair[1].date
                        ),
                    ));
                }
            }
        }
    }

    /// Each client's part of the report, with the rows' range of its targets.
    fn parts(&self) -> Vec<(ClientPart, std::ops::Range<usize>)> {
        let mut out: Vec<(ClientPart, std::ops::Range<usize>)> = Vec::new();
        for (t, target) in self.targets.iter().enumerate() {
            let (Some(from), Some(to)) = (self.starts.get(t), self.starts.get(t + 1)) else {
                continue;
            };
            let rows = self.rows.get(*from..*to).unwrap_or(&[]);
            let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
                continue;
            };
            let new = matches!(target.how, How::New(_));
            match out.last_mut() {
                Some((part, range))
                    if self.parts.get(target.part).map(|p| p.client.id) == Some(part.client_id) =>
                {
                    part.values += rows.len();
                    part.period = (part.period.0.min(first.date), part.period.1.max(last.date));
                    part.kpis.push((target.name.clone(), new));
                    range.end = *to;
                }
                _ => {
                    let Some(p) = self.parts.get(target.part) else {
                        continue;
                    };
                    out.push((
                        ClientPart {
                            client_id: p.client.id,
                            client: p.client.fields.name.clone(),
                            values: rows.len(),
                            period: (first.date, last.date),
                            kpis: vec![(target.name.clone(), new)],
                            import_id: None,
                            imported_before: None,
                        },
                        *from..*to,
                    ));
                }
            }
        }
        out
    }
}

/// A client of the actor's agency by a file's cell: its id, else its exact name (case-insensitive), as the
/// command line's `--client` finds one. A client the actor may not see is not found.
async fn find_client(tx: &mut dyn Tx, actor: &Actor, cell: &str) -> Result<Option<Client>> {
    if let Ok(id) = cell.parse::<ClientId>() {
        match tx.get_client(actor.agency_id, actor.client_scope(), id).await {
            Ok(c) => return Ok(Some(c)),
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(tx
        .find_client_by_name(actor.agency_id, cell)
        .await?
        .filter(|c| actor.client_scope().is_none_or(|s| s == c.id)))
}

fn refused(file: &str, errors: ErrorList) -> AgencyImportOutcome {
    AgencyImportOutcome::Refused {
        file: file.to_string(),
        errors: errors.finish(),
    }
}

/// The lines of an agency-wide file, or why there are none to import.
fn read_agency_file(file: &str, bytes: &[u8]) -> std::result::Result<long::LongTable, AgencyImportOutcome> {
    let text = decode(file, bytes).map_err(|e| refused(file, ErrorList::one(e)))?;
    if text.trim().is_empty() {
        return Err(AgencyImportOutcome::Nothing {
            file: file.into(),
            reason: "the file is empty".into(),
        });
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if !long::is_long_header(first) || !header_names_client(first) {
        return Err(refused(
            file,
            ErrorList::one(error(
                file,
                1,
                "",
                "a file for the whole agency is the long format with a client column: a header such as \
                 client,date,kpi,value (each line's client by its id or exact name); import other files for one \
                 client",
            )),
        ));
    }
    let table = long::read_long(file, &text);
    if table.rows.is_empty() && table.errors.is_empty() {
        return Err(AgencyImportOutcome::Nothing {
            file: file.into(),
            reason: "the file has a header and no rows".into(),
        });
    }
    Ok(table)
}

impl Services {
    /// Imports a long-format file with a `client` column for the clients of the actor's agency it names: all or
    /// nothing in one transaction, one import record per client, and a second import of the same file changes
    /// nothing.
    pub async fn import_agency_file(
        &self,
        actor: &Actor,
        file: &str,
        bytes: &[u8],
        options: &ImportOptions,
    ) -> Result<AgencyImportOutcome> {
        actor.require(Permission::ManageClients)?;
        // The file's SHA-256 is computed on a second core while the first reads it (a large file: 40 MB).
        let (sha256, table) = crate::service::cpu_bound(|| {
            std::thread::scope(|s| {
                let hashing = s.spawn(|| crate::document::sha256_hex(bytes));
                let table = read_agency_file(file, bytes);
                let sha256 = hashing
                    .join()
                    .unwrap_or_else(|_| crate::document::sha256_hex(bytes));
                (sha256, table)
            })
        });
        let table = match table {
            Ok(table) => table,
            Err(outcome) => return Ok(outcome),
        };

        // No lock while the clients are found; then their values locks while the values are written, and the
        // agency's chain lock only for the audit events at the end.
        let mut tx = self.values_of(actor.agency_id, &[]).await?;
        let mut parts: Vec<Part> = Vec::new();
        let mut part_of: Vec<Option<usize>> = Vec::with_capacity(table.clients.len());
        for cell in &table.clients {
            let Some(client) = find_client(tx.as_mut(), actor, cell).await? else {
                part_of.push(None);
                continue;
            };
            // An id and a name may name the same client: one part.
            if let Some(at) = parts.iter().position(|p| p.client.id == client.id) {
                part_of.push(Some(at));
                continue;
            }
            part_of.push(Some(parts.len()));
            parts.push(Part {
                client,
                kpis: Default::default(),
            });
        }
        // Every client's KPIs in one query.
        let ids: Vec<ClientId> = parts.iter().map(|p| p.client.id).collect();
        let mut in_order = ids.clone();
        in_order.sort_by_key(|c| c.0);
        for id in in_order {
            tx.lock_client_values(actor.agency_id, id).await?;
        }
        let at: HashMap<ClientId, usize> = ids.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        for k in tx.list_kpis_of(actor.agency_id, &ids).await? {
            if let Some(part) = at.get(&k.client_id).and_then(|i| parts.get_mut(*i)) {
                part.kpis.insert(k.fields.name.to_lowercase(), k.id);
            }
        }
        let mut plan = Plan::make(file, table, parts, &part_of, options.create_kpis);
        if !plan.errors.is_empty() {
            return Ok(refused(file, std::mem::take(&mut plan.errors)));
        }

        let mut parts = plan.parts();
        // Each client's earlier import of the same file, in one query (newest first: the first found is kept).
        let mut before: HashMap<ClientId, ImportId> = HashMap::new();
        for i in tx.find_imports_by_sha(actor.agency_id, &sha256).await? {
            before.entry(i.client_id).or_insert(i.id);
        }
        for (part, _) in &mut parts {
            part.imported_before = before.get(&part.client_id).copied();
        }
        let period = parts
            .iter()
            .map(|(p, _)| p.period)
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
        let mut report = AgencyImportReport {
            file: file.to_string(),
            format: "long".into(),
            sha256: sha256.clone(),
            period,
            values: plan.rows.len(),
            clients: Vec::new(),
        };
        if parts.iter().all(|(p, _)| p.imported_before.is_some()) {
            report.clients = parts.into_iter().map(|(p, _)| p).collect();
            return Ok(AgencyImportOutcome::AlreadyImported(report));
        }
        if options.dry_run {
            report.clients = parts.into_iter().map(|(p, _)| p).collect();
            return Ok(AgencyImportOutcome::Preview(report));
        }

        let now = self.now();
        let total: usize = parts
            .iter()
            .filter(|(p, _)| p.imported_before.is_none())
            .map(|(p, _)| p.values)
            .sum();
        let (mut written, mut measurements, mut created) = (0, Vec::new(), Vec::new());
        let mut changes = Vec::new();
        for (part, range) in &mut parts {
            if part.imported_before.is_some() {
                continue;
            }
            let rows = plan.rows.get(range.clone()).unwrap_or(&[]);
            measurements.clear();
            created.clear();
            // The rows come grouped by KPI: each group is one KPI's days, its KPI created first where new.
            for group in rows.chunk_by(|a, b| a.target == b.target) {
                let Some(target) = group.first().and_then(|r| plan.targets.get(r.target as usize)) else {
                    continue;
                };
                let kpi_id = match &target.how {
                    How::Existing(id) => *id,
                    How::New(input) => {
                        let id = tx
                            .insert_kpi(actor.agency_id, part.client_id, input, now)
                            .await?
                            .id;
                        created.push(id);
                        id
                    }
                };
                measurements.extend(group.iter().map(|r| Measurement {
                    kpi_id,
                    period_start: r.date,
                    period_end: r.date,
                    dimension: String::new(),
                    value: r.value,
                }));
            }
            let import = NewImport {
                file_name: file.to_string(),
                sha256: sha256.clone(),
                format: report.format.clone(),
                values: part.values as i64,
                created_by: actor.user_id,
            };
            let import_id = tx
                .insert_import(actor.agency_id, part.client_id, &import, now)
                .await?;
            tx.note_kpis_created(actor.agency_id, import_id, &created).await?;
            tx.upsert_measurements(actor.agency_id, part.client_id, Some(import_id), &measurements)
                .await?;
            let change = Change {
                action: AuditAction::ImportCommitted,
                entity_id: Some(part.client_id.0),
                before: serde_json::Value::Null,
                after: serde_json::json!({
                    "import": import_id, "file": file, "format": report.format, "sha256": sha256,
                    "values": part.values, "agency_file": true
                }),
            };
            changes.push(change);
            part.import_id = Some(import_id);
            written += part.values;
            if let Some(hook) = &options.progress {
                (hook.0)(file, written, total);
            }
        }
        // As for a file of one client: the last full month's notable moves are kept up to date, for every client
        // written, at once for the clients whose last full month (in their own time zone) is the same.
        let mut by_month: std::collections::BTreeMap<jiff::civil::Date, Vec<ClientId>> = Default::default();
        for (p, _) in parts.iter().filter(|(p, _)| p.import_id.is_some()) {
            let today = plan
                .parts
                .iter()
                .find(|c| c.client.id == p.client_id)
                .map_or_else(
                    || now.to_zoned(jiff::tz::TimeZone::UTC).date(),
                    |c| c.client.today(now),
                );
            by_month
                .entry(crate::moves::last_full_month(today))
                .or_default()
                .push(p.client_id);
        }
        for (month, clients) in by_month {
            crate::moves::record_moves_of(tx.as_mut(), actor.agency_id, &clients, month, now).await?;
            crate::home::refresh(tx.as_mut(), actor.agency_id, &clients, now).await?;
        }
        tx.lock_chain(actor.agency_id.0).await?;
        for change in changes {
            record(tx.as_mut(), actor, now, change).await?;
        }
        tx.commit().await?;
        report.clients = parts.into_iter().map(|(p, _)| p).collect();
        Ok(AgencyImportOutcome::Committed(report))
    }
}

#[cfg(test)]
mod tests;
