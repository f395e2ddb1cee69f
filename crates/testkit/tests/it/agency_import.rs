//! Agency-wide imports of the long format with a client column, on both databases: one transaction for the whole
//! file, one import record per client (the same SHA-256), undo client by client, a repeat that changes nothing,
//! every error of a refused file listed, a file for one client that names others refused, and values written in
//! bulk that come back exactly as given.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::id::ClientId;
use accountable_core::import::{
    AgencyImportOutcome, AgencyImportReport, ImportError, ImportOptions, ImportOutcome,
};
use accountable_core::kpi::{KpiForm, KpiId, Measurement};
use accountable_core::store::Store;
use accountable_testkit::TestApp;

const LEDGERLINE: &str = "Ledgerline Software";
const HARBOR: &str = "Harbor & Pine Home Goods";

async fn owner(app: &TestApp) -> Actor {
    app.actor("Northwind Creative", "owner@northwind.example").await
}

async fn client(app: &TestApp, owner: &Actor, name: &str) -> ClientId {
    app.services.resolve_client(owner, name).await.unwrap().id
}

/// A client's KPI named `name`, added when missing.
async fn kpi(app: &TestApp, owner: &Actor, client: ClientId, name: &str) -> KpiId {
    let kpis = app.services.client_kpis(owner, client).await.unwrap();
    if let Some(k) = kpis.iter().find(|k| k.kpi.fields.name == name) {
        return k.kpi.id;
    }
    let form = KpiForm {
        name: name.into(),
        unit: "count".into(),
        direction: "up".into(),
        aggregation: "sum".into(),
        kind: "business".into(),
        source: String::new(),
    };
    app.services.add_kpi(owner, client, &form).await.unwrap().id
}

/// Every value of a client.
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

fn values(list: &[Measurement]) -> Vec<(i64, String, f64)> {
    list.iter()
        .map(|m| (m.kpi_id.0, m.period_start.to_string(), m.value))
        .collect()
}

async fn import(app: &TestApp, owner: &Actor, text: &str, create_kpis: bool) -> AgencyImportOutcome {
    let options = ImportOptions {
        create_kpis,
        ..Default::default()
    };
    app.services
        .import_agency_file(owner, "agency.csv", text.as_bytes(), &options)
        .await
        .unwrap()
}

fn committed(outcome: AgencyImportOutcome) -> AgencyImportReport {
    match outcome {
        AgencyImportOutcome::Committed(r) => r,
        other => panic!("expected a commit, got {other:?}"),
    }
}

