//! Data that an import replaces is not lost (issue 11, docs/decisions/0013-replaced-values-kept.md), on both
//! databases: every value a write replaces is kept with its writer, and undoing an import — in any order —
//! brings back exactly what was there before it, month totals included; the API's bulk write over imported
//! values and an import over the API's values undo the same way; a KPI an import created and that holds nothing
//! after its undo goes with it; and the preview says how many stored values a file replaces and whose they are.

use accountable_core::actor::Actor;
use accountable_core::id::ClientId;
use accountable_core::import::{ImportId, ImportOptions, ImportOutcome, ImportReport};
use accountable_core::kpi::{KpiForm, KpiId, Measurement};
use accountable_core::store::Store;
use accountable_testkit::TestApp;
use jiff::ToSpan;
use jiff::civil::Date;
use sqlx::Row;
use std::collections::BTreeMap;

/// A value's key: KPI, first and last day, dimension.
type Key = (i64, Date, Date, String);
/// Every value of a client, by key.
type Values = BTreeMap<Key, f64>;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

/// Days from `first`, `n` of them.
fn days(first: &str, n: i64) -> Vec<Date> {
    (0..n)
        .map(|i| day(first).checked_add(i.days()).unwrap())
        .collect()
}

fn form(name: &str) -> KpiForm {
    KpiForm {
        name: name.into(),
        unit: "count".into(),
        direction: "up".into(),
        aggregation: "sum".into(),
        kind: "business".into(),
        source: String::new(),
    }
}

/// A long-format file of whole daily values.
fn long(rows: &[(Date, &str, f64)]) -> Vec<u8> {
    let mut text = String::from("date,kpi,value\n");
    for (d, kpi, v) in rows {
        text.push_str(&format!("{d},{kpi},{v}\n"));
    }
    text.into_bytes()
}

async fn import(app: &TestApp, owner: &Actor, client: ClientId, file: &str, bytes: &[u8]) -> ImportId {
    match app
        .services
        .import_file(owner, client, file, bytes, &ImportOptions::default())
        .await
        .unwrap()
    {
        ImportOutcome::Committed(r) => r.import_id.unwrap(),
        other => panic!("{other:?}"),
    }
}

async fn preview(app: &TestApp, owner: &Actor, client: ClientId, file: &str, bytes: &[u8]) -> ImportReport {
    let dry = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    match app
        .services
        .import_file(owner, client, file, bytes, &dry)
        .await
        .unwrap()
    {
        ImportOutcome::Preview(r) => r,
        other => panic!("{other:?}"),
    }
}

/// Every value of the client, read from the store.
async fn stored(app: &TestApp, owner: &Actor, client: ClientId) -> Values {
    let mut tx = app.store.begin().await.unwrap();
    tx.list_measurements(owner.agency_id, client, day("2020-01-01"), day("2030-12-31"))
        .await
        .unwrap()
        .into_iter()
        .map(|m| ((m.kpi_id.0, m.period_start, m.period_end, m.dimension), m.value))
        .collect()
}

/// The month totals the store keeps for these KPIs: (KPI, month) → (total, days).
async fn months_kept(app: &TestApp, kpis: &[KpiId]) -> BTreeMap<(i64, String), (f64, i64)> {
    let list = kpis
        .iter()
        .map(|k| k.0.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query(&format!(
        "SELECT kpi_id, month, total, days FROM kpi_months WHERE kpi_id IN ({list})"
    ))
    .fetch_all(app.store.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            (r.get::<i64, _>("kpi_id"), r.get::<String, _>("month")),
            (r.get::<f64, _>("total"), r.get::<i64, _>("days")),
        )
    })
    .collect()
}

/// The month totals of these values' daily whole values, as the store should keep them.
fn months_of(values: &Values) -> BTreeMap<(i64, String), (f64, i64)> {
    let mut months: BTreeMap<(i64, String), (f64, i64)> = BTreeMap::new();
    for ((kpi, start, end, dimension), value) in values {
        if start == end && dimension.is_empty() {
            let e = months
                .entry((*kpi, format!("{:04}-{:02}", start.year(), start.month())))
                .or_default();
            e.0 += value;
            e.1 += 1;
        }
    }
    months
}

