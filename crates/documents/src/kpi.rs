//! A client's goals and KPIs on one or two A4 pages: each goal with its pacing and chart, the KPIs (business
//! results, then leading indicators under their own heading) with their latest value and a sparkline, and the last
//! full month's notable moves. The model arrives in the reader's language; this module lays it out as HTML
//! (`templates/kpi.html`) and as PDF (`templates/kpi.typ`).

use crate::Error;
use crate::pdf::{Template, renderer};
use accountable_core::types::Language;
use askama::Template as _;
use serde::Serialize;

/// The document, every word in the reader's language and every figure formatted for it.
#[derive(Debug, Clone, Serialize)]
pub struct KpiDocument {
    /// The reader's language (it picks hyphenation, line breaking and the Chinese font).
    #[serde(serialize_with = "language_tag")]
    pub language: Language,
    /// The day the document speaks of (pacing and "today"), the PDF's fixed `today`.
    #[serde(skip)]
    pub day: jiff::civil::Date,
    /// The document's title, e.g. "Goals and KPIs".
    pub title: String,
    /// The client's name.
    pub client: String,
    /// The day as the locale writes it, with its label ("As of 3 March 2026").
    pub date: String,
    /// Who prepared it (the agency), for the footer.
    pub prepared_by: String,
    /// The labels the layout needs.
    pub labels: KpiLabels,
    /// The goals with their pacing.
    pub goals: Vec<GoalBlock>,
    /// Business KPIs.
    pub kpis: Vec<KpiLine>,
    /// Leading indicators, shown apart.
    pub leading: Vec<KpiLine>,
    /// The heading of the notable moves, with its month ("Notable moves in February 2026").
    pub moves_title: String,
    /// The last full month's notable moves.
    pub moves: Vec<MoveLine>,
}

/// The document's fixed words, translated.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KpiLabels {
    /// "Our goals".
    pub goals: String,
    /// "No goals yet."
    pub no_goals: String,
    /// "KPIs".
    pub kpis: String,
    /// "No KPIs yet."
    pub no_kpis: String,
    /// "Leading indicators".
    pub leading: String,
    /// What a leading indicator is, in a sentence.
    pub leading_note: String,
    /// "No notable moves."
    pub no_moves: String,
    /// Column and field names.
    pub kpi: String,
    /// "Unit".
    pub unit: String,
    /// "Latest".
    pub latest: String,
    /// "Trend".
    pub trend: String,
    /// "Expected today".
    pub expected: String,
    /// "Actual".
    pub actual: String,
    /// "Gap".
    pub gap: String,
    /// "Forecast".
    pub forecast: String,
    /// "Baseline".
    pub baseline: String,
    /// "Target".
    pub target: String,
    /// "Value".
    pub value: String,
    /// "Month over month".
    pub mom: String,
    /// "Year over year".
    pub yoy: String,
    /// "Reading".
    pub reading: String,
    /// Chart key: the 30-day figure.
    pub key_actual: String,
    /// Chart key: the pacing line.
    pub key_plan: String,
    /// Chart key: the forecast and its range.
    pub key_forecast: String,
    /// "No chart: not enough data."
    pub no_chart: String,
}

/// One goal with its pacing.
#[derive(Debug, Clone, Serialize)]
pub struct GoalBlock {
    /// The goal in words.
    pub statement: String,
    /// Its KPI's name.
    pub kpi: String,
    /// Whether that KPI is a leading indicator (said beside it).
    pub leading: bool,
    /// `ahead`, `on-track`, `behind`, or empty without data: picks the badge's colour.
    pub standing: String,
    /// The standing in words.
    pub standing_text: String,
    /// Where the figure should be today.
    pub expected: String,
    /// Where it is.
    pub actual: String,
    /// The gap, absolute and in percent.
    pub gap: String,
    /// The forecast for the target date with its range, in a sentence, or why there is none.
    pub forecast: String,
    /// The baseline with its day.
    pub baseline: String,
    /// The target with its day.
    pub target: String,
    /// The chart of the 30-day figure against the pacing line, as a standalone SVG.
    pub chart: Option<String>,
    /// How the figure and the line are computed, in a sentence.
    pub rule: String,
}

/// One KPI with its latest value.
#[derive(Debug, Clone, Serialize)]
pub struct KpiLine {
    /// Its name.
    pub name: String,
    /// Its unit in words.
    pub unit: String,
    /// The latest value, formatted.
    pub latest: String,
    /// Its day, or the period it totals.
    pub latest_day: String,
    /// A sparkline of the last 90 days, as a standalone SVG.
    pub sparkline: Option<String>,
}

/// One notable move of the last full month.
#[derive(Debug, Clone, Serialize)]
pub struct MoveLine {
    /// The KPI's name.
    pub kpi: String,
    /// Whether the KPI is a leading indicator.
    pub leading: bool,
    /// The month's figure.
    pub value: String,
    /// Change from the month before.
    pub mom: String,
    /// Change from the same month a year before.
    pub yoy: String,
    /// Whether the move is good news.
    pub good: bool,
    /// Its reading in words ("good news", "needs an explanation"), with "seasonal" when it is.
    pub reading: String,
}

