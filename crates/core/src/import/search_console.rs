//! Search Console Performance exports: the zip holds Chart.csv (one line a day), the tables Queries.csv,
//! Pages.csv, Countries.csv, Devices.csv and Search appearance.csv (totals over the export's date range, by
//! query, page…), and Filters.csv (the search type, the date range and any filter). A table's period is written
//! only in Filters.csv, so a table is read together with it or not at all. Headers come in the interface
//! language of Search Console; the language also tells how the numbers are written.

use super::number::{DE, EN_US, HU, NumberFormat, ZH_CN, ZH_TW};
use super::said::Said;
use super::text::{Row, problem};
use super::{ErrorList, KpiRef, ReadValue, dates, wording};
use jiff::civil::Date;

/// The names one interface language gives Search Console's columns.
#[derive(Debug)]
pub(super) struct Language {
    /// How numbers are written in this language's exports.
    pub number: NumberFormat,
    month_first: bool,
    date: &'static [&'static str],
    metrics: [&'static [&'static str]; 4],
    tables: &'static [(&'static str, &'static str)],
    filters: [&'static str; 2],
    search_type: &'static [&'static str],
    web: &'static [&'static str],
}

/// The KPI source of each metric column, in the order of `Language::metrics`.
const SOURCES: [(&str, bool); 4] = [
    ("gsc:clicks", false),
    ("gsc:impressions", false),
    ("gsc:ctr", true),
    ("gsc:position", false),
];

const LANGUAGES: &[Language] = &[
    Language {
        number: EN_US,
        month_first: true,
        date: &["date"],
        metrics: [&["clicks"], &["impressions"], &["ctr"], &["position"]],
        tables: &[
            ("top queries", "query"),
            ("query", "query"),
            ("top pages", "page"),
            ("page", "page"),
            ("country", "country"),
            ("device", "device"),
            ("search appearance", "search appearance"),
        ],
        filters: ["filter", "value"],
        search_type: &["search type"],
        web: &["web"],
    },
    Language {
        number: HU,
        month_first: false,
        date: &["dátum"],
        metrics: [&["kattintások"], &["megjelenések"], &["ctr"], &["pozíció"]],
        tables: &[
            ("leggyakoribb lekérdezések", "query"),
            ("leggyakoribb oldalak", "page"),
            ("ország", "country"),
            ("eszköz", "device"),
            ("keresési megjelenés", "search appearance"),
        ],
        filters: ["szűrő", "érték"],
        search_type: &["keresés típusa", "keresési típus"],
        web: &["web", "internet"],
    },
    Language {
        number: DE,
        month_first: false,
        date: &["datum"],
        metrics: [
            &["klicks"],
            &["impressionen"],
            &["ctr", "klickrate"],
            &["position", "durchschnittliche position"],
        ],
        tables: &[
            ("häufigste suchanfragen", "query"),
            ("top-suchanfragen", "query"),
            ("suchanfragen", "query"),
            ("häufigste seiten", "page"),
            ("top-seiten", "page"),
            ("seiten", "page"),
            ("land", "country"),
            ("gerät", "device"),
            ("darstellung in der suche", "search appearance"),
        ],
        filters: ["filter", "wert"],
        search_type: &["suchtyp", "suchart"],
        web: &["web", "websuche"],
    },
    Language {
        number: ZH_CN,
        month_first: false,
        date: &["日期"],
        metrics: [
            &["点击次数"],
            &["展示", "展示次数"],
            &["点击率"],
            &["排名", "平均排名"],
        ],
        tables: &[
            ("热门查询", "query"),
            ("排名靠前的网页", "page"),
            ("热门网页", "page"),
            ("国家/地区", "country"),
            ("设备", "device"),
            ("搜索结果呈现", "search appearance"),
        ],
        filters: ["过滤器", "值"],
        search_type: &["搜索类型"],
        web: &["网络", "网页"],
    },
    Language {
        number: ZH_TW,
        month_first: false,
        date: &["日期"],
        metrics: [&["點擊"], &["曝光"], &["點閱率"], &["排名"]],
        tables: &[
            ("熱門查詢項目", "query"),
            ("熱門網頁", "page"),
            ("國家/地區", "country"),
            ("裝置", "device"),
            ("搜尋外觀", "search appearance"),
        ],
        filters: ["篩選器", "值"],
        search_type: &["搜尋類型"],
        web: &["網路", "網頁"],
    },
];

/// Which Search Console file a header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Chart.csv: a line a day.
    Chart,
    /// A table of totals by this dimension (`query`, `page`, `country`, `device`, `search appearance`).
    Table(&'static str),
    /// Filters.csv.
    Filters,
}

/// Recognises a Search Console header (lower-cased cells) in any known language: the first column names the
/// day or the table's dimension and at least two of the metric columns are there (a missing one is then an
/// error of the file, not a reason to call it unknown).
pub(super) fn recognise(header: &[String]) -> Option<(Kind, &'static Language)> {
    let first = header.first()?;
    for lang in LANGUAGES {
        if header.len() == 2 && header[0] == lang.filters[0] && header[1] == lang.filters[1] {
            return Some((Kind::Filters, lang));
        }
        let metrics = lang
            .metrics
            .iter()
            .filter(|names| header.iter().any(|h| names.contains(&h.as_str())))
            .count();
        if metrics < 2 {
            continue;
        }
        if lang.date.contains(&first.as_str()) {
            return Some((Kind::Chart, lang));
        }
        if let Some((_, dim)) = lang.tables.iter().find(|(name, _)| name == first) {
            return Some((Kind::Table(dim), lang));
        }
    }
    None
}

