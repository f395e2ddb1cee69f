//! The job queue kept in the database, on both databases: keys make a second enqueue a no-op, failures retry
//! with backoff and end as failed jobs an owner can retry, two workers never run a job twice, and a job whose
//! worker died is picked up again after its lease runs out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::clock::Clock;
use accountable_core::job::{Job, JobRunner, JobState, NewJob, Outcome, WorkerSettings};
use accountable_testkit::{Options, TestApp};
use std::collections::HashMap;
use std::sync::Mutex;

/// Records every run; fails jobs whose payload says so.
#[derive(Default)]
struct Recorder {
    runs: Mutex<HashMap<i64, usize>>,
}

#[async_trait::async_trait]
impl JobRunner for Recorder {
    async fn run(&self, job: &Job) -> Outcome {
        *self.runs.lock().unwrap().entry(job.id.0).or_default() += 1;
        match job.payload.get("fail").and_then(|f| f.as_str()) {
            Some("always") => Outcome::Retry("the server is down".into()),
            Some("bad") => Outcome::GiveUp("the payload does not fit the kind".into()),
            _ => Outcome::Done,
        }
    }
}

fn worker(name: &str) -> WorkerSettings {
    WorkerSettings {
        name: name.into(),
        batch: 25,
        lease_secs: 60,
        ..WorkerSettings::default()
    }
}

