//! Amounts are never misread: one reader for what people type, told the page's language. "1.500" on an English
//! form is refused naming 1.5 and 1,500 (it was saved as €1,500.00 on the engagement form and read as 1.5 on the
//! goal form), "0.001" is refused for a currency of two decimals (it was saved as €1.00), the record's own
//! currency symbol or code and a percent sign on a percentage are accepted, and the messages speak the page's
//! language.

use accountable_testkit::TestApp;
use reqwest::StatusCode;

async fn engagement_form(
    app: &TestApp,
    b: &accountable_testkit::Browser,
    client: &str,
    budget: &str,
) -> accountable_testkit::Page {
    let (owner, id) = app.northwind_owner_and(client).await;
    let ae = owner.user_id.unwrap().to_string();
    b.post(
        &format!("/clients/{id}/engagements/new"),
        &format!("/clients/{id}/engagements"),
        &[
            ("title", "Spring campaign"),
            ("starts_on", "2027-01-01"),
            ("ends_on", "2027-09-30"),
            ("scope", ""),
            ("budget", budget),
            ("account_executive_id", &ae),
        ],
    )
    .await
}

#[tokio::test]
async fn an_amount_that_could_mean_two_things_is_refused_with_both_readings_and_the_right_ones_are_kept() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    // Ledgerline Software bills in euros; the owner's pages are in English.
    let page = engagement_form(&app, &b, "Ledgerline Software", "1.500").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("could be 1.5 or 1,500"), "{}", page.body);
    let page = engagement_form(&app, &b, "Ledgerline Software", "0.001").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("EUR has 2 decimal places"), "{}", page.body);
    let page = engagement_form(&app, &b, "Ledgerline Software", "$5000").await;
    assert!(page.body.contains("this amount is in EUR"), "{}", page.body);

    for (typed, minor) in [
        ("€5000", 500_000),
        ("5000 EUR", 500_000),
        ("1,500", 150_000),
        ("1,500.25", 150_025),
    ] {
        let page = engagement_form(&app, &b, "Ledgerline Software", typed).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{typed}: {}", page.body);
        let id: i64 = page
            .location
            .as_deref()
            .unwrap()
            .trim_start_matches("/engagements/")
            .parse()
            .unwrap();
        let (owner, _) = app.northwind_owner_and("Ledgerline Software").await;
        let stored = app
            .services
            .get_engagement(&owner, accountable_core::id::EngagementId(id))
            .await
            .map(|e| e.fields.budget.minor)
            .ok();
        assert_eq!(stored, Some(minor), "{typed}");
    }
}

#[tokio::test]
async fn a_hungarian_form_reads_hungarian_numbers_and_says_why_in_hungarian() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    // Anna's pages are in Hungarian.
    b.sign_in_demo("anna.kovacs@northwind.example").await;
    let page = engagement_form(&app, &b, "Ledgerline Software", "1,500").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("jelenthet 1,5 vagy 1 500"), "{}", page.body);
    let page = engagement_form(&app, &b, "Ledgerline Software", "1 500,50 €").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}
