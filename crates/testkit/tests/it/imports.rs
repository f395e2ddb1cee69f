//! Imports of every export format, on both databases: a Search Console set or zip imported together (Filters.csv
//! gives the tables their period), Google Ads period totals by campaign with the account's whole and no "Total"
//! row as a campaign, currencies, Meta's empty export, all or nothing with an error on the last line, the same file
//! twice, and values that would collide.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::id::ClientId;
use accountable_core::import::{ImportOptions, ImportOutcome, ImportReport, ProgressHook};
use accountable_core::kpi::{KpiForm, KpiKind, Measurement};
use accountable_core::store::Store;
use accountable_testkit::TestApp;
use std::io::Write;

async fn setup(app: &TestApp, agency: &str, owner: &str, client: &str) -> (Actor, ClientId) {
    let owner = app.actor(agency, owner).await;
    let id = app.services.resolve_client(&owner, client).await.unwrap().id;
    (owner, id)
}

async fn northwind(app: &TestApp, client: &str) -> (Actor, ClientId) {
    setup(app, "Northwind Creative", "owner@northwind.example", client).await
}

/// Every value of a client, period totals and breakdowns included, read under the use cases.
async fn stored(app: &TestApp, owner: &Actor, client: ClientId) -> Vec<Measurement> {
    let mut tx = app.store.begin().await.unwrap();
    tx.list_measurements(
        owner.agency_id,
        client,
        "2000-01-01".parse().unwrap(),
        "2100-01-01".parse().unwrap(),
    )
    .await
    .unwrap()
}

fn committed(outcome: &ImportOutcome) -> &ImportReport {
    match outcome {
        ImportOutcome::Committed(r) => r,
        other => panic!("expected a commit, got {other:?}"),
    }
}

fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    list.iter()
        .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
        .collect()
}

const CHART: &str = "\u{feff}Date,Clicks,Impressions,CTR,Position\r\n2026-03-01,9,\"12,177\",0.07%,7.5\r\n2026-03-02,54,19123,0.28%,7.4\r\n";
const QUERIES: &str = "Top queries,Clicks,Impressions,CTR,Position\nbakery near me,627,974,64.37%,1.27\nsourdough,\"1,139\",\"4,454\",25.57%,1.16\n";
const DEVICES: &str =
    "Device,Clicks,Impressions,CTR,Position\nMobile,613,102434,0.6%,7.7\nDesktop,1417,408350,0.35%,7.43\n";
const FILTERS: &str = "Filter,Value\nSearch type,Web\nDate,\"Mar 1, 2026-Mar 31, 2026\"";

