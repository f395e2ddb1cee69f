//! The GA4, Meta and Business Profile readers on exports downloaded in another interface language (German,
//! Hungarian, Simplified and Traditional Chinese): fixtures written in the layout of the real downloads, with the
//! language's headers, header-block labels, total rows and number marks.

use super::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn read_one(name: &str, text: &str) -> FileRead {
    read_files(&[(name, text.as_bytes())], None).remove(0)
}

fn values(r: &FileRead) -> &ReadFile {
    match &r.result {
        ReadResult::Values(v) => {
            assert!(v.errors.is_empty(), "{}: {:?}", r.file, v.errors);
            v
        }
        other => panic!("{}: expected values, got {other:?}", r.file),
    }
}

fn errors(r: &FileRead) -> Vec<String> {
    match &r.result {
        ReadResult::Values(v) => v.errors.iter().map(|e| e.to_string()).collect(),
        ReadResult::Refused(e) => e.iter().map(|e| e.to_string()).collect(),
        ReadResult::Nothing(reason) => panic!("{}: expected errors, got nothing: {reason}", r.file),
    }
}

/// The value a file gives a source for a dimension, with its period.
fn find(r: &ReadFile, source: &str, dimension: &str) -> (f64, Date, Date) {
    let v = r
        .values
        .iter()
        .find(|v| matches!(&v.kpi, KpiRef::Source(s) if *s == source) && v.dimension == dimension)
        .unwrap_or_else(|| panic!("no {source} for {dimension:?} in {:#?}", r.values));
    (v.value, v.start, v.end)
}

const GA4_DE_REPORT: &str = "# ----------------------------------------\n\
# Seiten und Bildschirme: Seitenpfad und Bildschirmklasse\n\
# Konto: Bäckerei Beispiel GmbH\n\
# Property: Bäckerei Beispiel – GA4\n\
# ----------------------------------------\n\
# \n\
# Alle Nutzer\n\
# Startdatum: 20260201\n\
# Enddatum: 20260228\n\
Seitenpfad und Bildschirmklasse,Aufrufe,Aktive Nutzer,Aufrufe pro aktivem Nutzer,Durchschnittliche Interaktionsdauer pro aktivem Nutzer,Ereignisanzahl,Schlüsselereignisse,Gesamtumsatz,Engagement-Rate\n\
/,\"1.221\",154,\"7,93\",\"12,35\",\"2.683\",4,\"1.234,50\",\"0,62\"\n\
/team/,139,83,\"1,67\",\"39,35\",359,0,0,\"0,5\"\n";

#[test]
fn a_german_ga4_report_is_read_with_its_german_headers_header_block_and_numbers() {
    assert_eq!(recognise(GA4_DE_REPORT.as_bytes()), Recognised::Ga4);
    let r = read_one("Seiten_und_Bildschirme.csv", GA4_DE_REPORT);
    let r = values(&r);
    assert_eq!(r.format, "ga4-report");
    let feb = (d("2026-02-01"), d("2026-02-28"));
    let home = "seitenpfad und bildschirmklasse: /";
    assert_eq!(
        find(r, "ga4:views", home),
        (1221.0, feb.0, feb.1),
        "a point groups thousands"
    );
    assert_eq!(
        find(r, "ga4:revenue", home),
        (1234.5, feb.0, feb.1),
        "a comma is the decimal mark"
    );
    assert_eq!(find(r, "ga4:avg-engagement-time", home).0, 12.35);
    assert_eq!(find(r, "ga4:engagement-rate", home).0, 62.0);
    assert_eq!(find(r, "ga4:events", home).0, 2683.0);
    assert_eq!(find(r, "ga4:key-events", home).0, 4.0);
    assert_eq!(
        find(r, "ga4:active-users", "seitenpfad und bildschirmklasse: /team/"),
        (83.0, feb.0, feb.1)
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.english.contains("Aufrufe pro aktivem Nutzer")),
        "{:?}",
        r.notes
    );
    assert!(
        r.columns.contains(&("ga4:views", "Aufrufe".to_string())),
        "{:?}",
        r.columns
    );
}

