//! The readers on fixtures written in the formats of the real exports (BOM, UTF-16, CRLF, quoted thousands,
//! "Total" rows, empty files, a missing column, Hungarian headers, an error on the last line).

use super::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn read_set(files: &[(&str, &[u8])]) -> Vec<FileRead> {
    read_files(files, None)
}

fn read_one(name: &str, bytes: &[u8]) -> FileRead {
    read_set(&[(name, bytes)]).remove(0)
}

fn values(r: &FileRead) -> &ReadFile {
    match &r.result {
        ReadResult::Values(v) => {
            assert!(v.errors.is_empty(), "{}: {:?}", r.file, v.errors);
            for value in &v.values {
                if let KpiRef::Source(s) = value.kpi {
                    assert!(SOURCES.contains(&s), "{s} is missing from SOURCES");
                }
            }
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

fn nothing(r: &FileRead) -> &str {
    match &r.result {
        ReadResult::Nothing(reason) => &reason.english,
        other => panic!("{}: expected nothing, got {other:?}", r.file),
    }
}

fn find<'a>(r: &'a ReadFile, source: &str, dimension: &str) -> &'a ReadValue {
    r.values
        .iter()
        .find(|v| matches!(&v.kpi, KpiRef::Source(s) if *s == source) && v.dimension == dimension)
        .unwrap_or_else(|| panic!("no {source} for {dimension:?} in {:#?}", r.values))
}

#[test]
fn every_source_has_a_preset_with_a_name_of_its_own_in_every_language() {
    use crate::types::Language;
    for language in [Language::En, Language::Hu, Language::ZhHans, Language::ZhHant] {
        let mut names = Vec::new();
        for source in SOURCES {
            let kpi = crate::kpi::preset_for_source(source, language)
                .unwrap_or_else(|| panic!("{source} has no preset"));
            assert_eq!(kpi.source, *source);
            assert!(!names.contains(&kpi.name), "{} twice in {language:?}", kpi.name);
            names.push(kpi.name);
        }
    }
    let leading = |s| crate::kpi::preset_for_source(s, Language::En).unwrap().kind == KpiKind::Leading;
    for s in [
        "gsc:impressions",
        "gsc:position",
        "gads:impressions",
        "meta:reach",
        "meta:impressions",
        "gbp:views",
    ] {
        assert!(leading(s), "{s} is a leading indicator");
    }
    let spend = crate::kpi::preset_for_source("gads:cost", Language::En).unwrap();
    assert_eq!((spend.unit, spend.direction), (Unit::Money, Direction::Down));
}

const CHART: &str = "\u{feff}Date,Clicks,Impressions,CTR,Position\r\n2026-03-01,9,\"12,177\",0.07%,7.5\r\n2026-03-02,54,19123,0.28%,7.4\r\n";
const QUERIES: &str = "Top queries,Clicks,Impressions,CTR,Position\nbakery near me,627,974,64.37%,1.27\nsourdough,\"1,139\",\"4,454\",25.57%,1.16\n";
const FILTERS: &str = "Filter,Value\nSearch type,Web\nDate,\"Mar 1, 2026-Mar 31, 2026\"";

#[test]
fn a_search_console_set_reads_days_from_the_chart_and_period_totals_from_the_tables() {
    let reads = read_set(&[
        ("Chart.csv", CHART.as_bytes()),
        ("Queries.csv", QUERIES.as_bytes()),
        ("Filters.csv", FILTERS.as_bytes()),
    ]);
    let chart = values(&reads[0]);
    assert_eq!(chart.format, "search-console-chart");
    assert_eq!(chart.values.len(), 8);
    let impressions = find(chart, "gsc:impressions", "");
    assert_eq!(
        (impressions.value, impressions.start, impressions.end),
        (12177.0, d("2026-03-01"), d("2026-03-01"))
    );
    assert_eq!(find(chart, "gsc:ctr", "").value, 0.07);
    let queries = values(&reads[1]);
    assert_eq!(queries.format, "search-console-query");
    let sourdough = find(queries, "gsc:clicks", "query: sourdough");
    assert_eq!(
        (sourdough.value, sourdough.start, sourdough.end),
        (1139.0, d("2026-03-01"), d("2026-03-31")),
        "a period total over the export's range, never spread into days"
    );
    assert!(nothing(&reads[2]).contains("2026-03-01 to 2026-03-31"));
}

#[test]
fn a_table_without_its_filters_is_refused_saying_how_to_import_it() {
    let e = errors(&read_one("Queries.csv", QUERIES.as_bytes()));
    assert!(e[0].contains("Filters.csv") && e[0].contains("zip"), "{e:?}");
    assert!(nothing(&read_one("Filters.csv", FILTERS.as_bytes())).contains("no measurements"));
}

#[test]
fn filters_narrow_the_dimension_so_a_filtered_figure_is_never_the_whole() {
    let filters = "Filter,Value\nSearch type,Image\nDate,1 Jan 2025-31 Dec 2025\nPage,+/blog/";
    let devices = "Device,Clicks,Impressions,CTR,Position\nMobile,21714,2157938,1.01%,12.92\n";
    let reads = read_set(&[
        ("Devices.csv", devices.as_bytes()),
        ("Chart.csv", CHART.as_bytes()),
        ("Filters.csv", filters.as_bytes()),
    ]);
    let mobile = find(
        values(&reads[0]),
        "gsc:clicks",
        "search type: Image · filter: Page +/blog/ · device: Mobile",
    );
    assert_eq!((mobile.start, mobile.end), (d("2025-01-01"), d("2025-12-31")));
    find(
        values(&reads[1]),
        "gsc:clicks",
        "search type: Image · filter: Page +/blog/",
    );
}

#[test]
fn hungarian_headers_mean_hungarian_numbers() {
    let queries = "Leggyakoribb lekérdezések,Kattintások,Megjelenések,CTR,Pozíció\nkenyér,\"1 234\",\"12\u{a0}345\",\"10,5%\",\"2,3\"\n";
    let filters = "Szűrő,Érték\nKeresés típusa,Web\nDátum,\"2026. márc. 1. – 2026. márc. 31.\"\n";
    let reads = read_set(&[
        ("Lekérdezések.csv", queries.as_bytes()),
        ("Szűrők.csv", filters.as_bytes()),
    ]);
    let r = values(&reads[0]);
    assert_eq!(find(r, "gsc:clicks", "query: kenyér").value, 1234.0);
    assert_eq!(find(r, "gsc:impressions", "query: kenyér").value, 12345.0);
    assert_eq!(find(r, "gsc:ctr", "query: kenyér").value, 10.5);
    assert_eq!(find(r, "gsc:position", "query: kenyér").end, d("2026-03-31"));
}

#[test]
fn a_comma_decimal_in_an_english_export_is_refused_naming_line_column_and_locale() {
    let mut queries = String::from("Top queries,Clicks,Impressions,CTR,Position\n");
    for i in 0..12 {
        queries.push_str(&format!("query {i},1,10,10%,1.5\n"));
    }
    queries.push_str("last one,1,8,\"12,5 %\",1.5\n");
    let reads = read_set(&[
        ("Queries.csv", queries.as_bytes()),
        ("Filters.csv", FILTERS.as_bytes()),
    ]);
    assert_eq!(
        errors(&reads[0]),
        [
            r#"Queries.csv line 14, column "CTR": "12,5 %" is not a percentage in the en-US format, such as 0.85%"#
        ]
    );
}

#[test]
fn a_missing_column_is_named() {
    let chart = "Date,Clicks,Impressions,Position\n2026-03-01,9,100,7.5\n";
    let e = errors(&read_one("Chart.csv", chart.as_bytes()));
    assert!(e[0].contains("\"CTR\" is missing"), "{e:?}");
}

/// The Excel flavour of a Google Ads download: UTF-16LE with a BOM, tabs, CR LF.
fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

const ADS_CSV: &str = "Campaign report\n27 January 2026 - 23 February 2026\nCampaign status,Campaign,Budget,Currency code,Clicks,Impr.,CTR,Cost,Conversions,Conv. value\nEnabled,Veg Boxes,25.00,GBP,603,\"31,193\",1.93%,798.88,49.00,\"1,286.58\"\nPaused,Office Fruit,10.00,GBP,264,\"9,392\",2.81%,365.22, --, --\nTotal: Campaigns, --, --,GBP,867,\"40,585\",2.14%,1164.09,49.00,\"1,286.58\"\nTotal: Account,,,GBP,867,\"40,585\",2.14%,1164.10,49.00,\"1,286.58\"\nTotal: Search,,,GBP,0,0, --,0.00,0.00,0.00\n";

const ADS_TSV: &str = "Campaign report\n27 January 2026 - 23 February 2026\nCampaign status\tCampaign\tBudget\tCurrency code\tClicks\tImpr.\tCTR\tCost\tConversions\tConv. value\nEnabled\tVeg Boxes\t25.00\tGBP\t603\t\"31,193\"\t1.93%\t798.88\t49.00\t\"1,286.58\"\nPaused\tOffice Fruit\t10.00\tGBP\t264\t\"9,392\"\t2.81%\t365.22\t --\t --\nTotal: Campaigns\t --\t --\tGBP\t867\t\"40,585\"\t2.14%\t1164.09\t49.00\t\"1,286.58\"\nTotal: Account\t\t\tGBP\t867\t\"40,585\"\t2.14%\t1164.10\t49.00\t\"1,286.58\"\n";

#[test]
fn google_ads_reads_campaigns_and_the_account_total_but_never_total_rows_as_campaigns() {
    for (name, bytes) in [
        ("Campaign report.csv", ADS_CSV.as_bytes().to_vec()),
        ("Campaign report (excel).csv", utf16(ADS_TSV)),
    ] {
        let r = read_one(name, &bytes);
        let r = values(&r);
        assert_eq!(r.format, "google-ads", "{name}");
        let veg = find(r, "gads:impressions", "campaign: Veg Boxes");
        assert_eq!(
            (veg.value, veg.start, veg.end),
            (31193.0, d("2026-01-27"), d("2026-02-23")),
            "{name}"
        );
        assert_eq!(
            find(r, "gads:conversion-value", "campaign: Veg Boxes").value,
            1286.58
        );
        assert_eq!(
            find(r, "gads:cost", "").value,
            1164.10,
            "the whole from Total: Account"
        );
        assert!(
            !r.values.iter().any(|v| v.dimension.contains("Total")),
            "no total row is a campaign"
        );
        assert!(
            !r.values
                .iter()
                .any(|v| v.dimension == "campaign: Office Fruit"
                    && v.kpi == KpiRef::Source("gads:conversions")),
            "\" --\" is no value"
        );
        assert_eq!(r.values.iter().filter(|v| v.dimension.is_empty()).count(), 5);
        assert_eq!(r.currency.as_ref().unwrap().code, "GBP");
    }
}

#[test]
fn google_ads_in_german_reads_german_numbers_and_refuses_a_report_without_dates() {
    let de = "Kampagnenbericht\n27.01.2026 - 23.02.2026\nKampagne;Währungscode;Klicks;Impr.;Kosten\nGemüse;EUR;\"1.234\";\"31.193\";\"798,88\"\n";
    let r = read_one("Kampagnenbericht.csv", de.as_bytes());
    let r = values(&r);
    assert_eq!(find(r, "gads:cost", "campaign: Gemüse").value, 798.88);
    assert_eq!(find(r, "gads:clicks", "campaign: Gemüse").end, d("2026-02-23"));
    let all_time = ADS_CSV.replace("27 January 2026 - 23 February 2026", "All time");
    let e = errors(&read_one("Campaign report.csv", all_time.as_bytes()));
    assert!(e[0].contains("(\"All time\") is not two dates"), "{e:?}");
}

#[test]
fn google_ads_segmented_by_day_stores_days_and_the_period_whole() {
    let by_day = "Campaign report\n\"March 1, 2026 - March 2, 2026\"\nDay,Campaign,Currency code,Clicks,Cost\n2026-03-01,Brand,EUR,3,1.50\n2026-03-02,Brand,EUR,4,2.00\nTotal: Account,,EUR,7,3.50\n";
    let r = read_one("by day.csv", by_day.as_bytes());
    let r = values(&r);
    let second = r
        .values
        .iter()
        .find(|v| v.line == 5 && v.kpi == KpiRef::Source("gads:cost"))
        .unwrap();
    assert_eq!(
        (second.start, second.end, second.dimension.as_str()),
        (d("2026-03-02"), d("2026-03-02"), "campaign: Brand")
    );
    let whole = find(r, "gads:cost", "");
    assert_eq!(
        (whole.start, whole.end, whole.value),
        (d("2026-03-01"), d("2026-03-02"), 3.5)
    );
}

#[test]
fn meta_reads_each_rows_period_and_currency_and_its_empty_export_is_nothing() {
    let header = "\"Reporting starts\",\"Reporting ends\",\"Campaign name\",Results,Reach,Impressions,\"Amount spent (USD)\",Ends\n";
    let empty = format!("{header}\"No data available.\"\n");
    assert!(nothing(&read_one("Campaigns.csv", empty.as_bytes())).contains("No data available"));
    let full = format!(
        "{header}2024-09-01,2024-09-30,,12,\"5,000\",9000,120.50,\n2024-09-01,2024-09-30,Autumn,12,4000,8000,100.25,Ongoing\n"
    );
    let r = read_one("Campaigns.csv", full.as_bytes());
    let r = values(&r);
    let autumn = find(r, "meta:spend", "campaign: Autumn");
    assert_eq!(
        (autumn.value, autumn.start, autumn.end),
        (100.25, d("2024-09-01"), d("2024-09-30"))
    );
    assert_eq!(
        find(r, "meta:reach", "").value,
        5000.0,
        "the summary row is the whole"
    );
    assert_eq!(r.currency.as_ref().unwrap().code, "USD");
}

const GBP: &str = "Store code,Business name,Address,Labels,Google Search - Mobile,Google Search - Desktop,Google Maps - Mobile,Google Maps - Desktop,Calls,Messages,Bookings,Directions,Website clicks,Food orders\n,,,,Number of people that viewed your Business Profile on Google Search using Mobile,Desktop views,Maps mobile,Maps desktop,Calls,Conversations,Bookings,Directions,Website,Food\n,Kovács Pékség,\"Fő utca 1, Budapest\",,42,24,27,24,3,0,0,63,7,0\n";

#[test]
fn business_profile_takes_its_period_from_the_downloads_name_or_the_options() {
    let named = "GMB insights (Performance Report) - 2026-1-1 - 2026-1-31 - b33f.csv";
    let r = read_one(named, GBP.as_bytes());
    let r = values(&r);
    let calls = find(r, "gbp:calls", "location: Kovács Pékség, Fő utca 1, Budapest");
    assert_eq!(
        (calls.value, calls.start, calls.end),
        (3.0, d("2026-01-01"), d("2026-01-31"))
    );
    find(
        r,
        "gbp:views",
        "location: Kovács Pékség, Fő utca 1, Budapest · surface: Google Maps - Mobile",
    );
    assert!(r.notes.iter().any(|n| n.english.contains("Food orders")));
    let e = errors(&read_one("insights.csv", GBP.as_bytes()));
    assert!(e[0].contains("--period"), "{e:?}");
    let given = read_files(
        &[("insights.csv", GBP.as_bytes())],
        Some((d("2026-02-01"), d("2026-02-28"))),
    );
    assert_eq!(values(&given[0]).values[0].end, d("2026-02-28"));
}

const GA4: &str = "# ----------------------------------------\r\n# Pages and screens: Page path and screen class\r\n# Account: Example, Ltd.\r\n# Property: Example - GA4\r\n# ----------------------------------------\r\n# \r\n# All Users\r\n# Start date: 20260224\r\n# End date: 20260323\r\nPage path and screen class,Views,Active users,Views per active user,Engagement rate\r\n/,221,154,1.43,0.62\r\n/team/,139,83,1.67,0.5\r\n\r\nNth day,Users\r\n0000,4\r\n0001,0\r\n";

#[test]
fn ga4_reports_read_every_table_over_the_stated_range() {
    let r = read_one("Pages.csv", GA4.as_bytes());
    let r = values(&r);
    assert_eq!(r.format, "ga4-report");
    let team = find(r, "ga4:views", "page path and screen class: /team/");
    assert_eq!(
        (team.value, team.start, team.end, team.line),
        (139.0, d("2026-02-24"), d("2026-03-23"), 12)
    );
    assert_eq!(
        find(r, "ga4:engagement-rate", "page path and screen class: /").value,
        62.0
    );
    assert_eq!(find(r, "ga4:users", "nth day: 0001").line, 16);
    assert!(
        r.notes
            .iter()
            .any(|n| n.english.contains("Views per active user"))
    );
}

#[test]
fn ga4_explorations_store_their_grand_total_as_the_whole_and_dated_rows_as_days() {
    let exploration = "# ----------------------------------------\n# Example - GA4\n# Untitled exploration-Free form 1\n# 20241122-20260120\n# ----------------------------------------\n\nPage path + query string,Total users,Sessions\n,13789,16244,Grand total\n/blog/a/,760,761\n";
    let r = read_one("download.csv", exploration.as_bytes());
    let r = values(&r);
    assert_eq!(r.format, "ga4-exploration");
    let whole = find(r, "ga4:users", "");
    assert_eq!(
        (whole.value, whole.start, whole.end),
        (13789.0, d("2024-11-22"), d("2026-01-20"))
    );
    find(r, "ga4:sessions", "page path + query string: /blog/a/");
    let daily = "# ----------------------------------------\n# Report CSV Export\n# ----------------------------------------\n# Start date: 20260301\n# End date: 20260302\nDate,Sessions\n20260301,10\n20260302,12\n";
    let r = read_one("data-export.csv", daily.as_bytes());
    let r = values(&r);
    assert_eq!(r.format, "ga4-export");
    let second = find(r, "ga4:sessions", "");
    assert!(second.start == second.end, "{second:?}");
}

#[test]
fn files_without_measurements_are_nothing_with_the_reason_and_unknown_ones_say_what_they_looked_like() {
    assert!(nothing(&read_one("e.csv", b"")).contains("empty"));
    assert!(nothing(&read_one("e.csv", b"date,kpi,value\n")).contains("no rows"));
    assert!(
        nothing(&read_one(
            "c.csv",
            b"Campaign report\n27 January 2026 - 23 February 2026\n"
        ))
        .contains("preamble")
    );
    let ga4_only_block = "# ----------------------------------------\n# Events\n# ----------------------------------------\n# Start date: 20260101\n# End date: 20260131\n";
    assert!(nothing(&read_one("g.csv", ga4_only_block.as_bytes())).contains("header block"));
    let e = errors(&read_one("x.csv", b"# Sessions\nDate,Sessions\n2026-01-01,4\n"));
    assert!(
        e[0].contains("not a format") && e[0].contains("Google Analytics 4"),
        "{e:?}"
    );
    let e = errors(&read_one("x.csv", b"Name,Cost,Clicks\nA,1,2\n"));
    assert!(e[0].contains("Google Ads"), "{e:?}");
    assert_eq!(
        recognise(b"Top queries,Clicks,Impressions,CTR,Position\n"),
        Recognised::SearchConsoleTable("query")
    );
    assert_eq!(recognise(b"Filter,Value\n"), Recognised::SearchConsoleFilters);
    assert_eq!(recognise(&utf16(ADS_CSV)), Recognised::GoogleAds);
    assert_eq!(recognise(GA4.as_bytes()), Recognised::Ga4);
    assert_eq!(recognise(GBP.as_bytes()), Recognised::BusinessProfile);
}

#[test]
fn every_bad_cell_is_listed_to_the_last_line() {
    let chart = "Date,Clicks,Impressions,CTR,Position\n2026-03-01,x,100,1%,7\n2026-03-02,1,100,1%,7\n2026-03-0x,1,100,1%,7\n2026-03-04,1,100,1%,seven";
    let e = errors(&read_one("Chart.csv", chart.as_bytes()));
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(e[0].starts_with("Chart.csv line 2, column \"Clicks\""));
    assert!(e[1].starts_with("Chart.csv line 4, column \"Date\""));
    assert!(e[2].starts_with("Chart.csv line 5, column \"Position\""));
}

#[test]
fn a_zip_as_downloaded_is_read_as_one_set() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("Chart.csv", CHART),
        ("Queries.csv", QUERIES),
        ("Filters.csv", FILTERS),
    ] {
        zip.start_file(format!("export/{name}"), options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.start_file("__MACOSX/export/._Chart.csv", options).unwrap();
    zip.write_all(b"\0\0junk").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(recognise(&bytes), Recognised::Zip);
    let r = read_one("Performance-on-Search-2026-03.zip", &bytes);
    let r = values(&r);
    assert_eq!(r.format, "search-console-zip");
    assert_eq!(r.values.len(), 16);
    assert_eq!(find(r, "gsc:clicks", "query: sourdough").end, d("2026-03-31"));
    let e = errors(&read_one("broken.zip", &bytes[..bytes.len() / 2]));
    assert!(e[0].contains("zip"), "{e:?}");
}
