//! Black-box tests of "the house": the app runs on 127.0.0.1:0 with a fresh database (SQLite, or PostgreSQL
//! when TESTKIT_POSTGRES_URL is set) and is driven over HTTP as a person would.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::client::Client;
use accountable_core::id::AgencyId;
use accountable_testkit::{Browser, Options, TestApp};
use reqwest::{Method, StatusCode};

async fn agency(app: &TestApp, name: &str) -> AgencyId {
    app.services.find_agency(name).await.unwrap().unwrap().id
}

async fn demo_client(app: &TestApp, agency_name: &str, client: &str) -> Client {
    let operator = Actor::operator(agency(app, agency_name).await);
    app.services.resolve_client(&operator, client).await.unwrap()
}

const VALID_CLIENT: &[(&str, &str)] = &[
    ("name", "Acme Widgets"),
    ("business_model", "e-commerce"),
    ("time_zone", "Europe/Budapest"),
    ("language", "hu"),
    ("currency", "HUF"),
    ("address", "Budapest"),
    ("vat_number", "HU1"),
    ("weekly_report_weekday", "1"),
    ("weekly_report_time", "12:00"),
];

fn with(
    fields: &[(&'static str, &'static str)],
    key: &str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    fields
        .iter()
        .map(|(k, v)| if *k == key { (*k, value) } else { (*k, *v) })
        .collect()
}