/// The client's values and month totals are exactly `expected`.
async fn assert_state(
    app: &TestApp,
    owner: &Actor,
    client: ClientId,
    kpis: &[KpiId],
    expected: &Values,
    when: &str,
) {
    let now = stored(app, owner, client).await;
    assert_eq!(&now, expected, "values {when}");
    assert_eq!(
        months_kept(app, kpis).await,
        months_of(expected),
        "month totals {when}"
    );
}

/// `values` written over `state`, as a write replaces.
fn over(state: &Values, kpi: KpiId, values: &[(Date, f64)]) -> Values {
    let mut next = state.clone();
    for (d, v) in values {
        next.insert((kpi.0, *d, *d, String::new()), *v);
    }
    next
}

/// A client with two KPIs of its own and typed values (daily ones, a breakdown and a period total) in October:
/// the owner, the client, the two KPIs, and the values as they stand.
async fn typed_october(app: &TestApp) -> (Actor, ClientId, KpiId, KpiId, Values) {
    let (owner, client) = app.northwind_owner_and("Ledgerline Software").await;
    let leads = app
        .services
        .add_kpi(&owner, client, &form("Leads"))
        .await
        .unwrap()
        .id;
    let calls = app
        .services
        .add_kpi(&owner, client, &form("Calls"))
        .await
        .unwrap()
        .id;
    let mut typed: Vec<Measurement> = days("2026-10-01", 10)
        .into_iter()
        .enumerate()
        .map(|(i, d)| Measurement {
            kpi_id: leads,
            period_start: d,
            period_end: d,
            dimension: String::new(),
            value: 100.0 + i as f64,
        })
        .collect();
    typed.push(Measurement {
        kpi_id: leads,
        period_start: day("2026-10-05"),
        period_end: day("2026-10-05"),
        dimension: "campaign: Brand".into(),
        value: 7.0,
    });
    typed.push(Measurement {
        kpi_id: leads,
        period_start: day("2026-10-01"),
        period_end: day("2026-10-31"),
        dimension: String::new(),
        value: 999.0,
    });
    app.services
        .write_measurements(&owner, client, &typed)
        .await
        .unwrap();
    let state = stored(app, &owner, client).await;
    assert_eq!(state.len(), 12);
    (owner, client, leads, calls, state)
}

/// Two imports over the same days: their files and the values each writes.
struct AB {
    /// A: Leads over 5–15 October (6 typed days among them, 5 empty ones), and Calls over 1–3 October.
    a_file: Vec<u8>,
    a: Vec<(Date, f64)>,
    a_calls: Vec<(Date, f64)>,
    /// B: Leads over 29 September – 2 October and 8–20 October, over typed values, A's values and empty days.
    b_file: Vec<u8>,
    b: Vec<(Date, f64)>,
}

fn a_and_b() -> AB {
    let a: Vec<(Date, f64)> = days("2026-10-05", 11)
        .into_iter()
        .enumerate()
        .map(|(i, d)| (d, 200.0 + i as f64))
        .collect();
    let a_calls: Vec<(Date, f64)> = days("2026-10-01", 3).into_iter().map(|d| (d, 3.0)).collect();
    let b: Vec<(Date, f64)> = days("2026-09-29", 4)
        .into_iter()
        .chain(days("2026-10-08", 13))
        .enumerate()
        .map(|(i, d)| (d, 300.5 + i as f64))
        .collect();
    let rows = |values: &[(Date, f64)], name: &'static str| -> Vec<(Date, &'static str, f64)> {
        values.iter().map(|(d, v)| (*d, name, *v)).collect()
    };
    let mut a_rows = rows(&a, "Leads");
    a_rows.extend(rows(&a_calls, "Calls"));
    AB {
        a_file: long(&a_rows),
        a,
        a_calls,
        b_file: long(&rows(&b, "Leads")),
        b,
    }
}

