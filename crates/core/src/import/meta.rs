//! Meta Ads Manager exports: a header with "Reporting starts" and "Reporting ends" (each row's own period: the
//! whole range, or a day when the report is broken down by day), the campaign, ad set or ad name, and metrics
//! whose money columns carry the currency in their name ("Amount spent (USD)"). A row without a name is the
//! export's summary, the whole. A report with nothing in its range holds one line, "No data available.": an
//! import of nothing, said plainly. Headers and that line come in the interface language (English, Hungarian,
//! German, Simplified or Traditional Chinese); the language also tells how the numbers are written.

use super::number::{DE, EN_US, HU, NumberFormat, ZH_CN, ZH_TW};
use super::text::{Row, key, problem};
use super::{ErrorList, FileCurrency, KpiRef, ReadValue, dates, wording};

/// The KPI source of each metric column read, in the order of `Language::metrics`.
const SOURCES: [&str; 4] = ["meta:reach", "meta:impressions", "meta:spend", "meta:link-clicks"];

/// The dimension each name column gives, in the order of `Language::names` (the first one present is used).
const DIMENSIONS: [&str; 3] = ["campaign", "ad set", "ad"];

/// The names one interface language gives the columns read (lower-cased; money columns by the part before the
/// currency). Which wordings were confirmed from a real source, and which are best knowledge, is listed in
/// docs/imports.md.
#[derive(Debug)]
struct Language {
    /// How numbers are written in this language's exports.
    number: NumberFormat,
    /// "Reporting starts".
    starts: &'static [&'static str],
    /// "Reporting ends".
    ends: &'static [&'static str],
    /// Campaign name, ad set name, ad name: in the order of `DIMENSIONS`.
    names: [&'static [&'static str]; 3],
    /// Reach, impressions, amount spent, link clicks: in the order of `SOURCES`.
    metrics: [&'static [&'static str]; 4],
    /// The start of the one line of an export with nothing in its range ("No data available.").
    no_data: &'static [&'static str],
}

const LANGUAGES: &[Language] = &[
    Language {
        number: EN_US,
        starts: &["reporting starts"],
        ends: &["reporting ends"],
        names: [&["campaign name"], &["ad set name"], &["ad name"]],
        metrics: [&["reach"], &["impressions"], &["amount spent"], &["link clicks"]],
        no_data: &["no data available"],
    },
    Language {
        number: HU,
        starts: &["jelentés kezdete", "a jelentés kezdete"],
        ends: &["jelentés vége", "a jelentés vége"],
        names: [&["kampány neve"], &["hirdetéssorozat neve"], &["hirdetés neve"]],
        metrics: [
            &["elérés"],
            &["megjelenítések", "megjelenések"],
            &["elköltött összeg"],
            &["linkkattintások", "kattintások a linkre"],
        ],
        no_data: &["nincs elérhető adat", "nincsenek elérhető adatok"],
    },
    Language {
        number: DE,
        starts: &["berichtsstart", "berichtsbeginn"],
        ends: &["berichtsende"],
        names: [
            &["name der kampagne", "kampagnenname"],
            &["name der anzeigengruppe", "anzeigengruppenname"],
            &["anzeigenname", "name der anzeige"],
        ],
        metrics: [
            &["reichweite"],
            &["impressionen"],
            &["ausgegebener betrag"],
            &["link-klicks"],
        ],
        no_data: &["keine daten verfügbar"],
    },
    Language {
        number: ZH_CN,
        starts: &["报告开始日期"],
        ends: &["报告结束日期"],
        names: [&["广告系列名称"], &["广告组名称"], &["广告名称"]],
        metrics: [&["覆盖人数"], &["展示次数"], &["已花费金额"], &["链接点击量"]],
        no_data: &["没有可用数据", "暂无数据"],
    },
    Language {
        number: ZH_TW,
        starts: &["分析報告開始", "報告開始"],
        ends: &["分析報告結束", "報告結束"],
        names: [&["行銷活動名稱"], &["廣告組合名稱"], &["廣告名稱"]],
        metrics: [&["觸及人數"], &["曝光次數"], &["花費金額"], &["連結點擊次數"]],
        no_data: &["沒有可用資料", "沒有可用的資料"],
    },
];

