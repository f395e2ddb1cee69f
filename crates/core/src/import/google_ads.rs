//! Google Ads UI downloads, in both flavours ("Excel .csv": UTF-16LE with a BOM, tab-separated; and plain CSV):
//! a report title and a date-range line above the header, thousands separators inside quotes ("31,193"), " --"
//! for an empty cell, and "Total: …" rows at the bottom that are never campaigns. Each campaign's figures are
//! totals over the stated date range (or a day, when the report is segmented by day); the "Total: Account" row
//! (or, without it, the first total row) is the whole. The currency is the "Currency code" column's. Headers come
//! in the interface language; the language tells how numbers are written.

use super::number::{DE, EN_US, HU, NumberFormat, ZH_CN, ZH_TW, is_empty_cell};
use super::said::Said;
use super::text::{Row, cells, delimiter, key, problem, rows};
use super::{ErrorList, FileCurrency, KpiRef, ReadValue, dates, wording};
use jiff::civil::Date;

/// The names one interface language gives the columns read.
#[derive(Debug)]
pub(super) struct Language {
    number: NumberFormat,
    month_first: bool,
    campaign: &'static [&'static str],
    ad_group: &'static [&'static str],
    currency: &'static [&'static str],
    day: &'static [&'static str],
    total: &'static [&'static str],
    account: &'static [&'static str],
    /// Clicks, impressions, cost, conversions, conversion value: in the order of `SOURCES`.
    metrics: [&'static [&'static str]; 5],
}

/// The KPI source of each metric and whether it is money.
const SOURCES: [(&str, bool); 5] = [
    ("gads:clicks", false),
    ("gads:impressions", false),
    ("gads:cost", true),
    ("gads:conversions", false),
    ("gads:conversion-value", true),
];

const LANGUAGES: &[Language] = &[
    Language {
        number: EN_US,
        month_first: true,
        campaign: &["campaign"],
        ad_group: &["ad group"],
        currency: &["currency code", "currency"],
        day: &["day", "date"],
        total: &["total:"],
        account: &["account"],
        metrics: [
            &["clicks"],
            &["impr.", "impressions"],
            &["cost"],
            &["conversions"],
            &["conv. value", "conversion value"],
        ],
    },
    Language {
        number: HU,
        month_first: false,
        campaign: &["kampány"],
        ad_group: &["hirdetéscsoport"],
        currency: &["pénznemkód", "pénznem kódja", "pénznem"],
        day: &["nap", "dátum"],
        total: &["összesen:"],
        account: &["fiók"],
        metrics: [
            &["kattintások"],
            &["megj.", "megjelenések"],
            &["költség"],
            &["konverziók"],
            &["konv. érték", "konverziós érték"],
        ],
    },
    Language {
        number: DE,
        month_first: false,
        campaign: &["kampagne"],
        ad_group: &["anzeigengruppe"],
        currency: &["währungscode", "währung"],
        day: &["tag", "datum"],
        total: &["gesamt:", "summe:", "insgesamt:"],
        account: &["konto"],
        metrics: [
            &["klicks"],
            &["impr.", "impressionen"],
            &["kosten"],
            &["conversions", "konversionen"],
            &["conv.-wert", "conversion-wert", "konv.-wert"],
        ],
    },
    Language {
        number: ZH_CN,
        month_first: false,
        campaign: &["广告系列"],
        ad_group: &["广告组"],
        currency: &["货币代码", "币种"],
        day: &["日期", "天"],
        total: &["总计：", "总计:"],
        account: &["账号", "帐号", "账户"],
        metrics: [
            &["点击次数"],
            &["展示次数"],
            &["费用"],
            &["转化次数", "转化"],
            &["转化价值"],
        ],
    },
    Language {
        number: ZH_TW,
        month_first: false,
        campaign: &["廣告活動"],
        ad_group: &["廣告群組"],
        currency: &["貨幣代碼", "幣別"],
        day: &["日期", "天"],
        total: &["總計：", "總計:"],
        account: &["帳戶", "帳號"],
        metrics: [
            &["點擊", "點擊次數"],
            &["曝光", "曝光次數"],
            &["費用"],
            &["轉換", "轉換次數"],
            &["轉換價值"],
        ],
    },
];

fn score(lang: &Language, header: &[String]) -> usize {
    let named = |names: &[&str]| header.iter().any(|h| names.contains(&h.as_str()));
    let metrics = lang.metrics.iter().filter(|m| named(m)).count();
    let context = [lang.campaign, lang.currency, lang.day]
        .iter()
        .filter(|c| named(c))
        .count();
    if metrics >= 2 && context >= 1 {
        metrics + context
    } else {
        0
    }
}

/// Finds the header of a Google Ads download in its first lines: the line naming at least two of its metrics
/// and its campaign, currency or day column. Returns the line (from 1) and the language.
pub(super) fn find_header(text: &str) -> Option<(u64, &'static Language)> {
    for (i, line) in text.lines().take(6).enumerate() {
        let header: Vec<String> = cells(line, delimiter(line)).iter().map(|c| key(c)).collect();
        let best = LANGUAGES
            .iter()
            .map(|l| (score(l, &header), l))
            .max_by_key(|(s, _)| *s)
            .filter(|(s, _)| *s > 0);
        if let Some((_, lang)) = best {
            return Some((i as u64 + 1, lang));
        }
    }
    None
}