fn language_tag<S: serde::Serializer>(language: &Language, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(language.as_str())
}

/// The font families in the order a language wants them: Latin first, then the Chinese face of that language
/// (Han characters shared by both faces take the reader's forms).
pub fn font_families(language: Language) -> [&'static str; 3] {
    match language {
        Language::ZhHant => ["Noto Sans", "Noto Sans CJK TC", "Noto Sans CJK SC"],
        Language::En | Language::Hu | Language::ZhHans => {
            ["Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK TC"]
        }
    }
}

#[derive(Serialize)]
struct TypstData<'a> {
    #[serde(flatten)]
    doc: &'a KpiDocument,
    /// Typst's `lang` and `region` for the text.
    lang: &'static str,
    region: Option<&'static str>,
    fonts: [&'static str; 3],
}

/// The document as a PDF.
pub fn pdf(doc: &KpiDocument) -> Result<Vec<u8>, Error> {
    renderer()?.pdf(Template::Kpi, typst_data(doc)?, doc.day)
}

/// The model as the JSON the Typst template reads, with the language's Typst settings beside it.
fn typst_data(doc: &KpiDocument) -> Result<Vec<u8>, Error> {
    let (lang, region) = match doc.language {
        Language::En => ("en", None),
        Language::Hu => ("hu", None),
        Language::ZhHans => ("zh", Some("cn")),
        Language::ZhHant => ("zh", Some("tw")),
    };
    let data = TypstData {
        doc,
        lang,
        region,
        fonts: font_families(doc.language),
    };
    serde_json::to_vec(&data).map_err(|e| Error::new(e.to_string()))
}

#[derive(askama::Template)]
#[template(path = "kpi.html")]
struct HtmlTemplate<'a> {
    doc: &'a KpiDocument,
    fonts: String,
}

