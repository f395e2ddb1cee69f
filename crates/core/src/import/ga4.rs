//! Google Analytics 4 downloads: a `#`-commented header block (report name, account, property, date range), then
//! one or more tables, each a header line and rows, separated by blank or comment lines. Three flavours: the
//! standard reports ("# Start date: 20250101"), Explorations ("# 20241122-20260120", and a "Grand total" row
//! that carries one field more than its header) and the "Report CSV Export". The leading columns that are not
//! metrics are the table's dimensions; each row is a total over the report's date range for its dimension, or a
//! day when the dimension is the date itself.

use super::number::EN_US;
use super::text::{Row, delimiter, error, key, rows};
use super::{ImportError, KpiRef, ReadValue, dates};
use jiff::civil::Date;

/// A metric column: its KPI source and whether GA4 writes it as a fraction (0.62 for 62 %).
const METRICS: &[(&str, &str, bool)] = &[
    ("views", "ga4:views", false),
    ("sessions", "ga4:sessions", false),
    ("total users", "ga4:users", false),
    ("users", "ga4:users", false),
    ("active users", "ga4:active-users", false),
    ("new users", "ga4:new-users", false),
    ("event count", "ga4:events", false),
    ("key events", "ga4:key-events", false),
    ("conversions", "ga4:key-events", false),
    ("total revenue", "ga4:revenue", false),
    ("transactions", "ga4:orders", false),
    ("ecommerce purchases", "ga4:orders", false),
    ("engagement rate", "ga4:engagement-rate", true),
    ("bounce rate", "ga4:bounce-rate", true),
    ("average session duration", "ga4:avg-session-duration", false),
    (
        "average engagement time per active user",
        "ga4:avg-engagement-time",
        false,
    ),
    ("average engagement time", "ga4:avg-engagement-time", false),
];

/// Metrics GA4 offers that are not read: ratios derived from the metrics above (a period's ratio comes from the
/// sums, not from averaging ratios) and figures no KPI is fed from yet.
const NOT_READ: &[&str] = &[
    "views per active user",
    "views per user",
    "views per session",
    "event count per active user",
    "event count per user",
    "sessions per active user",
    "sessions per user",
    "engaged sessions",
    "engaged sessions per active user",
    "exits",
    "returning users",
    "user engagement",
    "purchase revenue",
    "average purchase revenue",
    "average revenue per active user",
];

/// Whether a text is a GA4 download: it opens with `#` comment lines that include GA4's `# ----` rule.
pub(super) fn is_ga4(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    let starts_commented = lines.peek().is_some_and(|l| l.starts_with('#'));
    starts_commented
        && lines
            .take_while(|l| l.starts_with('#'))
            .any(|l| l.trim_start_matches('#').trim().starts_with("-----"))
}

/// What a GA4 file held.
pub(super) struct Read {
    /// `ga4-report`, `ga4-exploration` or `ga4-export`.
    pub format: &'static str,
    /// The values.
    pub values: Vec<ReadValue>,
    /// Which column fed which source.
    pub columns: Vec<(&'static str, String)>,
    /// Columns not read, and such.
    pub notes: Vec<String>,
}

struct Table<'a> {
    first_line: u64,
    text: &'a str,
    period: Option<(Date, Date)>,
}

/// Reads a GA4 download.
pub(super) fn read(file: &str, text: &str, errors: &mut Vec<ImportError>) -> Read {
    let mut format = "ga4-report";
    let (mut start, mut end, mut range) = (None, None, None);
    let mut tables: Vec<Table> = Vec::new();
    let mut open: Option<(u64, usize)> = None;
    let mut offset = 0;
    for (i, line) in text.split('\n').enumerate() {
        let line_no = i as u64 + 1;
        let period = range.or(start.zip(end));
        if let Some(comment) = line.strip_prefix('#') {
            close(text, &mut open, offset, &mut tables, period);
            let comment = comment.trim();
            if comment.eq_ignore_ascii_case("Report CSV Export") {
                format = "ga4-export";
            }
            let value = comment.rsplit(':').next().unwrap_or("").trim();
            if comment.contains(':') && value.len() == 8 {
                if let Some(d) = dates::day(value) {
                    // "Start date" comes first and "End date" second; the words differ by language.
                    if start.is_none() || end.is_some() {
                        (start, end) = (Some(d), None);
                    } else {
                        end = Some(d);
                    }
                }
            } else if comment.len() == 17
                && let Some(r) = dates::date_range(comment, true)
            {
                format = "ga4-exploration";
                range = Some(r);
            }
        } else if line.trim().is_empty() {
            close(text, &mut open, offset, &mut tables, period);
        } else if open.is_none() {
            open = Some((line_no, offset));
        }
        offset += line.len() + 1;
    }
    let period = range.or(start.zip(end));
    close(text, &mut open, text.len(), &mut tables, period);
    let mut out = Read {
        format,
        values: Vec::new(),
        columns: Vec::new(),
        notes: Vec::new(),
    };
    for table in &tables {
        let header_line = table.text.lines().next().unwrap_or("");
        let table_rows = rows(file, table.text, table.first_line, delimiter(header_line), errors);
        read_table(file, &table_rows, table.period, &mut out, errors);
    }
    out
}