/// What a Google Ads file held.
pub(super) struct Read {
    /// The values.
    pub values: Vec<ReadValue>,
    /// Which column fed which source.
    pub columns: Vec<(&'static str, String)>,
    /// The currency of its amounts.
    pub currency: Option<FileCurrency>,
    /// Which total row gave the whole.
    pub notes: Vec<Said>,
}

/// Reads a Google Ads download whose header is on line `header_line`.
pub(super) fn read(
    file: &str,
    text: &str,
    header_line: u64,
    lang: &Language,
    errors: &mut ErrorList,
) -> Read {
    let mut out = Read {
        values: Vec::new(),
        columns: Vec::new(),
        currency: None,
        notes: Vec::new(),
    };
    let preamble: Vec<&str> = text.lines().take(header_line as usize - 1).collect();
    let period = preamble
        .iter()
        .find_map(|l| dates::date_range(l.trim().trim_matches('"'), lang.month_first));
    let body = super::text::from_line(text, header_line);
    let header_text = body.lines().next().unwrap_or("");
    let table = rows(file, body, header_line, delimiter(header_text), errors);
    let Some(header) = table.first() else {
        return out;
    };
    let keys: Vec<String> = header.cells.iter().map(|c| key(c)).collect();
    let find = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
    let (campaign_at, group_at) = (find(lang.campaign), find(lang.ad_group));
    let (currency_at, day_at) = (find(lang.currency), find(lang.day));
    let metrics: Vec<(usize, &'static str, bool)> = SOURCES
        .iter()
        .zip(lang.metrics)
        .filter_map(|((source, money), names)| find(names).map(|i| (i, *source, *money)))
        .collect();
    for (i, source, _) in &metrics {
        out.columns.push((source, header.get(*i).to_string()));
    }
    if period.is_none() && day_at.is_none() {
        let shown = preamble.get(1).or(preamble.first()).copied().unwrap_or("");
        errors.push(problem(
            file,
            header_line.saturating_sub(1).max(1),
            "",
            wording::ads_no_range(shown),
        ));
        return out;
    }
    let is_total = |row: &Row| {
        let first = key(row.get(0));
        lang.total.iter().any(|t| first.starts_with(t))
    };
    // The whole: "Total: Account" if the file has it, else the first total row (the campaigns listed).
    let whole_row = table[1..]
        .iter()
        .filter(|r| is_total(r))
        .find(|r| {
            let label = key(r.get(0));
            lang.account.iter().any(|a| label.ends_with(a))
        })
        .or_else(|| table[1..].iter().find(|r| is_total(r)));
    // Without a breakdown by campaign or ad group, the rows themselves are the whole (unless they are days of a
    // longer period): the total row would only repeat them.
    let broken_down = campaign_at.is_some() || group_at.is_some();
    let whole_line = whole_row
        .filter(|_| broken_down || (day_at.is_some() && period.is_some_and(|(s, e)| s < e)))
        .map(|r| r.line);
    if let Some(row) = whole_row.filter(|r| Some(r.line) == whole_line) {
        out.notes.push(wording::whole_row(row.line, row.get(0)));
    }
    for row in &table[1..] {
        let total = is_total(row);
        if total && Some(row.line) != whole_line {
            continue;
        }
        if let Some(at) = currency_at {
            let code = row.get(at).to_uppercase();
            match &out.currency {
                _ if is_empty_cell(&code) => {}
                None => {
                    out.currency = Some(FileCurrency {
                        code,
                        line: row.line,
                        column: header.get(at).to_string(),
                    })
                }
                Some(c) if c.code != code => errors.push(problem(
                    file,
                    row.line,
                    header.get(at),
                    wording::currency_differs(&code, &c.code, c.line),
                )),
                Some(_) => {}
            }
        }
        let (start, end, dimension) = if total {
            match period {
                Some((s, e)) => (s, e, String::new()),
                None => continue,
            }
        } else {
            let day = match day_at {
                Some(at) => match day_cell(row.get(at), lang.month_first) {
                    Some(d) => Some((d, d)),
                    None => {
                        errors.push(problem(
                            file,
                            row.line,
                            header.get(at),
                            wording::not_a_date(row.get(at)),
                        ));
                        continue;
                    }
                },
                None => None,
            };
            let (s, e) = day.or(period).unwrap_or((Date::MIN, Date::MIN));
            (s, e, dimension(row, campaign_at, group_at))
        };
        for (i, source, _) in &metrics {
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

/// A day as the Day column writes it: ISO, or in the interface language's words ("Mo., 1. Sept. 2026",
/// "2026年3月1日"), which must name exactly one date.
fn day_cell(raw: &str, month_first: bool) -> Option<Date> {
    dates::day(raw).or_else(|| match dates::dates_in(raw, month_first)[..] {
        [d] => Some(d),
        _ => None,
    })
}

fn dimension(row: &Row, campaign_at: Option<usize>, group_at: Option<usize>) -> String {
    let mut parts = Vec::new();
    if let Some(at) = campaign_at {
        parts.push(format!("campaign: {}", row.get(at)));
    }
    if let Some(at) = group_at {
        parts.push(format!("ad group: {}", row.get(at)));
    }
    parts.join(" · ")
}
