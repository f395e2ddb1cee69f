//! Google Analytics 4 downloads: a `#`-commented header block (report name, account, property, date range), then
//! one or more tables, each a header line and rows, separated by blank or comment lines. Three flavours: the
//! standard reports ("# Start date: 20250101"), Explorations ("# 20241122-20260120", and a "Grand total" row
//! that carries one field more than its header) and the "Report CSV Export". The leading columns that are not
//! metrics are the table's dimensions; each row is a total over the report's date range for its dimension, or a
//! day when the dimension is the date itself. Headers, the header block's labels and the total rows come in the
//! interface language (English, Hungarian, German, Simplified or Traditional Chinese), detected from each table's
//! header; the language also tells how the numbers are written.

use super::number::{DE, EN_US, HU, NumberFormat, ZH_CN, ZH_TW};
use super::said::Said;
use super::text::{Row, delimiter, key, problem, rows};
use super::{ErrorList, KpiRef, ReadValue, dates, wording};
use jiff::civil::Date;

/// The KPI source of each metric column read, and whether GA4 writes it as a fraction (0.62 for 62 %), in the
/// order of `Language::metrics`.
const SOURCES: [(&str, bool); 13] = [
    ("ga4:views", false),
    ("ga4:sessions", false),
    ("ga4:users", false),
    ("ga4:active-users", false),
    ("ga4:new-users", false),
    ("ga4:events", false),
    ("ga4:key-events", false),
    ("ga4:revenue", false),
    ("ga4:orders", false),
    ("ga4:engagement-rate", true),
    ("ga4:bounce-rate", true),
    ("ga4:avg-session-duration", false),
    ("ga4:avg-engagement-time", false),
];

/// The names one interface language gives GA4's columns and total rows (lower-cased). Which wordings were
/// confirmed from a real source, and which are best knowledge, is listed in docs/imports.md.
#[derive(Debug)]
struct Language {
    /// How numbers are written in this language's downloads.
    number: NumberFormat,
    /// The metric columns read, in the order of `SOURCES`.
    metrics: [&'static [&'static str]; 13],
    /// Metrics GA4 offers that are not read: ratios derived from the metrics above (a period's ratio comes from
    /// the sums, not from averaging ratios) and figures no KPI is fed from yet. Knowing them marks where the
    /// dimensions end.
    not_read: &'static [&'static str],
    /// The day dimension, whose rows are days (`20260301`).
    date: &'static [&'static str],
    /// The label of an Exploration's total row (in its extra field), or of a total row's first dimension.
    total: &'static [&'static str],
}