/// The document as a standalone HTML page (styles inline, charts as inline SVG), for the browser and for print.
pub fn html(doc: &KpiDocument) -> Result<String, Error> {
    let fonts = font_families(doc.language)
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    HtmlTemplate { doc, fonts }
        .render()
        .map_err(|e| Error::new(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{ChartBuilder, sparkline_svg};
    use jiff::civil::date;

    fn labels(language: Language) -> KpiLabels {
        let words: [&str; 26] = match language {
            Language::En | Language::Hu => [
                "Our goals",
                "No goals yet.",
                "KPIs",
                "No KPIs yet.",
                "Leading indicators",
                "Signals that come before results.",
                "No notable moves.",
                "KPI",
                "Unit",
                "Latest",
                "Trend",
                "Expected today",
                "Actual",
                "Gap",
                "Forecast",
                "Baseline",
                "Target",
                "Value",
                "Month over month",
                "Year over year",
                "Reading",
                "30-day figure",
                "Pacing line",
                "Forecast and range",
                "No chart",
                "unused",
            ],
            Language::ZhHant => [
                "我們的目標",
                "尚無目標。",
                "關鍵績效指標",
                "尚無指標。",
                "領先指標",
                "先於結果出現的訊號。",
                "沒有顯著變化。",
                "指標",
                "單位",
                "最新",
                "走勢",
                "今日應達",
                "實際",
                "差距",
                "預測",
                "基線",
                "目標值",
                "數值",
                "月增減",
                "年增減",
                "解讀",
                "30 天數值",
                "進度線",
                "預測及區間",
                "無圖表",
                "unused",
            ],
            Language::ZhHans => [
                "我们的目标",
                "尚无目标。",
                "关键绩效指标",
                "尚无指标。",
                "先行指标",
                "先于结果出现的信号。",
                "没有显著变化。",
                "指标",
                "单位",
                "最新",
                "走势",
                "今日应达",
                "实际",
                "差距",
                "预测",
                "基线",
                "目标值",
                "数值",
                "环比",
                "同比",
                "解读",
                "30 天数值",
                "进度线",
                "预测及区间",
                "无图表",
                "unused",
            ],
        };
        let w = |i: usize| words[i].to_string();
        KpiLabels {
            goals: w(0),
            no_goals: w(1),
            kpis: w(2),
            no_kpis: w(3),
            leading: w(4),
            leading_note: w(5),
            no_moves: w(6),
            kpi: w(7),
            unit: w(8),
            latest: w(9),
            trend: w(10),
            expected: w(11),
            actual: w(12),
            gap: w(13),
            forecast: w(14),
            baseline: w(15),
            target: w(16),
            value: w(17),
            mom: w(18),
            yoy: w(19),
            reading: w(20),
            key_actual: w(21),
            key_plan: w(22),
            key_forecast: w(23),
            no_chart: w(24),
        }
    }

    fn sample(language: Language, client: &str) -> KpiDocument {
        let chart = ChartBuilder::new()
            .line(
                "plan",
                vec![(date(2026, 1, 1), 100.0), (date(2026, 6, 30), 200.0)],
            )
            .line(
                "actual",
                vec![(date(2026, 1, 1), 100.0), (date(2026, 3, 3), 120.0)],
            )
            .band(vec![
                (date(2026, 3, 3), 120.0, 120.0),
                (date(2026, 6, 30), 150.0, 190.0),
            ])
            .build(|v| format!("{v}"), |m| m.to_string())
            .map(|c| c.svg("chart", "Noto Sans"));
        let line = |name: &str| KpiLine {
            name: name.into(),
            unit: "count".into(),
            latest: "1 234".into(),
            latest_day: "2026-03-02".into(),
            sparkline: sparkline_svg(&[1.0, 3.0, 2.0, 5.0]),
        };
        KpiDocument {
            language,
            day: date(2026, 3, 3),
            title: "Goals and KPIs".into(),
            client: client.into(),
            date: "3 March 2026".into(),
            prepared_by: "Northwind Agency".into(),
            labels: labels(language),
            goals: vec![GoalBlock {
                statement: format!("Grow {client}'s leads"),
                kpi: "Leads".into(),
                leading: false,
                standing: "behind".into(),
                standing_text: "behind".into(),
                expected: "140".into(),
                actual: "120".into(),
                gap: "−20 (−14.3 %)".into(),
                forecast: "170 by 30 June 2026 (150–190)".into(),
                baseline: "100 (1 January 2026)".into(),
                target: "200 (30 June 2026)".into(),
                chart,
                rule: "30-day figure against a straight line.".into(),
            }],
            kpis: vec![line("Leads"), line(client)],
            leading: vec![line("Impressions")],
            moves_title: "Notable moves in February 2026".into(),
            moves: vec![MoveLine {
                kpi: "Leads".into(),
                leading: false,
                value: "1 234".into(),
                mom: "+25.0 %".into(),
                yoy: "—".into(),
                good: true,
                reading: "good news".into(),
            }],
        }
    }

    /// The text of each page, without the spaces between Typst's runs of text.
    fn pages(doc: &KpiDocument) -> Vec<String> {
        renderer()
            .unwrap()
            .page_texts(Template::Kpi, typst_data(doc).unwrap())
            .unwrap()
            .iter()
            .map(|p| squash(p))
            .collect()
    }

    fn squash(s: &str) -> String {
        s.split_whitespace().collect()
    }

    #[test]
    fn every_language_renders_a_pdf_of_one_or_two_pages() {
        for (language, client) in [
            (Language::En, "Acme Ltd"),
            (Language::Hu, "Őszi Szőlő Kft. – ű"),
            (Language::ZhHans, "北方进出口有限公司"),
            (Language::ZhHant, "北方進出口有限公司"),
        ] {
            let doc = sample(language, client);
            let pdf = pdf(&doc).unwrap();
            assert!(pdf.starts_with(b"%PDF-"), "{language}");
            // To look at them: DOCUMENTS_SAMPLES=dir cargo test -p accountable-documents, then pdftoppm.
            if let Some(dir) = std::env::var_os("DOCUMENTS_SAMPLES") {
                std::fs::write(
                    std::path::Path::new(&dir).join(format!("kpi-{language}.pdf")),
                    &pdf,
                )
                .unwrap();
            }
            let pages = pages(&doc);
            let text = pages.concat();
            assert!(text.contains(&squash(client)), "{language}: {text}");
            assert!(text.contains(&squash(&doc.labels.goals)), "{language}");
            assert!(text.contains(&squash(&doc.labels.leading)), "{language}");
            assert!(
                (1..=2).contains(&pages.len()),
                "{language}: {} pages",
                pages.len()
            );
        }
    }

    #[test]
    fn hostile_text_prints_as_written_and_changes_nothing() {
        let hostile = r#"#panic("x") $x^2$ *bold* _it_ ] [ \ "quoted" <b> @ref // not a comment = heading"#;
        let mut doc = sample(Language::En, hostile);
        doc.labels.goals = "#set page(paper: \"a0\")".into();
        doc.goals[0].forecast = "#{ 1 + }".into();
        let bytes = pdf(&doc).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = pages(&doc).concat();
        assert!(text.contains(&squash(hostile)), "{text}");
        assert!(text.contains(&squash("#set page(paper: \"a0\")")));
        assert!(text.contains("#{1+}"));
        let html = html(&doc).unwrap();
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("<b>&"));
    }

    #[test]
    fn the_html_page_carries_the_words_and_the_charts() {
        let doc = sample(Language::ZhHant, "北方進出口有限公司");
        let html = html(&doc).unwrap();
        assert!(html.contains(r#"<html lang="zh-Hant">"#));
        assert!(html.contains("北方進出口有限公司"));
        assert!(html.contains("\"Noto Sans CJK TC\""));
        assert_eq!(
            html.matches("<svg").count(),
            1 + 3,
            "one chart and three sparklines"
        );
    }
}
