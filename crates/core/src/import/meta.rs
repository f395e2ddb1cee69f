//! Meta Ads Manager exports: a header with "Reporting starts" and "Reporting ends" (each row's own period: the
//! whole range, or a day when the report is broken down by day), the campaign, ad set or ad name, and metrics
//! whose money columns carry the currency in their name ("Amount spent (USD)"). A row without a name is the
//! export's summary, the whole. A report with nothing in its range holds one line, "No data available.": an
//! import of nothing, said plainly.

use super::number::EN_US;
use super::text::{Row, error, key};
use super::{FileCurrency, ImportError, KpiRef, ReadValue, dates};

/// Metric columns read, by their name (money columns by the part before the currency).
const METRICS: &[(&str, &str)] = &[
    ("reach", "meta:reach"),
    ("impressions", "meta:impressions"),
    ("amount spent", "meta:spend"),
    ("link clicks", "meta:link-clicks"),
];

/// The columns that name what a row is about.
const NAMES: &[(&str, &str)] = &[
    ("campaign name", "campaign"),
    ("ad set name", "ad set"),
    ("ad name", "ad"),
];

/// Whether a header (lower-cased cells) is a Meta Ads Manager export's.
pub(super) fn is_header(header: &[String]) -> bool {
    header.iter().any(|h| h == "reporting starts") && header.iter().any(|h| h == "reporting ends")
}

/// Whether the rows say there is nothing: the one line "No data available.".
pub(super) fn says_no_data(rows: &[Row]) -> bool {
    rows.len() == 2 && key(rows[1].get(0)).starts_with("no data available")
}

/// What a Meta export held.
pub(super) struct Read {
    /// The values.
    pub values: Vec<ReadValue>,
    /// Which column fed which source.
    pub columns: Vec<(&'static str, String)>,
    /// The currency its amounts are in.
    pub currency: Option<FileCurrency>,
}

/// Splits "Amount spent (USD)" into its name and currency.
fn name_and_currency(header: &str) -> (String, Option<String>) {
    let k = key(header);
    match k.rsplit_once('(') {
        Some((name, rest)) if rest.ends_with(')') && rest.len() == 4 => {
            (name.trim().to_string(), Some(rest[..3].to_uppercase()))
        }
        _ => (k, None),
    }
}

/// Reads a Meta export (its first row is the header).
pub(super) fn read(file: &str, rows: &[Row], errors: &mut Vec<ImportError>) -> Read {
    let mut out = Read {
        values: Vec::new(),
        columns: Vec::new(),
        currency: None,
    };
    let Some(header) = rows.first() else {
        return out;
    };
    let keys: Vec<String> = header.cells.iter().map(|c| key(c)).collect();
    let at = |name: &str| keys.iter().position(|k| k == name);
    let (Some(start_at), Some(end_at)) = (at("reporting starts"), at("reporting ends")) else {
        return out;
    };
    let name_at = NAMES
        .iter()
        .find_map(|(column, dim)| at(column).map(|i| (i, *dim)));
    let mut metrics = Vec::new();
    for (i, cell) in header.cells.iter().enumerate() {
        let (name, currency) = name_and_currency(cell);
        if let Some((_, source)) = METRICS.iter().find(|(m, _)| *m == name) {
            metrics.push((i, *source));
            out.columns.push((*source, cell.clone()));
            if let Some(code) = currency {
                out.currency = Some(FileCurrency {
                    code,
                    line: header.line,
                    column: cell.clone(),
                });
            }
        }
    }
    for row in &rows[1..] {
        let mut day = |i: usize| match dates::day(row.get(i)) {
            Some(d) => Some(d),
            None => {
                errors.push(error(
                    file,
                    row.line,
                    header.get(i),
                    format!("{:?} is not a date as YYYY-MM-DD", row.get(i)),
                ));
                None
            }
        };
        let (Some(start), Some(end)) = (day(start_at), day(end_at)) else {
            continue;
        };
        if end < start {
            errors.push(error(
                file,
                row.line,
                header.get(end_at),
                "the reporting period ends before it starts",
            ));
            continue;
        }
        let dimension = match name_at {
            Some((i, dim)) if !row.get(i).is_empty() => format!("{dim}: {}", row.get(i)),
            _ => String::new(),
        };
        for (i, source) in &metrics {
            match EN_US.parse(row.get(*i), false) {
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
    out
}