#[test]
fn a_hungarian_ga4_exploration_stores_its_vegosszeg_row_as_the_whole_with_hungarian_numbers() {
    let exploration = "# ----------------------------------------\n\
# Példa Kft. – GA4\n\
# Névtelen felfedezés-Szabad formátum 1\n\
# 20260101-20260131\n\
# ----------------------------------------\n\
\n\
Oldal elérési útja + lekérdezési karakterlánc,Összes felhasználó,Munkamenetek,Elköteleződési arány\n\
,\"13 789\",\"16 244\",\"0,58\",Végösszeg\n\
/blog/kenyer/,760,761,\"0,41\"\n";
    let r = read_one("download.csv", exploration);
    let r = values(&r);
    assert_eq!(r.format, "ga4-exploration");
    let january = (d("2026-01-01"), d("2026-01-31"));
    assert_eq!(
        find(r, "ga4:users", ""),
        (13789.0, january.0, january.1),
        "the Végösszeg row is the whole, its space groups thousands"
    );
    assert_eq!(find(r, "ga4:sessions", "").0, 16244.0);
    let rate = find(r, "ga4:engagement-rate", "").0;
    assert!(
        (rate - 58.0).abs() < 1e-9,
        "the fraction 0,58 is 58 %, not {rate}"
    );
    assert_eq!(
        find(
            r,
            "ga4:sessions",
            "oldal elérési útja + lekérdezési karakterlánc: /blog/kenyer/"
        ),
        (761.0, january.0, january.1)
    );
    assert_eq!(
        r.values.iter().filter(|v| v.dimension.is_empty()).count(),
        3,
        "the total row is never a page"
    );
}

#[test]
fn a_chinese_ga4_export_reads_its_full_width_colon_dates_and_its_date_dimension_as_days() {
    let daily = "# ----------------------------------------\n\
# 报告 CSV 导出\n\
# 账号：示例公司\n\
# ----------------------------------------\n\
# 开始日期：20260301\n\
# 结束日期：20260302\n\
日期,会话数,活跃用户,每位活跃用户的浏览次数\n\
20260301,\"1,024\",800,1.5\n\
20260302,12,9,1.2\n";
    let r = read_one("data-export.csv", daily);
    let r = values(&r);
    let days: Vec<(f64, Date, Date)> = r
        .values
        .iter()
        .filter(|v| v.kpi == KpiRef::Source("ga4:sessions"))
        .map(|v| (v.value, v.start, v.end))
        .collect();
    assert_eq!(
        days,
        [
            (1024.0, d("2026-03-01"), d("2026-03-01")),
            (12.0, d("2026-03-02"), d("2026-03-02"))
        ]
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.english.contains("每位活跃用户的浏览次数"))
    );
    let tab = "# ----------------------------------------\n\
# 範例 – GA4\n\
# 未命名的探索-任意形式 1\n\
# 20260201-20260228\n\
# ----------------------------------------\n\
\n\
網頁路徑 + 查詢字串,活躍使用者,工作階段\n\
,\"2,311\",\"2,950\",總計\n\
/zh-tw/,400,512\n";
    let r = read_one("download (1).csv", tab);
    let r = values(&r);
    assert_eq!(
        find(r, "ga4:active-users", ""),
        (2311.0, d("2026-02-01"), d("2026-02-28")),
        "Traditional Chinese: 總計 is the whole"
    );
    assert_eq!(find(r, "ga4:sessions", "網頁路徑 + 查詢字串: /zh-tw/").0, 512.0);
}

#[test]
fn a_total_row_labelled_in_the_files_language_is_the_whole_never_a_part() {
    let report = "# ----------------------------------------\n\
# Ereignisse: Ereignisname\n\
# ----------------------------------------\n\
# Startdatum: 20260301\n\
# Enddatum: 20260331\n\
Ereignisname,Ereignisanzahl,Nutzer insgesamt\n\
Gesamt,\"1.500\",420\n\
page_view,\"1.200\",400\n";
    let r = read_one("Ereignisse.csv", report);
    let r = values(&r);
    assert_eq!(
        find(r, "ga4:events", ""),
        (1500.0, d("2026-03-01"), d("2026-03-31"))
    );
    assert_eq!(find(r, "ga4:users", "ereignisname: page_view").0, 400.0);
    assert!(!r.values.iter().any(|v| v.dimension.contains("Gesamt")));
}

