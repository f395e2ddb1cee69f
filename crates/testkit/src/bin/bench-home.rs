//! Benchmark of the home page (issue "Nothing lost, nothing misread…", "Home": under 20 ms at 1,000 clients):
//!   - the demo's Northwind Creative with 1,000 more clients spread over its four staff, each with an engagement,
//!     3 KPIs fed for 100 days (one of them stale), 2 goals, all written through the use cases;
//!   - the owner's home (every client) and an account executive's (about 250) through the use case, and the
//!     owner's page over HTTP, against `/healthz` (a trivial handler) in the same run.
//!
//! Run: `cargo run --release -p accountable-testkit --features bench --bin bench-home` (SQLite), and with
//! `TESTKIT_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test` for PostgreSQL. Prints Markdown rows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::client::ClientForm;
use accountable_core::engagement::EngagementForm;
use accountable_core::goal::GoalForm;
use accountable_core::kpi::{KpiForm, Measurement};
use accountable_core::series::{day_number, from_day_number};
use accountable_testkit::TestApp;
use std::time::{Duration, Instant};

const CLIENTS: usize = 1_000;
const DAYS: i64 = 100;
const RUNS: usize = 50;

fn median(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(v[v.len() / 2]), ms(v[v.len() * 95 / 100]))
}

#[tokio::main]
async fn main() {
    let app = TestApp::with_demo().await;
    let owner = app.actor("Northwind Creative", "owner@northwind.example").await;
    let staff = [
        "owner@northwind.example",
        "anna.kovacs@northwind.example",
        "li.wei@northwind.example",
        "james.porter@northwind.example",
    ];
    let mut executives = Vec::new();
    for email in staff {
        executives.push(app.actor("Northwind Creative", email).await.user_id.unwrap());
    }
    let today = app.services.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let day = |back: i64| from_day_number(day_number(today) - back);

    let setup = Instant::now();
    for c in 0..CLIENTS {
        let client = app
            .services
            .create_client(
                &owner,
                &ClientForm {
                    name: format!("Home bench client {c:04}"),
                    business_model: "lead-generation".into(),
                    time_zone: "Europe/Budapest".into(),
                    language: "en".into(),
                    currency: "EUR".into(),
                    weekly_report_weekday: "1".into(),
                    weekly_report_time: "12:00".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let engagement = app
            .services
            .create_engagement(
                &owner,
                client.id,
                &EngagementForm {
                    title: "Growth".into(),
                    starts_on: day(60).to_string(),
                    ends_on: day(-240).to_string(),
                    budget: "10000".into(),
                    account_executive_id: executives[c % executives.len()].to_string(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let mut values = Vec::new();
        let mut kpis = Vec::new();
        for (k, source) in ["ga4:sessions", "gsc:clicks", ""].iter().enumerate() {
            let kpi = app
                .services
                .add_kpi(
                    &owner,
                    client.id,
                    &KpiForm {
                        name: format!("KPI {k}"),
                        unit: "count".into(),
                        direction: "up".into(),
                        aggregation: "sum".into(),
                        kind: "business".into(),
                        source: (*source).into(),
                    },
                )
                .await
                .unwrap();
            // The first KPI stops 8 days ago: stale.
            let last = if k == 0 { 8 } else { 1 };
            for back in last..=DAYS {
                values.push(Measurement {
                    kpi_id: kpi.id,
                    period_start: day(back),
                    period_end: day(back),
                    dimension: String::new(),
                    value: 100.0 + ((back * 7919 + c as i64) % 13) as f64,
                });
            }
            kpis.push(kpi);
        }
        app.services
            .write_measurements(&owner, client.id, &values)
            .await
            .unwrap();
        for kpi in &kpis[1..] {
            app.services
                .create_goal(
                    &owner,
                    engagement.id,
                    &GoalForm {
                        statement: format!("More of {}", kpi.fields.name),
                        kpi_id: kpi.id.to_string(),
                        baseline_value: "3000".into(),
                        baseline_date: day(60).to_string(),
                        target_value: if c % 3 == 0 { "9000" } else { "3300" }.into(),
                        target_date: day(-240).to_string(),
                        pacing: "straight-line".into(),
                    },
                )
                .await
                .unwrap();
        }
        if c % 100 == 99 {
            eprintln!("{} clients in {:.0} s", c + 1, setup.elapsed().as_secs_f64());
        }
    }

    let backend = if std::env::var("TESTKIT_POSTGRES_URL").is_ok() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let anna = app
        .actor("Northwind Creative", "anna.kovacs@northwind.example")
        .await;
    // Statistics as a running server has them (autovacuum analyses tables soon after such a load): without them
    // PostgreSQL plans the account executive's queries as if the tables were empty.
    if backend == "PostgreSQL" {
        app.sql("ANALYZE").await;
    }

    let mut owner_times = Vec::new();
    let mut ae_times = Vec::new();
    let mut shown = (0, 0, 0);
    for _ in 0..RUNS {
        let t = Instant::now();
        let home = app.services.home(&owner).await.unwrap();
        owner_times.push(t.elapsed());
        shown.0 = home.clients().count();
        shown.2 = home.clients().map(|c| c.stale.len()).sum();
        let t = Instant::now();
        let home = app.services.home(&anna).await.unwrap();
        ae_times.push(t.elapsed());
        shown.1 = home.clients().count();
    }
    // Where the time goes: each of the page's queries alone, read through the store.
    let mut parts: Vec<(&str, Vec<Duration>)> = ["clients and engagements", "goals", "moves", "stale KPIs"]
        .into_iter()
        .map(|n| (n, Vec::new()))
        .collect();
    for _ in 0..RUNS {
        use accountable_core::store::Store;
        let mut tx = app.store.read().await.unwrap();
        let t = Instant::now();
        std::hint::black_box(tx.home_clients(owner.agency_id, None).await.unwrap());
        parts[0].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(tx.home_goals(owner.agency_id, None).await.unwrap());
        parts[1].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(tx.home_moves_to_explain(owner.agency_id, day(90)).await.unwrap());
        parts[2].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(tx.home_stale_kpis(owner.agency_id, day(2), None).await.unwrap());
        parts[3].1.push(t.elapsed());
    }
    let parts: Vec<String> = parts
        .into_iter()
        .map(|(name, times)| format!("{name} {:.1}", median(times).0))
        .collect();

    if std::env::var("BENCH_HOME_PLAN").is_ok() && backend == "SQLite" {
        use sqlx::Row;
        let plan = sqlx::query(
            "EXPLAIN QUERY PLAN SELECT g.client_id, json_group_array(json_array(g.id, g.statement, k.name, s.standing, s.day)) AS goals \
             FROM goals g JOIN clients c ON c.id = g.client_id AND c.agency_id = g.agency_id \
             JOIN kpis k ON k.id = g.kpi_id AND k.agency_id = g.agency_id \
             LEFT JOIN goal_standings s ON s.goal_id = g.id \
             WHERE g.agency_id = 1 AND c.archived_at IS NULL GROUP BY g.client_id",
        )
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        for r in plan {
            eprintln!("plan: {}", r.get::<String, _>("detail"));
        }
    }

    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let mut page_times = Vec::new();
    let mut health_times = Vec::new();
    let mut bytes = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let page = b.get("/").await;
        page_times.push(t.elapsed());
        assert_eq!(page.status, 200);
        bytes = page.body.len();
        let t = Instant::now();
        b.get("/healthz").await;
        health_times.push(t.elapsed());
    }
    let (owner_median, owner_p95) = median(owner_times);
    let (ae_median, ae_p95) = median(ae_times);
    let (page_median, page_p95) = median(page_times);
    let (health_median, _) = median(health_times);
    println!(
        "| {backend} | the owner's home, use case ({} clients, {} stale KPIs) | {owner_median:.1} ms ({owner_p95:.1} ms) |",
        shown.0, shown.2
    );
    println!(
        "| {backend} | an account executive's home, use case ({} clients) | {ae_median:.1} ms ({ae_p95:.1} ms) |",
        shown.1
    );
    println!(
        "| {backend} | the owner's home page over HTTP ({} kB) | {page_median:.1} ms ({page_p95:.1} ms) |",
        bytes / 1024
    );
    println!(
        "| {backend} | the owner's queries alone, ms | {} |",
        parts.join(", ")
    );
    println!("| {backend} | `/healthz` over HTTP (ceiling) | {health_median:.2} ms |");
}
