//! Recognising a file's format from its content (never its name) and reading a set of files: files imported
//! together share what one of them says about the others (a Search Console Filters.csv gives the tables of its
//! export their period), and a zip is read as the set of its members.

use super::said::Said;
use super::search_console::{self, Context, Kind};
use super::text::{Row, cells, decode, delimiter, key, problem, rows};
use super::{
    ErrorList, FileRead, ImportError, KpiRef, ReadFile, ReadResult, ReadValue, archive, business_profile,
    ga4, google_ads, long, meta, wording,
};
use jiff::civil::Date;

/// What a file was recognised as, from its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recognised {
    /// The plain long format `date,kpi,value`.
    Long,
    /// A Search Console Chart.csv: a day a line.
    SearchConsoleChart,
    /// A Search Console table of totals by a dimension (`query`, `page`, `country`, `device`,
    /// `search appearance`).
    SearchConsoleTable(&'static str),
    /// A Search Console Filters.csv: the export's date range and filters.
    SearchConsoleFilters,
    /// A Google Analytics 4 download (standard report, Exploration or Report CSV Export).
    Ga4,
    /// A Google Ads UI download.
    GoogleAds,
    /// A Meta Ads Manager export.
    Meta,
    /// A Google Business Profile performance export.
    BusinessProfile,
    /// A zip archive, read as the set of its files.
    Zip,
    /// A file that holds no measurements, with the reason.
    Nothing(Said),
    /// Not a format Accountable reads: what it looked like and why it was not accepted.
    Unknown(Said),
}