#[tokio::test]
async fn a_second_enqueue_with_the_same_key_is_a_no_op() {
    let app = TestApp::start(Options::default()).await;
    let now = app.clock.now();
    let job =
        NewJob::raw("weekly-report", serde_json::json!({"client": 1}), now).keyed("weekly-report:1:2026-W48");
    assert!(app.services.enqueue(&job).await.unwrap().is_some());
    assert!(app.services.enqueue(&job).await.unwrap().is_none());
    let runner = Recorder::default();
    assert_eq!(
        app.services
            .run_queue_until_empty(&runner, &worker("w"))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn a_failing_job_retries_with_backoff_then_fails_and_does_not_block_others() {
    let app = TestApp::with_demo().await;
    let now = app.clock.now();
    let northwind = app
        .services
        .find_agency("Northwind Creative")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut flaky =
        NewJob::raw("send-mail", serde_json::json!({"fail": "always"}), now).for_agency(northwind);
    flaky.max_attempts = 3;
    app.services.enqueue(&flaky).await.unwrap();
    app.services
        .enqueue(&NewJob::raw("send-mail", serde_json::json!({"fail": "bad"}), now).for_agency(northwind))
        .await
        .unwrap();
    app.services
        .enqueue(&NewJob::raw("send-mail", serde_json::json!({}), now).for_agency(northwind))
        .await
        .unwrap();
    let runner = Recorder::default();
    let w = worker("w");
    assert_eq!(
        app.services.run_queue_until_empty(&runner, &w).await.unwrap(),
        3,
        "the good job ran beside the bad ones"
    );
    // The flaky job waits 10 s, then 20 s; its third failure is final.
    assert_eq!(
        app.services.run_queue_until_empty(&runner, &w).await.unwrap(),
        0,
        "not due before its backoff"
    );
    app.clock.advance(10);
    assert_eq!(app.services.run_queue_until_empty(&runner, &w).await.unwrap(), 1);
    app.clock.advance(20);
    assert_eq!(app.services.run_queue_until_empty(&runner, &w).await.unwrap(), 1);
    app.clock.advance(3600);
    assert_eq!(app.services.run_queue_until_empty(&runner, &w).await.unwrap(), 0);

    let owner = app
        .services
        .resolve_person(
            &accountable_core::actor::Actor::operator(northwind),
            "owner@northwind.example",
        )
        .await
        .unwrap()
        .actor();
    let work = app.services.background_work(&owner).await.unwrap();
    let failed: Vec<&Job> = work.iter().filter(|j| j.state == JobState::Failed).collect();
    assert_eq!(failed.len(), 2);
    assert!(
        failed
            .iter()
            .any(|j| j.last_error.as_deref() == Some("the server is down") && j.attempts == 3)
    );
    assert!(
        failed
            .iter()
            .any(|j| j.last_error.as_deref() == Some("the payload does not fit the kind"))
    );

    // An owner retries it by hand, from the page.
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let page = b.get("/background").await;
    assert!(
        page.body.contains("the server is down"),
        "the Background work page shows the last error"
    );
    let id = failed.iter().find(|j| j.attempts == 3).unwrap().id;
    let retried = b
        .post("/background", &format!("/background/{id}/retry"), &[])
        .await;
    assert_eq!(retried.status, reqwest::StatusCode::SEE_OTHER);
    assert_eq!(app.services.run_queue_until_empty(&runner, &w).await.unwrap(), 1);
    // Another agency's owner cannot see or retry it.
    let outsider = app.browser();
    outsider.sign_in_demo("owner@southwind.example").await;
    assert!(
        !outsider
            .get("/background")
            .await
            .body
            .contains("the server is down")
    );
    assert_eq!(
        outsider
            .post("/background", &format!("/background/{id}/retry"), &[])
            .await
            .status,
        reqwest::StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn two_workers_run_five_hundred_due_jobs_exactly_once() {
    let app = TestApp::start(Options::default()).await;
    let now = app.clock.now();
    for i in 0..500 {
        app.services
            .enqueue(&NewJob::raw("tick", serde_json::json!({"n": i}), now))
            .await
            .unwrap();
    }
    let runner = std::sync::Arc::new(Recorder::default());
    let (a, b) = (app.services.clone(), app.services.clone());
    let (ra, rb) = (runner.clone(), runner.clone());
    let first =
        tokio::spawn(async move { a.run_queue_until_empty(ra.as_ref(), &worker("a")).await.unwrap() });
    let second =
        tokio::spawn(async move { b.run_queue_until_empty(rb.as_ref(), &worker("b")).await.unwrap() });
    let ran = first.await.unwrap() + second.await.unwrap();
    assert_eq!(ran, 500);
    let runs = runner.runs.lock().unwrap();
    assert_eq!(runs.len(), 500);
    assert!(runs.values().all(|n| *n == 1), "a job ran twice");
}

#[tokio::test]
async fn a_job_whose_worker_died_is_picked_up_after_its_lease_expires() {
    let app = TestApp::start(Options::default()).await;
    let now = app.clock.now();
    app.services
        .enqueue(&NewJob::raw("tick", serde_json::json!({}), now))
        .await
        .unwrap();
    // A worker claims the job and dies before finishing it.
    let store = app.store.clone();
    let mut tx = accountable_core::store::Store::begin(&store).await.unwrap();
    let claimed = tx
        .claim_jobs(now, now + jiff::SignedDuration::from_secs(60), "dead", 10)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(claimed.len(), 1);
    let runner = Recorder::default();
    assert_eq!(
        app.services
            .run_queue_until_empty(&runner, &worker("alive"))
            .await
            .unwrap(),
        0,
        "the lease still holds"
    );
    app.clock.advance(61);
    assert_eq!(
        app.services
            .run_queue_until_empty(&runner, &worker("alive"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(runner.runs.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_show_the_queue() {
    let app = TestApp::with_demo().await;
    let now = app.clock.now();
    app.services
        .enqueue(&NewJob::raw("tick", serde_json::json!({}), now))
        .await
        .unwrap();
    app.clock.advance(30);
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let client = app
        .services
        .list_clients(
            &accountable_core::actor::Actor::operator(
                app.services
                    .find_agency("Northwind Creative")
                    .await
                    .unwrap()
                    .unwrap()
                    .id,
            ),
            &Default::default(),
        )
        .await
        .unwrap()
        .0[0]
        .id;
    b.get(&format!("/clients/{client}")).await;
    b.get("/clients").await;
    let page = b.get("/metrics").await;
    assert_eq!(page.status, reqwest::StatusCode::OK);
    let text = page.body;
    assert!(
        text.contains(
            r#"accountable_http_requests_total{method="GET",route="/clients/{id}",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains("accountable_http_request_duration_seconds_bucket{"),
        "{text}"
    );
    assert!(
        text.contains(r#"accountable_jobs{kind="tick",state="pending"} 1"#),
        "{text}"
    );
    assert!(text.contains("accountable_outbox_depth 0"), "{text}");
    assert!(
        text.contains("accountable_oldest_due_job_age_seconds 30"),
        "{text}"
    );
}

/// The number of series `/metrics` holds.
fn series(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with("accountable_http_"))
        .count()
}

#[tokio::test]
async fn ten_thousand_distinct_paths_leave_the_number_of_metric_series_unchanged() {
    let app = TestApp::start(Default::default()).await;
    let http = reqwest::Client::new();
    // One request of each kind first, so that every label the flood will use exists.
    for path in ["/nope/0", "/api/v1/clients/x0"] {
        http.get(format!("{}{path}", app.base)).send().await.unwrap();
    }
    let brew = reqwest::Method::from_bytes(b"BREW").unwrap();
    http.request(brew.clone(), format!("{}/clients/0", app.base))
        .send()
        .await
        .unwrap();
    // A first scrape, so that the scrapes' own series exists before counting.
    http.get(format!("{}/metrics", app.base)).send().await.unwrap();
    let before = series(
        &http
            .get(format!("{}/metrics", app.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );

    let mut tasks = Vec::new();
    for t in 0..8 {
        let (http, base, brew) = (http.clone(), app.base.clone(), brew.clone());
        tasks.push(tokio::spawn(async move {
            for i in (t..10_000).step_by(8) {
                let answer = match i % 3 {
                    0 => http.get(format!("{base}/nope/{i}/x{i}")).send().await,
                    1 => http.get(format!("{base}/api/v1/clients/x{i}")).send().await,
                    _ => {
                        http.request(brew.clone(), format!("{base}/clients/{i}"))
                            .send()
                            .await
                    }
                };
                answer.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let text = http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The scrapes themselves are one more route, counted the same way before and after.
    assert_eq!(series(&text), before, "{text}");
    assert!(text.contains(r#"route="unmatched""#), "{text}");
    assert!(text.contains(r#"method="other""#), "{text}");
}
