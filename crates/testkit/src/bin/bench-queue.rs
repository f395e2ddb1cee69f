//! Benchmarks of the job queue and the mail outbox (issue "work that happens later"):
//!   - trivial jobs per second through one worker (and through two workers at once), none run twice;
//!   - the cost of enqueueing a job inside a use case's transaction;
//!   - 1,000 messages through the outbox to a real SMTP server on 127.0.0.1 (aiosmtpd).
//!
//! Run: `cargo run --release -p accountable-testkit --bin bench-queue` (SQLite), and with
//! `TESTKIT_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test` for PostgreSQL. Prints Markdown rows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::job::{Job, JobRunner, NewJob, Outcome, WorkerSettings};
use accountable_core::mail::{self, NewMessage};
use accountable_core::store::Store;
use accountable_core::types::Email;
use accountable_testkit::{Options, SmtpServer, TestApp};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Default)]
struct Counter(Mutex<HashMap<i64, u32>>);

#[async_trait::async_trait]
impl JobRunner for Counter {
    async fn run(&self, job: &Job) -> Outcome {
        *self.0.lock().unwrap().entry(job.id.0).or_default() += 1;
        Outcome::Done
    }
}

fn worker(name: &str) -> WorkerSettings {
    WorkerSettings {
        name: name.into(),
        batch: 100,
        lease_secs: 60,
        ..WorkerSettings::default()
    }
}

async fn enqueue_many(app: &TestApp, n: usize) {
    let now = app.services.now();
    let mut tx = app.store.begin().await.unwrap();
    for i in 0..n {
        tx.enqueue_job(&NewJob::raw("tick", serde_json::json!({ "n": i }), now), now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn throughput(app: &TestApp, workers: usize, n: usize) -> f64 {
    enqueue_many(app, n).await;
    let counter = Arc::new(Counter::default());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..workers {
        let (services, counter) = (app.services.clone(), counter.clone());
        tasks.push(tokio::spawn(async move {
            services
                .run_queue_until_empty(counter.as_ref(), &worker(&format!("w{w}")))
                .await
                .unwrap()
        }));
    }
    let mut ran = 0;
    for t in tasks {
        ran += t.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    let runs = counter.0.lock().unwrap();
    assert_eq!(ran, n);
    assert!(
        runs.len() == n && runs.values().all(|c| *c == 1),
        "a job ran twice or not at all"
    );
    n as f64 / secs
}

/// Microseconds per transaction that updates a row and appends an audit-like write, with and without an
/// enqueue: the difference is what enqueueing adds to a use case.
async fn enqueue_cost(app: &TestApp, n: usize) -> (f64, f64) {
    let now = app.services.now();
    let timed = |with_job: bool| {
        let app_store = app.store.clone();
        async move {
            let started = Instant::now();
            for i in 0..n {
                let mut tx = app_store.begin().await.unwrap();
                tx.lock_chain(0).await.unwrap();
                if with_job {
                    tx.enqueue_job(
                        &NewJob::raw("tick", serde_json::json!({ "n": i }), now).keyed(format!("cost-{i}")),
                        now,
                    )
                    .await
                    .unwrap();
                }
                tx.commit().await.unwrap();
            }
            started.elapsed().as_secs_f64() * 1e6 / n as f64
        }
    };
    let without = timed(false).await;
    let with = timed(true).await;
    (without, with)
}

async fn outbox(n: usize) -> f64 {
    let smtp = SmtpServer::start().await;
    let app = TestApp::start(Options {
        smtp_port: Some(smtp.port),
        ..Default::default()
    })
    .await;
    let now = app.services.now();
    let mut tx = app.store.begin().await.unwrap();
    for i in 0..n {
        let m = NewMessage {
            agency_id: None,
            to: vec![Email::parse("to", &format!("client{i}@client.example")).unwrap()],
            cc: Vec::new(),
            reply_to: None,
            subject: format!("Weekly status {i}"),
            text: "What we did, what comes next, what we need from you.".into(),
            html: Some("<p>What we did, what comes next, what we need from you.</p>".into()),
            attachments: Vec::new(),
        };
        mail::queue(tx.as_mut(), &m, "bench.example", now).await.unwrap();
    }
    tx.commit().await.unwrap();
    let started = Instant::now();
    let sent = app.run_jobs().await;
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(sent, n);
    // aiosmtpd writes each file as it accepts the message: all must be there, once each.
    assert_eq!(smtp.messages().len(), n);
    secs
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let label = if std::env::var(accountable_testkit::POSTGRES_ENV).is_ok() {
        "postgres"
    } else {
        "sqlite"
    };
    let app = TestApp::start(Options::default()).await;
    let one = throughput(&app, 1, 5000).await;
    let two = throughput(&app, 2, 5000).await;
    let (without, with) = enqueue_cost(&app, 2000).await;
    let outbox_secs = outbox(1000).await;
    println!(
        "| {label} | {one:.0} jobs/s | {two:.0} jobs/s | {:.3} ms ({with:.0} µs with, {without:.0} µs without) | {outbox_secs:.2} s |",
        (with - without).max(0.0) / 1000.0
    );
}