/// What Filters.csv tells the other files of its export.
#[derive(Debug, Clone)]
pub(super) struct Context {
    /// The export's date range, or why it is not known.
    pub period: Result<(Date, Date), Said>,
    /// The filters that narrow every figure of the export (a non-web search type, a page or query filter): they
    /// become part of each value's dimension, so a filtered figure is never taken for the whole site's.
    pub dims: Vec<String>,
}

/// Reads Filters.csv: the date range, the search type and the filters.
pub(super) fn read_filters(file: &str, lang: &Language, rows: &[Row]) -> Context {
    let mut period = Err(wording::filters_no_range(file));
    let mut dims = Vec::new();
    for row in rows.iter().skip(1) {
        let (name, value) = (row.get(0), row.get(1));
        let key = name.to_lowercase();
        if lang.date.contains(&key.as_str()) || key == "date" {
            period = dates::date_range(value, lang.month_first)
                .ok_or_else(|| wording::filters_bad_range(file, row.line, value));
        } else if lang.search_type.contains(&key.as_str()) {
            if !lang.web.contains(&value.to_lowercase().as_str()) {
                dims.push(format!("search type: {value}"));
            }
        } else if !name.is_empty() {
            dims.push(format!("filter: {name} {value}"));
        }
    }
    Context { period, dims }
}

/// The dimension of a value: the export's filters, then the table's own breakdown.
fn dimension(dims: &[String], own: Option<(&str, &str)>) -> String {
    let mut parts: Vec<String> = dims.to_vec();
    if let Some((key, value)) = own {
        parts.push(format!("{key}: {value}"));
    }
    parts.join(" · ")
}

/// The columns of the four metrics, or an error naming the missing ones.
fn metric_columns(file: &str, lang: &Language, header: &Row, errors: &mut ErrorList) -> Option<[usize; 4]> {
    let mut at = [0usize; 4];
    let mut missing = Vec::new();
    for (i, names) in lang.metrics.iter().enumerate() {
        match header
            .cells
            .iter()
            .position(|h| names.contains(&h.to_lowercase().as_str()))
        {
            Some(p) => at[i] = p,
            None => missing.push(["Clicks", "Impressions", "CTR", "Position"][i]),
        }
    }
    if missing.is_empty() {
        return Some(at);
    }
    for m in missing {
        errors.push(problem(file, header.line, "", wording::gsc_column_missing(m)));
    }
    None
}

/// Reads Chart.csv (a day a line) or a table (totals over `period` by its dimension) into values.
pub(super) fn read(
    file: &str,
    kind: Kind,
    lang: &Language,
    rows: &[Row],
    ctx: &Context,
    errors: &mut ErrorList,
) -> (Vec<ReadValue>, Vec<(&'static str, String)>) {
    let mut values = Vec::new();
    let Some(header) = rows.first() else {
        return (values, Vec::new());
    };
    let Some(at) = metric_columns(file, lang, header, errors) else {
        return (values, Vec::new());
    };
    let columns = SOURCES
        .iter()
        .zip(at)
        .map(|((source, _), i)| (*source, header.get(i).to_string()))
        .collect();
    let period = match (kind, &ctx.period) {
        (Kind::Table(_), Ok(p)) => Some(*p),
        (Kind::Table(_), Err(reason)) => {
            errors.push(problem(file, 1, "", reason.clone()));
            return (values, columns);
        }
        _ => None,
    };
    let first_column = header.get(0).to_string();
    for row in &rows[1..] {
        let (start, end, dim) = match kind {
            Kind::Table(key) => {
                let (s, e) = period.unwrap_or((Date::MIN, Date::MIN));
                (s, e, dimension(&ctx.dims, Some((key, row.get(0)))))
            }
            _ => match dates::day(row.get(0)) {
                Some(d) => (d, d, dimension(&ctx.dims, None)),
                None => {
                    errors.push(problem(
                        file,
                        row.line,
                        &first_column,
                        wording::not_a_date(row.get(0)),
                    ));
                    continue;
                }
            },
        };
        for ((source, percent), i) in SOURCES.iter().zip(at) {
            match lang.number.parse(row.get(i), *percent) {
                Ok(Some(value)) => values.push(ReadValue {
                    line: row.line,
                    kpi: KpiRef::Source(source),
                    start,
                    end,
                    dimension: dim.clone(),
                    value,
                }),
                Ok(None) => {}
                Err(said) => errors.push(problem(file, row.line, header.get(i), said)),
            }
        }
    }
    (values, columns)
}

/// Why a header that mentions Search Console's metrics is not one of its files, if it looks like one.
pub(super) fn near_miss(header: &[String]) -> Option<Said> {
    let mentions = header.iter().filter(|h| h.contains("clicks")).count();
    (mentions >= 2).then(wording::looks_like_comparison)
}
