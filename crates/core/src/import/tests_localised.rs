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