#[test]
fn a_bad_cell_in_a_german_export_is_refused_naming_its_column_and_the_locale_assumed() {
    let report = GA4_DE_REPORT.replace("/team/,139,", "/team/,12.5,");
    let e = errors(&read_one("Seiten.csv", &report));
    assert_eq!(
        e,
        [
            r#"Seiten.csv line 12, column "Aufrufe": "12.5" is not a number in the de-DE format, such as 1.234,5"#
        ]
    );
    let meta = "Berichtsstart;Berichtsende;Name der Kampagne;Reichweite;Ausgegebener Betrag (EUR)\n\
2026-03-01;2026-03-31;Frühling;\"1.500\";99.5\n";
    let e = errors(&read_one("Kampagnen.csv", meta));
    assert_eq!(
        e,
        [
            r#"Kampagnen.csv line 2, column "Ausgegebener Betrag (EUR)": "99.5" is not a number in the de-DE format, such as 1.234,5"#
        ]
    );
}

#[test]
fn a_simplified_chinese_meta_export_is_read_with_the_currency_of_its_spend_header() {
    let export = "\"报告开始日期\",\"报告结束日期\",\"广告系列名称\",\"投放状态\",\"覆盖人数\",\"展示次数\",\"已花费金额 (USD)\",\"链接点击量\"\n\
2026-03-01,2026-03-31,,,\"12,000\",30000,\"1,250.75\",480\n\
2026-03-01,2026-03-31,春季促销,active,8000,20000,800.5,300\n";
    assert_eq!(recognise(export.as_bytes()), Recognised::Meta);
    let r = read_one("广告系列.csv", export);
    let r = values(&r);
    assert_eq!(r.format, "meta-ads");
    let march = (d("2026-03-01"), d("2026-03-31"));
    assert_eq!(
        find(r, "meta:spend", "campaign: 春季促销"),
        (800.5, march.0, march.1)
    );
    assert_eq!(
        find(r, "meta:reach", ""),
        (12000.0, march.0, march.1),
        "the row without a name is the whole"
    );
    assert_eq!(find(r, "meta:spend", "").0, 1250.75);
    assert_eq!(find(r, "meta:link-clicks", "campaign: 春季促销").0, 300.0);
    assert_eq!(find(r, "meta:impressions", "campaign: 春季促销").0, 20000.0);
    let currency = r.currency.as_ref().unwrap();
    assert_eq!(
        (currency.code.as_str(), currency.column.as_str()),
        ("USD", "已花费金额 (USD)")
    );
}

#[test]
fn a_traditional_chinese_meta_export_with_full_width_brackets_names_its_currency() {
    let export = "分析報告開始,分析報告結束,行銷活動名稱,觸及人數,曝光次數,花費金額（TWD）\n\
2026-03-01,2026-03-01,春節,500,900,\"1,200\"\n";
    let r = read_one("行銷活動.csv", export);
    let r = values(&r);
    assert_eq!(
        find(r, "meta:spend", "campaign: 春節"),
        (1200.0, d("2026-03-01"), d("2026-03-01"))
    );
    assert_eq!(r.currency.as_ref().unwrap().code, "TWD");
}

#[test]
fn a_german_meta_export_saying_keine_daten_verfuegbar_is_nothing_to_import() {
    for starts in ["Berichtsstart", "Berichtsbeginn"] {
        let export = format!(
            "\"{starts}\",\"Berichtsende\",\"Name der Kampagne\",\"Reichweite\",\"Impressionen\",\"Ausgegebener Betrag (EUR)\"\n\"Keine Daten verfügbar.\"\n"
        );
        assert_eq!(recognise(export.as_bytes()), Recognised::Meta, "{starts}");
        let r = read_one("Kampagnen.csv", &export);
        assert!(
            matches!(&r.result, ReadResult::Nothing(reason) if reason.english.contains("Meta export")),
            "{starts}: {:?}",
            r.result
        );
    }
    for (header, line) in [
        (
            "Jelentés kezdete,Jelentés vége,Kampány neve,Elérés",
            "Nincs elérhető adat.",
        ),
        (
            "报告开始日期,报告结束日期,广告系列名称,覆盖人数",
            "没有可用数据。",
        ),
        (
            "分析報告開始,分析報告結束,行銷活動名稱,觸及人數",
            "沒有可用資料。",
        ),
    ] {
        let r = read_one("export.csv", &format!("{header}\n{line}\n"));
        assert!(
            matches!(r.result, ReadResult::Nothing(_)),
            "{line}: {:?}",
            r.result
        );
    }
}

