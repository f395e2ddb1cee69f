//! The JSON API against its OpenAPI document: every documented operation is routed, every routed operation is
//! documented, and lists page with a cursor.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_testkit::TestApp;
use reqwest::{Method, StatusCode};
use std::collections::BTreeSet;

/// Every operation the API serves. A new endpoint must be added here and, through its `#[utoipa::path]`, to the
/// document; the test fails when the two disagree.
const OPERATIONS: &[(&str, &str)] = &[
    ("GET", "/api/v1/clients"),
    ("POST", "/api/v1/clients"),
    ("GET", "/api/v1/clients/{id}"),
    ("PUT", "/api/v1/clients/{id}"),
    ("POST", "/api/v1/clients/{id}/archive"),
    ("POST", "/api/v1/clients/{id}/restore"),
    ("GET", "/api/v1/clients/{id}/contacts"),
    ("POST", "/api/v1/clients/{id}/contacts"),
    ("GET", "/api/v1/clients/{id}/engagements"),
    ("POST", "/api/v1/clients/{id}/engagements"),
    ("GET", "/api/v1/contacts/{id}"),
    ("PUT", "/api/v1/contacts/{id}"),
    ("DELETE", "/api/v1/contacts/{id}"),
    ("GET", "/api/v1/documents/{id}"),
    ("GET", "/api/v1/engagements/{id}"),
    ("PUT", "/api/v1/engagements/{id}"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/people"),
    ("GET", "/api/v1/people/{id}"),
    ("POST", "/api/v1/people/invitations"),
    ("PUT", "/api/v1/people/{id}/role"),
    ("POST", "/api/v1/people/{id}/deactivate"),
    ("POST", "/api/v1/people/{id}/reactivate"),
    ("GET", "/api/v1/history/{entity}/{id}"),
    ("GET", "/api/v1/tokens"),
    ("POST", "/api/v1/tokens/{id}/revoke"),
    ("GET", "/api/v1/clients/{id}/kpis"),
    ("POST", "/api/v1/clients/{id}/kpis"),
    ("GET", "/api/v1/clients/{id}/measurements"),
    ("PUT", "/api/v1/clients/{id}/measurements"),
    ("GET", "/api/v1/clients/{id}/goals"),
    ("POST", "/api/v1/engagements/{id}/goals"),
    ("GET", "/api/v1/goals/{id}"),
    ("PUT", "/api/v1/goals/{id}"),
    ("DELETE", "/api/v1/goals/{id}"),
    ("GET", "/api/v1/clients/{id}/moves"),
    ("GET", "/api/v1/clients/{id}/kpis/document.pdf"),
    ("POST", "/api/v1/clients/{id}/imports"),
];

#[tokio::test]
async fn every_documented_operation_is_routed_and_every_routed_one_is_documented() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let doc = b
        .client
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(doc.status(), StatusCode::OK);
    let doc: serde_json::Value = doc.json().await.unwrap();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, expected,
        "the document and the list of operations disagree"
    );
    for (method, path) in &documented {
        let url = format!(
            "{}{}",
            app.base,
            path.replace("{id}", "987654").replace("{entity}", "client")
        );
        let res = b
            .client
            .request(Method::from_bytes(method.as_bytes()).unwrap(), url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body = res.text().await.unwrap();
        assert_ne!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is documented but not routed"
        );
        assert!(
            !body.contains("route-not-found"),
            "{method} {path} is documented but not routed: {body}"
        );
    }
    // And an operation that is not documented is not routed either.
    let stray = b.api_get("/no-such-thing").await;
    assert_eq!(stray.status, StatusCode::NOT_FOUND);
    assert_eq!(stray.json()["code"], "route-not-found");
}

#[tokio::test]
async fn the_client_list_pages_with_a_cursor_until_the_end() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let path = match &cursor {
            Some(c) => format!("/clients?limit=3&cursor={c}"),
            None => "/clients?limit=3".to_string(),
        };
        let page = b.api_get(&path).await.json();
        assert_eq!(page["total"], 8);
        names.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(names.len(), 8, "every client once: {names:?}");
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), 8);
    let bad = b.api_get("/clients?cursor=garbage").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"][0]["field"], "cursor");
}

#[tokio::test]
async fn people_are_managed_through_the_api_with_the_same_rules_as_the_pages() {
    let app = TestApp::with_demo().await;
    let owner = app.browser();
    owner.sign_in_demo("owner@northwind.example").await;
    let invited = owner
        .api_send(
            Method::POST,
            "/people/invitations",
            r#"{"email":"api.new@northwind.example","role":"specialist"}"#,
        )
        .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    assert!(invited.json()["link"].as_str().unwrap().contains("/invitations/"));
    assert_eq!(app.run_jobs().await, 1, "the invitation is e-mailed");
    let people = owner.api_get("/people").await.json();
    let tamas = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["email"] == "tamas.szabo@northwind.example")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let changed = owner
        .api_send(
            Method::PUT,
            &format!("/people/{tamas}/role"),
            r#"{"role":"finance"}"#,
        )
        .await;
    assert_eq!(changed.json()["role"], "finance");
    let off = owner
        .api_send(Method::POST, &format!("/people/{tamas}/deactivate"), "")
        .await;
    assert_eq!(off.json()["active"], false);
    let history = owner.api_get(&format!("/history/user/{tamas}")).await.json();
    let actions: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(&actions[..2], ["user.deactivated", "user.role-changed"]);
    // An account executive may not, and a client contact does not even find the person.
    let ae = app.browser();
    ae.sign_in_demo("james.porter@northwind.example").await;
    assert_eq!(
        ae.api_send(Method::POST, &format!("/people/{tamas}/reactivate"), "")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let contact = app.browser();
    contact.sign_in_demo("siobhan@harborpine.example").await;
    assert_eq!(
        contact
            .api_send(Method::POST, &format!("/people/{tamas}/reactivate"), "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        contact.api_get(&format!("/history/user/{tamas}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_nul_character_is_a_field_error_or_ignored_in_a_search_never_a_500() {
    // PostgreSQL cannot store NUL in text; schemathesis found a search with one answered 500.
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let search = b.api_get("/clients?q=a%00b").await;
    assert_eq!(search.status, StatusCode::OK, "{}", search.body);
    let create = b
        .api_send(Method::POST, "/clients", r#"{"name":"Nul\u0000Client","business_model":"brand","time_zone":"UTC","language":"en","currency":"EUR"}"#)
        .await;
    assert_eq!(create.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", create.body);
    assert_eq!(create.json()["fields"][0]["code"], "invalid-character");
    let page = b.get("/clients?q=x%00y").await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn a_body_over_the_limit_is_answered_413_naming_the_limit() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    // 3 MiB of JSON, over the 2 MiB the API reads outside imports.
    let body = format!("{{\"name\":\"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let page = b.api_send(Method::POST, "/clients", &body).await;
    assert_eq!(
        page.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        &page.body[..page.body.len().min(300)]
    );
    assert_eq!(page.json()["code"], "too-large");
    let message = page.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("2097152 bytes"), "{message}");
}
