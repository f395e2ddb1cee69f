//! Benchmark of pacing and notable moves (issue "Goals, KPIs and the numbers behind them"):
//!   - 250 clients × 8 KPIs × 500 days of daily values (1,000,000 values), one goal on every KPI (2,000 goals);
//!   - pacing of all 2,000 goals and the month's moves of all 2,000 KPIs, through the use cases (reading the
//!     figures from the database) and as arithmetic alone on figures already read;
//!   - one goal's page over HTTP, against `/healthz` (a trivial handler) in the same run.
//!
//! Run: `cargo run --release -p accountable-testkit --bin bench-pacing` (SQLite), and with
//! `TESTKIT_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test` for PostgreSQL. Prints Markdown rows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::client::ClientForm;
use accountable_core::engagement::EngagementForm;
use accountable_core::goal::GoalForm;
use accountable_core::id::ClientId;
use accountable_core::kpi::{KpiForm, Measurement};
use accountable_core::moves::{assess_series, last_full_month};
use accountable_core::pacing::{PacingRule, Plan, pace};
use accountable_core::series::{Daily, day_number, from_day_number};
use accountable_testkit::TestApp;
use std::time::{Duration, Instant};

const CLIENTS: usize = 250;
const KPIS: usize = 8;
const DAYS: i64 = 500;

fn median(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[v.len() * 95 / 100])
}

