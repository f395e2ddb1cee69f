//! The document archive on both databases: a document is served exactly as issued, only to its own agency; an
//! altered or missing document is named by `verify` and refused at download, never served silently.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::document::{NewDocument, sha256_hex};
use accountable_testkit::TestApp;
use reqwest::StatusCode;

async fn owner(app: &TestApp) -> Actor {
    app.actor("Northwind Creative", "owner@northwind.example").await
}

fn report() -> NewDocument {
    NewDocument {
        kind: "report".into(),
        title: "Havi jelentés, 2026. november".into(),
        content_type: "text/html; charset=utf-8".into(),
        content: "<h1>Jelentés</h1><p>Árvíztűrő tükörfúrógép — 报告</p>"
            .as_bytes()
            .to_vec(),
        entity: None,
    }
}

#[tokio::test]
async fn an_issued_document_downloads_byte_for_byte_with_its_checksum_and_only_in_its_agency() {
    let app = TestApp::with_demo().await;
    let doc = app
        .services
        .issue_document(&owner(&app).await, &report())
        .await
        .unwrap();
    assert_eq!(doc.sha256, sha256_hex(&report().content));
    let b = app.browser();
    b.sign_in_demo("anna.kovacs@northwind.example").await;
    let res = b
        .client
        .get(format!("{}/documents/{}", app.base, doc.id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(res.headers()["x-content-sha256"], doc.sha256.as_str());
    assert_eq!(res.bytes().await.unwrap().to_vec(), report().content);
    let api = b
        .client
        .get(format!("{}/api/v1/documents/{}", app.base, doc.id))
        .send()
        .await
        .unwrap();
    assert_eq!(api.bytes().await.unwrap().to_vec(), report().content);
    let outsider = app.browser();
    outsider.sign_in_demo("owner@southwind.example").await;
    assert_eq!(
        outsider.get(&format!("/documents/{}", doc.id)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        outsider.api_get(&format!("/documents/{}", doc.id)).await.status,
        StatusCode::NOT_FOUND
    );
    let contact = app.browser();
    contact.sign_in_demo("siobhan@harborpine.example").await;
    assert_eq!(
        contact.get(&format!("/documents/{}", doc.id)).await.status,
        StatusCode::NOT_FOUND,
        "an agency document is not a client's"
    );
    let (checked, problems) = app.services.verify_documents().await.unwrap();
    assert_eq!((checked, problems.len()), (1, 0));
}

#[tokio::test]
async fn an_altered_or_missing_document_is_named_by_verify_and_refused_at_download() {
    let app = TestApp::with_demo().await;
    let actor = owner(&app).await;
    let altered = app.services.issue_document(&actor, &report()).await.unwrap();
    let mut other = report();
    other.content = b"second document".to_vec();
    let missing = app.services.issue_document(&actor, &other).await.unwrap();
    if app.db.kind == "sqlite" {
        let dir = accountable_store::default_documents_dir(&app.db.url);
        std::fs::write(dir.join(&altered.sha256[..2]).join(&altered.sha256), b"forged").unwrap();
        std::fs::remove_file(dir.join(&missing.sha256[..2]).join(&missing.sha256)).unwrap();
    } else {
        app.sql("DROP TRIGGER documents_no_update ON documents").await;
        app.sql(&format!(
            "UPDATE documents SET content = 'forged'::bytea WHERE id = {}",
            altered.id
        ))
        .await;
        app.sql(&format!(
            "UPDATE documents SET content = NULL WHERE id = {}",
            missing.id
        ))
        .await;
    }
    let (checked, problems) = app.services.verify_documents().await.unwrap();
    assert_eq!(checked, 2);
    let named: Vec<i64> = problems.iter().map(|p| p.id.0).collect();
    assert_eq!(named, vec![altered.id.0, missing.id.0]);
    assert!(problems[0].problem.contains("SHA-256"));
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b.get(&format!("/documents/{}", altered.id)).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        !page.body.contains("forged"),
        "the altered bytes are never served"
    );
}

#[tokio::test]
async fn the_archive_is_append_only() {
    let app = TestApp::with_demo().await;
    let doc = app
        .services
        .issue_document(&owner(&app).await, &report())
        .await
        .unwrap();
    let update = sqlx::raw_sql(&format!("UPDATE documents SET title = 'x' WHERE id = {}", doc.id))
        .execute(app.store.pool())
        .await;
    assert!(update.is_err());
    let delete = sqlx::raw_sql(&format!("DELETE FROM documents WHERE id = {}", doc.id))
        .execute(app.store.pool())
        .await;
    assert!(delete.is_err());
}
