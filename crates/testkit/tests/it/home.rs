//! Each person's home page (issue 11, "Home"): an account executive sees the clients whose current engagement
//! they run, the owner every client by account executive; each goal's standing, the last full month's notable
//! moves still to explain, and KPIs whose data has gone stale; standings judged again for a new day.

use accountable_app::demo::{Measurements, load_with};
use accountable_core::goal::GoalForm;
use accountable_core::kpi::{KpiForm, Measurement};
use accountable_core::pacing::Standing;
use accountable_testkit::TestApp;
use reqwest::StatusCode;

/// The demo with its two years of figures and its goals, as `accountable serve --demo` loads it.
async fn full_demo() -> TestApp {
    let app = TestApp::with_demo().await;
    load_with(&app.services, Measurements::Included).await.unwrap();
    app
}

#[tokio::test]
async fn an_account_executive_sees_only_their_clients_and_the_owner_sees_every_client_by_account_executive() {
    let app = full_demo().await;
    let anna = app
        .actor("Northwind Creative", "anna.kovacs@northwind.example")
        .await;
    let home = app.services.home(&anna).await.unwrap();
    assert!(!home.everyone);
    let mut names: Vec<&str> = home.clients().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Kovács Pékség Kft.", "Tisza Utazási Iroda Zrt."]);

    let owner = app.actor("Northwind Creative", "owner@northwind.example").await;
    let home = app.services.home(&owner).await.unwrap();
    assert!(home.everyone);
    assert_eq!(home.clients().count(), 8, "every active client of Northwind");
    let groups: Vec<String> = home
        .groups
        .iter()
        .map(|g| {
            g.account_executive
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(groups.len(), 3, "three account executives: {groups:?}");
    assert!(groups.contains(&"Kovács Anna".to_string()) && groups.contains(&"James Porter".to_string()));
    // Another agency's clients never show.
    assert!(home.clients().all(|c| c.name != "Meridian Dental Clinics"));

    // Every demo goal has been judged on its client's today when it was written.
    for client in home.clients() {
        assert_eq!(client.goals.len(), 2, "{}", client.name);
        for goal in &client.goals {
            assert!(
                goal.standing.is_some(),
                "{}: {} not judged",
                client.name,
                goal.statement
            );
            assert_eq!(goal.judged_on, None, "judged on the client's today");
        }
    }

    // The page says the same, in words, and a client contact has no home of their own.
    let b = app.browser();
    b.sign_in_demo("anna.kovacs@northwind.example").await;
    let page = b.get("/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Kovács Pékség Kft.") && !page.body.contains("Ledgerline Software"));
    assert!(
        page.body.contains("aria-current=\"page\">Kezdőlap<"),
        "the navigation marks Home, in Anna's Hungarian"
    );
}

#[tokio::test]
async fn a_goal_behind_its_line_a_move_to_explain_and_stale_data_show_on_the_home_page() {
    let app = full_demo().await;
    let (owner, client) = app.northwind_owner_and("Ledgerline Software").await;
    let form = |name: &str, source: &str| KpiForm {
        name: name.into(),
        unit: "count".into(),
        direction: "up".into(),
        aggregation: "sum".into(),
        kind: "business".into(),
        source: source.into(),
    };
    let kpi = app
        .services
        .add_kpi(&owner, client, &form("Webinar sign-ups", ""))
        .await
        .unwrap();
    let opens = app
        .services
        .add_kpi(&owner, client, &form("Newsletter opens", "ga4:opens"))
        .await
        .unwrap();
    // Sign-ups: five a day up to yesterday. Opens: ten a day, the last of them 10 days ago, which is stale for a
    // Google Analytics KPI (3 days).
    let today = app.services.client_today(&owner, client).await.unwrap();
    let daily = |kpi_id, backs: std::ops::Range<i64>, value: f64| -> Vec<Measurement> {
        backs
            .map(|back| {
                let day = today - jiff::Span::new().days(back);
                Measurement {
                    kpi_id,
                    period_start: day,
                    period_end: day,
                    dimension: String::new(),
                    value,
                }
            })
            .collect()
    };
    let mut values = daily(kpi.id, 1..70, 5.0);
    values.extend(daily(opens.id, 10..70, 10.0));
    app.services
        .write_measurements(&owner, client, &values)
        .await
        .unwrap();
    // A goal from 300 a month 40 days ago to 600 in 60 days wants about 420 by now; the figure is 150: behind.
    let engagement = app
        .services
        .client_overview(&owner, client)
        .await
        .unwrap()
        .engagements[0]
        .id;
    let goal = app
        .services
        .create_goal(
            &owner,
            engagement,
            &GoalForm {
                statement: "Keep webinar sign-ups at 600 a month".into(),
                kpi_id: kpi.id.0.to_string(),
                baseline_value: "300".into(),
                baseline_date: (today - jiff::Span::new().days(40)).to_string(),
                target_value: "600".into(),
                target_date: (today + jiff::Span::new().days(60)).to_string(),
                pacing: "straight-line".into(),
            },
        )
        .await
        .unwrap();

    let home = app.services.home(&owner).await.unwrap();
    let ledgerline = home.clients().find(|c| c.id == client).unwrap();
    let line = ledgerline.goals.iter().find(|g| g.id == goal.id).unwrap();
    assert_eq!(line.standing, Some(Standing::Behind), "{line:?}");
    assert!(ledgerline.needs_attention());
    let stale = ledgerline
        .stale
        .iter()
        .find(|s| s.name == "Newsletter opens")
        .expect("the KPI is stale");
    assert_eq!(stale.days, 10);
    // The demo's typed KPIs, fed up to yesterday, are not stale.
    assert_eq!(ledgerline.stale.len(), 1, "{:?}", ledgerline.stale);
    // The demo makes the first KPI of every client jump last month: a notable move nobody has explained yet.
    assert!(ledgerline.moves_to_explain >= 1, "{ledgerline:?}");
    // A client that needs attention comes first in its group.
    let group = home
        .groups
        .iter()
        .find(|g| g.clients.iter().any(|c| c.id == client))
        .unwrap();
    assert!(group.clients[0].needs_attention());

    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Newsletter opens: no value for 10 days"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Keep webinar sign-ups at 600 a month"));
    assert!(page.body.contains("notable move"), "moves to explain are named");
}

