//! Black-box tests of "the house": the app runs on 127.0.0.1:0 with a fresh database (SQLite, or PostgreSQL
//! when TESTKIT_POSTGRES_URL is set) and is driven over HTTP as a person would.
//! The areas are modules of their own (sign-in, clients, tenancy, audit, people, tokens); this one keeps health,
//! error pages, the demo, and the helpers they share.

mod audit;
mod clients;
mod people;
mod sign_in;
mod tenancy;
mod tokens;

use accountable_core::actor::Actor;
use accountable_core::client::Client;
use accountable_core::id::AgencyId;
use accountable_testkit::{Options, TestApp};
use reqwest::{Method, StatusCode};

pub(super) async fn agency(app: &TestApp, name: &str) -> AgencyId {
    app.services.find_agency(name).await.unwrap().unwrap().id
}

pub(super) async fn demo_client(app: &TestApp, agency_name: &str, client: &str) -> Client {
    let operator = Actor::operator(agency(app, agency_name).await);
    app.services.resolve_client(&operator, client).await.unwrap()
}

/// Every answer carries the security headers (`Strict-Transport-Security` only behind an https public URL).
pub(super) fn assert_security_headers(page: &accountable_testkit::Page, what: &str) {
    let h = |name: &str| page.headers.get(name).map(|v| v.to_str().unwrap().to_string());
    let csp = h("content-security-policy").unwrap_or_else(|| panic!("{what}: no content-security-policy"));
    assert!(
        csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{what}: {csp}"
    );
    assert_eq!(h("x-content-type-options").as_deref(), Some("nosniff"), "{what}");
    assert_eq!(h("referrer-policy").as_deref(), Some("same-origin"), "{what}");
}

pub(super) const VALID_CLIENT: &[(&str, &str)] = &[
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

pub(super) fn with(
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
async fn every_kind_of_answer_carries_the_security_headers_and_hsts_behind_https() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    for path in ["/sign-in", "/healthz", "/static/app.css", "/no-such-page"] {
        let page = b.get(path).await;
        assert_security_headers(&page, path);
        assert!(
            page.headers.get("strict-transport-security").is_none(),
            "{path}: plain http"
        );
    }
    b.sign_in_demo("owner@northwind.example").await;
    for path in ["/", "/clients", "/people", "/settings"] {
        assert_security_headers(&b.get(path).await, path);
    }
    assert_security_headers(&b.api_get("/me").await, "/api/v1/me");

    let secure = TestApp::start(Options {
        public_url: Some("https://accountable.example.com".into()),
        ..Default::default()
    })
    .await;
    let page = secure.browser().get("/sign-in").await;
    assert_security_headers(&page, "/sign-in over https");
    assert!(
        page.headers
            .get("strict-transport-security")
            .is_some_and(|v| v.to_str().unwrap().starts_with("max-age=31536000")),
        "{:?}",
        page.headers
    );
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