#[tokio::test]
async fn health_answers_and_readiness_follows_the_database() {
    let app = TestApp::start(Options::default()).await;
    let b = app.browser();
    assert_eq!(b.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(b.get("/readyz").await.status, StatusCode::OK);
    app.store.close().await;
    assert_eq!(b.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(b.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_that_is_httponly_and_lax_and_signing_out_ends_it() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    let page = b.sign_in("owner@northwind.example", "accountable-demo").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("acc_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http must not mark the cookie Secure: {cookie}"
    );
    let clients = b.get("/clients").await;
    assert_eq!(clients.status, StatusCode::OK);
    assert!(clients.body.contains("Northwind Creative") && clients.body.contains("Olivia Novak"));
    let out = b.post("/clients", "/sign-out", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        b.get("/clients").await.location.as_deref(),
        Some("/sign-in?next=/clients")
    );
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_public_url_is_https() {
    let app = TestApp::start(Options {
        public_url: Some("https://accountable.example".into()),
        demo: true,
        ..Default::default()
    })
    .await;
    let page = app
        .browser()
        .sign_in("owner@northwind.example", "accountable-demo")
        .await;
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("acc_session="))
        .unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn a_form_posted_without_or_with_a_wrong_csrf_token_is_refused_with_403() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    let no_token = b
        .post_raw(
            "/sign-in",
            &[
                ("email", "owner@northwind.example"),
                ("password", "accountable-demo"),
            ],
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    b.sign_in_demo("owner@northwind.example").await;
    let before = app
        .services
        .list_clients(
            &Actor::operator(agency(&app, "Northwind Creative").await),
            &Default::default(),
        )
        .await
        .unwrap()
        .1;
    let mut fields = VALID_CLIENT.to_vec();
    fields.push((
        "_csrf",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    let wrong = b.post_raw("/clients", &fields).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("security token"), "{}", wrong.body);
    let after = app
        .services
        .list_clients(
            &Actor::operator(agency(&app, "Northwind Creative").await),
            &Default::default(),
        )
        .await
        .unwrap()
        .1;
    assert_eq!(before, after, "a refused form must change nothing");
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_account_then_429_with_retry_after_and_all_are_audited() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    for _ in 0..10 {
        assert_eq!(
            b.sign_in("anna.kovacs@northwind.example", "wrong password!")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = b
        .sign_in("anna.kovacs@northwind.example", "accountable-demo")
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused
        .headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");
    // Another account from the same address is not yet limited.
    b.sign_in_demo("owner@northwind.example").await;
    let northwind = agency(&app, "Northwind Creative").await;
    let anna = app
        .services
        .resolve_person(&Actor::operator(northwind), "anna.kovacs@northwind.example")
        .await
        .unwrap();
    let history = app
        .services
        .history(
            &Actor::operator(northwind),
            accountable_core::record::RecordKind::User,
            anna.id.0,
        )
        .await
        .unwrap();
    let failed = history
        .iter()
        .filter(|e| e.event.action == "sign-in.failed")
        .count();
    let refusals = history
        .iter()
        .filter(|e| e.event.action == "sign-in.refused")
        .count();
    assert_eq!((failed, refusals), (10, 1));
    // After the window the account may try again.
    app.clock.advance(15 * 60 + 1);
    let again = app.browser();
    assert_eq!(
        again
            .sign_in("anna.kovacs@northwind.example", "accountable-demo")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn failed_sign_ins_for_unknown_accounts_go_to_the_system_chain() {
    let app = TestApp::with_demo().await;
    let page = app
        .browser()
        .sign_in("nobody@nowhere.example", "whatever-password")
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains("role=\"alert\""));
    let reports = app.services.verify_audit().await.unwrap();
    let system = reports.iter().find(|r| r.chain == 0).unwrap();
    assert!(system.events >= 1 && system.broken.is_none());
}

#[tokio::test]
async fn a_client_form_with_wrong_fields_comes_back_with_messages_and_the_input_kept() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("anna.kovacs@northwind.example").await;
    let bad = with(&with(VALID_CLIENT, "name", ""), "time_zone", "Mars/Olympus");
    let page = b.post("/clients/new", "/clients", &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"e-name\""), "no error next to the name");
    assert!(
        page.body.contains("id=\"e-time_zone\""),
        "no error next to the time zone"
    );
    assert!(
        page.body.contains("value=\"Mars/Olympus\""),
        "the typed time zone was not kept"
    );
    assert!(page.body.contains("lang=\"hu\""), "Anna's pages are in Hungarian");
    let good = b.post("/clients/new", "/clients", VALID_CLIENT).await;
    assert_eq!(good.status, StatusCode::SEE_OTHER);
    let shown = b.get(good.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("Acme Widgets") && shown.body.contains("class=\"flash\""));
    // The same name again is a field error, found by the constraint's name.
    let dup = b
        .post(
            "/clients/new",
            "/clients",
            &with(VALID_CLIENT, "name", "acme widgets"),
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.body.contains("id=\"e-name\""));
}

#[tokio::test]
async fn the_api_answers_422_with_field_errors_400_with_line_and_column_and_409_for_duplicates() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let bad = b
        .api_send(
            Method::POST,
            "/clients",
            r#"{"name": "", "business_model": "farming"}"#,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let json = bad.json();
    assert_eq!(json["code"], "validation-failed");
    let fields: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"name") && fields.contains(&"business_model"),
        "{fields:?}"
    );
    let malformed = b
        .api_send(Method::POST, "/clients", "{\n  \"name\": \"x\",\n  oops\n}")
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["code"], "malformed-json");
    assert!(
        malformed.json()["message"].as_str().unwrap().contains("line 3"),
        "{}",
        malformed.body
    );
    let body = r#"{"name":"Harbor & Pine Home Goods","business_model":"brand","time_zone":"Europe/Dublin","language":"en","currency":"EUR"}"#;
    let dup = b.api_send(Method::POST, "/clients", body).await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup.json()["fields"][0]["code"], "taken");
    let created = b
        .api_send(
            Method::POST,
            "/clients",
            &body.replace("Harbor & Pine Home Goods", "New One"),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["weekly_report"]["minute_of_day"], 720);
    let form = b
        .client
        .post(format!("{}/api/v1/clients", app.base))
        .form(&[("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn another_agencys_records_are_not_found_on_every_route_of_pages_and_api() {
    let app = TestApp::with_demo().await;
    let northwind = agency(&app, "Northwind Creative").await;
    let operator = Actor::operator(northwind);
    let client = demo_client(&app, "Northwind Creative", "Harbor & Pine Home Goods").await;
    let overview = app.services.client_overview(&operator, client.id).await.unwrap();
    let (c, k, e) = (
        client.id.0,
        overview.contacts[0].id.0,
        overview.engagements[0].id.0,
    );
    let u = app
        .services
        .resolve_person(&operator, "anna.kovacs@northwind.example")
        .await
        .unwrap()
        .id
        .0;

    let g = demo_goal(&app, &operator, client.id, overview.engagements[0].id).await;
    let outsider = app.browser();
    outsider.sign_in_demo("owner@southwind.example").await;
    let (gets, posts, api) = routes(c, k, e, g, Some(u));
    walk(&outsider, &gets, &posts, &api, "another agency's owner").await;

    // A client contact of Harbor & Pine walking another client of the same agency.
    let other = demo_client(&app, "Northwind Creative", "Ledgerline Software").await;
    let other_overview = app.services.client_overview(&operator, other.id).await.unwrap();
    let (c2, k2, e2) = (
        other.id.0,
        other_overview.contacts[0].id.0,
        other_overview.engagements[0].id.0,
    );
    let g2 = demo_goal(&app, &operator, other.id, other_overview.engagements[0].id).await;
    let contact = app.browser();
    contact.sign_in_demo("siobhan@harborpine.example").await;
    let (gets, posts, api) = routes(c2, k2, e2, g2, Some(u));
    walk(
        &contact,
        &gets,
        &posts,
        &api,
        "a client contact of another client",
    )
    .await;
    // The contact still sees their own client, and only it.
    assert_eq!(contact.get(&format!("/clients/{c}")).await.status, StatusCode::OK);
    assert_eq!(
        contact.get(&format!("/engagements/{e}")).await.status,
        StatusCode::OK
    );
    let list = contact.api_get("/clients").await.json();
    assert_eq!(list["total"], 1);
}

type Routes = (Vec<String>, Vec<String>, Vec<(Method, String)>);

/// A goal on a client's engagement, on its first preset KPI.
async fn demo_goal(
    app: &TestApp,
    operator: &Actor,
    client: accountable_core::id::ClientId,
    engagement: accountable_core::id::EngagementId,
) -> i64 {
    let kpi = app.services.add_preset_kpis(operator, client).await.unwrap()[0].id;
    let form = accountable_core::goal::GoalForm {
        statement: "A goal".into(),
        kpi_id: kpi.to_string(),
        baseline_value: "10".into(),
        baseline_date: "2026-07-01".into(),
        target_value: "20".into(),
        target_date: "2027-06-30".into(),
        pacing: "straight-line".into(),
    };
    app.services
        .create_goal(operator, engagement, &form)
        .await
        .unwrap()
        .id
        .0
}

/// Every route that takes an id, for a client, a contact, an engagement, a goal and a person.
fn routes(c: i64, k: i64, e: i64, g: i64, u: Option<i64>) -> Routes {
    let mut gets = vec![
        format!("/clients/{c}"),
        format!("/clients/{c}/edit"),
        format!("/clients/{c}/history"),
        format!("/clients/{c}/kpis"),
        format!("/clients/{c}/contacts/new"),
        format!("/clients/{c}/engagements/new"),
        format!("/contacts/{k}/edit"),
        format!("/contacts/{k}/history"),
        format!("/engagements/{e}"),
        format!("/engagements/{e}/edit"),
        format!("/engagements/{e}/history"),
        format!("/engagements/{e}/goals/new"),
        format!("/goals/{g}"),
        format!("/goals/{g}/edit"),
        format!("/goals/{g}/history"),
    ];
    let mut posts = vec![
        format!("/clients/{c}"),
        format!("/clients/{c}/archive"),
        format!("/clients/{c}/restore"),
        format!("/clients/{c}/kpis/presets"),
        format!("/clients/{c}/contacts"),
        format!("/clients/{c}/engagements"),
        format!("/contacts/{k}"),
        format!("/contacts/{k}/remove"),
        format!("/engagements/{e}"),
        format!("/engagements/{e}/goals"),
        format!("/goals/{g}"),
        format!("/goals/{g}/delete"),
        format!("/clients/{c}/imports/preview"),
        format!("/clients/{c}/imports"),
    ];
    let mut api = vec![
        (Method::GET, format!("/clients/{c}")),
        (Method::PUT, format!("/clients/{c}")),
        (Method::POST, format!("/clients/{c}/archive")),
        (Method::POST, format!("/clients/{c}/restore")),
        (Method::GET, format!("/clients/{c}/contacts")),
        (Method::POST, format!("/clients/{c}/contacts")),
        (Method::GET, format!("/contacts/{k}")),
        (Method::PUT, format!("/contacts/{k}")),
        (Method::DELETE, format!("/contacts/{k}")),
        (Method::GET, format!("/clients/{c}/engagements")),
        (Method::POST, format!("/clients/{c}/engagements")),
        (Method::GET, format!("/engagements/{e}")),
        (Method::PUT, format!("/engagements/{e}")),
        (Method::GET, format!("/clients/{c}/kpis")),
        (Method::POST, format!("/clients/{c}/kpis")),
        (
            Method::GET,
            format!("/clients/{c}/measurements?from=2026-01-01&to=2026-12-31"),
        ),
        (Method::PUT, format!("/clients/{c}/measurements")),
        (Method::GET, format!("/clients/{c}/goals")),
        (Method::GET, format!("/clients/{c}/moves")),
        (Method::POST, format!("/clients/{c}/imports")),
        (Method::POST, format!("/engagements/{e}/goals")),
        (Method::GET, format!("/goals/{g}")),
        (Method::PUT, format!("/goals/{g}")),
        (Method::DELETE, format!("/goals/{g}")),
    ];
    if let Some(u) = u {
        gets.push(format!("/people/{u}/history"));
        posts.extend([
            format!("/people/{u}/role"),
            format!("/people/{u}/deactivate"),
            format!("/people/{u}/reactivate"),
        ]);
        api.push((Method::GET, format!("/people/{u}")));
    }
    (gets, posts, api)
}

async fn walk(b: &Browser, gets: &[String], posts: &[String], api: &[(Method, String)], who: &str) {
    for path in gets {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "GET {path} as {who}");
    }
    for path in posts {
        let page = b
            .post("/clients", path, &[("name", "x"), ("role", "owner")])
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {path} as {who}");
    }
    for (method, path) in api {
        let page = b.api_send(method.clone(), path, "{}").await;
        assert_eq!(
            page.status,
            StatusCode::NOT_FOUND,
            "{method} /api/v1{path} as {who}: {}",
            page.body
        );
    }
}

#[tokio::test]
async fn a_specialist_cannot_change_clients_by_page_or_api() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("maya.chen@northwind.example").await;
    assert_eq!(b.get("/clients/new").await.status, StatusCode::FORBIDDEN);
    let page = b.post("/clients", "/clients", VALID_CLIENT).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let api = b.api_send(Method::POST, "/clients", r#"{"name":"X"}"#).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.json()["code"], "forbidden");
}

#[tokio::test]
async fn an_unknown_page_is_a_404_in_the_persons_language() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    let hu = b
        .client
        .get(format!("{}/no/such/page", app.base))
        .header("accept-language", "hu-HU,hu;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(hu.status(), StatusCode::NOT_FOUND);
    let body = hu.text().await.unwrap();
    assert!(body.contains("lang=\"hu\""), "{body}");
    let en = b.get("/no/such/page").await;
    assert!(en.body.contains("Not found"));
    b.sign_in_demo("li.wei@northwind.example").await;
    assert!(b.get("/no/such/page").await.body.contains("lang=\"zh-Hans\""));
}

#[tokio::test]
async fn a_failed_use_case_leaves_no_trace_and_the_500_page_shows_only_the_request_id() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    // Inject a storage failure after the first write of "create a client": the audit event cannot be written.
    let injected = if app.db.kind == "sqlite" {
        "CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events WHEN NEW.action = 'client.created' \
         BEGIN SELECT RAISE(ABORT, 'injected storage failure'); END;"
    } else {
        "CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
           IF NEW.action = 'client.created' THEN RAISE EXCEPTION 'injected storage failure'; END IF; RETURN NEW; END; $$; \
         CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit();"
    };
    app.sql(injected).await;
    let page = b
        .post(
            "/clients/new",
            "/clients",
            &with(VALID_CLIENT, "name", "Ghost Client"),
        )
        .await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    let request_id = page
        .headers
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        page.body.contains(&request_id),
        "the 500 page must show the request id"
    );
    assert!(
        !page.body.contains("injected"),
        "the cause must not reach the person"
    );
    let operator = Actor::operator(agency(&app, "Northwind Creative").await);
    let found = app.services.resolve_client(&operator, "Ghost Client").await;
    assert!(found.is_err(), "the client row must have been rolled back");
    let api = b
        .api_send(
            Method::POST,
            "/clients",
            r#"{"name":"Ghost","business_model":"brand","time_zone":"UTC","language":"en","currency":"EUR"}"#,
        )
        .await;
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.json()["code"], "internal");
    assert!(api.json()["request_id"].is_string());
    assert!(!api.body.contains("injected"));
}

#[tokio::test]
async fn a_changed_audit_row_is_named_by_verify_as_the_first_broken_link() {
    let app = TestApp::with_demo().await;
    let northwind = agency(&app, "Northwind Creative").await;
    let before = app.services.verify_audit().await.unwrap();
    assert!(before.iter().all(|r| r.broken.is_none()), "{before:?}");
    // Updates are blocked by a guard; a tamperer with database access drops it first.
    let blocked = sqlx::raw_sql("UPDATE audit_events SET actor_label = 'x' WHERE seq = 5")
        .execute(app.store.pool())
        .await;
    assert!(blocked.is_err(), "audit events must be append-only");
    app.sql(
        "DROP TRIGGER audit_events_no_update"
            .to_string()
            .as_str()
            .replace(
                "audit_events_no_update",
                if app.db.kind == "sqlite" {
                    "audit_events_no_update"
                } else {
                    "audit_events_no_update ON audit_events"
                },
            )
            .as_str(),
    )
    .await;
    app.sql(&format!(
        "UPDATE audit_events SET after_json = '{{\"name\":\"forged\"}}' WHERE chain = {} AND seq = 7",
        northwind.0
    ))
    .await;
    let after = app.services.verify_audit().await.unwrap();
    let report = after.iter().find(|r| r.chain == northwind.0).unwrap();
    let broken = report.broken.as_ref().expect("the tampering must be found");
    assert_eq!(broken.seq, 7);
    assert_eq!(report.events, 6, "six events verified before the broken one");
    assert!(
        after
            .iter()
            .filter(|r| r.chain != northwind.0)
            .all(|r| r.broken.is_none())
    );
}

#[tokio::test]
async fn every_record_page_shows_its_history_with_the_fields_that_changed() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let client = demo_client(&app, "Northwind Creative", "Ledgerline Software").await;
    let path = format!("/clients/{}", client.id);
    let mut fields = accountable_core::client::ClientForm::from_client(&client.fields);
    fields.vat_number = "IE-CHANGED".into();
    let form = [
        ("name", fields.name.as_str()),
        ("business_model", fields.business_model.as_str()),
        ("time_zone", fields.time_zone.as_str()),
        ("language", fields.language.as_str()),
        ("currency", fields.currency.as_str()),
        ("address", fields.address.as_str()),
        ("vat_number", fields.vat_number.as_str()),
        ("weekly_report_weekday", fields.weekly_report_weekday.as_str()),
        ("weekly_report_time", fields.weekly_report_time.as_str()),
    ];
    assert_eq!(
        b.post(&format!("{path}/edit"), &path, &form).await.status,
        StatusCode::SEE_OTHER
    );
    let history = b.get(&format!("{path}/history")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(
        history.body.contains("Client edited")
            && history.body.contains("IE-CHANGED")
            && history.body.contains("IE3456789BH")
    );
    assert!(history.body.contains("Client created"));
}

#[tokio::test]
async fn archiving_hides_a_client_from_the_list_and_restoring_brings_it_back_and_search_pages() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let client = demo_client(&app, "Northwind Creative", "晨光出版社").await;
    let path = format!("/clients/{}", client.id);
    assert_eq!(
        b.post(&path, &format!("{path}/archive"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(!b.get("/clients").await.body.contains("晨光出版社"));
    assert!(b.get("/clients?archived=1").await.body.contains("晨光出版社"));
    assert_eq!(
        b.post(&path, &format!("{path}/restore"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(b.get("/clients").await.body.contains("晨光出版社"));
    let search = b.get("/clients?q=kov%C3%A1cs").await;
    assert!(search.body.contains("Kovács Pékség") && !search.body.contains("Ledgerline"));
    let none = b.get("/clients?q=zzzz").await;
    assert!(none.body.contains("No client matches"));
    // Paging: 60 more clients make two pages of 50.
    let operator = Actor::operator(agency(&app, "Northwind Creative").await);
    for i in 0..60 {
        let form = accountable_core::client::ClientForm {
            name: format!("Paged client {i:02}"),
            business_model: "brand".into(),
            time_zone: "UTC".into(),
            language: "en".into(),
            currency: "EUR".into(),
            ..Default::default()
        };
        app.services.create_client(&operator, &form).await.unwrap();
    }
    let first = b.get("/clients").await;
    assert!(first.body.contains("rel=\"next\"") && first.body.contains("68 clients"));
    let second = b.get("/clients?page=2").await;
    assert!(second.body.contains("rel=\"prev\"") && !second.body.contains("rel=\"next\""));
}

#[tokio::test]
async fn an_invited_person_joins_with_the_link_and_a_deactivated_person_is_signed_out_at_once() {
    let app = TestApp::with_demo().await;
    let owner = app.browser();
    owner.sign_in_demo("owner@northwind.example").await;
    let page = owner
        .post(
            "/people",
            "/people/invite",
            &[
                ("email", "new.ae@northwind.example"),
                ("role", "account-executive"),
                ("client_id", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = page
        .body
        .find("/invitations/")
        .expect("the invitation link is shown");
    let token = &page.body[start + "/invitations/".len()..start + "/invitations/".len() + 64];
    let newcomer = app.browser();
    let link = format!("/invitations/{token}");
    let short = newcomer
        .post(
            &link,
            &link,
            &[("name", "New AE"), ("password", "short"), ("language", "en")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let joined = newcomer
        .post(
            &link,
            &link,
            &[
                ("name", "New AE"),
                ("password", "a long enough password"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    assert_eq!(newcomer.get("/clients").await.status, StatusCode::OK);
    assert_eq!(
        newcomer.get(&link).await.status,
        StatusCode::NOT_FOUND,
        "an invitation works once"
    );

    let operator = Actor::operator(agency(&app, "Northwind Creative").await);
    let person = app
        .services
        .resolve_person(&operator, "new.ae@northwind.example")
        .await
        .unwrap();
    let done = owner
        .post("/people", &format!("/people/{}/deactivate", person.id), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        newcomer.get("/clients").await.status,
        StatusCode::SEE_OTHER,
        "the session must end at once"
    );
    assert_eq!(
        newcomer
            .sign_in("new.ae@northwind.example", "a long enough password")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_owner_changes_a_role_and_the_new_role_applies() {
    let app = TestApp::with_demo().await;
    let owner = app.browser();
    owner.sign_in_demo("owner@northwind.example").await;
    let operator = Actor::operator(agency(&app, "Northwind Creative").await);
    let tamas = app
        .services
        .resolve_person(&operator, "tamas.szabo@northwind.example")
        .await
        .unwrap();
    let page = owner
        .post(
            "/people",
            &format!("/people/{}/role", tamas.id),
            &[("role", "account-executive"), ("client_id", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let t = app.browser();
    t.sign_in_demo("tamas.szabo@northwind.example").await;
    assert_eq!(t.get("/clients/new").await.status, StatusCode::OK);
    assert_eq!(t.get("/people").await.status, StatusCode::OK);
    let refused = t
        .post(
            "/people",
            &format!("/people/{}/role", tamas.id),
            &[("role", "owner"), ("client_id", "")],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "only the owner changes roles"
    );
}

#[tokio::test]
async fn the_interface_language_switches_and_sticks_to_the_person() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let en = b.get("/clients").await;
    assert!(en.body.contains("lang=\"en\""));
    let switched = b.post("/clients", "/language", &[("language", "hu")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let hu = b.get("/clients").await;
    assert!(hu.body.contains("lang=\"hu\""));
    let second = app.browser();
    second.sign_in_demo("owner@northwind.example").await;
    assert!(
        second.get("/clients").await.body.contains("lang=\"hu\""),
        "the choice is stored on the person"
    );
    b.post("/clients", "/language", &[("language", "zh-Hant")]).await;
    assert!(b.get("/clients").await.body.contains("lang=\"zh-Hant\""));
}

#[tokio::test]
async fn loading_the_demo_twice_adds_nothing() {
    let app = TestApp::with_demo().await;
    let northwind = Actor::operator(agency(&app, "Northwind Creative").await);
    let count = |app: &TestApp| {
        let services = app.services.clone();
        let northwind = northwind.clone();
        async move {
            let people = services.list_people(&northwind).await.unwrap().len();
            let clients = services
                .list_clients(&northwind, &Default::default())
                .await
                .unwrap()
                .1;
            (people, clients)
        }
    };
    let first = count(&app).await;
    assert_eq!(first, (15, 8));
    accountable_app::demo::load(&app.services).await.unwrap();
    assert_eq!(count(&app).await, first);
}

#[tokio::test]
async fn api_tokens_act_as_their_person_read_tokens_only_read_and_revoked_or_expired_tokens_are_401() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("anna.kovacs@northwind.example").await;
    let created = b
        .post(
            "/settings",
            "/settings/tokens",
            &[("name", "Export script"), ("scope", "read-write"), ("days", "30")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    let start = created.body.find("acc_").expect("the token is shown once");
    let secret = created.body[start..start + 68].to_string();
    assert!(
        !b.get("/settings").await.body.contains(&secret),
        "the token is never shown again"
    );
    let api = reqwest::Client::new();
    let call = |method: Method, path: &str, token: &str, body: &str| {
        api.request(method, format!("{}/api/v1{path}", app.base))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    let me = call(Method::GET, "/me", &secret, "").await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(
        me.json::<serde_json::Value>().await.unwrap()["email"],
        "anna.kovacs@northwind.example"
    );
    let body = r#"{"name":"Token Client","business_model":"brand","time_zone":"UTC","language":"en","currency":"EUR"}"#;
    assert_eq!(
        call(Method::POST, "/clients", &secret, body)
            .await
            .unwrap()
            .status(),
        StatusCode::CREATED
    );
    // Tenancy holds for tokens: another agency's client is not found.
    let other = demo_client(&app, "Southwind Media", "Meridian Dental Clinics").await;
    assert_eq!(
        call(Method::GET, &format!("/clients/{}", other.id), &secret, "")
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    let read = b
        .post(
            "/settings",
            "/settings/tokens",
            &[("name", "Dashboard"), ("scope", "read"), ("days", "1")],
        )
        .await;
    let start = read.body.find("acc_").unwrap();
    let read_secret = read.body[start..start + 68].to_string();
    assert_eq!(
        call(Method::GET, "/clients", &read_secret, "")
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        call(Method::POST, "/clients", &read_secret, body)
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    app.clock.advance(24 * 3600 + 1);
    let expired = call(Method::GET, "/clients", &read_secret, "").await.unwrap();
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(expired.headers()["www-authenticate"], "Bearer");

    let tokens = app
        .services
        .my_tokens(
            &app.services
                .authenticate_token(&secret)
                .await
                .unwrap()
                .signed_in
                .actor,
        )
        .await
        .unwrap();
    let id = tokens.iter().find(|t| t.name == "Export script").unwrap().id;
    let b2 = app.browser();
    b2.sign_in_demo("anna.kovacs@northwind.example").await;
    assert_eq!(
        b2.post("/settings", &format!("/settings/tokens/{id}/revoke"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        call(Method::GET, "/me", &secret, "").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(Method::GET, "/me", "acc_not-a-token", "")
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Another person cannot revoke Anna's token.
    let owner = app.browser();
    owner.sign_in_demo("owner@northwind.example").await;
    let read_id = tokens.iter().find(|t| t.name == "Dashboard").unwrap().id;
    assert_eq!(
        owner
            .post("/settings", &format!("/settings/tokens/{read_id}/revoke"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_network_address_across_accounts() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    for i in 0..20 {
        let email = format!("guess{i}@northwind.example");
        assert_eq!(
            b.sign_in(&email, "wrong password!").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = b.sign_in("owner@northwind.example", "accountable-demo").await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the address is limited even for a right password"
    );
    assert!(refused.headers.get("retry-after").is_some());
}
