//! The worker: claims due jobs and runs their handlers, inside `accountable serve` or alone as
//! `accountable worker`; and the scheduler tick that enqueues recurring jobs.

use accountable_core::job::{Job, JobKind, JobRunner, Outcome, WorkerSettings};
use accountable_core::mail::MailSender;
use accountable_core::service::Services;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The handlers of every job kind.
pub struct Runner {
    services: Services,
    mail: Arc<dyn MailSender>,
}

impl Runner {
    /// The handlers over `services`, sending mail with `mail`.
    pub fn new(services: Services, mail: Arc<dyn MailSender>) -> Self {
        Runner { services, mail }
    }
}

#[async_trait::async_trait]
impl JobRunner for Runner {
    async fn run(&self, job: &Job) -> Outcome {
        match job.work() {
            Ok(JobKind::CleanUp) => match self.services.clean_up().await {
                Ok((sessions, attempts)) => {
                    tracing::info!(
                        job = job.id.0,
                        sessions,
                        attempts,
                        "upkeep removed expired sessions and old sign-in attempts"
                    );
                    Outcome::Done
                }
                Err(e) => Outcome::Retry(e.to_string()),
            },
            Ok(JobKind::RefreshStandings) => match self.services.refresh_due_standings().await {
                Ok(clients) => {
                    tracing::info!(
                        job = job.id.0,
                        clients,
                        "goal standings judged again for a new day"
                    );
                    Outcome::Done
                }
                Err(e) => Outcome::Retry(e.to_string()),
            },
            Ok(JobKind::SendMail { outbox_id }) => {
                self.services.deliver_mail(self.mail.as_ref(), outbox_id).await
            }
            Err(why) => Outcome::GiveUp(why),
        }
    }
}

/// How often an idle worker looks for due jobs, and how often the scheduler runs.
const IDLE_POLL: Duration = Duration::from_millis(500);

/// Runs jobs until `stop` turns true: claims a batch, runs it, and when nothing is due waits a moment. Enqueues
/// recurring jobs once a minute.
pub async fn run(
    services: Services,
    runner: Runner,
    settings: WorkerSettings,
    mut stop: watch::Receiver<bool>,
) {
    let mut last_schedule: Option<tokio::time::Instant> = None;
    loop {
        if *stop.borrow() {
            return;
        }
        if last_schedule.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
            if let Err(e) = services.schedule_recurring().await {
                tracing::warn!(cause = %e, "could not enqueue recurring jobs");
            }
            last_schedule = Some(tokio::time::Instant::now());
        }
        let idle = match services.run_due_jobs(&runner, &settings).await {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => {
                tracing::warn!(cause = %e, "the worker could not claim jobs");
                true
            }
        };
        if idle {
            tokio::select! {
                _ = tokio::time::sleep(IDLE_POLL) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// A worker name unique to this process.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!("{host}:{}:{:08x}", std::process::id(), rand_suffix())
}

fn rand_suffix() -> u32 {
    let nanos = std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos ^ std::process::id()
}
