//! KPIs and the long-format import, on both databases: presets per business model, all-or-nothing files with
//! every error's line and column, a file imported twice changes nothing, values replace rather than double, and
//! an import can be undone as a whole.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::error::Error;
use accountable_core::import::{ImportOptions, ImportOutcome};
use accountable_core::kpi::KpiKind;
use accountable_core::record::RecordKind;
use accountable_testkit::TestApp;

async fn setup(app: &TestApp, client: &str) -> (Actor, accountable_core::id::ClientId) {
    app.northwind_owner_and(client).await
}

#[tokio::test]
async fn presets_follow_the_business_model_and_language_and_are_added_once() {
    let app = TestApp::with_demo().await;
    let (owner, client) = setup(&app, "Kovács Pékség Kft.").await;
    let added = app.services.add_preset_kpis(&owner, client).await.unwrap();
    let names: Vec<&str> = added.iter().map(|k| k.fields.name.as_str()).collect();
    assert!(
        names.contains(&"Elérés") && names.contains(&"Átlagos keresési pozíció"),
        "{names:?}"
    );
    assert!(
        added
            .iter()
            .any(|k| k.fields.name == "Követők" && k.fields.kind == KpiKind::Leading)
    );
    assert!(
        app.services
            .add_preset_kpis(&owner, client)
            .await
            .unwrap()
            .is_empty(),
        "a second time adds nothing"
    );
}

/// Issue 11, empty states: the "Add the preset KPIs" button shows only while a preset is missing, then the page
/// says that every preset is there; without KPIs, the moves section says there is nothing to compare yet.
#[tokio::test]
async fn the_preset_button_shows_only_while_a_preset_is_missing() {
    let app = TestApp::with_demo().await;
    let (owner, client) = setup(&app, "Ledgerline Software").await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b.get(&format!("/clients/{client}/kpis")).await;
    assert!(page.body.contains("Add the preset KPIs"), "{}", page.body);
    assert!(!page.body.contains("Every preset KPI"));
    // Without KPIs no move was judged: the page does not claim every KPI moved within its range.
    assert!(page.body.contains("Nothing to compare yet"), "{}", page.body);
    assert!(!page.body.contains("every KPI moved within its normal range"));
    app.services.add_preset_kpis(&owner, client).await.unwrap();
    let page = b.get(&format!("/clients/{client}/kpis")).await;
    assert!(
        !page.body.contains("Add the preset KPIs"),
        "the button is gone once all are there"
    );
    assert!(
        page.body
            .contains("Every preset KPI of this business model is here.")
    );
}

