//! Clients through the pages and the API: field errors with the input kept, 422/400/409 with their details,
//! archiving and restoring, search and pages.

use super::{VALID_CLIENT, agency, demo_client, with};
use accountable_core::actor::Actor;
use accountable_testkit::TestApp;
use reqwest::{Method, StatusCode};

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

/// Issue 11: a query string that cannot be read answers a page in the person's language (a 400), not the
/// framework's plain-text English.
#[tokio::test]
async fn a_bad_query_string_answers_a_page_in_the_persons_language() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("anna.kovacs@northwind.example").await;
    let page = b.get("/clients?page=abc").await;
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("<html"),
        "a page, not plain text: {}",
        page.body
    );
    assert!(page.body.contains("Nem értelmezhető"), "{}", page.body);
    assert!(!page.body.contains("Failed to deserialize"));
    // A page number beyond the last says so, not "add your first client".
    let far = b.get("/clients?page=7").await;
    assert_eq!(far.status, 200);
    assert!(
        far.body.contains("Nincs 7. oldal: a lista 1 oldalas."),
        "{}",
        far.body
    );
    assert!(!far.body.contains("adja hozzá az elsőt"));
}