#[test]
fn a_hungarian_business_profile_export_skips_its_description_row_and_reads_hungarian_numbers() {
    let export = "Üzletkód,Cégnév,Cím,Címkék,Google Keresés – mobil,Google Keresés – számítógép,Google Térkép – mobil,Google Térkép – számítógép,Hívások,Üzenetek,Foglalások,Útvonaltervek,Webhelykattintások,Ételrendelések\n\
,,,,Ennyien tekintették meg a cégprofilt a Google Keresésben mobilon,Számítógépen,Térkép mobilon,Térkép számítógépen,Hívások,Beszélgetések,Foglalások,Útvonaltervek,Webhely,Ételrendelések\n\
,Kovács Pékség,\"Fő utca 1, Budapest\",,\"1 042\",24,27,24,3,0,0,63,7,0\n";
    let name = "GMB-statisztikák (Teljesítményjelentés) - 2026-1-1 - 2026-1-31 - a1b2.csv";
    assert_eq!(recognise(export.as_bytes()), Recognised::BusinessProfile);
    let r = read_one(name, export);
    let r = values(&r);
    assert_eq!(r.format, "business-profile");
    let january = (d("2026-01-01"), d("2026-01-31"));
    let at = "location: Kovács Pékség, Fő utca 1, Budapest";
    assert_eq!(
        find(r, "gbp:views", &format!("{at} · surface: Google Search - Mobile")),
        (1042.0, january.0, january.1),
        "a space groups thousands; the surface is named as in every language"
    );
    assert_eq!(
        find(r, "gbp:views", &format!("{at} · surface: Google Maps - Mobile")).0,
        27.0
    );
    assert_eq!(find(r, "gbp:calls", at), (3.0, january.0, january.1));
    assert_eq!(find(r, "gbp:directions", at).0, 63.0);
    assert_eq!(find(r, "gbp:website-clicks", at).0, 7.0);
    assert!(
        !r.values.iter().any(|v| v.line == 2),
        "the description row is no location"
    );
    assert!(
        r.notes.iter().any(|n| n.english.contains("Ételrendelések")),
        "{:?}",
        r.notes
    );
}

#[test]
fn a_german_business_profile_export_names_its_location_by_store_code() {
    let export = "Geschäftscode,Name des Unternehmens,Adresse,Labels,Google Suche – Mobilgeräte,Google Suche – Computer,Google Maps – Mobilgeräte,Google Maps – Computer,Anrufe,Nachrichten,Buchungen,Routen,Websiteklicks\n\
,,,,Anzahl der Personen,Computer,Maps mobil,Maps Computer,Anrufe,Unterhaltungen,Buchungen,Routen,Website\n\
B-17,Bäckerei Schmidt,\"Hauptstraße 5, Berlin\",,\"1.204\",88,310,12,9,1,0,41,25\n";
    let r = read_files(
        &[("Leistungsbericht.csv", export.as_bytes())],
        Some((d("2026-02-01"), d("2026-02-28"))),
    )
    .remove(0);
    let r = values(&r);
    assert_eq!(
        find(r, "gbp:views", "location: B-17 · surface: Google Search - Mobile"),
        (1204.0, d("2026-02-01"), d("2026-02-28"))
    );
    assert_eq!(find(r, "gbp:website-clicks", "location: B-17").0, 25.0);
    assert_eq!(find(r, "gbp:messages", "location: B-17").0, 1.0);
}

