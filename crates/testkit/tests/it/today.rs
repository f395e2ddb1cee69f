//! "Today" is the client's: at 20:00 UTC on 30 November it is already 1 December in Taipei and still 30 November
//! in Los Angeles, so Taipei's last full month is November and Los Angeles' is October — on the API, in the use
//! cases, and for a new engagement's first day.

use accountable_core::client::ClientForm;
use accountable_testkit::TestApp;
use jiff::civil::date;

fn client(name: &str, zone: &str) -> ClientForm {
    ClientForm {
        name: name.into(),
        business_model: "brand".into(),
        time_zone: zone.into(),
        language: "en".into(),
        currency: "USD".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_client_in_taipei_and_one_in_los_angeles_each_get_their_own_day_and_last_full_month() {
    let app = TestApp::with_demo().await;
    let (owner, _) = app.northwind_owner_and("Ledgerline Software").await;
    let taipei = app
        .services
        .create_client(&owner, &client("Lantern Tea House", "Asia/Taipei"))
        .await
        .unwrap();
    let la = app
        .services
        .create_client(&owner, &client("Pacific Grove Surf", "America/Los_Angeles"))
        .await
        .unwrap();
    // The test clock stands on 2026-11-23 09:00 UTC; move it to 2026-11-30 20:00 UTC.
    app.clock.advance(7 * 86_400 + 11 * 3_600);
    assert_eq!(app.services.now().to_string(), "2026-11-30T20:00:00Z");

    assert_eq!(
        app.services.client_today(&owner, taipei.id).await.unwrap(),
        date(2026, 12, 1)
    );
    assert_eq!(
        app.services.client_today(&owner, la.id).await.unwrap(),
        date(2026, 11, 30)
    );

    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let moves = b.api_get(&format!("/clients/{}/moves", taipei.id)).await;
    assert_eq!(moves.status, 200, "{}", moves.body);
    assert_eq!(moves.json()["month"], "2026-11-01");
    let moves = b.api_get(&format!("/clients/{}/moves", la.id)).await;
    assert_eq!(moves.json()["month"], "2026-10-01");

    // A new engagement starts on the client's today and runs a year.
    let form = app.services.new_engagement_form(&owner, taipei.id).await.unwrap();
    assert_eq!(
        (form.starts_on.as_str(), form.ends_on.as_str()),
        ("2026-12-01", "2027-11-30")
    );
    let form = app.services.new_engagement_form(&owner, la.id).await.unwrap();
    assert_eq!(
        (form.starts_on.as_str(), form.ends_on.as_str()),
        ("2026-11-30", "2027-11-29")
    );
    let page = b.get(&format!("/clients/{}/engagements/new", taipei.id)).await;
    assert!(page.body.contains("2026-12-01"), "{}", page.body);
}