#[tokio::test]
async fn a_then_b_over_it_undone_a_first_then_b_brings_back_every_value_as_it_was() {
    let app = TestApp::with_demo().await;
    let (owner, client, leads, calls, typed) = typed_october(&app).await;
    let kpis = [leads, calls];
    let AB {
        a_file,
        a,
        a_calls,
        b_file,
        b,
    } = a_and_b();

    let a_id = import(&app, &owner, client, "a.csv", &a_file).await;
    let after_a = over(&over(&typed, leads, &a), calls, &a_calls);
    assert_state(&app, &owner, client, &kpis, &after_a, "after A").await;
    let b_id = import(&app, &owner, client, "b.csv", &b_file).await;
    let after_b = over(&after_a, leads, &b);
    assert_state(&app, &owner, client, &kpis, &after_b, "after B over A").await;

    // Undo A: B's values stay; A's own days that B did not cover go back to what was there before A.
    app.services.undo_import(&owner, a_id).await.unwrap();
    let without_a = over(&typed, leads, &b);
    assert_state(&app, &owner, client, &kpis, &without_a, "after undoing A").await;

    // Undo B: everything as before A (what A had replaced is what B restores, never A's values).
    app.services.undo_import(&owner, b_id).await.unwrap();
    assert_state(&app, &owner, client, &kpis, &typed, "after undoing A, then B").await;
}

#[tokio::test]
async fn a_then_b_over_it_undone_b_first_then_a_brings_back_every_value_as_it_was() {
    let app = TestApp::with_demo().await;
    let (owner, client, leads, calls, typed) = typed_october(&app).await;
    let kpis = [leads, calls];
    let AB {
        a_file,
        a,
        a_calls,
        b_file,
        b,
    } = a_and_b();

    let a_id = import(&app, &owner, client, "a.csv", &a_file).await;
    let after_a = over(&over(&typed, leads, &a), calls, &a_calls);
    let b_id = import(&app, &owner, client, "b.csv", &b_file).await;
    assert_state(
        &app,
        &owner,
        client,
        &kpis,
        &over(&after_a, leads, &b),
        "after B over A",
    )
    .await;

    app.services.undo_import(&owner, b_id).await.unwrap();
    assert_state(&app, &owner, client, &kpis, &after_a, "after undoing B").await;
    app.services.undo_import(&owner, a_id).await.unwrap();
    assert_state(&app, &owner, client, &kpis, &typed, "after undoing B, then A").await;

    // A third import over the restored days, undone, leaves them again as typed: nothing of A or B is left in
    // the chains of values kept.
    let c_id = import(
        &app,
        &owner,
        client,
        "c.csv",
        &long(&[(day("2026-10-08"), "Leads", 1.0)]),
    )
    .await;
    app.services.undo_import(&owner, c_id).await.unwrap();
    assert_state(&app, &owner, client, &kpis, &typed, "after C over them, undone").await;
}

#[tokio::test]
async fn a_typed_write_between_two_imports_stays_when_the_import_under_it_is_undone() {
    let app = TestApp::with_demo().await;
    let (owner, client, leads, calls, typed) = typed_october(&app).await;
    let kpis = [leads, calls];
    let a_id = import(
        &app,
        &owner,
        client,
        "a.csv",
        &long(&[(day("2026-10-03"), "Leads", 50.0)]),
    )
    .await;
    // Typed over A's value, then B over the typed one.
    let value = |v: f64| Measurement {
        kpi_id: leads,
        period_start: day("2026-10-03"),
        period_end: day("2026-10-03"),
        dimension: String::new(),
        value: v,
    };
    app.services
        .write_measurements(&owner, client, &[value(60.0)])
        .await
        .unwrap();
    let b_id = import(
        &app,
        &owner,
        client,
        "b.csv",
        &long(&[(day("2026-10-03"), "Leads", 70.0)]),
    )
    .await;
    app.services.undo_import(&owner, a_id).await.unwrap();
    let typed_over = over(&typed, leads, &[(day("2026-10-03"), 70.0)]);
    assert_state(
        &app,
        &owner,
        client,
        &kpis,
        &typed_over,
        "after undoing A under the typed value",
    )
    .await;
    app.services.undo_import(&owner, b_id).await.unwrap();
    let typed_again = over(&typed, leads, &[(day("2026-10-03"), 60.0)]);
    assert_state(
        &app,
        &owner,
        client,
        &kpis,
        &typed_again,
        "after undoing B: the typed value is back",
    )
    .await;
}