// Search Console and Google Ads in other languages. The headers follow what public sources show of real
// localised downloads (docs/imports.md names them); the numbers are the language's own marks.

fn nothing(r: &FileRead) -> &str {
    match &r.result {
        ReadResult::Nothing(reason) => &reason.english,
        other => panic!("{}: expected nothing, got {other:?}", r.file),
    }
}

fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

#[test]
fn a_german_search_console_set_takes_its_period_from_filters_and_reads_german_numbers() {
    let chart = "Datum,Klicks,Impressionen,CTR,Position\n\
2026-03-01,12,\"1.204\",\"1,0 %\",\"7,5\"\n\
2026-03-02,9,980,\"0,92 %\",\"8,1\"\n";
    let queries = "Häufigste Suchanfragen,Klicks,Impressionen,CTR,Position\n\
sauerteigbrot,\"1.139\",\"4.454\",\"25,57 %\",\"1,16\"\n\
bäckerei berlin,627,974,\"64,37 %\",\"1,27\"\n";
    let pages = "Seiten,Klicks,Impressionen,Klickrate,Durchschnittliche Position\n\
https://example.de/brot/,40,\"2.000\",\"2 %\",\"4,2\"\n";
    let filters = "Filter,Wert\nSuchtyp,Web\nDatum,\"1. März 2026 - 31. März 2026\"\n";
    let reads = read_files(
        &[
            ("Diagramm.csv", chart.as_bytes()),
            ("Suchanfragen.csv", queries.as_bytes()),
            ("Seiten.csv", pages.as_bytes()),
            ("Filter.csv", filters.as_bytes()),
        ],
        None,
    );
    let days = values(&reads[0]);
    assert_eq!(days.format, "search-console-chart");
    let first = d("2026-03-01");
    assert_eq!(
        find(days, "gsc:impressions", ""),
        (1204.0, first, first),
        "a point groups thousands; the web search type is no filter"
    );
    assert_eq!(find(days, "gsc:ctr", "").0, 1.0);
    assert_eq!(find(days, "gsc:position", "").0, 7.5);
    let march = (first, d("2026-03-31"));
    let q = values(&reads[1]);
    assert_eq!(q.format, "search-console-query");
    assert_eq!(
        find(q, "gsc:clicks", "query: sauerteigbrot"),
        (1139.0, march.0, march.1),
        "a table's figures are totals over the period Filters.csv states"
    );
    assert_eq!(find(q, "gsc:ctr", "query: bäckerei berlin").0, 64.37);
    assert_eq!(find(q, "gsc:position", "query: sauerteigbrot").0, 1.16);
    let p = values(&reads[2]);
    assert_eq!(p.format, "search-console-page");
    assert_eq!(
        find(p, "gsc:position", "page: https://example.de/brot/"),
        (4.2, march.0, march.1)
    );
    assert!(
        p.columns
            .contains(&("gsc:position", "Durchschnittliche Position".to_string())),
        "{:?}",
        p.columns
    );
    assert!(
        nothing(&reads[3]).contains("2026-03-01 to 2026-03-31"),
        "{}",
        nothing(&reads[3])
    );
}

#[test]
fn a_simplified_chinese_search_console_set_reads_its_chart_pages_and_web_search_type() {
    let chart = "日期,点击次数,展示,点击率,排名\n\
2026-03-01,3,\"1,204\",0.25%,9.5\n\
2026-03-02,0,0,,\n";
    let pages = "排名靠前的网页,点击次数,展示,点击率,排名\n\
https://example.cn/,2,150,1.33%,15\n";
    let filters = "过滤器,值\n搜索类型,网络\n日期,2026年3月1日 - 2026年3月31日\n";
    let reads = read_files(
        &[
            ("图表.csv", chart.as_bytes()),
            ("网页.csv", pages.as_bytes()),
            ("过滤器.csv", filters.as_bytes()),
        ],
        None,
    );
    let days = values(&reads[0]);
    assert_eq!(days.format, "search-console-chart");
    let first = d("2026-03-01");
    assert_eq!(find(days, "gsc:impressions", ""), (1204.0, first, first));
    assert_eq!(find(days, "gsc:clicks", "").0, 3.0);
    assert_eq!(find(days, "gsc:ctr", "").0, 0.25);
    assert_eq!(find(days, "gsc:position", "").0, 9.5);
    assert!(
        !days
            .values
            .iter()
            .any(|v| v.kpi == KpiRef::Source("gsc:ctr") && v.start == d("2026-03-02")),
        "an empty cell is no value"
    );
    let p = values(&reads[1]);
    assert_eq!(p.format, "search-console-page");
    assert_eq!(
        find(p, "gsc:impressions", "page: https://example.cn/"),
        (150.0, first, d("2026-03-31")),
        "网络 is the web search type: no filter in the dimension"
    );
    assert!(nothing(&reads[2]).contains("2026-03-01 to 2026-03-31"));
}

