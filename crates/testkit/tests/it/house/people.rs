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
    // An invitation works once, and its link then says so instead of "not found".
    let used = newcomer.get(&link).await;
    assert_eq!(used.status, StatusCode::CONFLICT, "an invitation works once");
    assert!(
        used.body.contains("This invitation was used already"),
        "{}",
        used.body
    );
    let again = app.browser();
    let twice = again
        .post(
            "/sign-in",
            &format!("/invitations/{}", "0".repeat(64)),
            &[("name", "x"), ("password", "a long enough password")],
        )
        .await;
    assert_eq!(
        twice.status,
        StatusCode::NOT_FOUND,
        "an unknown link is not found"
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
async fn inviting_someone_of_another_agency_reveals_nothing_and_their_acceptance_is_refused_to_them() {
    let app = TestApp::with_demo().await;
    let southwind = app.actor("Southwind Media", "owner@southwind.example").await;
    let form = |email: &str| accountable_core::user::PersonForm {
        email: email.into(),
        role: "finance".into(),
        ..Default::default()
    };
    // Northwind's owner: the same answer as for an address nobody has.
    let issued = app
        .services
        .invite(&southwind, &form("owner@northwind.example"))
        .await
        .expect("the invitation goes out as for anyone");
    app.services
        .invite(&southwind, &form("nobody-yet@example.org"))
        .await
        .unwrap();
    // Someone of the inviting agency itself is named as such.
    let own = app
        .services
        .invite(&southwind, &form("owner@southwind.example"))
        .await
        .unwrap_err();
    assert_eq!(own.code(), "validation-failed", "{own}");

    // The holder of the link (Northwind's owner) is told their address has an account; no account is made.
    let err = app
        .services
        .accept_invitation(&issued.token, "Someone", "a long enough password 1", "en")
        .await
        .unwrap_err();
    match err {
        accountable_core::Error::Validation(fields) => {
            assert_eq!(fields[0].field, "email");
            assert_eq!(fields[0].code, "taken");
        }
        other => panic!("{other}"),
    }
    let people = app.services.list_people(&southwind).await.unwrap();
    assert!(
        !people
            .iter()
            .any(|p| p.email.as_str() == "owner@northwind.example")
    );
}

#[tokio::test]
async fn an_expired_invitation_link_says_it_has_expired() {
    let app = TestApp::with_demo().await;
    let owner = app.browser();
    owner.sign_in_demo("owner@northwind.example").await;
    let page = owner
        .post(
            "/people",
            "/people/invite",
            &[
                ("email", "late@northwind.example"),
                ("role", "specialist"),
                ("client_id", ""),
            ],
        )
        .await;
    let start = page
        .body
        .find("/invitations/")
        .expect("the invitation link is shown");
    let link = &page.body[start..start + "/invitations/".len() + 64];
    app.clock.advance(60 * 86_400);
    let late = app.browser();
    let answer = late.get(link).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.body);
    assert!(
        answer.body.contains("This invitation has expired"),
        "{}",
        answer.body
    );
}
