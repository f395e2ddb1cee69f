//! Goals, pacing and notable moves, on both databases: a goal created on its page reads its baseline from the
//! figures, is paced against a hand-worked line, shows on the client's KPI page, refuses bad input field by
//! field, is another agency's "not found", and notable moves become records when values arrive.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::goal::GoalForm;
use accountable_core::id::{ClientId, EngagementId};
use accountable_core::kpi::{KpiId, Measurement};
use accountable_core::pacing::Standing;
use accountable_testkit::TestApp;
use jiff::ToSpan;
use jiff::civil::{Date, date};

async fn setup(app: &TestApp, client: &str) -> (Actor, ClientId, EngagementId) {
    let (owner, id) = app.northwind_owner_and(client).await;
    let engagement = app
        .services
        .client_overview(&owner, id)
        .await
        .unwrap()
        .engagements[0]
        .id;
    app.services.add_preset_kpis(&owner, id).await.unwrap();
    (owner, id, engagement)
}

async fn kpi(app: &TestApp, owner: &Actor, client: ClientId, name: &str) -> KpiId {
    app.services
        .client_kpis(owner, client)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.kpi.fields.name == name)
        .unwrap()
        .kpi
        .id
}

/// Daily values from `from` for `days` days.
fn daily(kpi: KpiId, from: Date, days: i64, value: impl Fn(i64) -> f64) -> Vec<Measurement> {
    (0..days)
        .map(|i| {
            let d = from.checked_add(i.days()).unwrap();
            Measurement {
                kpi_id: kpi,
                period_start: d,
                period_end: d,
                dimension: String::new(),
                value: value(i),
            }
        })
        .collect()
}

