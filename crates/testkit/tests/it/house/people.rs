//! People: invitations, deactivation that ends sessions at once, role changes, and each person's language.

use super::agency;
use accountable_core::actor::Actor;
use accountable_testkit::TestApp;
use reqwest::StatusCode;

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
