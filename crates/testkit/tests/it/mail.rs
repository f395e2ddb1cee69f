//! Mail through the outbox, received by a real SMTP server (aiosmtpd) on 127.0.0.1: it arrives once with its
//! headers, both bodies and attachments; with the server down it waits and is sent once when the server is back;
//! a refusal marks it failed with the server's answer; without SMTP, `.eml` files parse with Python's `email`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::mail::{self, Attachment, MailState, NewMessage};
use accountable_core::store::Store;
use accountable_core::types::Email;
use accountable_testkit::{Options, SmtpServer, TestApp};

fn message(to: &str) -> NewMessage {
    NewMessage {
        agency_id: None,
        to: vec![Email::parse("to", to).unwrap()],
        cc: vec![Email::parse("cc", "copy@client.example").unwrap()],
        reply_to: Some(Email::parse("reply_to", "anna@agency.example").unwrap()),
        subject: "Havi jelentés – november".into(),
        text: "Szia! A jelentés csatolva.".into(),
        html: Some("<p>Szia! A <b>jelentés</b> csatolva.</p>".into()),
        attachments: vec![Attachment {
            filename: "jelentés.pdf".into(),
            content_type: "application/pdf".into(),
            content: b"%PDF-1.7 not really".to_vec(),
        }],
    }
}

async fn queue(app: &TestApp, m: &NewMessage) -> accountable_core::mail::OutboxId {
    let mut tx = app.store.begin().await.unwrap();
    let id = mail::queue(tx.as_mut(), m, "accountable.test", app.services.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn state(app: &TestApp, id: accountable_core::mail::OutboxId) -> accountable_core::mail::OutboxMessage {
    let mut tx = app.store.begin().await.unwrap();
    tx.get_message(id).await.unwrap()
}

/// Parses a raw message with Python's `email` package and returns what it found, as JSON.
fn parse_with_python(raw: &str) -> serde_json::Value {
    let script = r#"
import email, json, sys
from email import policy
m = email.message_from_string(sys.stdin.read(), policy=policy.default)
parts = [(p.get_content_type(), p.get_filename()) for p in m.walk()]
print(json.dumps({
  "subject": str(m["subject"]), "to": str(m["to"]), "cc": str(m["cc"]), "reply_to": str(m["reply-to"]),
  "message_id": str(m["message-id"]), "date": str(m["date"]),
  "text": m.get_body(("plain",)).get_content(), "html": m.get_body(("html",)).get_content(),
  "parts": parts,
  "attachment": [p.get_content() for p in m.iter_attachments()][0].decode("latin-1"),
}))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(raw.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "Python could not parse the message");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn a_message_arrives_once_with_headers_both_bodies_and_its_attachment() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::start(Options {
        smtp_port: Some(smtp.port),
        ..Default::default()
    })
    .await;
    let id = queue(&app, &message("client@client.example")).await;
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(app.run_jobs().await, 0, "nothing left to do");
    let received = smtp.messages();
    assert_eq!(received.len(), 1, "the message must arrive exactly once");
    let parsed = parse_with_python(&received[0]);
    let stored = state(&app, id).await;
    assert_eq!(stored.state, MailState::Sent);
    assert_eq!(parsed["message_id"], stored.message_id.as_str());
    assert_eq!(parsed["subject"], "Havi jelentés – november");
    assert_eq!(parsed["to"], "client@client.example");
    assert_eq!(parsed["cc"], "copy@client.example");
    assert_eq!(parsed["reply_to"], "anna@agency.example");
    assert!(parsed["text"].as_str().unwrap().contains("A jelentés csatolva."));
    assert!(parsed["html"].as_str().unwrap().contains("<b>jelentés</b>"));
    assert_eq!(parsed["attachment"], "%PDF-1.7 not really");
    assert!(
        parsed["parts"].to_string().contains("jelentés.pdf"),
        "{}",
        parsed["parts"]
    );
}

#[tokio::test]
async fn with_the_server_down_the_message_waits_and_is_sent_once_when_it_is_back() {
    let mut smtp = SmtpServer::start().await;
    let app = TestApp::start(Options {
        smtp_port: Some(smtp.port),
        ..Default::default()
    })
    .await;
    smtp.stop();
    let id = queue(&app, &message("client@client.example")).await;
    assert_eq!(app.run_jobs().await, 1);
    let waiting = state(&app, id).await;
    assert_eq!((waiting.state, waiting.attempts), (MailState::Pending, 1));
    assert!(waiting.last_error.is_some());
    smtp.resume().await;
    assert_eq!(app.run_jobs().await, 0, "the retry waits for its backoff");
    app.clock.advance(11);
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(state(&app, id).await.state, MailState::Sent);
    app.clock.advance(3600);
    assert_eq!(app.run_jobs().await, 0);
    assert_eq!(smtp.messages().len(), 1, "sent once, not again");
}

#[tokio::test]
async fn a_refused_recipient_fails_the_message_with_the_servers_answer() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::start(Options {
        smtp_port: Some(smtp.port),
        ..Default::default()
    })
    .await;
    let id = queue(&app, &message("refuse-me@client.example")).await;
    assert_eq!(app.run_jobs().await, 1);
    let failed = state(&app, id).await;
    assert_eq!(failed.state, MailState::Failed);
    assert!(
        failed.last_error.as_deref().unwrap().contains("550"),
        "{failed:?}"
    );
    app.clock.advance(3600);
    assert_eq!(app.run_jobs().await, 0, "a refused message is not tried again");
    assert!(smtp.messages().is_empty());
}

#[tokio::test]
async fn an_invitation_is_mailed_with_its_link_and_without_smtp_lands_as_a_parseable_eml_file() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("anna.kovacs@northwind.example").await;
    let northwind = app
        .services
        .find_agency("Northwind Creative")
        .await
        .unwrap()
        .unwrap()
        .id;
    let owner = app
        .services
        .resolve_person(&Actor::operator(northwind), "owner@northwind.example")
        .await
        .unwrap();
    let issued = app
        .services
        .invite(
            &owner.actor(),
            &accountable_core::user::PersonForm {
                email: "new@northwind.example".into(),
                role: "finance".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(app.run_jobs().await, 1);
    let files: Vec<_> = std::fs::read_dir(&app.mail_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let raw = std::fs::read_to_string(&files[0]).unwrap();
    let script = "import email,sys; from email import policy; m=email.message_from_string(sys.stdin.read(), policy=policy.default); print(m['to']); print(m.get_body(('plain',)).get_content())";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(raw.as_bytes()).unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    assert!(out.starts_with("new@northwind.example"), "{out}");
    assert!(
        out.contains(&format!("/invitations/{}", issued.token)),
        "the link is in the body: {out}"
    );
    let outbox = app.services.outbox(&owner.actor()).await.unwrap();
    assert_eq!(outbox[0].state, MailState::Sent);
}