#[test]
fn a_traditional_chinese_search_console_set_is_read_with_its_own_headers() {
    let queries = "熱門查詢項目,點擊,曝光,點閱率,排名\n私房菜,4,\"1,050\",0.38%,6.84\n";
    let filters = "篩選器,值\n搜尋類型,圖片\n日期,2026年2月1日 - 2026年2月28日\n";
    let reads = read_files(
        &[
            ("查詢.csv", queries.as_bytes()),
            ("篩選器.csv", filters.as_bytes()),
        ],
        None,
    );
    let q = values(&reads[0]);
    assert_eq!(q.format, "search-console-query");
    assert_eq!(
        find(q, "gsc:impressions", "search type: 圖片 · query: 私房菜"),
        (1050.0, d("2026-02-01"), d("2026-02-28")),
        "a search type other than the web narrows the figure"
    );
}

const ADS_DE: &str = "Kampagnenbericht\n\
1. Februar 2026 - 28. Februar 2026\n\
Kampagnenstatus,Kampagne,Budget,Währungscode,Klicks,Impr.,CTR,Kosten,Conversions,Conv.-Wert\n\
Aktiviert,Frühling,\"25,00\",EUR,603,\"31.193\",\"1,93 %\",\"798,88\",\"49,00\",\"1.286,58\"\n\
Pausiert,Brot,\"10,00\",EUR,264,\"9.392\",\"2,81 %\",\"365,22\", --, --\n\
Gesamt: Kampagnen, --, --,EUR,867,\"40.585\",\"2,14 %\",\"1.164,09\",\"49,00\",\"1.286,58\"\n\
Gesamt: Konto,,,EUR,867,\"40.585\",\"2,14 %\",\"1.164,10\",\"49,00\",\"1.286,58\"\n";

#[test]
fn a_german_google_ads_report_reads_its_date_line_total_row_and_currency_code() {
    assert_eq!(recognise(ADS_DE.as_bytes()), Recognised::GoogleAds);
    let r = read_one("Kampagnenbericht.csv", ADS_DE);
    let r = values(&r);
    assert_eq!(r.format, "google-ads");
    let feb = (d("2026-02-01"), d("2026-02-28"));
    assert_eq!(
        find(r, "gads:cost", "campaign: Frühling"),
        (798.88, feb.0, feb.1),
        "the period is the date line's, in German month names"
    );
    assert_eq!(find(r, "gads:impressions", "campaign: Frühling").0, 31193.0);
    assert_eq!(find(r, "gads:conversion-value", "campaign: Frühling").0, 1286.58);
    assert_eq!(find(r, "gads:clicks", "campaign: Brot").0, 264.0);
    assert!(
        !r.values
            .iter()
            .any(|v| v.kpi == KpiRef::Source("gads:conversions") && v.dimension == "campaign: Brot"),
        "\" --\" is an empty cell"
    );
    assert_eq!(
        find(r, "gads:cost", ""),
        (1164.10, feb.0, feb.1),
        "Gesamt: Konto is the whole, not Gesamt: Kampagnen"
    );
    assert!(!r.values.iter().any(|v| v.dimension.contains("Gesamt")));
    assert!(
        r.notes.iter().any(|n| n.english.contains("Gesamt: Konto")),
        "{:?}",
        r.notes
    );
    let currency = r.currency.as_ref().unwrap();
    assert_eq!(
        (currency.code.as_str(), currency.column.as_str()),
        ("EUR", "Währungscode")
    );
    assert!(
        r.columns
            .contains(&("gads:conversion-value", "Conv.-Wert".to_string())),
        "{:?}",
        r.columns
    );
}

