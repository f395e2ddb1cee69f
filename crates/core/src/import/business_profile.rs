//! Google Business Profile performance exports: two header rows (the columns' names, then a description of each),
//! then one row per location with its profile views by surface (Google Search or Maps, mobile or desktop) and its
//! interactions (calls, messages, bookings, directions, website clicks). The file states no period: Google puts it
//! only in the download's name ("… - 2026-1-1 - 2026-1-31 - ….csv"), so the period comes from the name (or a
//! month it names, "… 2026-1.csv"), or from the import's options when the name carries none. Headers come in the
//! interface language (English, Hungarian, German, Simplified or Traditional Chinese); the language also tells how
//! the numbers are written.

use super::number::{DE, EN_US, HU, NumberFormat, ZH_CN, ZH_TW};
use super::said::Said;
use super::text::{Row, key, problem};
use super::{ErrorList, KpiRef, ReadValue, dates, wording};
use jiff::civil::Date;

/// The surfaces of profile views, as a value's dimension names them whatever the file's language, in the order
/// of `Language::views`.
const SURFACES: [&str; 4] = [
    "Google Search - Mobile",
    "Google Search - Desktop",
    "Google Maps - Mobile",
    "Google Maps - Desktop",
];

/// The KPI source of each interaction column, in the order of `Language::interactions`.
const INTERACTIONS: [&str; 5] = [
    "gbp:calls",
    "gbp:messages",
    "gbp:bookings",
    "gbp:directions",
    "gbp:website-clicks",
];

/// The names one interface language gives the columns (compared by `label`). Which wordings were confirmed from
/// a real source, and which are best knowledge, is listed in docs/imports.md.
#[derive(Debug)]
struct Language {
    /// How numbers are written in this language's exports.
    number: NumberFormat,
    store_code: &'static [&'static str],
    business_name: &'static [&'static str],
    address: &'static [&'static str],
    labels: &'static [&'static str],
    /// The view columns, in the order of `SURFACES`.
    views: [&'static [&'static str]; 4],
    /// The interaction columns, in the order of `INTERACTIONS`.
    interactions: [&'static [&'static str]; 5],
}

const LANGUAGES: &[Language] = &[
    Language {
        number: EN_US,
        store_code: &["Store code"],
        business_name: &["Business name"],
        address: &["Address"],
        labels: &["Labels"],
        views: [
            &["Google Search - Mobile"],
            &["Google Search - Desktop"],
            &["Google Maps - Mobile"],
            &["Google Maps - Desktop"],
        ],
        interactions: [
            &["Calls"],
            &["Messages"],
            &["Bookings"],
            &["Directions"],
            &["Website clicks"],
        ],
    },
    Language {
        number: HU,
        store_code: &["Üzletkód", "Bolt kódja"],
        business_name: &["Cégnév", "Vállalkozás neve"],
        address: &["Cím"],
        labels: &["Címkék"],
        views: [
            &["Google Keresés - mobil", "Google-keresés - mobil"],
            &[
                "Google Keresés - számítógép",
                "Google Keresés - asztali",
                "Google-keresés - asztali",
            ],
            &["Google Térkép - mobil"],
            &["Google Térkép - számítógép", "Google Térkép - asztali"],
        ],
        interactions: [
            &["Hívások"],
            &["Üzenetek"],
            &["Foglalások"],
            &["Útvonaltervek", "Útvonalkérések"],
            &["Webhelykattintások", "Kattintások a webhelyre"],
        ],
    },
    Language {
        number: DE,
        store_code: &["Geschäftscode", "Shop-Code", "Filialcode"],
        business_name: &["Name des Unternehmens", "Unternehmensname"],
        address: &["Adresse"],
        labels: &["Labels"],
        views: [
            &[
                "Google Suche - Mobilgeräte",
                "Google Suche - Mobil",
                "Google-Suche - Mobil",
            ],
            &[
                "Google Suche - Computer",
                "Google Suche - Desktop",
                "Google-Suche - Desktop",
            ],
            &["Google Maps - Mobilgeräte", "Google Maps - Mobil"],
            &["Google Maps - Computer", "Google Maps - Desktop"],
        ],
        interactions: [
            &["Anrufe"],
            &["Nachrichten"],
            &["Buchungen"],
            &["Routen", "Wegbeschreibungen", "Routenanfragen"],
            &["Websiteklicks", "Website-Klicks", "Klicks auf Website"],
        ],
    },
    Language {
        number: ZH_CN,
        store_code: &["商店代码", "店铺代码"],
        business_name: &["商家名称"],
        address: &["地址"],
        labels: &["标签"],
        views: [
            &["Google 搜索 - 移动设备"],
            &["Google 搜索 - 桌面设备", "Google 搜索 - 计算机"],
            &["Google 地图 - 移动设备"],
            &["Google 地图 - 桌面设备", "Google 地图 - 计算机"],
        ],
        interactions: [
            &["通话", "电话"],
            &["消息"],
            &["预订"],
            &["路线", "路线查询"],
            &["网站点击次数", "网站点击"],
        ],
    },
    Language {
        number: ZH_TW,
        store_code: &["商店代碼"],
        business_name: &["商家名稱"],
        address: &["地址"],
        labels: &["標籤"],
        views: [
            &["Google 搜尋 - 行動裝置"],
            &["Google 搜尋 - 電腦"],
            &["Google 地圖 - 行動裝置"],
            &["Google 地圖 - 電腦"],
        ],
        interactions: [
            &["通話", "電話"],
            &["訊息"],
            &["預訂"],
            &["路線", "路線規劃"],
            &["網站點擊次數", "網站點擊"],
        ],
    },
];

