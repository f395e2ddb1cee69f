//! Log hygiene, in a test binary of its own: `tracing` caches which subscribers want which events per callsite,
//! and other tests' threads running at the same time could make this one miss lines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_testkit::{CapturedLogs, TestApp};

#[tokio::test(flavor = "current_thread")]
async fn passwords_tokens_and_cookies_never_reach_the_log() {
    let logs = CapturedLogs::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let app = TestApp::with_demo().await;
    let b = app.browser();
    let page = b.sign_in("owner@northwind.example", "accountable-demo").await;
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("acc_session="))
        .unwrap();
    let token = cookie
        .trim_start_matches("acc_session=")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    b.get("/clients").await;
    let invited = b
        .post(
            "/people",
            "/people/invite",
            &[
                ("email", "x@northwind.example"),
                ("role", "finance"),
                ("client_id", ""),
            ],
        )
        .await;
    let start = invited.body.find("/invitations/").unwrap() + "/invitations/".len();
    let invitation = invited.body[start..start + 64].to_string();
    app.browser().get(&format!("/invitations/{invitation}")).await;
    let me = app.services.authenticate(&token).await.unwrap();
    let form = accountable_core::token::TokenForm {
        name: "log test".into(),
        scope: "read".into(),
        days: "1".into(),
    };
    let api_token = app
        .services
        .create_token(&me.actor, me.user.id, &form)
        .await
        .unwrap()
        .secret;
    let answer = reqwest::Client::new()
        .get(format!("{}/api/v1/me", app.base))
        .header("authorization", format!("Bearer {api_token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::OK);
    let text = logs.text();
    assert!(!text.contains(&api_token), "the API token leaked into the log");
    assert!(
        text.contains("\"path\":\"/clients\""),
        "requests are logged: {text}"
    );
    assert!(text.contains("request_id"));
    assert!(
        !text.contains("accountable-demo"),
        "the password leaked into the log"
    );
    assert!(!text.contains(&token), "the session token leaked into the log");
    assert!(
        !text.contains(&invitation),
        "the invitation token leaked into the log"
    );
}