/// What the reader needs to know of a recognised text.
enum Found {
    Long,
    Gsc(Kind, &'static search_console::Language),
    Ga4,
    Ads(u64, &'static google_ads::Language),
    Meta,
    Gbp,
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

fn header_of(line: &str) -> Vec<String> {
    cells(line, delimiter(line)).iter().map(|c| key(c)).collect()
}

fn recognise_text(text: &str) -> Result<Found, Recognised> {
    if text.trim().is_empty() {
        return Err(Recognised::Nothing(wording::empty_file()));
    }
    if ga4::is_ga4(text) {
        return Ok(Found::Ga4);
    }
    let first = first_line(text);
    let header = header_of(first);
    if long::is_long_header(first) {
        return Ok(Found::Long);
    }
    if let Some((kind, lang)) = search_console::recognise(&header) {
        return Ok(Found::Gsc(kind, lang));
    }
    if meta::is_header(&header) {
        return Ok(Found::Meta);
    }
    if business_profile::is_header(&header) {
        return Ok(Found::Gbp);
    }
    if let Some((line, lang)) = google_ads::find_header(text) {
        return Ok(Found::Ads(line, lang));
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() <= 5 && lines.iter().all(|l| header_of(l).len() <= 1) {
        return Err(Recognised::Nothing(wording::only_preamble(
            lines.len(),
            first.trim(),
        )));
    }
    Err(Recognised::Unknown(explain(first, &header)))
}

/// Why a file is not a known format, naming what it looked like.
fn explain(first: &str, header: &[String]) -> Said {
    let named = |w: &str| header.iter().any(|h| h.contains(w));
    let looked = if first.starts_with('#') {
        wording::looks_like_ga4()
    } else if let Some(why) = search_console::near_miss(header) {
        why
    } else if named("clicks") || named("impr") || named("cost") || named("spent") {
        wording::looks_like_ads()
    } else {
        wording::no_known_columns()
    };
    let shown: String = first.trim().chars().take(120).collect();
    wording::unknown_format(looked, &shown)
}

/// Recognises a file's format from its content, never its name.
pub fn recognise(bytes: &[u8]) -> Recognised {
    if archive::is_zip(bytes) {
        return Recognised::Zip;
    }
    let text = match decode("", bytes) {
        Ok(t) => t,
        Err(e) => {
            return Recognised::Unknown(wording::not_a_format_because(e.said()));
        }
    };
    match recognise_text(&text) {
        Ok(Found::Long) => Recognised::Long,
        Ok(Found::Gsc(Kind::Chart, _)) => Recognised::SearchConsoleChart,
        Ok(Found::Gsc(Kind::Table(dim), _)) => Recognised::SearchConsoleTable(dim),
        Ok(Found::Gsc(Kind::Filters, _)) => Recognised::SearchConsoleFilters,
        Ok(Found::Ga4) => Recognised::Ga4,
        Ok(Found::Ads(..)) => Recognised::GoogleAds,
        Ok(Found::Meta) => Recognised::Meta,
        Ok(Found::Gbp) => Recognised::BusinessProfile,
        Err(other) => other,
    }
}

/// Reads files imported together: each zip as one set of its own, the other files as one set. `period` is the
/// period of files whose content states none (Business Profile exports). The results keep the files' order.
pub fn read_files(files: &[(&str, &[u8])], period: Option<(Date, Date)>) -> Vec<FileRead> {
    let loose: Vec<(&str, &[u8])> = files
        .iter()
        .filter(|(_, b)| !archive::is_zip(b))
        .copied()
        .collect();
    let mut loose_reads = read_set(&loose, period).into_iter();
    files
        .iter()
        .filter_map(|(name, bytes)| {
            if archive::is_zip(bytes) {
                Some(read_zip(name, bytes, period))
            } else {
                loose_reads.next()
            }
        })
        .collect()
}

fn read_zip(name: &str, bytes: &[u8], period: Option<(Date, Date)>) -> FileRead {
    let sha256 = crate::document::sha256_hex(bytes);
    let members = match archive::members(name, bytes) {
        Ok(m) => m,
        Err(e) => return FileRead::refused(name, sha256, ErrorList::one(e)),
    };
    let refs: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let reads = read_set(&refs, period);
    let mut errors = ErrorList::default();
    let mut merged = ReadFile::default();
    let mut nothing = Vec::new();
    let mut formats = Vec::new();
    for read in reads {
        match read.result {
            ReadResult::Refused(e) => errors.append_with(e, |mut e| {
                e.file = format!("{name}/{}", e.file);
                e
            }),
            ReadResult::Nothing(reason) => nothing.push(wording::in_file(&read.file, reason)),
            ReadResult::Values(r) => {
                formats.push(r.format.clone());
                errors.append_with(r.errors, |mut e| {
                    e.file = format!("{name}/{}", e.file);
                    e
                });
                merged.values.extend(r.values);
                for c in r.columns {
                    if !merged.columns.iter().any(|(s, _)| *s == c.0) {
                        merged.columns.push(c);
                    }
                }
                merged
                    .notes
                    .extend(r.notes.into_iter().map(|n| wording::in_file(&read.file, n)));
                match (&merged.currency, r.currency) {
                    (Some(a), Some(b)) if a.code != b.code => errors.push(problem(
                        &format!("{name}/{}", read.file),
                        b.line,
                        &b.column,
                        wording::zip_currency(&b.code, &a.code),
                    )),
                    (None, Some(b)) => merged.currency = Some(b),
                    _ => {}
                }
            }
        }
    }
    if merged.values.is_empty() && errors.is_empty() {
        let reason = if nothing.is_empty() {
            wording::zip_no_files()
        } else {
            wording::zip_no_measurements(nothing)
        };
        return FileRead::nothing(name, sha256, reason);
    }
    merged.errors = errors;
    merged.format = if formats.iter().all(|f| f.starts_with("search-console")) {
        "search-console-zip".into()
    } else {
        "zip".into()
    };
    FileRead {
        file: name.to_string(),
        sha256,
        result: ReadResult::Values(merged),
    }
}

/// What Search Console's Filters.csv of this set says, for its other files.
fn search_console_context(items: &[(&str, Result<String, ImportError>)]) -> Option<(String, Context)> {
    let mut filters = items.iter().filter_map(|(name, text)| {
        let text = text.as_ref().ok()?;
        match recognise_text(text) {
            Ok(Found::Gsc(Kind::Filters, lang)) => Some((*name, text, lang)),
            _ => None,
        }
    });
    let (name, text, lang) = filters.next()?;
    let count = 1 + filters.count();
    if count > 1 {
        return Some((
            name.to_string(),
            Context {
                period: Err(wording::several_filters(count)),
                dims: Vec::new(),
            },
        ));
    }
    let mut ignored = ErrorList::default();
    let filter_rows = rows(name, text, 1, delimiter(first_line(text)), &mut ignored);
    Some((
        name.to_string(),
        search_console::read_filters(name, lang, &filter_rows),
    ))
}

/// Reads a set of files (not zips) imported together.
fn read_set(files: &[(&str, &[u8])], period: Option<(Date, Date)>) -> Vec<FileRead> {
    let items: Vec<(&str, Result<String, ImportError>)> = files
        .iter()
        .map(|(name, bytes)| (*name, decode(name, bytes)))
        .collect();
    let filters = search_console_context(&items);
    let mut gsc = match &filters {
        Some((_, ctx)) => ctx.clone(),
        None => Context {
            period: Err(wording::no_filters()),
            dims: Vec::new(),
        },
    };
    // Charts first: when Filters.csv names no readable range, the days of the Chart.csv beside it do.
    let mut reads: Vec<Option<FileRead>> = vec![None; files.len()];
    let mut chart_days: Vec<Date> = Vec::new();
    for (i, (name, text)) in items.iter().enumerate() {
        if let Ok(text) = text
            && let Ok(Found::Gsc(Kind::Chart, lang)) = recognise_text(text)
        {
            let read = read_one(
                name,
                files[i].1,
                text,
                Found::Gsc(Kind::Chart, lang),
                &gsc,
                period,
            );
            if let ReadResult::Values(r) = &read.result {
                chart_days.extend(r.values.iter().map(|v| v.start));
            }
            reads[i] = Some(read);
        }
    }
    if filters.is_some()
        && gsc.period.is_err()
        && let (Some(first), Some(last)) = (chart_days.iter().min(), chart_days.iter().max())
    {
        gsc.period = Ok((*first, *last));
    }
    for (i, (name, text)) in items.iter().enumerate() {
        if reads[i].is_some() {
            continue;
        }
        let sha256 = crate::document::sha256_hex(files[i].1);
        reads[i] = Some(match text {
            Err(e) => FileRead::refused(name, sha256, ErrorList::one(e.clone())),
            Ok(text) => match recognise_text(text) {
                Ok(Found::Gsc(Kind::Filters, _)) => {
                    let others = items.len() > 1;
                    let reason = match (&gsc.period, others) {
                        (Ok((a, b)), true) => wording::filters_gave_period(*a, *b),
                        _ => wording::filters_alone(),
                    };
                    FileRead::nothing(name, sha256, reason)
                }
                Ok(found) => read_one(name, files[i].1, text, found, &gsc, period),
                Err(Recognised::Nothing(reason)) => FileRead::nothing(name, sha256, reason),
                Err(other) => {
                    let said = match other {
                        Recognised::Unknown(said) => said,
                        _ => wording::not_a_format(),
                    };
                    FileRead::refused(name, sha256, ErrorList::one(problem(name, 1, "", said)))
                }
            },
        });
    }
    reads.into_iter().flatten().collect()
}

/// Reads one recognised file.
fn read_one(
    name: &str,
    bytes: &[u8],
    text: &str,
    found: Found,
    gsc: &Context,
    period: Option<(Date, Date)>,
) -> FileRead {
    let sha256 = crate::document::sha256_hex(bytes);
    let mut errors = ErrorList::default();
    let mut read = ReadFile::default();
    let mut empty = wording::no_rows();
    match found {
        Found::Long => {
            let table = long::read_long(name, text);
            read.format = "long".into();
            read.clients = table.client_column();
            read.values = table
                .rows
                .iter()
                .map(|r| ReadValue {
                    line: r.line,
                    kpi: KpiRef::Name(table.kpis.get(r.kpi as usize).cloned().unwrap_or_default()),
                    start: r.date,
                    end: r.date,
                    dimension: String::new(),
                    value: r.value,
                })
                .collect();
            errors = table.errors;
        }
        Found::Gsc(kind, lang) => {
            let table = all_rows(name, text, &mut errors);
            read.format = match kind {
                Kind::Table(dim) => format!("search-console-{}", dim.replace(' ', "-")),
                _ => "search-console-chart".into(),
            };
            (read.values, read.columns) = search_console::read(name, kind, lang, &table, gsc, &mut errors);
        }
        Found::Ga4 => {
            let r = ga4::read(name, text, &mut errors);
            empty = wording::ga4_no_rows();
            (read.format, read.values, read.columns, read.notes) =
                (r.format.into(), r.values, r.columns, r.notes);
        }
        Found::Ads(header_line, lang) => {
            let r = google_ads::read(name, text, header_line, lang, &mut errors);
            empty = wording::ads_no_rows();
            read.format = "google-ads".into();
            (read.values, read.columns, read.currency, read.notes) =
                (r.values, r.columns, r.currency, r.notes);
        }
        Found::Meta => {
            let table = all_rows(name, text, &mut errors);
            if meta::says_no_data(&table) {
                return FileRead::nothing(name, sha256, wording::meta_no_data());
            }
            let r = meta::read(name, &table, &mut errors);
            read.format = "meta-ads".into();
            (read.values, read.columns, read.currency) = (r.values, r.columns, r.currency);
        }
        Found::Gbp => {
            let table = all_rows(name, text, &mut errors);
            let named = business_profile::period_in_name(name);
            let r = business_profile::read(name, &table, named.or(period), &mut errors);
            if let Some((a, b)) = named.or(period) {
                read.notes.push(if named.is_some() {
                    wording::period_from_name(a, b)
                } else {
                    wording::period_from_options(a, b)
                });
            }
            read.format = "business-profile".into();
            read.values = r.values;
            read.columns = r.columns;
            read.notes.extend(r.notes);
        }
    }
    if read.values.is_empty() && errors.is_empty() {
        return FileRead::nothing(name, sha256, empty);
    }
    // In file order, the first ones kept (the import finishes the list with its own checks' errors).
    read.errors = errors.finish();
    FileRead {
        file: name.to_string(),
        sha256,
        result: ReadResult::Values(read),
    }
}

fn all_rows(name: &str, text: &str, errors: &mut ErrorList) -> Vec<Row> {
    rows(name, text, 1, delimiter(first_line(text)), errors)
}

impl FileRead {
    fn refused(file: &str, sha256: String, errors: ErrorList) -> FileRead {
        FileRead {
            file: file.to_string(),
            sha256,
            result: ReadResult::Refused(errors),
        }
    }

    fn nothing(file: &str, sha256: String, reason: Said) -> FileRead {
        FileRead {
            file: file.to_string(),
            sha256,
            result: ReadResult::Nothing(reason),
        }
    }
}