#[tokio::test]
async fn a_goal_reads_its_baseline_and_is_paced_against_a_straight_line() {
    let app = TestApp::with_demo().await;
    let (owner, client, engagement) = setup(&app, "Ledgerline Software").await;
    let leads = kpi(&app, &owner, client, "Leads").await;
    // Ten leads a day from 1 June to 22 November 2026 (the test clock stands on 23 November).
    let values = daily(leads, date(2026, 6, 1), 175, |_| 10.0);
    app.services
        .write_measurements(&owner, client, &values)
        .await
        .unwrap();

    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let form = b.get(&format!("/engagements/{engagement}/goals/new")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let page = b
        .post(
            &format!("/engagements/{engagement}/goals/new"),
            &format!("/engagements/{engagement}/goals"),
            &[
                ("statement", "Double leads by the end of March"),
                ("kpi_id", &leads.to_string()),
                ("baseline_date", "2026-07-01"),
                ("baseline_value", ""),
                ("target_date", "2027-03-31"),
                ("target_value", "600"),
                ("pacing", "straight-line"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = b.get(page.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Double leads by the end of March"));
    // The baseline was read from the figures: 30 days of 10 = 300.
    assert!(page.body.contains("300 (Jul 1, 2026)"), "{}", page.body);
    // Hand-worked: 1 July 2026 → 31 March 2027 is 273 days; 23 November is day 145: 300 + 300 × 145/273 =
    // 459.34 expected; the figure is still 300 (ten a day), so it is behind by 159.34, 34.7 %.
    assert!(page.body.contains("Behind"), "{}", page.body);
    assert!(page.body.contains("459"), "{}", page.body);
    assert!(page.body.contains("−159 (−34.7 %)"), "{}", page.body);
    assert!(page.body.contains("<svg"), "the chart is drawn on the server");
    assert!(
        page.body.contains("Oct 2026"),
        "the time axis is labelled by month: {}",
        page.body
    );

    let goals = app
        .services
        .client_pacing(&owner, client, date(2026, 11, 23))
        .await
        .unwrap();
    assert_eq!(goals.len(), 1);
    let p = &goals[0].pacing;
    assert!((p.expected - (300.0 + 300.0 * 145.0 / 273.0)).abs() < 1e-9);
    assert_eq!(p.standing, Some(Standing::Behind));
    // A flat ten a day forecasts 300 on the target date, short of 600.
    let f = p.forecast.unwrap();
    assert!((f.value - 300.0).abs() < 1e-6 && !f.reaches_target, "{f:?}");

    let kpis = b.get(&format!("/clients/{client}/kpis")).await;
    assert!(kpis.body.contains("Double leads by the end of March"));
    assert!(kpis.body.contains("badge behind"));

    // The goal page's History link leads to the goal's history (it answered 404 when goals were not a kind
    // of record the history knew), and the API's history path knows goals too.
    let goal_id = goals[0].goal.id.0;
    let goal_page = b.get(&format!("/goals/{goal_id}")).await;
    let link = format!("/goals/{goal_id}/history");
    assert!(goal_page.body.contains(&link), "{}", goal_page.body);
    let history = b.get(&link).await;
    assert_eq!(history.status, 200, "{}", history.body);
    assert!(history.body.contains("Goal added"), "{}", history.body);
    let api = b.api_get(&format!("/history/goal/{goal_id}")).await;
    assert_eq!(api.status, 200, "{}", api.body);
    assert_eq!(api.json()["items"][0]["action"], "goal.created", "{}", api.body);
}

#[tokio::test]
async fn a_goal_form_names_every_wrong_field_and_keeps_the_input() {
    let app = TestApp::with_demo().await;
    let (_owner, _client, engagement) = setup(&app, "Ledgerline Software").await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b
        .post(
            &format!("/engagements/{engagement}/goals/new"),
            &format!("/engagements/{engagement}/goals"),
            &[
                ("statement", "Keep this text"),
                ("kpi_id", "999999"),
                ("baseline_date", "2026-07-01"),
                ("baseline_value", "12,5"),
                ("target_date", "2026-06-01"),
                ("target_value", "lots"),
                ("pacing", "straight-line"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Keep this text"));
    assert!(page.body.contains("choose one of the client") || page.body.contains("This field is required"));
    assert!(
        page.body
            .contains("The target date must come after the baseline date.")
    );
    // "lots" is no number; "12,5" is not a fraction on an English page, where the comma groups thousands.
    assert!(
        page.body.contains("is not a number: write it as 1,250.5."),
        "{}",
        page.body
    );
    assert!(page.body.contains("for a fraction write 12.5."), "{}", page.body);
}

#[tokio::test]
async fn another_agencys_goal_is_not_found() {
    let app = TestApp::with_demo().await;
    let (owner, client, engagement) = setup(&app, "Ledgerline Software").await;
    let leads = kpi(&app, &owner, client, "Leads").await;
    let goal = app
        .services
        .create_goal(
            &owner,
            engagement,
            &GoalForm {
                statement: "More leads".into(),
                kpi_id: leads.to_string(),
                baseline_value: "100".into(),
                baseline_date: "2026-07-01".into(),
                target_value: "200".into(),
                target_date: "2027-06-30".into(),
                pacing: "seasonal".into(),
            },
        )
        .await
        .unwrap();
    let b = app.browser();
    b.sign_in_demo("owner@southwind.example").await;
    assert_eq!(b.get(&format!("/goals/{}", goal.id)).await.status, 404);
    assert_eq!(b.get(&format!("/goals/{}/edit", goal.id)).await.status, 404);
    // Without a year of figures the seasonal rule falls back to the straight line, and says so.
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b.get(&format!("/goals/{}", goal.id)).await;
    assert!(
        page.body.contains("figures do not cover the period"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn notable_moves_become_records_when_values_arrive() {
    let app = TestApp::with_demo().await;
    let (owner, client, _) = setup(&app, "Ledgerline Software").await;
    let leads = kpi(&app, &owner, client, "Leads").await;
    let sessions = kpi(&app, &owner, client, "Pipeline value").await;
    // Two years of a steady 100 a day with a small weekly ripple, then October 2026 (the last full month before
    // the clock's 23 November) doubles for leads; pipeline value stays steady.
    let from = date(2024, 10, 1);
    let days = i64::from(from.until(date(2026, 11, 1)).unwrap().get_days());
    let ripple = |i: i64| 100.0 + (i % 7) as f64;
    let mut values = daily(leads, from, days, |i| {
        let d = from.checked_add(i.days()).unwrap();
        if d >= date(2026, 10, 1) {
            2.0 * ripple(i)
        } else {
            ripple(i)
        }
    });
    values.extend(daily(sessions, from, days, ripple));
    app.services
        .write_measurements(&owner, client, &values)
        .await
        .unwrap();

    let records = app
        .services
        .notable_move_records(&owner, client, date(2026, 10, 1))
        .await
        .unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].kpi_id, leads);
    assert!(records[0].mom_notable && records[0].good && !records[0].seasonal);
    // October's 31 doubled days against September's 30: 2 × 31/30 − 1 = +106.7 %.
    assert!(
        (records[0].mom_percent.unwrap() - 106.7).abs() < 1.0,
        "{records:?}"
    );

    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b.get(&format!("/clients/{client}/kpis")).await;
    assert!(page.body.contains("Notable moves in Oct 2026"), "{}", page.body);
    assert!(page.body.contains("Good for the client"));
}

#[tokio::test]
async fn the_api_writes_values_in_bulk_and_answers_goals_with_pacing_and_moves() {
    let app = TestApp::with_demo().await;
    let (owner, client, engagement) = setup(&app, "Ledgerline Software").await;
    let leads = kpi(&app, &owner, client, "Leads").await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let values: Vec<serde_json::Value> = (0..120)
        .map(|i| {
            let d = date(2026, 7, 1).checked_add(i.days()).unwrap().to_string();
            serde_json::json!({"kpi_id": leads.0, "period_start": d, "period_end": d, "dimension": "", "value": 10.0})
        })
        .collect();
    let body = serde_json::json!({ "items": values }).to_string();
    let put = b
        .api_send(
            reqwest::Method::PUT,
            &format!("/clients/{client}/measurements"),
            &body,
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.json()["written"], 120);
    // The same values again replace, never double.
    b.api_send(
        reqwest::Method::PUT,
        &format!("/clients/{client}/measurements"),
        &body,
    )
    .await;
    let read = b
        .api_get(&format!(
            "/clients/{client}/measurements?from=2026-07-01&to=2026-12-31"
        ))
        .await;
    assert_eq!(read.json()["items"].as_array().unwrap().len(), 120);

    let created = b
        .api_send(
            reqwest::Method::POST,
            &format!("/engagements/{engagement}/goals"),
            &serde_json::json!({
                "statement": "Double leads", "kpi_id": leads.to_string(), "baseline_date": "2026-07-30",
                "target_date": "2027-06-30", "target_value": "600", "pacing": "straight-line"
            })
            .to_string(),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["baseline_value"], 300.0, "read from the figures");
    let goals = b
        .api_get(&format!("/clients/{client}/goals?day=2026-10-28"))
        .await
        .json();
    let pacing = &goals["items"][0]["pacing"];
    assert_eq!(pacing["standing"], "behind", "{goals}");
    assert_eq!(pacing["rule"], "straight-line");
    assert!(pacing["forecast"]["value"].as_f64().is_some(), "{goals}");

    let bad = b
        .api_send(
            reqwest::Method::PUT,
            &format!("/clients/{client}/measurements"),
            r#"{"items":[{"kpi_id":999999,"period_start":"2026-07-01","period_end":"2026-07-01","dimension":"","value":1}]}"#,
        )
        .await;
    assert_eq!(bad.status, 422, "another client's or no KPI: {}", bad.body);
    let moves = b
        .api_get(&format!("/clients/{client}/moves?month=2026-09-15"))
        .await;
    assert_eq!(moves.status, 200, "{}", moves.body);
    assert_eq!(moves.json()["month"], "2026-09-01");
}

/// The hidden fields of a page's confirming form, in order.
fn hidden(body: &str, name: &str) -> Vec<String> {
    let marker = format!("name=\"{name}\" value=\"");
    body.match_indices(&marker)
        .map(|(i, _)| {
            let rest = &body[i + marker.len()..];
            // Base64 and file names of letters, digits and dots need no unescaping.
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn an_export_uploaded_on_the_page_is_previewed_then_imported_on_confirmation() {
    let app = TestApp::with_demo().await;
    let (_owner, client, _) = setup(&app, "Ledgerline Software").await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let csrf = b.get(&format!("/clients/{client}/kpis")).await.csrf();
    let chart = b"Date,Clicks,Impressions,CTR,Position\r\n2026-10-02,14,\"1,210\",1.16%,7.9\r\n2026-10-01,12,980,1.22%,8.1\r\n".to_vec();
    let filters = b"Filter,Value\r\nSearch type,Web\r\nDate,Last 3 months\r\n".to_vec();

    let refused = b
        .post_multipart(
            &format!("/clients/{client}/imports/preview"),
            &[],
            &[("files", "Chart.csv", chart.clone())],
        )
        .await;
    assert_eq!(refused.status, 403, "an upload without its CSRF part is refused");

    let preview = b
        .post_multipart(
            &format!("/clients/{client}/imports/preview"),
            &[("_csrf", &csrf)],
            &[
                ("files", "Chart.csv", chart.clone()),
                ("files", "Filters.csv", filters),
            ],
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("Ready to import"), "{}", preview.body);
    assert!(preview.body.contains("Organic search clicks"));
    assert!(
        preview.body.contains("Oct 1, 2026 – Oct 2, 2026"),
        "{}",
        preview.body
    );
    let before = app.services.client_kpis(&_owner, client).await.unwrap();
    assert!(
        before.iter().all(|k| k.latest.is_none()),
        "a preview imports nothing"
    );

    let names = hidden(&preview.body, "file_name");
    let contents = hidden(&preview.body, "content");
    assert_eq!(names, ["Chart.csv", "Filters.csv"]);
    // The mapping: every column's KPI may be changed before importing.
    assert!(
        preview.body.contains("name=\"map.gsc:impressions\""),
        "{}",
        preview.body
    );
    assert!(
        preview.body.contains("Automatic: Organic search clicks</option>"),
        "{}",
        preview.body
    );
    assert!(
        preview
            .body
            .contains("<option value=\"skip\">Leave this column out</option>")
    );
    let mut fields: Vec<(&str, &str)> = vec![("_csrf", &csrf), ("map.gsc:impressions", "skip")];
    for (n, c) in names.iter().zip(&contents) {
        fields.push(("file_name", n));
        fields.push(("content", c));
    }
    let again = b
        .post_multipart(&format!("/clients/{client}/imports/preview"), &fields, &[])
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    let impressions = &again.body[again.body.find("name=\"map.gsc:impressions\"").unwrap()..];
    let select = &impressions[..impressions.find("</select>").unwrap()];
    assert!(
        select.contains("<option value=\"skip\" selected>"),
        "the choice is kept when checking again: {select}"
    );
    let done = b
        .post_multipart(&format!("/clients/{client}/imports"), &fields, &[])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = b.get(done.location.as_deref().unwrap()).await;
    assert!(page.body.contains("The files were imported."), "{}", page.body);
    let clicks = app
        .services
        .client_kpis(&_owner, client)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.kpi.fields.source == "gsc:clicks")
        .unwrap();
    assert_eq!(clicks.latest.unwrap().1, 14.0);
    let impressions = app
        .services
        .client_kpis(&_owner, client)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.kpi.fields.source == "gsc:impressions");
    assert!(
        impressions.is_none_or(|k| k.latest.is_none()),
        "the impressions column was left out"
    );

    // The same files again change nothing, and say so.
    let again = b
        .post_multipart(&format!("/clients/{client}/imports"), &fields, &[])
        .await;
    let page = b.get(again.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Nothing changed"), "{}", page.body);

    let bad = b
        .post_multipart(
            &format!("/clients/{client}/imports/preview"),
            &[("_csrf", &csrf)],
            &[(
                "files",
                "Leads.csv",
                b"date,kpi,value\n2026-10-01,Leads,4\n2026-10-02,Leads,\"4,5\"\n".to_vec(),
            )],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Refused") && bad.body.contains("line 3"),
        "{}",
        bad.body
    );
    assert!(
        !bad.body.contains("name=\"content\""),
        "a refused file cannot be confirmed"
    );
}

#[tokio::test]
async fn the_api_imports_files_as_a_set_and_lists_every_error_of_a_refused_one() {
    use base64::Engine;
    let app = TestApp::with_demo().await;
    let (owner, client, _) = setup(&app, "Ledgerline Software").await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let enc = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let body = serde_json::json!({
        "dry_run": true,
        "files": [
            {"name": "leads.csv", "content_base64": enc("date,kpi,value\n2026-10-01,Leads,4\n2026-10-02,Leads,5\n")},
            {"name": "bad.csv", "content_base64": enc("date,kpi,value\n2026-10-01,Leads,x\n2026-13-01,Leads,1\n")},
        ]
    });
    let page = b
        .api_send(
            reqwest::Method::POST,
            &format!("/clients/{client}/imports"),
            &body.to_string(),
        )
        .await;
    // One refused file makes the answer 422, with every file's outcome still in the body.
    assert_eq!(page.status, 422, "{}", page.body);
    let json = page.json();
    assert_eq!(json["files"][0]["outcome"], "preview");
    assert_eq!(json["files"][0]["values"], 2);
    assert_eq!(json["files"][1]["outcome"], "refused");
    assert_eq!(json["files"][1]["errors"].as_array().unwrap().len(), 2);
    assert_eq!(json["files"][1]["errors"][1]["line"], 3);
    assert_eq!(json["files"][1]["more_errors"], 0);

    let body = serde_json::json!({"files": [{"name": "leads.csv", "content_base64": enc("date,kpi,value\n2026-10-01,Leads,4\n2026-10-02,Leads,5\n")}]});
    let first = b
        .api_send(
            reqwest::Method::POST,
            &format!("/clients/{client}/imports"),
            &body.to_string(),
        )
        .await
        .json();
    assert_eq!(first["files"][0]["outcome"], "imported");
    let again = b
        .api_send(
            reqwest::Method::POST,
            &format!("/clients/{client}/imports"),
            &body.to_string(),
        )
        .await
        .json();
    assert_eq!(again["files"][0]["outcome"], "unchanged");
    assert_eq!(again["files"][0]["import_id"], first["files"][0]["import_id"]);
    let leads = kpi(&app, &owner, client, "Leads").await;
    let values = app
        .services
        .client_measurements(&owner, client, date(2026, 10, 1), date(2026, 10, 31))
        .await
        .unwrap();
    assert_eq!(values.iter().filter(|m| m.kpi_id == leads).count(), 2);
}

#[tokio::test]
async fn a_client_without_kpis_is_offered_the_presets_of_its_business_model() {
    let app = TestApp::with_demo().await;
    let northwind = app
        .services
        .find_agency("Northwind Creative")
        .await
        .unwrap()
        .unwrap()
        .id;
    let client = app
        .services
        .resolve_client(&Actor::operator(northwind), "Ledgerline Software")
        .await
        .unwrap()
        .id;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b.get(&format!("/clients/{client}")).await;
    assert!(page.body.contains("This client has no KPIs yet"), "{}", page.body);
    assert!(
        page.body.contains("Qualified leads"),
        "the lead-generation presets are named"
    );
    let added = b
        .post(
            &format!("/clients/{client}"),
            &format!("/clients/{client}/kpis/presets"),
            &[],
        )
        .await;
    assert_eq!(added.status, 303);
    let page = b.get(&format!("/clients/{client}")).await;
    assert!(
        !page.body.contains("This client has no KPIs yet"),
        "offered only while it has none"
    );
}

#[tokio::test]
async fn an_import_keeps_the_months_notable_moves_as_records_and_its_undo_removes_them() {
    use accountable_core::import::{ImportOptions, ImportOutcome};
    let app = TestApp::with_demo().await;
    let (owner, client, _) = setup(&app, "Ledgerline Software").await;
    // Two years of leads, doubled in October 2026 (the last full month before the clock's 23 November).
    let from = date(2024, 10, 1);
    let mut file = String::from("date,kpi,value\n");
    let mut d = from;
    while d < date(2026, 11, 1) {
        let base = 100 + i64::from(d.day()) % 7;
        let v = if d >= date(2026, 10, 1) { 2 * base } else { base };
        file.push_str(&format!("{d},Leads,{v}\n"));
        d = d.tomorrow().unwrap();
    }
    let outcome = app
        .services
        .import_file(
            &owner,
            client,
            "leads.csv",
            file.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    let ImportOutcome::Committed(report) = outcome else {
        panic!("expected a commit, got {outcome:?}")
    };
    let records = app
        .services
        .notable_move_records(&owner, client, date(2026, 10, 1))
        .await
        .unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(records[0].mom_notable && records[0].good);
    app.services
        .undo_import(&owner, report.import_id.unwrap())
        .await
        .unwrap();
    let records = app
        .services
        .notable_move_records(&owner, client, date(2026, 10, 1))
        .await
        .unwrap();
    assert!(
        records.is_empty(),
        "the undone values no longer move: {records:?}"
    );
}

#[tokio::test]
async fn the_api_takes_the_previews_mapping_and_a_renamed_exports_period() {
    use base64::Engine;
    let app = TestApp::with_demo().await;
    let (owner, client, _) = setup(&app, "Ledgerline Software").await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let enc = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let leads = app
        .services
        .client_kpis(&owner, client)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.kpi.fields.name == "Leads")
        .unwrap()
        .kpi
        .id;
    let chart = "Date,Clicks,Impressions,CTR,Position\n2031-10-01,12,980,1.22%,8.1\n";
    let send = |body: serde_json::Value| {
        let b = &b;
        async move {
            b.api_send(
                reqwest::Method::POST,
                &format!("/clients/{client}/imports"),
                &body.to_string(),
            )
            .await
        }
    };
    let answer = send(serde_json::json!({
        "dry_run": true,
        "files": [{"name": "Chart.csv", "content_base64": enc(chart)}],
        "mapping": [
            {"source": "gsc:clicks", "kpi_id": leads.0},
            {"source": "gsc:impressions", "skip": true}
        ]
    }))
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let json = answer.json();
    let mapping = json["files"][0]["mapping"].as_array().unwrap();
    let line = |source: &str| mapping.iter().find(|m| m["source"] == source).unwrap().clone();
    assert_eq!(line("gsc:clicks")["kpi"], "Leads");
    assert_eq!(line("gsc:clicks")["chosen"], true);
    assert!(line("gsc:impressions")["kpi"].is_null());
    assert_eq!(
        json["files"][0]["values"], 3,
        "one day of three columns: impressions left out"
    );

    // A choice that is neither a KPI nor "skip", and half a period, are refused naming the field.
    let unclear = send(serde_json::json!({
        "files": [{"name": "Chart.csv", "content_base64": enc(chart)}],
        "mapping": [{"source": "gsc:clicks"}]
    }))
    .await;
    assert_eq!(unclear.status, 422, "{}", unclear.body);
    assert!(unclear.body.contains("mapping[0]"), "{}", unclear.body);
    let half = send(serde_json::json!({
        "files": [{"name": "Chart.csv", "content_base64": enc(chart)}],
        "period_start": "2031-01-01"
    }))
    .await;
    assert_eq!(half.status, 422, "{}", half.body);
    assert!(half.body.contains("period_end"), "{}", half.body);

    // The period of a Business Profile export whose name lost its dates.
    let gbp = "Store code,Business name,Address,Labels,Google Search - Mobile,Google Search - Desktop,Google Maps - Mobile,Google Maps - Desktop,Calls,Messages,Bookings,Directions,Website clicks\n,,,,Views on Search (mobile),Views on Search (desktop),Views on Maps (mobile),Views on Maps (desktop),Calls,Conversations,Bookings,Directions,Website\n,Ledgerline,Dublin,,42,24,27,24,3,0,0,63,7\n";
    let dated = send(serde_json::json!({
        "dry_run": true,
        "files": [{"name": "insights.csv", "content_base64": enc(gbp)}],
        "period_start": "2031-01-01",
        "period_end": "2031-01-31"
    }))
    .await
    .json();
    assert_eq!(dated["files"][0]["outcome"], "preview", "{dated}");
    assert_eq!(dated["files"][0]["period_start"], "2031-01-01");
}
