//! The audit trail: a changed row is named by `verify` as the first broken link; every record page shows its
//! history with the fields that changed.

use super::{agency, demo_client};
use accountable_testkit::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn a_changed_audit_row_is_named_by_verify_as_the_first_broken_link() {
    let app = TestApp::with_demo().await;
    let northwind = agency(&app, "Northwind Creative").await;
    let before = app.services.verify_audit().await.unwrap();
    assert!(before.iter().all(|r| r.broken.is_none()), "{before:?}");
    // Updates are blocked by a guard; a tamperer with database access drops it first.
    let blocked = sqlx::raw_sql("UPDATE audit_events SET actor_label = 'x' WHERE seq = 5")
        .execute(app.store.pool())
        .await;
    assert!(blocked.is_err(), "audit events must be append-only");
    app.sql(
        "DROP TRIGGER audit_events_no_update"
            .to_string()
            .as_str()
            .replace(
                "audit_events_no_update",
                if app.db.kind == "sqlite" {
                    "audit_events_no_update"
                } else {
                    "audit_events_no_update ON audit_events"
                },
            )
            .as_str(),
    )
    .await;
    app.sql(&format!(
        "UPDATE audit_events SET after_json = '{{\"name\":\"forged\"}}' WHERE chain = {} AND seq = 7",
        northwind.0
    ))
    .await;
    let after = app.services.verify_audit().await.unwrap();
    let report = after.iter().find(|r| r.chain == northwind.0).unwrap();
    let broken = report.broken.as_ref().expect("the tampering must be found");
    assert_eq!(broken.seq, 7);
    assert_eq!(report.events, 6, "six events verified before the broken one");
    assert!(
        after
            .iter()
            .filter(|r| r.chain != northwind.0)
            .all(|r| r.broken.is_none())
    );
}

#[tokio::test]
async fn every_record_page_shows_its_history_with_the_fields_that_changed() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let client = demo_client(&app, "Northwind Creative", "Ledgerline Software").await;
    let path = format!("/clients/{}", client.id);
    let mut fields = accountable_core::client::ClientForm::from_client(&client.fields);
    fields.vat_number = "IE-CHANGED".into();
    let form = [
        ("name", fields.name.as_str()),
        ("business_model", fields.business_model.as_str()),
        ("time_zone", fields.time_zone.as_str()),
        ("language", fields.language.as_str()),
        ("currency", fields.currency.as_str()),
        ("address", fields.address.as_str()),
        ("vat_number", fields.vat_number.as_str()),
        ("weekly_report_weekday", fields.weekly_report_weekday.as_str()),
        ("weekly_report_time", fields.weekly_report_time.as_str()),
    ];
    assert_eq!(
        b.post(&format!("{path}/edit"), &path, &form).await.status,
        StatusCode::SEE_OTHER
    );
    let history = b.get(&format!("{path}/history")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(
        history.body.contains("Client edited")
            && history.body.contains("IE-CHANGED")
            && history.body.contains("IE3456789BH")
    );
    assert!(history.body.contains("Client created"));
}