const LANGUAGES: &[Language] = &[
    Language {
        number: EN_US,
        metrics: [
            &["views"],
            &["sessions"],
            &["total users", "users"],
            &["active users"],
            &["new users"],
            &["event count"],
            &["key events", "conversions"],
            &["total revenue"],
            &["transactions", "ecommerce purchases"],
            &["engagement rate"],
            &["bounce rate"],
            &["average session duration"],
            &[
                "average engagement time per active user",
                "average engagement time",
            ],
        ],
        not_read: &[
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
        ],
        date: &["date"],
        total: &["grand total", "total", "totals"],
    },
    Language {
        number: HU,
        metrics: [
            &["megtekintések"],
            &["munkamenetek"],
            &["összes felhasználó", "felhasználók összesen", "felhasználók"],
            &["aktív felhasználók"],
            &["új felhasználók"],
            &["eseményszám", "események száma"],
            &["kulcsesemények", "kulcsfontosságú események", "konverziók"],
            &["összes bevétel", "teljes bevétel"],
            &["tranzakciók", "e-kereskedelmi vásárlások"],
            &["elköteleződési arány"],
            &["visszafordulási arány"],
            &["átlagos munkamenet-időtartam", "munkamenetek átlagos időtartama"],
            &[
                "aktív felhasználónkénti átlagos elköteleződési idő",
                "átlagos elköteleződési idő aktív felhasználónként",
                "átlagos elköteleződési idő",
            ],
        ],
        not_read: &[
            "megtekintések aktív felhasználónként",
            "megtekintések felhasználónként",
            "megtekintések munkamenetenként",
            "eseményszám aktív felhasználónként",
            "eseményszám felhasználónként",
            "munkamenetek aktív felhasználónként",
            "munkamenetek felhasználónként",
            "elköteleződéssel járó munkamenetek",
            "elköteleződéssel járó munkamenetek aktív felhasználónként",
            "kilépések",
            "visszatérő felhasználók",
            "felhasználói elköteleződés",
            "vásárlásból származó bevétel",
            "átlagos vásárlási bevétel",
            "aktív felhasználónkénti átlagos bevétel",
        ],
        date: &["dátum"],
        total: &["végösszeg", "összesen", "teljes összeg"],
    },
    Language {
        number: DE,
        metrics: [
            &["aufrufe"],
            &["sitzungen"],
            &["nutzer insgesamt", "nutzer"],
            &["aktive nutzer"],
            &["neue nutzer"],
            &["ereignisanzahl"],
            &["schlüsselereignisse", "conversions"],
            &["gesamtumsatz"],
            &["transaktionen", "e-commerce-käufe"],
            &["engagement-rate", "interaktionsrate"],
            &["absprungrate"],
            &["durchschnittliche sitzungsdauer"],
            &[
                "durchschnittliche interaktionsdauer pro aktivem nutzer",
                "durchschnittliche interaktionsdauer",
            ],
        ],
        not_read: &[
            "aufrufe pro aktivem nutzer",
            "aufrufe pro nutzer",
            "aufrufe pro sitzung",
            "ereignisanzahl pro aktivem nutzer",
            "ereignisanzahl pro nutzer",
            "ereignisse pro sitzung",
            "sitzungen pro aktivem nutzer",
            "sitzungen pro nutzer",
            "sitzungen mit interaktionen",
            "sitzungen mit interaktionen pro aktivem nutzer",
            "sitzungen mit interaktionen pro nutzer",
            "ausstiege",
            "wiederkehrende nutzer",
            "nutzer-engagement",
            "nutzer – schlüsselereignisrate",
            "sitzung-schlüsselereignisrate",
            "umsatz aus käufen",
            "durchschnittlicher umsatz aus käufen",
            "durchschnittlicher umsatz pro aktivem nutzer",
        ],
        date: &["datum"],
        total: &["gesamtsumme", "summe", "gesamt", "insgesamt"],
    },
    Language {
        number: ZH_CN,
        metrics: [
            &["浏览次数"],
            &["会话数", "会话"],
            &["总用户数", "用户总数", "用户数", "用户"],
            &["活跃用户", "活跃用户数"],
            &["新用户数", "新用户"],
            &["事件数"],
            &["关键事件", "关键事件数", "转化次数"],
            &["总收入"],
            &["交易次数", "电子商务购买次数"],
            &["互动率"],
            &["跳出率"],
            &["平均会话时长"],
            &[
                "每位活跃用户的平均互动时长",
                "每位活跃用户平均互动时长",
                "平均互动时长",
            ],
        ],
        not_read: &[
            "每位活跃用户的浏览次数",
            "每位用户的浏览次数",
            "每次会话浏览次数",
            "每位活跃用户的事件数",
            "每位用户的事件数",
            "每位活跃用户的会话数",
            "每位用户的会话数",
            "互动会话数",
            "每位活跃用户的互动会话数",
            "退出次数",
            "回访用户",
            "用户参与度",
            "购买收入",
            "平均购买收入",
            "每位活跃用户的平均收入",
        ],
        date: &["日期"],
        total: &["总计", "合计"],
    },
    Language {
        number: ZH_TW,
        metrics: [
            &["瀏覽", "瀏覽次數"],
            &["工作階段", "工作階段數"],
            &["使用者總數", "使用者"],
            &["活躍使用者"],
            &["新使用者"],
            &["事件計數"],
            &["重要事件", "轉換"],
            &["總收益", "總收入"],
            &["交易", "電子商務購買"],
            &["參與度"],
            &["跳出率"],
            &["平均工作階段持續時間"],
            &["每位活躍使用者的平均參與時間", "平均參與時間"],
        ],
        not_read: &[
            "每位活躍使用者的瀏覽次數",
            "每位使用者的瀏覽次數",
            "每個工作階段的瀏覽次數",
            "每位活躍使用者的事件計數",
            "每位使用者的事件計數",
            "每位活躍使用者的工作階段",
            "每位使用者的工作階段",
            "參與工作階段",
            "每位活躍使用者的參與工作階段",
            "離開次數",
            "回訪使用者",
            "使用者參與",
            "購買收益",
            "平均購買收益",
            "每位活躍使用者的平均收益",
        ],
        date: &["日期"],
        total: &["總計", "合計"],
    },
];