#[test]
fn a_simplified_chinese_google_ads_excel_download_reads_its_full_width_total_row() {
    let tsv = "广告系列报告\n\
2026年1月27日 - 2026年2月23日\n\
广告系列状态\t广告系列\t货币代码\t点击次数\t展示次数\t点击率\t费用\t转化次数\t转化价值\n\
已启用\t春季促销\tCNY\t603\t31,193\t1.93%\t798.88\t49.00\t1,286.58\n\
总计：广告系列\t --\tCNY\t603\t31,193\t1.93%\t798.88\t49.00\t1,286.58\n\
总计：账号\t\tCNY\t603\t31,193\t1.93%\t798.90\t49.00\t1,286.58\n";
    let bytes = utf16(tsv);
    let r = read_files(&[("所有广告系列.csv", &bytes)], None).remove(0);
    let r = values(&r);
    assert_eq!(r.format, "google-ads");
    let period = (d("2026-01-27"), d("2026-02-23"));
    assert_eq!(
        find(r, "gads:impressions", "campaign: 春季促销"),
        (31193.0, period.0, period.1)
    );
    assert_eq!(
        find(r, "gads:cost", ""),
        (798.90, period.0, period.1),
        "总计：账号 is the whole"
    );
    assert_eq!(find(r, "gads:conversions", "").0, 49.0);
    assert_eq!(r.currency.as_ref().unwrap().code, "CNY");
}

#[test]
fn a_traditional_chinese_google_ads_report_reads_a_range_whose_end_leaves_out_the_year() {
    let csv = "廣告活動報表\n\
2026年 3月 13日 - 4月 9日\n\
廣告活動,貨幣代碼,點擊,曝光,費用,轉換,轉換價值\n\
春節,TWD,120,\"4,800\",\"3,250\",6.00,\"9,800\"\n\
總計：帳戶,TWD,120,\"4,800\",\"3,250\",6.00,\"9,800\"\n";
    let r = read_one("廣告活動報表.csv", csv);
    let r = values(&r);
    assert_eq!(r.format, "google-ads");
    let period = (d("2026-03-13"), d("2026-04-09"));
    assert_eq!(
        find(r, "gads:cost", "campaign: 春節"),
        (3250.0, period.0, period.1)
    );
    assert_eq!(find(r, "gads:conversion-value", "").0, 9800.0);
    assert_eq!(find(r, "gads:clicks", "").0, 120.0);
    assert_eq!(r.currency.as_ref().unwrap().code, "TWD");
}

#[test]
fn a_german_google_ads_report_by_day_reads_days_written_in_words() {
    let csv = "Kampagnenbericht\n\
1. März 2026 - 2. März 2026\n\
Tag,Kampagne,Währungscode,Klicks,Kosten\n\
\"Mo., 1. März 2026\",Brot,EUR,12,\"4,50\"\n\
\"Di., 2. März 2026\",Brot,EUR,7,\"2,25\"\n\
Gesamt: Konto,,EUR,19,\"6,75\"\n";
    let r = read_one("Kampagnenbericht.csv", csv);
    let r = values(&r);
    let days: Vec<(f64, Date, Date)> = r
        .values
        .iter()
        .filter(|v| v.kpi == KpiRef::Source("gads:cost") && !v.dimension.is_empty())
        .map(|v| (v.value, v.start, v.end))
        .collect();
    let (first, second) = (d("2026-03-01"), d("2026-03-02"));
    assert_eq!(days, [(4.5, first, first), (2.25, second, second)]);
    assert_eq!(find(r, "gads:cost", ""), (6.75, first, second));
    let e = errors(&read_one(
        "Kampagnenbericht.csv",
        &csv.replace("Di., 2. März 2026", "Di., 2. März"),
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("line 5") && e[0].contains("Tag"), "{e:?}");
}