#[tokio::test]
async fn the_apis_bulk_write_over_imported_values_stays_after_the_undo_and_an_import_over_it_gives_it_back() {
    let app = TestApp::with_demo().await;
    let (owner, client) = app.northwind_owner_and("Ledgerline Software").await;
    let leads = app
        .services
        .add_kpi(&owner, client, &form("Leads"))
        .await
        .unwrap()
        .id;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let put = |values: Vec<(Date, f64)>| {
        let items: Vec<serde_json::Value> = values
            .iter()
            .map(|(d, v)| {
                serde_json::json!({"kpi_id": leads.0, "period_start": d, "period_end": d, "dimension": "", "value": v})
            })
            .collect();
        serde_json::json!({ "items": items }).to_string()
    };
    let path = format!("/clients/{client}/measurements");
    let api: Vec<(Date, f64)> = days("2026-10-01", 10).into_iter().map(|d| (d, 5.0)).collect();
    let sent = b.api_send(reqwest::Method::PUT, &path, &put(api.clone())).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let before = stored(&app, &owner, client).await;
    assert_eq!(before.len(), 10);

    // An import over the API's values, undone: the API's values are back.
    let imported: Vec<(Date, f64)> = days("2026-10-06", 10).into_iter().map(|d| (d, 9.0)).collect();
    let rows: Vec<(Date, &str, f64)> = imported.iter().map(|(d, v)| (*d, "Leads", *v)).collect();
    let a_id = import(&app, &owner, client, "a.csv", &long(&rows)).await;
    assert_eq!(
        stored(&app, &owner, client).await,
        over(&before, leads, &imported)
    );
    app.services.undo_import(&owner, a_id).await.unwrap();
    assert_state(
        &app,
        &owner,
        client,
        &[leads],
        &before,
        "after undoing the import over the API's values",
    )
    .await;

    // The API's write over an import's values, then the import undone: the API's values stay, and the days only
    // the import gave are empty again.
    let a_again = import(&app, &owner, client, "a2.csv", &long(&rows)).await;
    let over_import: Vec<(Date, f64)> = days("2026-10-08", 4).into_iter().map(|d| (d, 11.0)).collect();
    let sent = b
        .api_send(reqwest::Method::PUT, &path, &put(over_import.clone()))
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    app.services.undo_import(&owner, a_again).await.unwrap();
    let expected = over(&before, leads, &over_import);
    assert_state(
        &app,
        &owner,
        client,
        &[leads],
        &expected,
        "after undoing the import under the API's values",
    )
    .await;
}

#[tokio::test]
async fn a_kpi_an_import_created_goes_with_its_undo_unless_something_holds_to_it() {
    let app = TestApp::with_demo().await;
    let (owner, client) = app.northwind_owner_and("Ledgerline Software").await;
    let mine = app
        .services
        .add_kpi(&owner, client, &form("Leads"))
        .await
        .unwrap()
        .id;
    let create = ImportOptions {
        create_kpis: true,
        ..Default::default()
    };
    let file = long(&[
        (day("2026-10-01"), "Leads", 4.0),
        (day("2026-10-01"), "Webinar signups", 7.0),
        (day("2026-10-01"), "Demo requests", 2.0),
        (day("2026-10-01"), "Trial starts", 3.0),
    ]);
    let report = match app
        .services
        .import_file(&owner, client, "new.csv", &file, &create)
        .await
        .unwrap()
    {
        ImportOutcome::Committed(r) => r,
        other => panic!("{other:?}"),
    };
    let names = || async {
        let mut names: Vec<String> = app
            .services
            .client_kpis(&owner, client)
            .await
            .unwrap()
            .into_iter()
            .map(|k| k.kpi.fields.name)
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        names().await,
        ["Demo requests", "Leads", "Trial starts", "Webinar signups"]
    );
    let (services, owner_ref) = (&app.services, &owner);
    let kpi_named = |name: &'static str| async move {
        services
            .client_kpis(owner_ref, client)
            .await
            .unwrap()
            .into_iter()
            .find(|k| k.kpi.fields.name == name)
            .unwrap()
            .kpi
            .id
    };
    // Trial starts gets a goal, so it stays though it holds no value after the undo.
    let engagement = app
        .services
        .client_overview(&owner, client)
        .await
        .unwrap()
        .engagements[0]
        .id;
    app.services
        .create_goal(
            &owner,
            engagement,
            &accountable_core::goal::GoalForm {
                statement: "More trials".into(),
                kpi_id: kpi_named("Trial starts").await.to_string(),
                baseline_value: "3".into(),
                baseline_date: "2026-10-01".into(),
                target_value: "30".into(),
                target_date: "2027-06-30".into(),
                pacing: "straight-line".into(),
            },
        )
        .await
        .unwrap();
    // Demo requests gets a value of its own (typed), so it holds a value after the undo and stays.
    let demo_requests = kpi_named("Demo requests").await;
    app.services
        .write_measurements(
            &owner,
            client,
            &[Measurement {
                kpi_id: demo_requests,
                period_start: day("2026-10-02"),
                period_end: day("2026-10-02"),
                dimension: String::new(),
                value: 1.0,
            }],
        )
        .await
        .unwrap();
    app.services
        .undo_import(&owner, report.import_id.unwrap())
        .await
        .unwrap();
    assert_eq!(
        names().await,
        ["Demo requests", "Leads", "Trial starts"],
        "the KPI the import created and that holds nothing now is gone; the person's, the one with a value and \
         the one with a goal stay"
    );
    let _ = mine;
}