/// A header cell as compared with the names above: lower-cased, any dash a hyphen, without spaces, so that
/// "Google Maps – Mobil", "Google Maps - Mobil" and "Google 搜索-移动设备" each match their name.
fn label(cell: &str) -> String {
    key(cell)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '–' | '—' | '‐' | '‑' | '−') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// Whether a (labelled) header cell is one of `names`.
fn named(names: &[&str], cell: &str) -> bool {
    names.iter().any(|n| label(n) == cell)
}

impl Language {
    /// How many of this language's view and interaction columns the (labelled) header names, when it also names
    /// the business.
    fn score(&self, header: &[String]) -> usize {
        let has = |names: &[&str]| header.iter().any(|h| named(names, h));
        let views = self.views.iter().filter(|v| has(v)).count();
        let interactions = self.interactions.iter().filter(|i| has(i)).count();
        if has(self.business_name) && views > 0 && interactions > 0 {
            views + interactions
        } else {
            0
        }
    }
}

/// The language of a header (lower-cased cells), if it is a Business Profile export's.
fn recognise(header: &[String]) -> Option<&'static Language> {
    let labelled: Vec<String> = header.iter().map(|h| label(h)).collect();
    LANGUAGES
        .iter()
        .map(|l| (l.score(&labelled), l))
        .filter(|(s, _)| *s > 0)
        .max_by_key(|(s, _)| *s)
        .map(|(_, l)| l)
}

/// Whether a header (lower-cased cells) is a Business Profile performance export's, in any known language.
pub(super) fn is_header(header: &[String]) -> bool {
    recognise(header).is_some()
}

/// What a Business Profile export held.
pub(super) struct Read {
    /// The values.
    pub values: Vec<ReadValue>,
    /// Which column fed which source.
    pub columns: Vec<(&'static str, String)>,
    /// Columns not read, and where the period came from.
    pub notes: Vec<Said>,
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
pub(super) fn read(file: &str, rows: &[Row], period: Option<(Date, Date)>, errors: &mut ErrorList) -> Read {
    let mut out = Read {
        values: Vec::new(),
        columns: Vec::new(),
        notes: Vec::new(),
    };
    let Some(header) = rows.first() else {
        return out;
    };
    let keys: Vec<String> = header.cells.iter().map(|c| label(c)).collect();
    let Some(lang) = recognise(&keys) else {
        return out;
    };
    let at = |names: &[&str]| keys.iter().position(|k| named(names, k));
    let (store_at, name_at, address_at) = (at(lang.store_code), at(lang.business_name), at(lang.address));
    let mut metrics: Vec<(usize, &'static str, Option<&str>)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if let Some(v) = lang.views.iter().position(|names| named(names, k)) {
            metrics.push((i, "gbp:views", Some(SURFACES[v])));
            if !out.columns.iter().any(|(s, _)| *s == "gbp:views") {
                out.columns.push(("gbp:views", header.get(i).to_string()));
            }
        } else if let Some(n) = lang.interactions.iter().position(|names| named(names, k)) {
            metrics.push((i, INTERACTIONS[n], None));
            out.columns.push((INTERACTIONS[n], header.get(i).to_string()));
        } else if ![store_at, name_at, address_at].contains(&Some(i)) && !named(lang.labels, k) {
            out.notes.push(wording::column_not_read(header.get(i)));
        }
    }
    // The second header row describes the columns: its first cells (the location's) are empty.
    let descriptions = rows
        .get(1)
        .is_some_and(|r| r.get(0).is_empty() && name_at.is_some_and(|i| r.get(i).is_empty()));
    let data = &rows[if descriptions { 2 } else { 1 }..];
    let Some((start, end)) = period else {
        if !data.is_empty() {
            errors.push(problem(file, 1, "", wording::gbp_no_period()));
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
            match lang.number.parse(row.get(*i), false) {
                Ok(Some(value)) => out.values.push(ReadValue {
                    line: row.line,
                    kpi: KpiRef::Source(source),
                    start,
                    end,
                    dimension,
                    value,
                }),
                Ok(None) => {}
                Err(said) => errors.push(problem(file, row.line, header.get(*i), said)),
            }
        }
    }
    out
}
