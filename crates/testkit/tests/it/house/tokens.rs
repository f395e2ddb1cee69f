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

/// A token of a person, made through the use case.
async fn token_of(app: &TestApp, email: &str) -> String {
    let me = app.actor("Northwind Creative", email).await;
    let form = accountable_core::token::TokenForm {
        name: "script".into(),
        scope: "read".into(),
        days: "30".into(),
    };
    app.services
        .create_token(&me, me.user_id.unwrap(), &form)
        .await
        .unwrap()
        .secret
}

async fn status_of(app: &TestApp, authorization: &str) -> StatusCode {
    reqwest::Client::new()
        .get(format!("{}/api/v1/me", app.base))
        .header("authorization", authorization)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_password_reset_a_role_change_and_a_deactivation_revoke_a_persons_tokens_for_good() {
    let app = TestApp::with_demo().await;
    let owner = app.actor("Northwind Creative", "owner@northwind.example").await;
    let anna = app
        .actor("Northwind Creative", "anna.kovacs@northwind.example")
        .await;
    let anna_id = anna.user_id.unwrap();

    // The scheme is case-insensitive.
    let token = token_of(&app, "anna.kovacs@northwind.example").await;
    for scheme in ["Bearer", "bearer", "BEARER"] {
        assert_eq!(
            status_of(&app, &format!("{scheme} {token}")).await,
            StatusCode::OK,
            "{scheme}"
        );
    }
    assert_eq!(
        status_of(&app, &format!("Basic {token}")).await,
        StatusCode::UNAUTHORIZED
    );

    app.services
        .reset_password(&owner, anna_id, "a new long password 2026")
        .await
        .unwrap();
    assert_eq!(
        status_of(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED
    );

    let token = token_of(&app, "anna.kovacs@northwind.example").await;
    app.services
        .change_role(&owner, anna_id, "specialist", "")
        .await
        .unwrap();
    assert_eq!(
        status_of(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED
    );

    let token = token_of(&app, "anna.kovacs@northwind.example").await;
    app.services.set_active(&owner, anna_id, false).await.unwrap();
    app.services.set_active(&owner, anna_id, true).await.unwrap();
    assert_eq!(
        status_of(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED,
        "reactivating a person does not bring their old tokens back"
    );
    // A token made after all that works.
    let token = token_of(&app, "anna.kovacs@northwind.example").await;
    assert_eq!(status_of(&app, &format!("Bearer {token}")).await, StatusCode::OK);
}

#[tokio::test]
async fn the_owner_sees_and_revokes_every_token_of_the_agency_and_no_one_else_can() {
    let app = TestApp::with_demo().await;
    let annas = token_of(&app, "anna.kovacs@northwind.example").await;
    let james = app
        .actor("Northwind Creative", "james.porter@northwind.example")
        .await;

    // Only the owner has the overview: another AE is refused, and another AE's token is "not found" to them.
    assert_eq!(
        app.services.agency_tokens(&james).await.unwrap_err().code(),
        "forbidden"
    );
    let listed = app
        .services
        .agency_tokens(&app.actor("Northwind Creative", "owner@northwind.example").await)
        .await
        .unwrap();
    let (token, person) = listed.iter().find(|(t, _)| t.name == "script").unwrap();
    assert_eq!(person, "Kovács Anna");
    let err = app.services.revoke_token(&james, token.id).await.unwrap_err();
    assert_eq!(err.code(), "token-not-found");
    assert_eq!(status_of(&app, &format!("Bearer {annas}")).await, StatusCode::OK);

    // The owner's People page lists it with Anna's name and revokes it.
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b.get("/people").await;
    assert!(page.body.contains("API tokens of the agency"), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("/people/tokens/{}/revoke", token.id.0)),
        "{}",
        page.body
    );
    let revoked = b
        .post("/people", &format!("/people/tokens/{}/revoke", token.id.0), &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        status_of(&app, &format!("Bearer {annas}")).await,
        StatusCode::UNAUTHORIZED
    );

    // The API: the list, and a revoke of another token.
    let second = token_of(&app, "anna.kovacs@northwind.example").await;
    let list = b.api_get("/tokens").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let items = list.json()["items"].as_array().unwrap().clone();
    let newest = items.iter().find(|t| t["revoked_at"].is_null()).unwrap();
    assert_eq!(newest["person"], "Kovács Anna");
    let done = b
        .api_send(Method::POST, &format!("/tokens/{}/revoke", newest["id"]), "{}")
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
    assert_eq!(
        status_of(&app, &format!("Bearer {second}")).await,
        StatusCode::UNAUTHORIZED
    );
}

/// The whole `_csrf` value of the form that posts to `action` on a page: the session's token and the form's
/// nonce (`Page::form_token`), as a browser sends it.
fn form_token(body: &str, action: &str) -> String {
    let form = &body[body
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form posting to {action}"))..];
    let marker = "name=\"_csrf\" value=\"";
    let start = form.find(marker).unwrap() + marker.len();
    let end = start + form[start..].find('"').unwrap();
    form[start..end].to_string()
}

#[tokio::test]
async fn a_form_sent_twice_acts_once_and_the_second_sending_says_so() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("anna.kovacs@northwind.example").await;
    let settings = b.get("/settings").await;
    let token = form_token(&settings.body, "/settings/tokens");
    assert_eq!(token.len(), 64 + 1 + 32, "token.nonce: {token}");
    let fields = [
        ("_csrf", token.as_str()),
        ("name", "Reporting script"),
        ("scope", "read"),
        ("days", "30"),
    ];
    let first = b.post_raw("/settings/tokens", &fields).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("acc_"), "the new token is shown once");
    // A reload of the answer sends the same form again: nothing is created a second time.
    let again = b.post_raw("/settings/tokens", &fields).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(again.location.as_deref(), Some("/settings/tokens"));
    let anna = app
        .actor("Northwind Creative", "anna.kovacs@northwind.example")
        .await;
    let tokens = app.services.my_tokens(&anna).await.unwrap();
    assert_eq!(
        tokens.iter().filter(|t| t.name == "Reporting script").count(),
        1,
        "one token, not two"
    );
    // Following the answer shows the settings page with a word saying so.
    let page = b.get("/settings").await;
    assert!(
        page.body.contains("Ezt az űrlapot már elküldte"),
        "in Anna's Hungarian: {}",
        page.body
    );

    // A form whose first sending redirected leads a second sending to the same place.
    let new_client = b.get("/clients/new").await;
    let token = form_token(&new_client.body, "/clients");
    let fields = [
        ("_csrf", token.as_str()),
        ("name", "Once Only Ltd"),
        ("business_model", "brand"),
        ("time_zone", "Europe/Budapest"),
        ("language", "en"),
        ("currency", "EUR"),
        ("weekly_report_weekday", "1"),
        ("weekly_report_time", "12:00"),
    ];
    let first = b.post_raw("/clients", &fields).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let again = b.post_raw("/clients", &fields).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(
        again.location, first.location,
        "the second sending leads where the first did"
    );
    let named = app
        .services
        .list_clients(&anna, &Default::default())
        .await
        .unwrap()
        .0
        .iter()
        .filter(|c| c.fields.name == "Once Only Ltd")
        .count();
    assert_eq!(named, 1, "one client, not two");
}