#[tokio::test]
async fn the_preview_says_how_many_stored_values_a_file_replaces_and_whose_they_are() {
    let app = TestApp::with_demo().await;
    let (owner, client, leads, calls, _) = typed_october(&app).await;
    let _ = (leads, calls);
    // A over 5–15 October (6 typed days among them), then B's preview over 2–20 October: 3 typed days (2–4),
    // 11 of A's (5–15) and 5 empty ones.
    let a: Vec<(Date, &str, f64)> = days("2026-10-05", 11)
        .into_iter()
        .map(|d| (d, "Leads", 1.0))
        .collect();
    import(&app, &owner, client, "Chart.csv", &long(&a)).await;
    let b: Vec<(Date, &str, f64)> = days("2026-10-02", 19)
        .into_iter()
        .map(|d| (d, "Leads", 2.0))
        .chain([(day("2026-10-01"), "Calls", 1.0)])
        .collect();
    let b = long(&b);
    let report = preview(&app, &owner, client, "b.csv", &b).await;
    let said: Vec<String> = report.replaces.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        said,
        [
            "replaces 11 values of Leads, imported on 2026-11-23 from Chart.csv",
            "replaces 3 values of Leads, typed or written through the API",
        ],
        "{report:?}"
    );
    assert_eq!(report.replaces[0].values, 11);
    assert!(report.replaces[0].import_id.is_some());
    assert_eq!(report.replaces[1].import_id, None);

    // The page says the same in the person's language; the API's dry run answers it.
    let browser = app.browser();
    browser.sign_in_demo("owner@northwind.example").await;
    let page = browser.get(&format!("/clients/{client}/kpis")).await;
    let csrf = page.csrf();
    let shown = browser
        .post_multipart(
            &format!("/clients/{client}/imports/preview"),
            &[("_csrf", &csrf)],
            &[("files", "b.csv", b.clone())],
        )
        .await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(
        shown
            .body
            .contains("replaces 11 values of Leads, imported on Nov 23, 2026 from Chart.csv"),
        "{}",
        shown.body
    );
    assert!(
        shown
            .body
            .contains("replaces 3 values of Leads, typed or written through the API"),
        "{}",
        shown.body
    );
    use base64::Engine;
    let body = serde_json::json!({
        "dry_run": true,
        "files": [{"name": "b.csv", "content_base64": base64::engine::general_purpose::STANDARD.encode(&b)}]
    });
    let api = browser
        .api_send(
            reqwest::Method::POST,
            &format!("/clients/{client}/imports"),
            &body.to_string(),
        )
        .await;
    assert_eq!(api.status, 200, "{}", api.body);
    let replaces = &api.json()["files"][0]["replaces"];
    assert_eq!(replaces[0]["values"], 11, "{replaces}");
    assert_eq!(replaces[0]["file"], "Chart.csv");
    assert_eq!(replaces[0]["imported_on"], "2026-11-23");
    assert_eq!(replaces[1]["import_id"], serde_json::Value::Null);
    assert_eq!(
        replaces[1]["message"],
        "replaces 3 values of Leads, typed or written through the API"
    );
}