#[tokio::test]
async fn a_long_file_imports_all_or_nothing_once_and_can_be_undone() {
    let app = TestApp::with_demo().await;
    let (owner, client) = setup(&app, "Ledgerline Software").await;
    app.services.add_preset_kpis(&owner, client).await.unwrap();
    let options = ImportOptions::default();

    let bad = "date,kpi,value\n2026-10-01,Leads,40\n2026-10-02,Leads,41\n2026-10-03,Leads,forty\n";
    match app
        .services
        .import_file(&owner, client, "bad.csv", bad.as_bytes(), &options)
        .await
        .unwrap()
    {
        ImportOutcome::Refused { errors, .. } => {
            assert_eq!(errors.len(), 1);
            assert_eq!((errors[0].line, errors[0].column.as_str()), (4, "value"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let leads = || async {
        app.services
            .client_kpis(&owner, client)
            .await
            .unwrap()
            .into_iter()
            .find(|k| k.kpi.fields.name == "Leads")
            .unwrap()
    };
    assert_eq!(
        leads().await.latest,
        None,
        "a refused file imports nothing, not even its good lines"
    );

    let unknown = "date,kpi,value\n2026-10-01,Webinar signups,7\n";
    assert!(matches!(
        app.services
            .import_file(&owner, client, "u.csv", unknown.as_bytes(), &options)
            .await
            .unwrap(),
        ImportOutcome::Refused { .. }
    ));
    let create = ImportOptions {
        create_kpis: true,
        ..Default::default()
    };
    assert!(matches!(
        app.services
            .import_file(&owner, client, "u.csv", unknown.as_bytes(), &create)
            .await
            .unwrap(),
        ImportOutcome::Committed(_)
    ));

    let good =
        "date,kpi,value\r\n2026-10-01,Leads,40\r\n2026-10-02,leads,41.5\r\n2026-10-02,Qualified leads,9\r\n";
    let dry = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    assert!(matches!(
        app.services
            .import_file(&owner, client, "good.csv", good.as_bytes(), &dry)
            .await
            .unwrap(),
        ImportOutcome::Preview(_)
    ));
    assert_eq!(leads().await.latest, None, "a dry run imports nothing");
    let committed = match app
        .services
        .import_file(&owner, client, "good.csv", good.as_bytes(), &options)
        .await
        .unwrap()
    {
        ImportOutcome::Committed(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(committed.values, 3);
    assert_eq!(committed.period.unwrap().1.to_string(), "2026-10-02");
    assert_eq!(leads().await.latest.unwrap().1, 41.5);
    assert!(matches!(
        app.services
            .import_file(&owner, client, "good-again.csv", good.as_bytes(), &options)
            .await
            .unwrap(),
        ImportOutcome::AlreadyImported { .. }
    ));

    // A corrected file replaces the day's value instead of adding a second one.
    let corrected = "date,kpi,value\n2026-10-02,Leads,44\n";
    let second = match app
        .services
        .import_file(&owner, client, "fix.csv", corrected.as_bytes(), &options)
        .await
        .unwrap()
    {
        ImportOutcome::Committed(r) => r.import_id.unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(leads().await.latest.unwrap().1, 44.0);
    app.services.undo_import(&owner, second).await.unwrap();
    assert_eq!(
        leads().await.latest.unwrap(),
        ("2026-10-02".parse().unwrap(), 41.5),
        "undo brings back the value it replaced (docs/decisions/0013-replaced-values-kept.md)"
    );
    assert!(matches!(
        app.services.undo_import(&owner, second).await,
        Err(Error::Conflict { .. })
    ));
    let imports = app.services.imports(&owner, client).await.unwrap();
    assert_eq!(imports.len(), 3);
    assert!(imports[0].undone_at.is_some());
}

#[tokio::test]
async fn another_agencys_client_and_an_empty_or_foreign_file_are_handled_plainly() {
    let app = TestApp::with_demo().await;
    let (owner, client) = setup(&app, "Ledgerline Software").await;
    let southwind = app
        .services
        .find_agency("Southwind Media")
        .await
        .unwrap()
        .unwrap()
        .id;
    let outsider = app
        .services
        .resolve_person(&Actor::operator(southwind), "owner@southwind.example")
        .await
        .unwrap()
        .actor();
    let file = b"date,kpi,value\n2026-10-01,Leads,1\n";
    assert!(matches!(
        app.services
            .import_file(&outsider, client, "x.csv", file, &ImportOptions::default())
            .await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        app.services
            .import_file(
                &owner,
                client,
                "empty.csv",
                b"date,kpi,value\n",
                &ImportOptions::default()
            )
            .await
            .unwrap(),
        ImportOutcome::Nothing { .. }
    ));
    match app
        .services
        .import_file(
            &owner,
            client,
            "ga4.csv",
            b"# Sessions\nDate,Sessions\n",
            &ImportOptions::default(),
        )
        .await
        .unwrap()
    {
        ImportOutcome::Refused { errors, .. } => assert!(errors[0].message.contains("not a format")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_search_console_chart_feeds_leading_indicators_created_by_their_source_mapping() {
    let app = TestApp::with_demo().await;
    let (owner, client) = setup(&app, "Kovács Pékség Kft.").await;
    let chart = "\u{feff}Date,Clicks,Impressions,CTR,Position\r\n2026-03-01,9,12177,0.07%,7.5\r\n2026-03-02,54,19123,0.28%,7.4\r\n";
    let report = match app
        .services
        .import_file(
            &owner,
            client,
            "Chart.csv",
            chart.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap()
    {
        ImportOutcome::Committed(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(report.format, "search-console-chart");
    assert_eq!(report.values, 8);
    assert!(
        report.kpis.iter().all(|(_, created)| *created),
        "{:?}",
        report.kpis
    );
    let kpis = app.services.client_kpis(&owner, client).await.unwrap();
    let clicks = kpis.iter().find(|k| k.kpi.fields.source == "gsc:clicks").unwrap();
    assert_eq!(
        clicks.kpi.fields.name, "Organikus keresési kattintások",
        "named in the client's language"
    );
    assert_eq!(
        clicks.kpi.fields.kind,
        KpiKind::Leading,
        "search clicks are a leading indicator, not a business result"
    );
    assert_eq!(clicks.latest.unwrap().1, 54.0);
    // A second chart maps to the same KPIs by their source, creating none.
    let next = "Date,Clicks,Impressions,CTR,Position\n2026-03-03,140,16428,0.85%,7.5\n";
    match app
        .services
        .import_file(
            &owner,
            client,
            "Chart (1).csv",
            next.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap()
    {
        ImportOutcome::Committed(r) => assert!(r.kpis.iter().all(|(_, created)| !*created)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        app.services
            .import_file(
                &owner,
                client,
                "Filters.csv",
                b"Filter,Value\nSearch type,Web\n",
                &ImportOptions::default()
            )
            .await
            .unwrap(),
        ImportOutcome::Nothing { .. }
    ));
}

#[tokio::test]
async fn the_kpi_page_shows_latest_values_sparklines_leading_labels_and_undoes_an_import() {
    let app = TestApp::with_demo().await;
    let (owner, client) = setup(&app, "Ledgerline Software").await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b.get(&format!("/clients/{client}/kpis")).await;
    assert!(
        page.body.contains("No KPIs yet"),
        "an empty state that says what to do"
    );
    let added = b
        .post(
            &format!("/clients/{client}/kpis"),
            &format!("/clients/{client}/kpis/presets"),
            &[],
        )
        .await;
    assert_eq!(added.status, reqwest::StatusCode::SEE_OTHER);
    let chart = "Date,Clicks,Impressions,CTR,Position\n2026-03-01,9,12177,0.07%,7.5\n2026-03-02,54,19123,0.28%,7.4\n2026-03-03,140,16428,0.85%,7.5\n";
    app.services
        .import_file(
            &owner,
            client,
            "Chart.csv",
            chart.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    let page = b.get(&format!("/clients/{client}/kpis")).await;
    assert!(page.body.contains("Cost per lead") && page.body.contains("Leading indicator"));
    assert!(
        page.body.contains("<polyline points="),
        "a sparkline is drawn for the clicks"
    );
    assert!(
        page.body.contains("16,428"),
        "the latest impressions, formatted for English"
    );
    let imports = app.services.imports(&owner, client).await.unwrap();
    let undo = b
        .post(
            &format!("/clients/{client}/kpis"),
            &format!("/imports/{}/undo", imports[0].id),
            &[],
        )
        .await;
    assert_eq!(undo.status, reqwest::StatusCode::SEE_OTHER);
    let page = b.get(&format!("/clients/{client}/kpis")).await;
    assert!(page.body.contains("Undone") && !page.body.contains("<polyline"));
    let outsider = app.browser();
    outsider.sign_in_demo("owner@southwind.example").await;
    assert_eq!(
        outsider.get(&format!("/clients/{client}/kpis")).await.status,
        reqwest::StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_store_refuses_values_for_a_kpi_that_is_not_the_clients_and_writes_none_of_them() {
    use accountable_core::kpi::Measurement;
    use accountable_core::store::Store;
    let app = TestApp::with_demo().await;
    let (owner, ledgerline) = setup(&app, "Ledgerline Software").await;
    let (_, bakery) = setup(&app, "Kovács Pékség Kft.").await;
    let form = accountable_core::kpi::KpiForm {
        name: "Store check".into(),
        unit: "count".into(),
        direction: "up".into(),
        aggregation: "sum".into(),
        kind: "business".into(),
        source: String::new(),
    };
    let ours = app.services.add_kpi(&owner, ledgerline, &form).await.unwrap().id;
    let theirs = app.services.add_kpi(&owner, bakery, &form).await.unwrap().id;
    let day: jiff::civil::Date = "2031-01-01".parse().unwrap();
    let value = |kpi| Measurement {
        kpi_id: kpi,
        period_start: day,
        period_end: day,
        dimension: String::new(),
        value: 1.0,
    };
    // The measurements table keeps no foreign key (docs/decisions/0010): the store checks each write's KPIs.
    let mut tx = app.store.begin().await.unwrap();
    let refused = tx
        .upsert_measurements(owner.agency_id, ledgerline, None, &[value(ours), value(theirs)])
        .await;
    assert!(
        matches!(
            refused,
            Err(Error::NotFound {
                entity: RecordKind::Kpi
            })
        ),
        "{refused:?}"
    );
    let written = tx
        .list_measurements(owner.agency_id, ledgerline, day, day)
        .await
        .unwrap();
    assert!(written.is_empty(), "nothing of the refused write is there");
    let missing = accountable_core::kpi::KpiId(i64::MAX);
    let refused = tx
        .upsert_measurements(owner.agency_id, ledgerline, None, &[value(missing)])
        .await;
    assert!(
        matches!(refused, Err(Error::NotFound { .. })),
        "a KPI that does not exist: {refused:?}"
    );
    // Another tenant's client's values are not reached by reads either.
    assert!(
        tx.list_measurements(owner.agency_id, bakery, day, day)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn month_totals_follow_every_write_replacement_and_undo_of_daily_values() {
    use accountable_core::kpi::Measurement;
    use accountable_core::store::Store;
    let app = TestApp::with_demo().await;
    let (owner, client) = setup(&app, "Ledgerline Software").await;
    let file =
        "date,kpi,value\n2031-01-30,Month check,10\n2031-01-31,Month check,5\n2031-02-01,Month check,7\n";
    let outcome = app
        .services
        .import_file(
            &owner,
            client,
            "months.csv",
            file.as_bytes(),
            &ImportOptions {
                create_kpis: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let ImportOutcome::Committed(report) = outcome else {
        panic!("{outcome:?}")
    };
    let kpi = app
        .services
        .client_kpis(&owner, client)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.kpi.fields.name == "Month check")
        .unwrap()
        .kpi
        .id;
    let months = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let mut rows: Vec<(String, f64, i64, f64)> = tx
                .month_totals(
                    owner.agency_id,
                    &[client],
                    "2031-01-01".parse().unwrap(),
                    "2031-12-31".parse().unwrap(),
                )
                .await
                .unwrap()
                .into_iter()
                .filter(|t| t.kpi_id == kpi)
                .map(|t| (t.month.to_string(), t.total, t.days, t.last))
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            rows
        }
    };
    assert_eq!(
        months(&app).await,
        [
            ("2031-01-01".to_string(), 15.0, 2, 5.0),
            ("2031-02-01".to_string(), 7.0, 1, 7.0)
        ]
    );
    // A value replaced through the API's path, and a breakdown and a period total that never count as days.
    let day: jiff::civil::Date = "2031-01-31".parse().unwrap();
    let value = |start: &str, end: &str, dimension: &str, value: f64| Measurement {
        kpi_id: kpi,
        period_start: start.parse().unwrap(),
        period_end: end.parse().unwrap(),
        dimension: dimension.into(),
        value,
    };
    app.services
        .write_measurements(
            &owner,
            client,
            &[
                value("2031-01-31", "2031-01-31", "", 8.0),
                value("2031-01-31", "2031-01-31", "campaign: A", 100.0),
                value("2031-01-01", "2031-01-31", "", 1000.0),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        months(&app).await[0],
        ("2031-01-01".to_string(), 18.0, 2, 8.0),
        "{day}"
    );
    // Undoing the import takes its days out of the months; the day written since stays.
    app.services
        .undo_import(&owner, report.import_id.unwrap())
        .await
        .unwrap();
    assert_eq!(
        months(&app).await,
        [("2031-01-01".to_string(), 8.0, 1, 8.0)],
        "February had only the import's day: it is gone"
    );
}
