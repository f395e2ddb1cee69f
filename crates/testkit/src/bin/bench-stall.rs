//! Benchmark: does a large import stall its agency? (issue "Hardening": while a 650,000-value import runs, a write
//! to another client of the same agency completes in under 200 ms.)
//!
//! For each database (SQLite, and PostgreSQL with `TESTKIT_POSTGRES_URL`), in one run: the demo agency; one
//! client's import of 650,000 values (65 KPIs × 10,000 days, long format, KPIs created) through the use case,
//! as `accountable import` runs it; and, every 50 ms while it runs, another AE's write of one value to another
//! client and a sign-in of a person of the same agency, each timed from call to commit. Beside them, the same two
//! probes on the idle database (the ceiling: what a write and a sign-in take when nothing else runs).
//!
//! Run: `cargo run -p accountable-testkit --features bench --bin bench-stall` (the figures are about waiting, not
//! computing, so the dev profile serves; `--release` shortens the import's window). Prints Markdown rows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::import::{ImportOptions, ImportOutcome};
use accountable_core::kpi::Measurement;
use accountable_testkit::{Options, POSTGRES_ENV, TestApp, TestDatabase};
use std::time::{Duration, Instant};

const KPIS: usize = 65;
const DAYS: i64 = 10_000;

fn file() -> Vec<u8> {
    let mut text = String::with_capacity(KPIS * DAYS as usize * 32);
    text.push_str("date,kpi,value\n");
    let first: jiff::civil::Date = "1999-01-01".parse().unwrap();
    for d in 0..DAYS {
        let day = first.checked_add(jiff::Span::new().days(d)).unwrap();
        for k in 0..KPIS {
            text.push_str(&format!("{day},Bench KPI {k},{}\n", (d * 31 + k as i64) % 1000));
        }
    }
    text.into_bytes()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// One write of one value to `client` and one sign-in, each timed; `None` for one refused (SQLite's "database is
/// locked" after its 5 s busy timeout).
async fn probe(
    app: &TestApp,
    owner: &accountable_core::actor::Actor,
    client: accountable_core::id::ClientId,
    kpi: accountable_core::kpi::KpiId,
    n: i64,
) -> (Option<Duration>, Option<Duration>) {
    let day: jiff::civil::Date = "2026-01-01".parse().unwrap();
    let value = Measurement {
        kpi_id: kpi,
        period_start: day,
        period_end: day,
        dimension: String::new(),
        value: n as f64,
    };
    let t = Instant::now();
    let write = app
        .services
        .write_measurements(owner, client, std::slice::from_ref(&value))
        .await
        .ok()
        .map(|_| t.elapsed());
    let t = Instant::now();
    let sign_in = app
        .services
        .sign_in(
            "anna.kovacs@northwind.example",
            accountable_app::demo::DEMO_PASSWORD,
            "203.0.113.50",
        )
        .await
        .ok()
        .map(|_| t.elapsed());
    (write, sign_in)
}

async fn bench(db: TestDatabase, bytes: &[u8]) {
    let kind = db.kind;
    let app = TestApp::start_on(
        db,
        Options {
            demo: true,
            ..Default::default()
        },
    )
    .await;
    let (owner, ledger) = app.northwind_owner_and("Ledgerline Software").await;
    let harbor = app
        .services
        .resolve_client(&owner, "Harbor & Pine Home Goods")
        .await
        .unwrap()
        .id;
    let kpi = app.services.add_preset_kpis(&owner, harbor).await.unwrap()[0].id;

    let mut idle = Vec::new();
    for n in 0..20 {
        idle.push(probe(&app, &owner, harbor, kpi, n).await);
    }

    let options = ImportOptions {
        create_kpis: true,
        ..Default::default()
    };
    let started = Instant::now();
    let import = {
        let (services, owner, bytes) = (app.services.clone(), owner.clone(), bytes.to_vec());
        tokio::spawn(async move {
            services
                .import_file(&owner, ledger, "bench.csv", &bytes, &options)
                .await
        })
    };
    let mut during = Vec::new();
    // The file is read and checked before anything is written: probes start at once and run until the commit.
    while !import.is_finished() {
        let at = started.elapsed();
        let p = probe(&app, &owner, harbor, kpi, during.len() as i64).await;
        if !import.is_finished() {
            if p.0.is_none_or(|d| d > Duration::from_millis(200))
                || p.1.is_none_or(|d| d > Duration::from_millis(200))
            {
                eprintln!("slow probe at {:.2} s into the import: {p:?}", at.as_secs_f64());
            }
            during.push(p);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let took = started.elapsed();
    match import.await.unwrap().unwrap() {
        ImportOutcome::Committed(r) => assert_eq!(r.values, KPIS * DAYS as usize),
        other => panic!("{other:?}"),
    }
    type Probe = (Option<Duration>, Option<Duration>);
    let row = |what: &str, v: &[Probe], pick: fn(&Probe) -> Option<Duration>| {
        let all: Vec<f64> = v.iter().filter_map(|p| pick(p).map(ms)).collect();
        let refused = v.len() - all.len();
        let max = all.iter().copied().fold(0.0, f64::max);
        println!(
            "| {kind} | {what} | {}{} | {:.1} ms | {:.1} ms |",
            v.len(),
            if refused > 0 {
                format!(" ({refused} refused: database is locked)")
            } else {
                String::new()
            },
            median(all.clone()),
            max
        );
    };
    println!(
        "| {kind} | the import: {} values, {:.2} s | | | |",
        KPIS * DAYS as usize,
        took.as_secs_f64()
    );
    row("another client's write, idle (ceiling)", &idle, |p| p.0);
    row("another client's write, during the import", &during, |p| p.0);
    row("a sign-in, idle (ceiling)", &idle, |p| p.1);
    row("a sign-in, during the import", &during, |p| p.1);
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let bytes = file();
    println!("| database | what | probes | median of those answered | slowest answered |");
    println!("| --- | --- | ---: | ---: | ---: |");
    bench(TestDatabase::sqlite(), &bytes).await;
    if let Ok(url) = std::env::var(POSTGRES_ENV) {
        bench(TestDatabase::postgres(&url).await, &bytes).await;
    }
}