impl Language {
    /// The metric read from a column name, if any.
    fn metric(&self, k: &str) -> Option<(&'static str, bool)> {
        self.metrics
            .iter()
            .position(|names| names.contains(&k))
            .map(|i| SOURCES[i])
    }

    /// Whether a column name is one of GA4's metrics, read or not.
    fn is_metric(&self, k: &str) -> bool {
        self.metric(k).is_some() || self.not_read.contains(&k)
    }
}

/// The language of a table's header (lower-cased cells): the one naming the most metrics, English when none
/// does. A download is in one language, and each of its tables tells it.
fn language(keys: &[String]) -> &'static Language {
    let mut best = (0, &LANGUAGES[0]);
    for lang in LANGUAGES {
        let named = keys.iter().filter(|k| lang.is_metric(k)).count();
        if named > best.0 {
            best = (named, lang);
        }
    }
    best.1
}

/// Whether a cell is a total row's label in any known language.
fn is_total_label(cell: &str) -> bool {
    let k = key(cell);
    LANGUAGES.iter().any(|l| l.total.contains(&k.as_str()))
}

/// The value of a header-block line such as `Start date: 20250101` or `开始日期：20250101` (the words differ by
/// language; Chinese writes a full-width colon).
fn labelled_value(comment: &str) -> Option<&str> {
    comment
        .rsplit([':', '：'])
        .next()
        .filter(|_| comment.contains([':', '：']))
        .map(str::trim)
}

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
    pub notes: Vec<Said>,
}

struct Table<'a> {
    first_line: u64,
    text: &'a str,
    period: Option<(Date, Date)>,
}

/// Reads a GA4 download.
pub(super) fn read(file: &str, text: &str, errors: &mut ErrorList) -> Read {
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
            if let Some(value) = labelled_value(comment).filter(|v| v.len() == 8) {
                if let Some(d) = dates::day(value) {
                    // "Start date" comes first and "End date" second, whatever the words of the language.
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
    errors: &mut ErrorList,
) {
    let Some(header) = rows.first() else {
        return;
    };
    let keys: Vec<String> = header.cells.iter().map(|c| key(c)).collect();
    let lang = language(&keys);
    let dims = keys.iter().position(|k| lang.is_metric(k)).unwrap_or(keys.len());
    let date_at = keys[..dims].iter().position(|k| lang.date.contains(&k.as_str()));
    let mut metrics = Vec::new();
    for (i, k) in keys.iter().enumerate().skip(dims) {
        match lang.metric(k) {
            Some((source, fraction)) => {
                metrics.push((i, source, fraction));
                if !out.columns.iter().any(|(s, _)| *s == source) {
                    out.columns.push((source, header.get(i).to_string()));
                }
            }
            None => {
                let note = wording::column_not_read(header.get(i));
                if !out.notes.contains(&note) {
                    out.notes.push(note);
                }
            }
        }
    }
    let mut period_missing = false;
    for row in &rows[1..] {
        let grand_total =
            row.cells.len() == header.cells.len() + 1 && row.cells.last().is_some_and(|c| is_total_label(c));
        if row.cells.len() > header.cells.len() && !grand_total {
            errors.push(problem(
                file,
                row.line,
                "",
                wording::too_many_values(row.cells.len(), header.cells.len()),
            ));
            continue;
        }
        // A row whose dimensions are all empty is the table's total, as is Explorations' "Grand total" and a row
        // whose first dimension says "Total" ("Gesamt", "Összesen", "总计"…) with the others empty.
        let labelled_total =
            dims > 0 && is_total_label(row.get(0)) && (1..dims).all(|i| row.get(i).is_empty());
        let whole = grand_total || labelled_total || (dims > 0 && (0..dims).all(|i| row.get(i).is_empty()));
        let (start, end) = match date_at.filter(|_| !whole) {
            Some(at) => match dates::day(row.get(at)) {
                Some(d) => (d, d),
                None => {
                    errors.push(problem(
                        file,
                        row.line,
                        header.get(at),
                        wording::not_a_compact_date(row.get(at)),
                    ));
                    continue;
                }
            },
            None => match period {
                Some(p) => p,
                None => {
                    if !period_missing {
                        errors.push(problem(file, row.line, "", wording::ga4_no_range()));
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
                lang.number.parse(raw, false).map(|v| v.map(|v| v * 100.0))
            } else {
                lang.number.parse(raw, *fraction)
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
                Err(said) => errors.push(problem(file, row.line, header.get(*i), said)),
            }
        }
    }
}