fn refused(outcome: AgencyImportOutcome) -> Vec<ImportError> {
    match outcome {
        AgencyImportOutcome::Refused { errors, .. } => errors.shown().to_vec(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_agency_file_imports_for_each_client_once_with_its_own_record_and_is_undone_client_by_client() {
    let app = TestApp::with_demo().await;
    let owner = owner(&app).await;
    let (ledger, harbor) = (
        client(&app, &owner, LEDGERLINE).await,
        client(&app, &owner, HARBOR).await,
    );
    let ledger_leads = kpi(&app, &owner, ledger, "Leads").await;
    let harbor_leads = kpi(&app, &owner, harbor, "Leads").await;
    // An earlier value of the same day is replaced, never doubled.
    app.services
        .write_measurements(
            &owner,
            ledger,
            &[Measurement {
                kpi_id: ledger_leads,
                period_start: "2030-01-01".parse().unwrap(),
                period_end: "2030-01-01".parse().unwrap(),
                dimension: String::new(),
                value: 99.0,
            }],
        )
        .await
        .unwrap();
    let before_ledger = stored(&app, &owner, ledger).await.len();
    // Harbor is named by its id on one line, by its name (another case) on the other.
    let text = format!(
        "client,date,kpi,value\n{LEDGERLINE},2030-01-01,Leads,12\n{LEDGERLINE},2030-01-02,leads,13.5\n\
         {},2030-01-01,Leads,7\n\"{}\",2030-01-02,Walk-ins,2\n",
        harbor.0,
        HARBOR.to_uppercase()
    );
    let report = committed(import(&app, &owner, &text, true).await);
    assert_eq!((report.values, report.clients.len()), (4, 2), "{report:?}");
    let parts: Vec<String> = report
        .clients
        .iter()
        .map(|p| format!("{} {} {:?}", p.client_id, p.values, p.kpis))
        .collect();
    assert_eq!(
        parts,
        [
            format!(r#"{ledger} 2 [("Leads", false)]"#),
            format!(r#"{harbor} 2 [("Leads", false), ("Walk-ins", true)]"#),
        ]
    );
    let ledger_values = stored(&app, &owner, ledger).await;
    assert_eq!(
        ledger_values.len(),
        before_ledger + 1,
        "one day replaced, one added"
    );
    let new_days: Vec<(i64, String, f64)> = values(&ledger_values)
        .into_iter()
        .filter(|(_, day, _)| day.starts_with("2030"))
        .collect();
    assert_eq!(
        new_days,
        [
            (ledger_leads.0, "2030-01-01".into(), 12.0),
            (ledger_leads.0, "2030-01-02".into(), 13.5)
        ]
    );
    let walk_ins = kpi(&app, &owner, harbor, "Walk-ins").await;
    let harbor_days: Vec<(i64, String, f64)> = values(&stored(&app, &owner, harbor).await)
        .into_iter()
        .filter(|(_, day, _)| day.starts_with("2030"))
        .collect();
    assert_eq!(
        harbor_days,
        [
            (harbor_leads.0, "2030-01-01".into(), 7.0),
            (walk_ins.0, "2030-01-02".into(), 2.0)
        ]
    );

    // Each client's history shows its own record of the file, with the same checksum.
    for part in &report.clients {
        let imports = app.services.imports(&owner, part.client_id).await.unwrap();
        let record = imports.first().unwrap();
        assert_eq!(Some(record.id), part.import_id);
        assert_eq!(
            (record.sha256.as_str(), record.format.as_str(), record.values),
            (report.sha256.as_str(), "long", 2)
        );
        let history = app
            .services
            .history(
                &owner,
                accountable_core::record::RecordKind::Client,
                part.client_id.0,
            )
            .await
            .unwrap();
        assert_eq!(history[0].event.action, "import.committed");
    }

    // The same file again changes nothing.
    match import(&app, &owner, &text, true).await {
        AgencyImportOutcome::AlreadyImported(r) => {
            assert!(r.clients.iter().all(|p| p.imported_before.is_some()), "{r:?}")
        }
        other => panic!("expected nothing to change, got {other:?}"),
    }
    assert_eq!(stored(&app, &owner, ledger).await, ledger_values);

    // Undone for one client, the other keeps its values; imported again, only the undone part is written.
    app.services
        .undo_import(&owner, report.clients[0].import_id.unwrap())
        .await
        .unwrap();
    // The typed value the file replaced is back (docs/decisions/0013-replaced-values-kept.md).
    let after_undo = stored(&app, &owner, ledger).await;
    assert_eq!(after_undo.len(), before_ledger);
    assert!(
        after_undo.iter().any(|m| m.kpi_id == ledger_leads
            && m.period_start.to_string() == "2030-01-01"
            && m.value == 99.0),
        "{after_undo:?}"
    );
    assert_eq!(
        stored(&app, &owner, harbor)
            .await
            .iter()
            .filter(|m| m.period_start.year() == 2030)
            .count(),
        2
    );
    let again = committed(import(&app, &owner, &text, true).await);
    assert!(again.clients[0].import_id.is_some() && again.clients[0].imported_before.is_none());
    assert_eq!(again.clients[1].imported_before, report.clients[1].import_id);
    assert_eq!(app.services.imports(&owner, harbor).await.unwrap().len(), 1);
    assert_eq!(stored(&app, &owner, ledger).await, ledger_values);
}

#[tokio::test]
async fn any_bad_line_refuses_the_whole_file_and_every_error_is_listed() {
    let app = TestApp::with_demo().await;
    let owner = owner(&app).await;
    let (ledger, harbor) = (
        client(&app, &owner, LEDGERLINE).await,
        client(&app, &owner, HARBOR).await,
    );
    kpi(&app, &owner, ledger, "Leads").await;
    kpi(&app, &owner, harbor, "Leads").await;
    let before = (
        stored(&app, &owner, ledger).await,
        stored(&app, &owner, harbor).await,
    );
    // Another agency's client is as unknown as one that does not exist; the error on the last line is found.
    let text = format!(
        "client,date,kpi,value\n{LEDGERLINE},2030-01-01,Leads,1\nMeridian Dental Clinics,2030-01-01,Leads,2\n\
         {HARBOR},2030-01-01,Walk-ins,3\n{LEDGERLINE},2030-01-01,Leads,4\nNobody Ltd,2030-13-01,Leads,5\n\
         ,2030-01-02,Leads,6\n{HARBOR},2030-01-03,Leads,7,5"
    );
    let errors = refused(import(&app, &owner, &text, false).await);
    let places: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        places,
        [
            (3, "client"),
            (4, "kpi"),
            (5, ""),
            (6, "date"),
            (6, "client"),
            (7, "client"),
            (8, "")
        ],
        "{errors:#?}"
    );
    assert!(errors[0].message.contains("\"Meridian Dental Clinics\""));
    assert!(errors[1].message.contains("--create-kpis"));
    assert!(errors[2].message.contains("line 2 already gives Leads"));
    assert_eq!(
        (
            stored(&app, &owner, ledger).await,
            stored(&app, &owner, harbor).await
        ),
        before
    );
    assert!(app.services.imports(&owner, ledger).await.unwrap().is_empty());

    // A file that is not the long format with a client column is refused, saying what is expected.
    let errors = refused(import(&app, &owner, "date,kpi,value\n2030-01-01,Leads,1\n", false).await);
    assert!(errors[0].message.contains("client,date,kpi,value"), "{errors:?}");
    match import(&app, &owner, "client,date,kpi,value\n", false).await {
        AgencyImportOutcome::Nothing { .. } => {}
        other => panic!("expected nothing, got {other:?}"),
    }
}

#[tokio::test]
async fn a_file_imported_for_one_client_refuses_the_lines_of_others() {
    let app = TestApp::with_demo().await;
    let owner = owner(&app).await;
    let ledger = client(&app, &owner, LEDGERLINE).await;
    kpi(&app, &owner, ledger, "Leads").await;
    let text = format!(
        "client,date,kpi,value\n{LEDGERLINE},2030-01-01,Leads,1\n{HARBOR},2030-01-01,Leads,2\n\
         {HARBOR},2030-01-01,Walk-ins,2\n{},2030-01-02,Leads,3\n",
        ledger.0
    );
    let outcome = app
        .services
        .import_file(
            &owner,
            ledger,
            "agency.csv",
            text.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    match outcome {
        ImportOutcome::Refused { errors, .. } => {
            let places: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
            // Only the lines' client is wrong: not a repeat of line 2, not a KPI Ledgerline lacks.
            assert_eq!(places, [(3, "client"), (4, "client")], "{errors:?}");
            assert!(errors[0].message.contains(HARBOR));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let own = format!(
        "client,date,kpi,value\n{LEDGERLINE},2030-01-01,Leads,1\n{},2030-01-02,Leads,3\n",
        ledger.0
    );
    let outcome = app
        .services
        .import_file(
            &owner,
            ledger,
            "own.csv",
            own.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    assert!(matches!(outcome, ImportOutcome::Committed(_)), "{outcome:?}");
}

#[tokio::test]
async fn values_written_in_bulk_come_back_exactly_and_the_later_of_two_for_one_key_wins() {
    let app = TestApp::with_demo().await;
    let owner = owner(&app).await;
    let ledger = client(&app, &owner, LEDGERLINE).await;
    let leads = kpi(&app, &owner, ledger, "Leads").await;
    let day = |d: &str| d.parse::<jiff::civil::Date>().unwrap();
    let first = day("2031-01-01");
    // More values than one statement takes, dimensions that need quoting, and floats that must not be rounded.
    let dimensions = [
        "",
        "campaign: \"Brand\", {EU}",
        r"page: C:\temp\x",
        "query: NULL",
        "query: árvíztűrő 青禾",
        " leading space",
    ];
    let numbers = [
        0.1,
        1.0 / 3.0,
        1e-300,
        1.797_693_134_862_315_7e308,
        2.5e-5,
        123_456_789.123_456_78,
    ];
    let mut written = Vec::new();
    for i in 0..1500_i64 {
        let start = first.checked_add(jiff::Span::new().days(i / 6)).unwrap();
        let long = i % 50 == 0;
        written.push(Measurement {
            kpi_id: leads,
            period_start: start,
            period_end: if long {
                start.checked_add(jiff::Span::new().days(6)).unwrap()
            } else {
                start
            },
            dimension: dimensions[(i % 6) as usize].to_string(),
            value: numbers[(i % 6) as usize] / (i as f64 + 1.0),
        });
    }
    // The same key twice in one call: the later value is kept, on both databases.
    let mut repeated = written[7].clone();
    repeated.value = 42.0;
    let mut call = written.clone();
    call.push(repeated.clone());
    app.services
        .write_measurements(&owner, ledger, &call)
        .await
        .unwrap();
    let mut expected = written.clone();
    expected[7] = repeated;
    let key = |m: &Measurement| (m.kpi_id.0, m.period_start, m.period_end, m.dimension.clone());
    expected.sort_by_key(key);
    let back: Vec<Measurement> = stored(&app, &owner, ledger)
        .await
        .into_iter()
        .filter(|m| m.period_start >= first)
        .collect();
    assert_eq!(back.len(), expected.len());
    for (b, e) in back.iter().zip(&expected) {
        assert_eq!(key(b), key(e));
        assert_eq!(b.value.to_bits(), e.value.to_bits(), "{b:?} {e:?}");
    }
}

#[tokio::test]
async fn an_agency_file_keeps_every_clients_notable_move_records_of_the_last_full_month() {
    use jiff::ToSpan;
    let app = TestApp::with_demo().await;
    let owner = owner(&app).await;
    let (ledgerline, harbor) = (
        client(&app, &owner, LEDGERLINE).await,
        client(&app, &owner, HARBOR).await,
    );
    let (a, b) = (
        kpi(&app, &owner, ledgerline, "Agency leads").await,
        kpi(&app, &owner, harbor, "Agency leads").await,
    );
    let october: jiff::civil::Date = "2026-10-01".parse().unwrap();
    // Two years of a steady 100 a day with a weekly ripple; October 2026 (the last full month before the test
    // clock's 23 November) doubled for the clients named in `doubled`.
    let file = |doubled: &[&str], from: jiff::civil::Date| {
        let mut text = String::from("client,date,kpi,value\n");
        for name in [LEDGERLINE, HARBOR] {
            let mut day = from;
            let mut i = 0;
            while day < "2026-11-01".parse().unwrap() {
                let mut value = 100.0 + (i % 7) as f64;
                if day >= october && doubled.contains(&name) {
                    value *= 2.0;
                }
                text.push_str(&format!("{name},{day},Agency leads,{value}\n"));
                day = day.checked_add(1.days()).unwrap();
                i += 1;
            }
        }
        text
    };
    let records = |client: ClientId, kpi: KpiId| {
        let app = &app;
        let owner = &owner;
        async move {
            app.services
                .notable_move_records(owner, client, october)
                .await
                .unwrap()
                .into_iter()
                .filter(|m| m.kpi_id == kpi)
                .collect::<Vec<_>>()
        }
    };
    let first = file(&[LEDGERLINE], "2024-10-01".parse().unwrap());
    let outcome = app
        .services
        .import_agency_file(
            &owner,
            "two-years.csv",
            first.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    assert!(
        matches!(outcome, AgencyImportOutcome::Committed(_)),
        "{outcome:?}"
    );
    let ledgerline_moves = records(ledgerline, a).await;
    assert_eq!(ledgerline_moves.len(), 1, "{ledgerline_moves:?}");
    assert!(ledgerline_moves[0].mom_notable && ledgerline_moves[0].good);
    assert!(
        records(harbor, b).await.is_empty(),
        "a steady client has no record"
    );

    // Next, October is restated: steady for Ledgerline, doubled for Harbor. Both clients' records follow, in
    // the same import.
    let restated = file(&[HARBOR], october);
    let outcome = app
        .services
        .import_agency_file(
            &owner,
            "october.csv",
            restated.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    assert!(
        matches!(outcome, AgencyImportOutcome::Committed(_)),
        "{outcome:?}"
    );
    assert!(
        records(ledgerline, a).await.is_empty(),
        "a move no longer notable (and not explained yet) is removed"
    );
    let harbor_moves = records(harbor, b).await;
    assert_eq!(harbor_moves.len(), 1, "{harbor_moves:?}");
    assert!(harbor_moves[0].mom_notable);
}