/// The language of a header (lower-cased cells): the one whose "Reporting starts" and "Reporting ends" it names.
fn recognise(header: &[String]) -> Option<&'static Language> {
    let named = |names: &[&str]| header.iter().any(|h| names.contains(&h.as_str()));
    LANGUAGES.iter().find(|l| named(l.starts) && named(l.ends))
}

/// Whether a header (lower-cased cells) is a Meta Ads Manager export's, in any known language.
pub(super) fn is_header(header: &[String]) -> bool {
    recognise(header).is_some()
}

/// Whether the rows say there is nothing: the one line "No data available." (in any known language).
pub(super) fn says_no_data(rows: &[Row]) -> bool {
    let line = key(rows.get(1).map_or("", |r| r.get(0)));
    rows.len() == 2
        && LANGUAGES
            .iter()
            .any(|l| l.no_data.iter().any(|n| line.starts_with(n)))
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

/// Splits "Amount spent (USD)" (or "已花费金额（USD）", with full-width brackets) into its name and currency.
fn name_and_currency(header: &str) -> (String, Option<String>) {
    let k = key(header).replace('（', "(").replace('）', ")");
    if let Some((name, code)) = k.strip_suffix(')').and_then(|inner| inner.rsplit_once('('))
        && code.trim().len() == 3
        && code.trim().chars().all(|c| c.is_ascii_alphabetic())
    {
        return (name.trim().to_string(), Some(code.trim().to_uppercase()));
    }
    (k, None)
}

/// Reads a Meta export (its first row is the header).
pub(super) fn read(file: &str, rows: &[Row], errors: &mut ErrorList) -> Read {
    let mut out = Read {
        values: Vec::new(),
        columns: Vec::new(),
        currency: None,
    };
    let Some(header) = rows.first() else {
        return out;
    };
    let keys: Vec<String> = header.cells.iter().map(|c| key(c)).collect();
    let Some(lang) = recognise(&keys) else {
        return out;
    };
    let at = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
    let (Some(start_at), Some(end_at)) = (at(lang.starts), at(lang.ends)) else {
        return out;
    };
    let name_at = lang
        .names
        .iter()
        .zip(DIMENSIONS)
        .find_map(|(names, dim)| at(names).map(|i| (i, dim)));
    let mut metrics = Vec::new();
    for (i, cell) in header.cells.iter().enumerate() {
        let (name, currency) = name_and_currency(cell);
        if let Some(source) = lang
            .metrics
            .iter()
            .position(|names| names.contains(&name.as_str()))
            .map(|m| SOURCES[m])
        {
            metrics.push((i, source));
            out.columns.push((source, cell.clone()));
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
                errors.push(problem(
                    file,
                    row.line,
                    header.get(i),
                    wording::not_a_date(row.get(i)),
                ));
                None
            }
        };
        let (Some(start), Some(end)) = (day(start_at), day(end_at)) else {
            continue;
        };
        if end < start {
            errors.push(problem(
                file,
                row.line,
                header.get(end_at),
                wording::ends_before_start(),
            ));
            continue;
        }
        let dimension = match name_at {
            Some((i, dim)) if !row.get(i).is_empty() => format!("{dim}: {}", row.get(i)),
            _ => String::new(),
        };
        for (i, source) in &metrics {
            match lang.number.parse(row.get(*i), false) {
                Ok(Some(value)) => out.values.push(ReadValue {
                    line: row.line,
                    kpi: KpiRef::Source(source),
                    start,
                    end,
                    dimension: dimension.clone(),
                    value,
                }),
                Ok(None) => {}
                Err(said) => errors.push(problem(file, row.line, header.get(*i), said)),
            }
        }
    }
    out
}