#[tokio::test]
async fn a_new_day_is_judged_again_by_the_refresh_job_and_until_then_the_page_says_the_day() {
    let app = full_demo().await;
    let owner = app.actor("Northwind Creative", "owner@northwind.example").await;
    app.clock.advance(2 * 86_400);
    let home = app.services.home(&owner).await.unwrap();
    let stale_days: Vec<_> = home
        .clients()
        .flat_map(|c| c.goals.iter())
        .map(|g| g.judged_on)
        .collect();
    assert!(
        stale_days.iter().all(Option::is_some),
        "judged two days ago: {stale_days:?}"
    );

    let refreshed = app.services.refresh_due_standings().await.unwrap();
    assert!(
        refreshed >= 8,
        "every Northwind client with goals, and the other agency's: {refreshed}"
    );
    let home = app.services.home(&owner).await.unwrap();
    assert!(
        home.clients()
            .flat_map(|c| c.goals.iter())
            .all(|g| g.judged_on.is_none())
    );
    // Nothing is due a second time on the same day.
    assert_eq!(app.services.refresh_due_standings().await.unwrap(), 0);
}

#[tokio::test]
async fn removing_a_goal_removes_its_standing_and_a_client_contact_cannot_read_a_home() {
    let app = full_demo().await;
    let owner = app.actor("Northwind Creative", "owner@northwind.example").await;
    let home = app.services.home(&owner).await.unwrap();
    let goal = home.clients().next().unwrap().goals[0].id;
    app.services.delete_goal(&owner, goal).await.unwrap();
    let home = app.services.home(&owner).await.unwrap();
    assert!(home.clients().flat_map(|c| c.goals.iter()).all(|g| g.id != goal));

    let contact = app
        .actor("Northwind Creative", "siobhan@harborpine.example")
        .await;
    let refused = app.services.home(&contact).await.unwrap_err();
    assert_eq!(refused.code(), "forbidden");
}