#[tokio::test]
async fn a_search_console_set_imports_together_with_period_totals_by_query_never_spread_into_days() {
    let app = TestApp::with_demo().await;
    let (owner, client) = northwind(&app, "Kovács Pékség Kft.").await;
    let alone = app
        .services
        .import_files(
            &owner,
            client,
            &files(&[("Queries.csv", QUERIES)]),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    match &alone[0] {
        ImportOutcome::Refused { errors, .. } => {
            assert!(errors[0].message.contains("Filters.csv") && errors[0].message.contains("zip"))
        }
        other => panic!("a table alone has no period: {other:?}"),
    }
    let set = files(&[
        ("Chart.csv", CHART),
        ("Queries.csv", QUERIES),
        ("Devices.csv", DEVICES),
        ("Filters.csv", FILTERS),
    ]);
    let outcomes = app
        .services
        .import_files(&owner, client, &set, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(committed(&outcomes[0]).format, "search-console-chart");
    let queries = committed(&outcomes[1]);
    assert_eq!(
        (queries.values, queries.period_totals, queries.with_dimension),
        (8, 8, 8)
    );
    assert!(matches!(outcomes[3], ImportOutcome::Nothing { .. }));

    let kpis = app.services.client_kpis(&owner, client).await.unwrap();
    let clicks = kpis.iter().find(|k| k.kpi.fields.source == "gsc:clicks").unwrap();
    assert_eq!(clicks.kpi.fields.name, "Organikus keresési kattintások");
    assert_eq!(clicks.kpi.fields.kind, KpiKind::Leading);
    let values = stored(&app, &owner, client).await;
    let of_clicks: Vec<&Measurement> = values.iter().filter(|m| m.kpi_id == clicks.kpi.id).collect();
    let sourdough = of_clicks
        .iter()
        .find(|m| m.dimension == "query: sourdough")
        .unwrap();
    assert_eq!(
        (
            sourdough.period_start.to_string(),
            sourdough.period_end.to_string(),
            sourdough.value
        ),
        ("2026-03-01".into(), "2026-03-31".into(), 1139.0)
    );
    assert_eq!(
        of_clicks.iter().filter(|m| !m.is_period_total()).count(),
        2,
        "only the chart's two days are daily values: nothing was spread into days"
    );
    assert_eq!(
        clicks.latest.unwrap().1,
        54.0,
        "the latest whole value is the chart's"
    );

    let again = app
        .services
        .import_files(&owner, client, &set, &ImportOptions::default())
        .await
        .unwrap();
    assert!(matches!(again[0], ImportOutcome::AlreadyImported { .. }));
    assert!(matches!(again[1], ImportOutcome::AlreadyImported { .. }));
    assert_eq!(stored(&app, &owner, client).await.len(), values.len());
}

fn zip(members: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in members {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[tokio::test]
async fn the_zip_as_downloaded_is_one_import_all_or_nothing_once_and_undone_as_a_whole() {
    let app = TestApp::with_demo().await;
    let (owner, client) = northwind(&app, "Ledgerline Software").await;
    let options = ImportOptions::default();
    let bad_devices = "Device,Clicks,Impressions,CTR,Position\nMobile,613,102434,0.6%,7.7\nDesktop,1417,408350,\"0,35%\",7.43";
    let bad = zip(&[
        ("Chart.csv", CHART),
        ("Devices.csv", bad_devices),
        ("Filters.csv", FILTERS),
    ]);
    match app
        .services
        .import_file(&owner, client, "export.zip", &bad, &options)
        .await
        .unwrap()
    {
        ImportOutcome::Refused { errors, .. } => {
            assert_eq!(errors.len(), 1);
            assert_eq!(
                errors[0].to_string(),
                r#"export.zip/Devices.csv line 3, column "CTR": "0,35%" is not a percentage in the en-US format, such as 0.85%"#
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        stored(&app, &owner, client).await.is_empty(),
        "an error on the last line of one file imports nothing of the zip"
    );
    assert!(
        !app.services
            .client_kpis(&owner, client)
            .await
            .unwrap()
            .iter()
            .any(|k| k.kpi.fields.source == "gsc:ctr"),
        "nor creates its KPIs"
    );

    let good = zip(&[
        ("Chart.csv", CHART),
        ("Queries.csv", QUERIES),
        ("Devices.csv", DEVICES),
        ("Filters.csv", FILTERS),
    ]);
    let report = app
        .services
        .import_file(&owner, client, "export.zip", &good, &options)
        .await
        .unwrap();
    let report = committed(&report);
    assert_eq!(
        (report.format.as_str(), report.values),
        ("search-console-zip", 24)
    );
    assert_eq!(stored(&app, &owner, client).await.len(), 24);
    assert!(matches!(
        app.services
            .import_file(&owner, client, "export (1).zip", &good, &options)
            .await
            .unwrap(),
        ImportOutcome::AlreadyImported { .. }
    ));
    app.services
        .undo_import(&owner, report.import_id.unwrap())
        .await
        .unwrap();
    assert!(stored(&app, &owner, client).await.is_empty());
}

fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

const ADS: &str = "Campaign report\n27 January 2026 - 23 February 2026\nCampaign status\tCampaign\tBudget\tCurrency code\tClicks\tImpr.\tCTR\tCost\tConversions\tConv. value\nEnabled\tVeg Boxes\t25.00\tGBP\t603\t\"31,193\"\t1.93%\t798.88\t49.00\t\"1,286.58\"\nEnabled\tOffice Fruit\t10.00\tGBP\t264\t\"9,392\"\t2.81%\t365.22\t25.00\t841.23\nTotal: Campaigns\t --\t --\tGBP\t867\t\"40,585\"\t2.14%\t1164.10\t74.00\t\"2,127.81\"\nTotal: Account\t\t\tGBP\t867\t\"40,585\"\t2.14%\t1164.10\t74.00\t\"2,127.81\"\nTotal: Search\t\t\tGBP\t0\t0\t --\t0.00\t0.00\t0.00\n";

#[tokio::test]
async fn google_ads_stores_campaign_totals_and_the_account_whole_in_the_clients_currency_only() {
    let app = TestApp::with_demo().await;
    let (owner, client) = setup(
        &app,
        "Southwind Media",
        "owner@southwind.example",
        "Meridian Dental Clinics",
    )
    .await;
    let outcome = app
        .services
        .import_file(
            &owner,
            client,
            "Campaign report.csv",
            &utf16(ADS),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    let report = committed(&outcome);
    assert_eq!(report.format, "google-ads");
    assert_eq!(report.values, 15);
    let kpis = app.services.client_kpis(&owner, client).await.unwrap();
    let spend = kpis.iter().find(|k| k.kpi.fields.source == "gads:cost").unwrap();
    assert_eq!(spend.kpi.fields.name, "Ad spend (Google Ads)");
    let values = stored(&app, &owner, client).await;
    let of_spend: Vec<&Measurement> = values.iter().filter(|m| m.kpi_id == spend.kpi.id).collect();
    let dimensions: Vec<&str> = of_spend.iter().map(|m| m.dimension.as_str()).collect();
    assert_eq!(dimensions.len(), 3);
    for d in ["", "campaign: Veg Boxes", "campaign: Office Fruit"] {
        assert!(dimensions.contains(&d), "{dimensions:?}");
    }
    let whole = of_spend.iter().find(|m| m.dimension.is_empty()).unwrap();
    assert_eq!(
        (
            whole.period_start.to_string(),
            whole.period_end.to_string(),
            whole.value
        ),
        ("2026-01-27".into(), "2026-02-23".into(), 1164.10)
    );
    assert_eq!(
        spend.latest.map(|(d, v)| (d.to_string(), v)),
        Some(("2026-02-23".into(), 1164.10))
    );
    assert_eq!(
        spend.latest_from.map(|d| d.to_string()).as_deref(),
        Some("2026-01-27"),
        "the latest value is known to be a period total"
    );
    // The KPI page says so, rather than passing the total off as a day's value.
    let b = app.browser();
    b.sign_in_demo("owner@southwind.example").await;
    let page = b.get(&format!("/clients/{client}/kpis")).await;
    assert!(
        page.body
            .contains("Total for Jan 27, 2026 – Feb 23, 2026, not a day&#39;s value</span>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("never spread over days"));

    // A client in euros does not get pounds written into its money KPIs.
    let (owner, ledgerline) = northwind(&app, "Ledgerline Software").await;
    match app
        .services
        .import_file(
            &owner,
            ledgerline,
            "Campaign report.csv",
            &utf16(ADS),
            &ImportOptions::default(),
        )
        .await
        .unwrap()
    {
        ImportOutcome::Refused { errors, .. } => {
            assert_eq!(errors[0].column, "Currency code");
            assert!(errors[0].message.contains("GBP") && errors[0].message.contains("EUR"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn metas_empty_export_is_nothing_and_repeated_values_or_a_taken_name_are_refused_plainly() {
    let app = TestApp::with_demo().await;
    let (owner, client) = northwind(&app, "Ledgerline Software").await;
    let empty = "\"Reporting starts\",\"Reporting ends\",\"Campaign name\",Reach,Impressions,\"Amount spent (EUR)\"\n\"No data available.\"\n";
    match app
        .services
        .import_file(
            &owner,
            client,
            "Campaigns.csv",
            empty.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap()
    {
        ImportOutcome::Nothing { reason, .. } => assert!(reason.contains("No data available")),
        other => panic!("{other:?}"),
    }

    let create = ImportOptions {
        create_kpis: true,
        ..Default::default()
    };
    let twice = "date,kpi,value\n2026-10-01,Webinars,4\n2026-10-02,Webinars,5\n2026-10-01,webinars,6\n";
    match app
        .services
        .import_file(&owner, client, "twice.csv", twice.as_bytes(), &create)
        .await
        .unwrap()
    {
        ImportOutcome::Refused { errors, .. } => {
            assert_eq!(errors[0].line, 4);
            assert!(
                errors[0].message.contains("line 2 already gives"),
                "{}",
                errors[0]
            );
        }
        other => panic!("the same KPI and day twice is refused, not left to the database: {other:?}"),
    }

    let typed = KpiForm {
        name: "Meta impressions".into(),
        unit: "count".into(),
        direction: "up".into(),
        aggregation: "sum".into(),
        kind: "leading-indicator".into(),
        source: String::new(),
    };
    app.services.add_kpi(&owner, client, &typed).await.unwrap();
    let meta = "\"Reporting starts\",\"Reporting ends\",\"Campaign name\",Reach,Impressions,\"Amount spent (EUR)\"\n2026-10-01,2026-10-31,Autumn,4000,9000,120.50\n";
    match app
        .services
        .import_file(
            &owner,
            client,
            "Campaigns.csv",
            meta.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap()
    {
        ImportOutcome::Refused { errors, .. } => {
            assert_eq!(errors[0].column, "Impressions");
            assert!(errors[0].message.contains("meta:impressions"), "{}", errors[0]);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn business_profile_and_ga4_downloads_import_as_period_totals() {
    let app = TestApp::with_demo().await;
    let (owner, client) = northwind(&app, "Ledgerline Software").await;
    let gbp = "Store code,Business name,Address,Labels,Google Search - Mobile,Google Search - Desktop,Google Maps - Mobile,Google Maps - Desktop,Calls,Messages,Bookings,Directions,Website clicks\n,,,,Views on Search (mobile),Views on Search (desktop),Views on Maps (mobile),Views on Maps (desktop),Calls,Conversations,Bookings,Directions,Website\n,Ledgerline,\"2 Grand Canal Square, Dublin\",,42,24,27,24,3,0,0,63,7\n";
    let report = app
        .services
        .import_file(
            &owner,
            client,
            "GMB insights (Performance Report) - 2026-1-1 - 2026-1-31 - b33f.csv",
            gbp.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    let report = committed(&report);
    assert_eq!((report.values, report.period_totals), (9, 9));
    let ga4 = "# ----------------------------------------\r\n# Pages and screens: Page path and screen class\r\n# Account: Ledgerline\r\n# Property: Ledgerline - GA4\r\n# ----------------------------------------\r\n# \r\n# All Users\r\n# Start date: 20260224\r\n# End date: 20260323\r\nPage path and screen class,Views,Active users,Engagement rate\r\n/,221,154,0.62\r\n/pricing/,139,83,0.5\r\n";
    let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = calls.clone();
    let with_progress = ImportOptions {
        progress: Some(ProgressHook(std::sync::Arc::new(
            move |file: &str, written, total| seen.lock().unwrap().push((file.to_string(), written, total)),
        ))),
        ..Default::default()
    };
    let report = app
        .services
        .import_file(&owner, client, "Pages.csv", ga4.as_bytes(), &with_progress)
        .await
        .unwrap();
    assert_eq!(
        *calls.lock().unwrap(),
        [("Pages.csv".to_string(), 6, 6)],
        "progress ends with the count"
    );
    let report = committed(&report);
    assert_eq!(report.format, "ga4-report");
    assert_eq!(report.values, 6);
    let kpis = app.services.client_kpis(&owner, client).await.unwrap();
    let rate = kpis
        .iter()
        .find(|k| k.kpi.fields.source == "ga4:engagement-rate")
        .unwrap();
    assert_eq!(rate.kpi.fields.kind, KpiKind::Leading);
    let values = stored(&app, &owner, client).await;
    let pricing = values
        .iter()
        .find(|m| m.kpi_id == rate.kpi.id && m.dimension == "page path and screen class: /pricing/")
        .unwrap();
    assert_eq!(pricing.value, 50.0, "GA4's fraction stored in percent points");
}

#[tokio::test]
async fn the_preview_mapping_sends_a_column_into_another_kpi_or_leaves_it_out_and_is_remembered() {
    use accountable_core::import::MapTo;
    use std::collections::HashMap;
    let app = TestApp::with_demo().await;
    let (owner, _) = northwind(&app, "Kovács Pékség Kft.").await;
    let form = accountable_core::client::ClientForm {
        name: "Mapping Bakery".into(),
        business_model: "lead-generation".into(),
        time_zone: "UTC".into(),
        language: "en".into(),
        currency: "EUR".into(),
        ..Default::default()
    };
    let client = app.services.create_client(&owner, &form).await.unwrap().id;
    let count = |name: &str| KpiForm {
        name: name.into(),
        unit: "count".into(),
        direction: "up".into(),
        aggregation: "sum".into(),
        kind: "leading-indicator".into(),
        source: String::new(),
    };
    let website = app
        .services
        .add_kpi(&owner, client, &count("Website clicks"))
        .await
        .unwrap();
    let chart = files(&[("Chart.csv", CHART)]);
    let mapping = HashMap::from([
        ("gsc:clicks".to_string(), MapTo::Kpi(website.id)),
        ("gsc:impressions".to_string(), MapTo::Skip),
    ]);

    // The preview shows every column's KPI, the person's choices marked, and counts only what will be imported.
    let preview = app
        .services
        .import_files(
            &owner,
            client,
            &chart,
            &ImportOptions {
                dry_run: true,
                mapping: mapping.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let ImportOutcome::Preview(report) = &preview[0] else {
        panic!("expected a preview, got {:?}", preview[0]);
    };
    let line = |source: &str| report.mapping.iter().find(|l| l.source == source).unwrap();
    assert_eq!(
        (
            line("gsc:clicks").kpi.as_deref(),
            line("gsc:clicks").kpi_id,
            line("gsc:clicks").chosen
        ),
        (Some("Website clicks"), Some(website.id), true)
    );
    assert_eq!(line("gsc:clicks").column, "Clicks");
    assert_eq!(
        (
            line("gsc:impressions").kpi.as_deref(),
            line("gsc:impressions").values
        ),
        (None, 2)
    );
    assert!(
        line("gsc:ctr").created && !line("gsc:ctr").chosen,
        "an untouched column keeps the automatic KPI"
    );
    assert_eq!(
        report.values, 6,
        "two days of three columns: the impressions are left out"
    );

    // A KPI of another unit, or not the client's, is refused naming the column; nothing is written.
    let other_client = app
        .services
        .resolve_client(&owner, "Kovács Pékség Kft.")
        .await
        .unwrap()
        .id;
    let foreign = app
        .services
        .add_kpi(&owner, other_client, &count("Elsewhere"))
        .await
        .unwrap();
    for (source, kpi, expected) in [
        ("gsc:ctr", website.id, "same unit"),
        ("gsc:clicks", foreign.id, "not one of the client's"),
    ] {
        let refused = app
            .services
            .import_files(
                &owner,
                client,
                &chart,
                &ImportOptions {
                    mapping: HashMap::from([(source.to_string(), MapTo::Kpi(kpi))]),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        match &refused[0] {
            ImportOutcome::Refused { errors, .. } => {
                assert!(
                    errors.iter().any(|e| e.line == 1 && e.message.contains(expected)),
                    "{errors:?}"
                )
            }
            other => panic!("expected a refusal for {source}: {other:?}"),
        }
    }
    assert!(stored(&app, &owner, client).await.is_empty());

    // Every column left out: nothing to import, said plainly.
    let all_out: HashMap<String, MapTo> = ["gsc:clicks", "gsc:impressions", "gsc:ctr", "gsc:position"]
        .iter()
        .map(|s| (s.to_string(), MapTo::Skip))
        .collect();
    let nothing = app
        .services
        .import_files(
            &owner,
            client,
            &chart,
            &ImportOptions {
                mapping: all_out,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(matches!(&nothing[0], ImportOutcome::Nothing { reason, .. } if reason.contains("left out")));

    // Committed with the mapping: the clicks are in "Website clicks", no impressions KPI was made.
    let done = app
        .services
        .import_files(
            &owner,
            client,
            &chart,
            &ImportOptions {
                mapping,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(committed(&done[0]).values, 6);
    let kpis = app.services.client_kpis(&owner, client).await.unwrap();
    assert!(!kpis.iter().any(|k| k.kpi.fields.source == "gsc:impressions"));
    let website_now = kpis.iter().find(|k| k.kpi.id == website.id).unwrap();
    assert_eq!(
        website_now.kpi.fields.source, "gsc:clicks",
        "the choice is remembered"
    );
    let values = stored(&app, &owner, client).await;
    let mut clicks: Vec<f64> = values
        .iter()
        .filter(|m| m.kpi_id == website.id)
        .map(|m| m.value)
        .collect();
    clicks.sort_by(f64::total_cmp);
    assert_eq!(clicks, vec![9.0, 54.0]);

    // The next export's clicks go to the remembered KPI by themselves.
    let next = "Date,Clicks,Impressions,CTR,Position\n2026-03-03,70,20000,0.35%,7.1\n";
    let later = app
        .services
        .import_files(
            &owner,
            client,
            &files(&[("Chart.csv", next)]),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    let report = committed(&later[0]);
    let clicks_line = report.mapping.iter().find(|l| l.source == "gsc:clicks").unwrap();
    assert_eq!(
        (clicks_line.kpi_id, clicks_line.chosen),
        (Some(website.id), false)
    );
}

#[tokio::test]
async fn the_upload_forms_options_create_named_kpis_and_give_a_renamed_exports_period() {
    let app = TestApp::with_demo().await;
    let (owner, client) = northwind(&app, "Ledgerline Software").await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let kpis_page = b.get(&format!("/clients/{client}/kpis")).await;
    assert!(
        kpis_page.body.contains("name=\"create_kpis\"") && kpis_page.body.contains("name=\"period_from\"")
    );
    let csrf = kpis_page.csrf();
    let preview = format!("/clients/{client}/imports/preview");
    let long = b"date,kpi,value\n2026-10-01,Webinar signups,12\n2026-10-02,Webinar signups,15\n".to_vec();

    // Without the option, a name the client lacks is refused, and the page says how to go on.
    let refused = b
        .post_multipart(
            &preview,
            &[("_csrf", &csrf)],
            &[("files", "webinars.csv", long.clone())],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("on the upload form"), "{}", refused.body);

    // With it, the preview shows the KPI as new, and the confirming form carries the option.
    let ready = b
        .post_multipart(
            &preview,
            &[("_csrf", &csrf), ("create_kpis", "on")],
            &[("files", "webinars.csv", long)],
        )
        .await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert!(
        ready
            .body
            .contains("Webinar signups <span class=\"badge\">new</span>"),
        "{}",
        ready.body
    );
    assert!(
        ready
            .body
            .contains("<input type=\"hidden\" name=\"create_kpis\" value=\"on\">")
    );
    let carried = |body: &str, name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        let rest = &body[body.find(&marker).unwrap() + marker.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let content = carried(&ready.body, "content");
    let done = b
        .post_multipart(
            &format!("/clients/{client}/imports"),
            &[
                ("_csrf", &csrf),
                ("create_kpis", "on"),
                ("file_name", "webinars.csv"),
                ("content", &content),
            ],
            &[],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let created = app
        .services
        .client_kpis(&owner, client)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.kpi.fields.name == "Webinar signups")
        .expect("the KPI the file names was created");
    assert_eq!(created.latest.map(|(_, v)| v), Some(15.0));

    // A Business Profile export whose name lost its dates: refused without a period, ready with one.
    let gbp = b"Store code,Business name,Address,Labels,Google Search - Mobile,Google Search - Desktop,Google Maps - Mobile,Google Maps - Desktop,Calls,Messages,Bookings,Directions,Website clicks\n,,,,Views on Search (mobile),Views on Search (desktop),Views on Maps (mobile),Views on Maps (desktop),Calls,Conversations,Bookings,Directions,Website\n,Ledgerline,Dublin,,42,24,27,24,3,0,0,63,7\n".to_vec();
    let without = b
        .post_multipart(
            &preview,
            &[("_csrf", &csrf)],
            &[("files", "insights.csv", gbp.clone())],
        )
        .await;
    assert_eq!(without.status, 422);
    assert!(
        without.body.contains("give the period on the upload form"),
        "{}",
        without.body
    );
    let with = b
        .post_multipart(
            &preview,
            &[
                ("_csrf", &csrf),
                ("period_from", "2026-01-01"),
                ("period_to", "2026-01-31"),
            ],
            &[("files", "insights.csv", gbp.clone())],
        )
        .await;
    assert_eq!(with.status, 200, "{}", with.body);
    assert!(with.body.contains("Jan 1, 2026 – Jan 31, 2026"), "{}", with.body);
    assert!(
        with.body
            .contains("<input type=\"hidden\" name=\"period_from\" value=\"2026-01-01\">")
    );
    // Half a period, or one ending before it starts, is a clear error naming the field.
    let half = b
        .post_multipart(
            &preview,
            &[("_csrf", &csrf), ("period_from", "2026-01-01")],
            &[("files", "insights.csv", gbp.clone())],
        )
        .await;
    assert_eq!(half.status, 422, "{}", half.body);
    assert!(
        half.body
            .contains("The period needs both its first and its last day"),
        "{}",
        half.body
    );
    let backwards = b
        .post_multipart(
            &preview,
            &[
                ("_csrf", &csrf),
                ("period_from", "2026-02-01"),
                ("period_to", "2026-01-01"),
            ],
            &[("files", "insights.csv", gbp)],
        )
        .await;
    assert_eq!(backwards.status, 422);
    assert!(
        backwards
            .body
            .contains("The period&#39;s last day comes before its first"),
        "{}",
        backwards.body
    );
}
