//! Signing in and out: session cookies (HttpOnly, Lax, Secure behind https), CSRF on every form, and the
//! rate limits of failed sign-ins per account and per network address, all audited.

use super::{VALID_CLIENT, agency};
use accountable_core::actor::Actor;
use accountable_testkit::{Options, TestApp};
use reqwest::StatusCode;

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

#[tokio::test]
async fn after_sign_in_only_a_path_on_this_site_is_followed() {
    let app = TestApp::with_demo().await;
    for bad in [
        "/\t/evil.example/",
        "/\n/evil.example/",
        "//evil.example/",
        "/%2f%2fevil.example",
    ] {
        let b = app.browser();
        let page = b
            .post(
                "/sign-in",
                "/sign-in",
                &[
                    ("email", "owner@northwind.example"),
                    ("password", "accountable-demo"),
                    ("next", bad),
                ],
            )
            .await;
        // A line break in `next` answered 500 and left a session whose cookie was never delivered.
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{bad:?}: {}", page.body);
        assert_eq!(page.location.as_deref(), Some("/"), "{bad:?}");
        assert!(
            page.set_cookies.iter().any(|c| c.starts_with("acc_session=")),
            "{bad:?}"
        );
        // Signed in, the sign-in page sends the person on: home, not elsewhere.
        let again = b
            .get(&format!(
                "/sign-in?next={}",
                bad.replace('\t', "%09").replace('\n', "%0A")
            ))
            .await;
        assert_eq!(again.location.as_deref(), Some("/"), "{bad:?}");
    }
}

#[tokio::test]
async fn the_per_address_limit_is_exact_under_parallel_attempts_for_accounts_of_several_agencies() {
    let app = TestApp::with_demo().await;
    // Accounts of two agencies and unknown ones: their sign-ins lock three different audit chains.
    let emails = [
        "owner@northwind.example",
        "owner@southwind.example",
        "nobody@example.org",
    ];
    let mut tasks = Vec::new();
    for i in 0..60 {
        let services = app.services.clone();
        let email = emails[i % 3].to_string();
        tasks.push(tokio::spawn(async move {
            services
                .sign_in(&email, "a wrong password", "198.51.100.7")
                .await
                .map(|_| ())
        }));
    }
    let (mut wrong, mut limited) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Err(accountable_core::Error::InvalidCredentials) => wrong += 1,
            Err(accountable_core::Error::RateLimited { .. }) => limited += 1,
            other => panic!("{:?}", other.err()),
        }
    }
    // 20 failures an address in the window are evaluated; every attempt after them is refused unread. The
    // per-account limit (10) refuses some of the 20 first for the two known accounts, so at most 20 are read.
    assert!(
        wrong <= 20,
        "{wrong} attempts were evaluated, the limit being 20 an address"
    );
    assert_eq!(wrong + limited, 60);
}

#[tokio::test]
async fn each_person_lands_on_their_own_page_a_client_contact_on_their_clients_page() {
    let app = TestApp::with_demo().await;
    let northwind = app
        .services
        .find_agency("Northwind Creative")
        .await
        .unwrap()
        .unwrap()
        .id;
    let harbor = app
        .services
        .resolve_client(&Actor::operator(northwind), "Harbor & Pine Home Goods")
        .await
        .unwrap();
    let contact = app.browser();
    // The sign-in form's own default: no `next`, so the person goes home.
    let page = contact
        .post(
            "/sign-in",
            "/sign-in",
            &[
                ("email", "siobhan@harborpine.example"),
                ("password", "accountable-demo"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let home = page.location.clone().unwrap();
    assert_eq!(
        contact.get(&home).await.location.as_deref(),
        Some(format!("/clients/{}", harbor.id).as_str()),
        "a client contact lands on their client's page, not a one-row list"
    );
    let ae = app.browser();
    ae.sign_in_demo("anna.kovacs@northwind.example").await;
    let home = ae.get("/").await;
    assert_eq!(
        home.status,
        StatusCode::OK,
        "an account executive has a home page of their own"
    );
    assert!(home.body.contains("Kovács Pékség Kft."), "{}", home.body);
}
