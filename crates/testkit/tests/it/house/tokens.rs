//! API tokens act as their person; read tokens only read; revoked or expired tokens are 401.

use super::demo_client;
use accountable_testkit::TestApp;
use reqwest::{Method, StatusCode};

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
