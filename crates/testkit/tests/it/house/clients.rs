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

#[tokio::test]
async fn a_forms_address_opened_with_get_goes_to_the_page_the_form_is_on_never_an_empty_405() {
    let app = TestApp::with_demo().await;
    let owner = app.actor("Northwind Creative", "owner@northwind.example").await;
    let client = app
        .services
        .resolve_client(&owner, "Ledgerline Software")
        .await
        .unwrap()
        .id;
    let overview = app.services.client_overview(&owner, client).await.unwrap();
    let (c, k, e) = (client.0, overview.contacts[0].id.0, overview.engagements[0].id.0);
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let cases = [
        (
            format!("/clients/{c}/contacts"),
            format!("/clients/{c}/contacts/new"),
        ),
        (format!("/contacts/{k}"), format!("/contacts/{k}/edit")),
        (
            format!("/clients/{c}/engagements"),
            format!("/clients/{c}/engagements/new"),
        ),
        (
            format!("/engagements/{e}/goals"),
            format!("/engagements/{e}/goals/new"),
        ),
        (format!("/clients/{c}/restore"), format!("/clients/{c}")),
        (format!("/clients/{c}/kpis/presets"), format!("/clients/{c}/kpis")),
        (format!("/clients/{c}/imports"), format!("/clients/{c}/kpis")),
        (
            format!("/clients/{c}/imports/preview"),
            format!("/clients/{c}/kpis"),
        ),
        ("/people/invite".to_string(), "/people".to_string()),
        ("/people/3/role".to_string(), "/people".to_string()),
        ("/people/3/reactivate".to_string(), "/people".to_string()),
        ("/people/tokens/1/revoke".to_string(), "/people".to_string()),
        ("/settings/tokens".to_string(), "/settings".to_string()),
        ("/settings/tokens/1/revoke".to_string(), "/settings".to_string()),
        ("/background/1/retry".to_string(), "/background".to_string()),
        ("/language".to_string(), "/".to_string()),
        ("/sign-out".to_string(), "/".to_string()),
    ];
    for (address, page) in cases {
        let answer = b.get(&address).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "GET {address}: {}",
            answer.body
        );
        assert_eq!(answer.location.as_deref(), Some(page.as_str()), "GET {address}");
    }
    // A GET changes nothing: still signed in, the client still there.
    assert_eq!(b.get(&format!("/clients/{c}")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn removing_deactivating_and_archiving_ask_once_on_a_page_of_their_own_and_the_question_changes_nothing()
 {
    let app = TestApp::with_demo().await;
    let owner = app.actor("Northwind Creative", "owner@northwind.example").await;
    let client = app
        .services
        .resolve_client(&owner, "Ledgerline Software")
        .await
        .unwrap()
        .id;
    let overview = app.services.client_overview(&owner, client).await.unwrap();
    let (c, k) = (client.0, overview.contacts[0].id.0);
    let anna = app
        .actor("Northwind Creative", "anna.kovacs@northwind.example")
        .await
        .user_id
        .unwrap()
        .0;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let questions = [
        (
            format!("/clients/{c}/archive"),
            "Archive this client?",
            "Ledgerline Software",
        ),
        (
            format!("/contacts/{k}/remove"),
            "Remove this contact?",
            overview.contacts[0].fields.name.as_str(),
        ),
        (
            format!("/people/{anna}/deactivate"),
            "Deactivate this person?",
            "Kovács Anna",
        ),
    ];
    for (address, question, subject) in &questions {
        let page = b.get(address).await;
        assert_eq!(page.status, StatusCode::OK, "GET {address}: {}", page.body);
        assert!(page.body.contains(question), "{address} asks {question:?}");
        assert!(page.body.contains(subject), "{address} names {subject:?}");
        assert!(
            page.body.contains(&format!("action=\"{address}\"")),
            "{address} posts to itself"
        );
        assert!(
            page.body.contains("name=\"_csrf\""),
            "{address} carries the CSRF token"
        );
    }
    // Asking changed nothing.
    assert!(
        app.services
            .get_client(&owner, client)
            .await
            .unwrap()
            .archived_at
            .is_none()
    );
    assert_eq!(
        app.services
            .client_overview(&owner, client)
            .await
            .unwrap()
            .contacts
            .len(),
        overview.contacts.len()
    );
    // Answering does it.
    let done = b
        .post(
            &format!("/clients/{c}/archive"),
            &format!("/clients/{c}/archive"),
            &[],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(
        app.services
            .get_client(&owner, client)
            .await
            .unwrap()
            .archived_at
            .is_some()
    );
    // The pages that led there link to the question, not to a form that acts at once.
    let people = b.get("/people").await;
    assert!(
        people
            .body
            .contains(&format!("href=\"/people/{anna}/deactivate\""))
    );
    assert!(
        !people
            .body
            .contains(&format!("action=\"/people/{anna}/deactivate\""))
    );
    // Someone who may not do it is told so on the question too.
    let specialist = app.browser();
    specialist.sign_in_demo("maya.chen@northwind.example").await;
    assert_eq!(
        specialist.get(&format!("/contacts/{k}/remove")).await.status,
        StatusCode::FORBIDDEN
    );
}