/// Ends the table being collected, if any, at byte `at`.
fn close<'a>(
    text: &'a str,
    open: &mut Option<(u64, usize)>,
    at: usize,
    tables: &mut Vec<Table<'a>>,
    period: Option<(Date, Date)>,
) {
    if let Some((first_line, from)) = open.take() {
        tables.push(Table {
            first_line,
            text: &text[from..at],
            period,
        });
    }
}

fn read_table(
    file: &str,
    rows: &[Row],
    period: Option<(Date, Date)>,
    out: &mut Read,
    errors: &mut Vec<ImportError>,
) {
    let Some(header) = rows.first() else {
        return;
    };
    let keys: Vec<String> = header.cells.iter().map(|c| key(c)).collect();
    let is_metric = |k: &str| METRICS.iter().any(|(m, _, _)| *m == k) || NOT_READ.contains(&k);
    let dims = keys.iter().position(|k| is_metric(k)).unwrap_or(keys.len());
    let date_at = keys[..dims].iter().position(|k| k == "date");
    let mut metrics = Vec::new();
    for (i, k) in keys.iter().enumerate().skip(dims) {
        match METRICS.iter().find(|(m, _, _)| *m == k) {
            Some((_, source, fraction)) => {
                metrics.push((i, *source, *fraction));
                if !out.columns.iter().any(|(s, _)| s == source) {
                    out.columns.push((source, header.get(i).to_string()));
                }
            }
            None => {
                let note = format!("column {:?} not read", header.get(i));
                if !out.notes.contains(&note) {
                    out.notes.push(note);
                }
            }
        }
    }
    let mut period_missing = false;
    for row in &rows[1..] {
        let grand_total = row.cells.len() == header.cells.len() + 1
            && row.cells.last().is_some_and(|c| key(c) == "grand total");
        if row.cells.len() > header.cells.len() && !grand_total {
            errors.push(error(
                file,
                row.line,
                "",
                format!(
                    "the line has {} values but the header names {} columns",
                    row.cells.len(),
                    header.cells.len()
                ),
            ));
            continue;
        }
        // A row whose dimensions are all empty is the table's total, as is Explorations' "Grand total".
        let whole = grand_total || (dims > 0 && (0..dims).all(|i| row.get(i).is_empty()));
        let (start, end) = match date_at.filter(|_| !whole) {
            Some(at) => match dates::day(row.get(at)) {
                Some(d) => (d, d),
                None => {
                    errors.push(error(
                        file,
                        row.line,
                        header.get(at),
                        format!("{:?} is not a date as YYYYMMDD", row.get(at)),
                    ));
                    continue;
                }
            },
            None => match period {
                Some(p) => p,
                None => {
                    if !period_missing {
                        errors.push(error(
                            file,
                            row.line,
                            "",
                            "the header block names no date range (# Start date and # End date): download the \
                             report again with its header block",
                        ));
                    }
                    period_missing = true;
                    continue;
                }
            },
        };
        let dimension = if whole {
            String::new()
        } else {
            (0..dims)
                .filter(|i| Some(*i) != date_at)
                .map(|i| format!("{}: {}", keys[i], row.get(i)))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        for (i, source, fraction) in &metrics {
            let raw = row.get(*i);
            // Rates come as fractions (0.62); a download that writes "62%" is read as a percentage.
            let parsed = if *fraction && !raw.trim().ends_with('%') {
                EN_US.parse(raw, false).map(|v| v.map(|v| v * 100.0))
            } else {
                EN_US.parse(raw, *fraction)
            };
            match parsed {
                Ok(Some(value)) => out.values.push(ReadValue {
                    line: row.line,
                    kpi: KpiRef::Source(source),
                    start,
                    end,
                    dimension: dimension.clone(),
                    value,
                }),
                Ok(None) => {}
                Err(message) => errors.push(error(file, row.line, header.get(*i), message)),
            }
        }
    }
}
