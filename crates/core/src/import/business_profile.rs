//! Google Business Profile performance exports: two header rows (the columns' names, then a description of each),
//! then one row per location with its profile views by surface (Google Search or Maps, mobile or desktop) and its
//! interactions (calls, messages, bookings, directions, website clicks). The file states no period: Google puts it
//! only in the download's name ("… - 2026-1-1 - 2026-1-31 - ….csv"), so the period comes from the name (or a
//! month it names, "… 2026-1.csv"), or from the import's options when the name carries none.

use super::number::EN_US;
use super::text::{Row, error, key};
use super::{ImportError, KpiRef, ReadValue, dates};
use jiff::civil::Date;

/// The columns of profile views, each a surface.
const VIEWS: &[&str] = &[
    "google search - mobile",
    "google search - desktop",
    "google maps - mobile",
    "google maps - desktop",
];

/// The interaction columns read.
const INTERACTIONS: &[(&str, &str)] = &[
    ("calls", "gbp:calls"),
    ("messages", "gbp:messages"),
    ("bookings", "gbp:bookings"),
    ("directions", "gbp:directions"),
    ("website clicks", "gbp:website-clicks"),
];

/// Whether a header (lower-cased cells) is a Business Profile performance export's.
pub(super) fn is_header(header: &[String]) -> bool {
    header.iter().any(|h| h == "business name")
        && header.iter().any(|h| VIEWS.contains(&h.as_str()))
        && header.iter().any(|h| INTERACTIONS.iter().any(|(c, _)| c == h))
}

/// What a Business Profile export held.
pub(super) struct Read {
    /// The values.
    pub values: Vec<ReadValue>,
    /// Which column fed which source.
    pub columns: Vec<(&'static str, String)>,
    /// Columns not read, and where the period came from.
    pub notes: Vec<String>,
}

/// The period a download's name states: two days as Google names these files, or else one month as people
/// rename them ("… Report 2026-1.csv").
pub(super) fn period_in_name(file: &str) -> Option<(Date, Date)> {
    match dates::dates_in(file, false).as_slice() {
        [a, b] if a <= b => Some((*a, *b)),
        [] => dates::month_in(file),
        _ => None,
    }
}

/// Reads a Business Profile export (the first row is the header, the second the descriptions).
pub(super) fn read(
    file: &str,
    rows: &[Row],
    period: Option<(Date, Date)>,
    errors: &mut Vec<ImportError>,
) -> Read {
    let mut out = Read {
        values: Vec::new(),
        columns: Vec::new(),
        notes: Vec::new(),
    };
    let Some(header) = rows.first() else {
        return out;
    };
    let keys: Vec<String> = header.cells.iter().map(|c| key(c)).collect();
    let at = |name: &str| keys.iter().position(|k| k == name);
    let (store_at, name_at, address_at) = (at("store code"), at("business name"), at("address"));
    let mut metrics: Vec<(usize, &'static str, Option<&str>)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if VIEWS.contains(&k.as_str()) {
            metrics.push((i, "gbp:views", Some(header.get(i))));
            if !out.columns.iter().any(|(s, _)| *s == "gbp:views") {
                out.columns.push(("gbp:views", header.get(i).to_string()));
            }
        } else if let Some((_, source)) = INTERACTIONS.iter().find(|(c, _)| c == k) {
            metrics.push((i, source, None));
            out.columns.push((source, header.get(i).to_string()));
        } else if !["store code", "business name", "address", "labels"].contains(&k.as_str()) {
            out.notes.push(format!("column {:?} not read", header.get(i)));
        }
    }
    // The second header row describes the columns: its first cells (the location's) are empty.
    let descriptions = rows
        .get(1)
        .is_some_and(|r| r.get(0).is_empty() && name_at.is_some_and(|i| r.get(i).is_empty()));
    let data = &rows[if descriptions { 2 } else { 1 }..];
    let Some((start, end)) = period else {
        if !data.is_empty() {
            errors.push(error(
                file,
                1,
                "",
                "a Business Profile export states its period only in the name Google gives the download \
                 (\"… - 2026-1-1 - 2026-1-31 - ….csv\"), and this file's name does not: keep that name, or give \
                 the period (--period 2026-01-01..2026-01-31)",
            ));
        }
        return out;
    };
    for row in data {
        let location = match (store_at.map(|i| row.get(i)), name_at.map(|i| row.get(i))) {
            (Some(code), _) if !code.is_empty() => code.to_string(),
            (_, Some(name)) => match address_at.map(|i| row.get(i)).filter(|a| !a.is_empty()) {
                Some(address) => format!("{name}, {address}"),
                None => name.to_string(),
            },
            _ => String::new(),
        };
        for (i, source, surface) in &metrics {
            let dimension = match surface {
                Some(s) => format!("location: {location} · surface: {s}"),
                None => format!("location: {location}"),
            };
            match EN_US.parse(row.get(*i), false) {
                Ok(Some(value)) => out.values.push(ReadValue {
                    line: row.line,
                    kpi: KpiRef::Source(source),
                    start,
                    end,
                    dimension,
                    value,
                }),
                Ok(None) => {}
                Err(message) => errors.push(error(file, row.line, header.get(*i), message)),
            }
        }
    }
    out
}