#[tokio::main]
async fn main() {
    let app = TestApp::with_demo().await;
    let actor = app.actor("Northwind Creative", "owner@northwind.example").await;
    let owner_id = actor.user_id.expect("a person's actor names the person");
    let today = app.services.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let first = day_number(today) - DAYS;
    let aggregations = [
        "sum",
        "sum",
        "sum",
        "weighted-average",
        "weighted-average",
        "last",
        "sum",
        "sum",
    ];

    let setup = Instant::now();
    let mut clients: Vec<ClientId> = Vec::new();
    let mut goal_ids = Vec::new();
    for c in 0..CLIENTS {
        let form = ClientForm {
            name: format!("Bench client {c:03}"),
            business_model: "e-commerce".into(),
            time_zone: "Europe/Budapest".into(),
            language: "en".into(),
            currency: "EUR".into(),
            weekly_report_weekday: "1".into(),
            weekly_report_time: "12:00".into(),
            ..Default::default()
        };
        let client = app.services.create_client(&actor, &form).await.unwrap();
        let engagement = app
            .services
            .create_engagement(
                &actor,
                client.id,
                &EngagementForm {
                    title: "Growth".into(),
                    starts_on: from_day_number(day_number(today) - 120).to_string(),
                    ends_on: from_day_number(day_number(today) + 200).to_string(),
                    budget: "10000".into(),
                    account_executive_id: owner_id.to_string(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let mut values = Vec::with_capacity(KPIS * DAYS as usize);
        let mut kpis = Vec::new();
        for (k, aggregation) in aggregations.iter().enumerate() {
            let kpi = app
                .services
                .add_kpi(
                    &actor,
                    client.id,
                    &KpiForm {
                        name: format!("KPI {k}"),
                        unit: "count".into(),
                        direction: if k == 3 { "down".into() } else { "up".into() },
                        aggregation: (*aggregation).into(),
                        kind: "business".into(),
                        source: String::new(),
                    },
                )
                .await
                .unwrap();
            for d in 0..DAYS {
                let day = from_day_number(first + d);
                let season = 1.0 + 0.2 * (d as f64 / 58.0).sin();
                values.push(Measurement {
                    kpi_id: kpi.id,
                    period_start: day,
                    period_end: day,
                    dimension: String::new(),
                    value: (100.0 + k as f64 * 10.0) * season + ((d * 7919 + c as i64) % 13) as f64,
                });
            }
            kpis.push(kpi);
        }
        app.services
            .write_measurements(&actor, client.id, &values)
            .await
            .unwrap();
        for kpi in &kpis {
            let goal = app
                .services
                .create_goal(
                    &actor,
                    engagement.id,
                    &GoalForm {
                        statement: format!("More of {}", kpi.fields.name),
                        kpi_id: kpi.id.to_string(),
                        baseline_date: from_day_number(day_number(today) - 120).to_string(),
                        target_value: "9999".into(),
                        target_date: from_day_number(day_number(today) + 200).to_string(),
                        pacing: "seasonal".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            goal_ids.push(goal.id);
        }
        clients.push(client.id);
    }
    eprintln!(
        "setup: {CLIENTS} clients, {} values, {} goals in {:.1} s",
        CLIENTS * KPIS * DAYS as usize,
        goal_ids.len(),
        setup.elapsed().as_secs_f64()
    );

    let backend = if std::env::var("TESTKIT_POSTGRES_URL").is_ok() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let month = last_full_month(today);

    // Through the use cases: each client's goals with pacing, and its KPIs' moves, read from the database.
    let started = Instant::now();
    let mut paced = 0;
    for c in &clients {
        paced += app.services.client_pacing(&actor, *c, today).await.unwrap().len();
    }
    let pacing_elapsed = started.elapsed();
    let started = Instant::now();
    let mut assessed = 0;
    for c in &clients {
        assessed += app.services.notable_moves(&actor, *c, month).await.unwrap().len();
    }
    let moves_elapsed = started.elapsed();

    // The arithmetic alone, on figures already read.
    let mut series = Vec::new();
    for c in &clients {
        let kpis = app.services.client_kpis(&actor, *c).await.unwrap();
        let values = app
            .services
            .client_measurements(&actor, *c, from_day_number(first), today)
            .await
            .unwrap();
        for k in kpis {
            let s = Daily::new(
                values
                    .iter()
                    .filter(|m| m.kpi_id == k.kpi.id)
                    .map(|m| (m.period_start, m.value)),
            );
            series.push((k.kpi, s));
        }
    }
    let started = Instant::now();
    let mut notable = 0;
    for (kpi, s) in &series {
        let plan = Plan {
            baseline: (from_day_number(day_number(today) - 120), 3000.0),
            target: (from_day_number(day_number(today) + 200), 9999.0),
            rule: PacingRule::Seasonal,
            aggregation: kpi.fields.aggregation,
            direction: kpi.fields.direction,
        };
        std::hint::black_box(pace(&plan, s, today));
        if assess_series(kpi, s, month).is_some_and(|m| m.is_notable()) {
            notable += 1;
        }
    }
    let arithmetic = started.elapsed();

    // One goal's page over HTTP, against a trivial handler.
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let mut page_times = Vec::new();
    let mut health_times = Vec::new();
    for i in 0..200 {
        let goal = goal_ids[(i * 37) % goal_ids.len()];
        let t = Instant::now();
        let page = b.get(&format!("/goals/{goal}")).await;
        page_times.push(t.elapsed());
        assert_eq!(page.status, 200);
        let t = Instant::now();
        b.get("/healthz").await;
        health_times.push(t.elapsed());
    }
    let (page_median, page_p95) = median(page_times);
    let (health_median, _) = median(health_times);

    println!(
        "| {backend} | pacing of {paced} goals, figures read per client | {:.0} ms |",
        pacing_elapsed.as_secs_f64() * 1000.0
    );
    println!(
        "| {backend} | moves of {assessed} KPIs, figures read per client | {:.0} ms |",
        moves_elapsed.as_secs_f64() * 1000.0
    );
    println!(
        "| {backend} | pacing + moves of {} KPIs, arithmetic only ({notable} notable) | {:.1} ms |",
        series.len(),
        arithmetic.as_secs_f64() * 1000.0
    );
    println!(
        "| {backend} | one goal's page over HTTP, median (p95) | {:.2} ms ({:.2} ms); /healthz {:.2} ms |",
        page_median.as_secs_f64() * 1000.0,
        page_p95.as_secs_f64() * 1000.0,
        health_median.as_secs_f64() * 1000.0
    );
}
