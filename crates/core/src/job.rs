//! Work that happens later: a job is a row written in the same transaction as the change that causes it,
//! claimed by a worker with a lease, retried with exponential backoff, and marked failed after its last attempt.
//! A job's key makes a second enqueue of the same work a no-op.

use crate::error::FieldError;
use crate::id::AgencyId;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;
use serde_json::Value;

/// A job's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct JobId(pub i64);

impl std::fmt::Display for JobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum JobState {
    /// Waiting for its time, or for a retry.
    #[serde(rename = "pending")]
    Pending,
    /// Claimed by a worker whose lease has not run out.
    #[serde(rename = "running")]
    Running,
    /// Done.
    #[serde(rename = "done")]
    Done,
    /// Given up on after its last attempt; an owner may retry it by hand.
    #[serde(rename = "failed")]
    Failed,
}

impl JobState {
    /// Every state.
    pub const ALL: [JobState; 4] = [
        JobState::Pending,
        JobState::Running,
        JobState::Done,
        JobState::Failed,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    /// Parses the stored word.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        JobState::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| FieldError::new(field, "invalid-choice", format!("{raw:?} is not a job state")))
    }
}

/// The work a job does, with its input: one variant a handler. The queue stores the variant's [`name`] and its
/// [`payload`] as JSON; the worker reads them back with [`JobKind::parse`] and matches on every variant, so a new
/// kind of job does not compile until it has a handler.
///
/// [`name`]: JobKind::name
/// [`payload`]: JobKind::payload
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobKind {
    /// Removes expired sessions and sign-in attempts past the rate limit's window.
    CleanUp,
    /// Judges again, for their client's new day, the goal standings the home page shows.
    RefreshStandings,
    /// Sends one outbox message.
    SendMail {
        /// The message.
        outbox_id: crate::mail::OutboxId,
    },
}

impl JobKind {
    /// The word the queue stores (and the Background work page and the metrics show).
    pub fn name(&self) -> &'static str {
        match self {
            JobKind::CleanUp => "clean-up",
            JobKind::RefreshStandings => "refresh-standings",
            JobKind::SendMail { .. } => "send-mail",
        }
    }

    /// The input the queue stores beside the name.
    pub fn payload(&self) -> Value {
        match self {
            JobKind::CleanUp | JobKind::RefreshStandings => serde_json::json!({}),
            JobKind::SendMail { outbox_id } => serde_json::json!({ "outbox_id": outbox_id.0 }),
        }
    }

    /// The work a stored name and payload describe; a name no handler knows, or a payload that does not fit
    /// it, is an error saying which (the worker gives such a job up).
    pub fn parse(name: &str, payload: &Value) -> Result<JobKind, String> {
        match name {
            "clean-up" => Ok(JobKind::CleanUp),
            "refresh-standings" => Ok(JobKind::RefreshStandings),
            "send-mail" => payload
                .get("outbox_id")
                .and_then(Value::as_i64)
                .map(|id| JobKind::SendMail {
                    outbox_id: crate::mail::OutboxId(id),
                })
                .ok_or_else(|| format!("the payload {payload} has no outbox_id")),
            other => Err(format!("no handler for job kind {other:?}")),
        }
    }
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// The agency the work is for, if any (shown on that agency's Background work page).
    pub agency_id: Option<AgencyId>,
    /// What to do: the handler's name, such as `send-mail`.
    pub kind: String,
    /// The handler's input.
    pub payload: Value,
    /// Not before this instant.
    pub run_after: Timestamp,
    /// Work that must happen once: a second job with the same key is not enqueued.
    pub key: Option<String>,
    /// Attempts before the job is marked failed.
    pub max_attempts: i64,
}

impl NewJob {
    /// A job doing `work` now, at most [`DEFAULT_MAX_ATTEMPTS`] times.
    pub fn now(work: &JobKind, now: Timestamp) -> Self {
        NewJob::raw(work.name(), work.payload(), now)
    }

    /// A job of any name and payload, for the queue's own tests and benchmarks (the worker gives up a name it
    /// has no handler for); the product enqueues [`JobKind`]s with [`NewJob::now`].
    pub fn raw(kind: &str, payload: Value, now: Timestamp) -> Self {
        NewJob {
            agency_id: None,
            kind: kind.to_string(),
            payload,
            run_after: now,
            key: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// The same job with a key that makes a second enqueue a no-op.
    pub fn keyed(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// The same job for an agency.
    pub fn for_agency(mut self, agency: AgencyId) -> Self {
        self.agency_id = Some(agency);
        self
    }
}

/// How many times a job is tried unless it says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 8;

/// A stored job: its name and payload as stored, so that the Background work page shows a job whose payload
/// no longer fits (read the work with [`Job::work`]).
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// Its id.
    pub id: JobId,
    /// The agency, if any.
    pub agency_id: Option<AgencyId>,
    /// The handler's name.
    pub kind: String,
    /// The handler's input.
    pub payload: Value,
    /// Where it stands.
    pub state: JobState,
    /// Not before this instant.
    pub run_after: Timestamp,
    /// How many times it was claimed.
    pub attempts: i64,
    /// Attempts before it is marked failed.
    pub max_attempts: i64,
    /// The key that made it unique, if any.
    pub key: Option<String>,
    /// The last error, if an attempt failed.
    pub last_error: Option<String>,
    /// Until when the current worker holds it.
    pub lease_until: Option<Timestamp>,
    /// When it was enqueued.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Job {
    /// The work this job does, or why it cannot be done (see [`JobKind::parse`]).
    pub fn work(&self) -> Result<JobKind, String> {
        JobKind::parse(&self.kind, &self.payload)
    }
}

/// The wait before retry number `attempts + 1`: 10 s doubling each time, at most an hour.
pub fn backoff(attempts: i64) -> SignedDuration {
    let exponent = attempts.clamp(1, 20) - 1;
    let seconds = 10_i64.saturating_mul(1_i64 << exponent).min(3600);
    SignedDuration::from_secs(seconds)
}

/// What a worker does after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The work is done.
    Done,
    /// It failed in a way that may pass later (a server down, a 4xx answer): retry after the backoff.
    Retry(String),
    /// It failed in a way that will not pass (a bad payload, a 5xx refusal): mark it failed now.
    GiveUp(String),
}

/// The next time, after `after`, that a weekly event at `weekday` and `minute_of_day` happens in `zone`.
///
/// Civil times that a daylight-saving change skips move forward with the clocks (02:30 on the spring-forward
/// night in Europe/Budapest becomes 03:30); repeated ones take the first occurrence.
pub fn next_weekly(zone: &TimeZone, weekday: i8, minute_of_day: i16, after: Timestamp) -> Option<Timestamp> {
    let target = match weekday {
        1 => Weekday::Monday,
        2 => Weekday::Tuesday,
        3 => Weekday::Wednesday,
        4 => Weekday::Thursday,
        5 => Weekday::Friday,
        6 => Weekday::Saturday,
        _ => Weekday::Sunday,
    };
    let local = after.to_zoned(zone.clone());
    let mut day = local.date();
    for _ in 0..9 {
        if day.weekday() == target {
            let time =
                jiff::civil::Time::new((minute_of_day / 60) as i8, (minute_of_day % 60) as i8, 0, 0).ok()?;
            let at = day.to_datetime(time).to_zoned(zone.clone()).ok()?.timestamp();
            if at > after {
                return Some(at);
            }
        }
        day = day.checked_add(1.day()).ok()?;
    }
    None
}

/// The queue and the outbox at a glance.
#[derive(Debug, Clone)]
pub struct QueueStats {
    /// Jobs by kind and state.
    pub jobs: Vec<(String, JobState, i64)>,
    /// Messages waiting to be sent.
    pub outbox_depth: i64,
    /// Seconds the longest-waiting due job has waited (0 when none waits).
    pub oldest_due_secs: i64,
}

/// Runs one job: implemented by the binary, which knows the handlers (mail, reports, …).
#[async_trait::async_trait]
pub trait JobRunner: Send + Sync {
    /// Does the work of `job` and says how it went. A payload that does not fit the kind is [`Outcome::GiveUp`].
    async fn run(&self, job: &Job) -> Outcome;
}

/// How a worker claims jobs.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The worker's name, stored with each job it holds.
    pub name: String,
    /// Jobs claimed at once.
    pub batch: i64,
    /// How long a claim holds before another worker may take the job.
    pub lease_secs: i64,
    /// How many claimed jobs run at the same time (a mail server answers slowly; a batch need not wait for each).
    pub concurrency: usize,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            name: "worker".into(),
            batch: 50,
            lease_secs: 300,
            concurrency: 8,
        }
    }
}

impl crate::service::Services {
    /// Enqueues a job in its own transaction (use cases enqueue inside theirs with `JobTx::enqueue_job`).
    pub async fn enqueue(&self, job: &NewJob) -> crate::Result<Option<JobId>> {
        let mut tx = self.store.begin().await?;
        let id = tx.enqueue_job(job, self.now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Claims one batch of due jobs and runs them one after another; returns how many ran.
    pub async fn run_due_jobs(
        &self,
        runner: &dyn JobRunner,
        worker: &WorkerSettings,
    ) -> crate::Result<usize> {
        let now = self.now();
        let lease_until = now + SignedDuration::from_secs(worker.lease_secs);
        let mut tx = self.store.begin().await?;
        let jobs = tx
            .claim_jobs(now, lease_until, &worker.name, worker.batch)
            .await?;
        tx.commit().await?;
        for chunk in jobs.chunks(worker.concurrency.max(1)) {
            // The handlers of a chunk run at the same time; their outcomes are written in one transaction.
            let outcomes = futures_util::future::join_all(chunk.iter().map(|job| async move {
                if job.attempts > job.max_attempts {
                    Outcome::GiveUp(format!("gave up after {} attempts", job.max_attempts))
                } else {
                    runner.run(job).await
                }
            }))
            .await;
            let now = self.now();
            let mut tx = self.store.begin().await?;
            for (job, outcome) in chunk.iter().zip(outcomes) {
                match outcome {
                    Outcome::Done => tx.complete_job(job.id, &worker.name, now).await?,
                    Outcome::Retry(error) if job.attempts < job.max_attempts => {
                        let at = now + backoff(job.attempts);
                        tx.reschedule_job(job.id, &worker.name, &error, at, now).await?
                    }
                    Outcome::Retry(error) | Outcome::GiveUp(error) => {
                        tx.fail_job(job.id, &worker.name, &error, now).await?
                    }
                };
            }
            tx.commit().await?;
        }
        Ok(jobs.len())
    }

    /// Runs due jobs until none is due: what tests use to drive the queue, with a clock they control.
    pub async fn run_queue_until_empty(
        &self,
        runner: &dyn JobRunner,
        worker: &WorkerSettings,
    ) -> crate::Result<usize> {
        let mut total = 0;
        loop {
            let ran = self.run_due_jobs(runner, worker).await?;
            if ran == 0 {
                return Ok(total);
            }
            total += ran;
        }
    }

    /// The agency's background work: failed jobs first, then the latest others (owners only).
    pub async fn background_work(&self, actor: &crate::actor::Actor) -> crate::Result<Vec<Job>> {
        actor.require(crate::actor::Permission::ManagePeople)?;
        let mut tx = self.store.begin().await?;
        let mut jobs = tx
            .list_jobs(Some(actor.agency_id), Some(JobState::Failed), 200)
            .await?;
        jobs.extend(
            tx.list_jobs(Some(actor.agency_id), None, 100)
                .await?
                .into_iter()
                .filter(|j| j.state != JobState::Failed),
        );
        Ok(jobs)
    }

    /// The queue and the outbox at a glance, for monitoring: jobs by kind and state, messages waiting, and how
    /// long the longest-waiting due job has waited (seconds).
    pub async fn queue_stats(&self) -> crate::Result<QueueStats> {
        let now = self.now();
        let mut tx = self.read().await?;
        let jobs = tx.job_counts().await?;
        let outbox_depth = tx.outbox_depth().await?;
        let oldest_due_secs = tx
            .oldest_due_job(now)
            .await?
            .map(|t| now.duration_since(t).as_secs().max(0))
            .unwrap_or(0);
        Ok(QueueStats {
            jobs,
            outbox_depth,
            oldest_due_secs,
        })
    }

    /// Puts a failed job of the agency back in the queue (owners only).
    pub async fn retry_job(&self, actor: &crate::actor::Actor, id: JobId) -> crate::Result<()> {
        let mut tx = self.store.begin().await?;
        let job = tx.get_job(Some(actor.agency_id), id).await?;
        actor.require(crate::actor::Permission::ManagePeople)?;
        if job.state != JobState::Failed {
            return Err(crate::Error::Conflict {
                code: crate::error::Conflict::JobNotFailed,
                message: "only a failed job can be retried".into(),
            });
        }
        tx.requeue_job(Some(actor.agency_id), id, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn every_kind_of_work_reads_back_from_its_stored_name_and_payload() {
        let kinds = [
            JobKind::CleanUp,
            JobKind::RefreshStandings,
            JobKind::SendMail {
                outbox_id: crate::mail::OutboxId(42),
            },
        ];
        for kind in kinds {
            assert_eq!(JobKind::parse(kind.name(), &kind.payload()), Ok(kind.clone()));
        }
    }

    #[test]
    fn an_unknown_name_or_a_payload_that_does_not_fit_is_said_not_guessed() {
        let unknown = JobKind::parse("tick", &serde_json::json!({})).unwrap_err();
        assert!(unknown.contains("\"tick\""), "{unknown}");
        let bad = JobKind::parse("send-mail", &serde_json::json!({"outbox": 1})).unwrap_err();
        assert!(bad.contains("outbox_id"), "{bad}");
    }

    #[test]
    fn backoff_doubles_from_ten_seconds_up_to_an_hour() {
        assert_eq!(backoff(1).as_secs(), 10);
        assert_eq!(backoff(2).as_secs(), 20);
        assert_eq!(backoff(4).as_secs(), 80);
        assert_eq!(backoff(12).as_secs(), 3600);
        assert_eq!(backoff(200).as_secs(), 3600);
    }

    #[test]
    fn monday_noon_in_budapest_follows_the_clocks_across_the_autumn_change() {
        let budapest = TimeZone::get("Europe/Budapest").unwrap();
        // Summer time (UTC+2) ends on Sunday 2026-10-25.
        let before = next_weekly(&budapest, 1, 720, ts("2026-10-20T00:00:00Z")).unwrap();
        assert_eq!(
            before,
            ts("2026-10-26T11:00:00Z"),
            "Monday after the change: noon is 11:00 UTC"
        );
        let summer = next_weekly(&budapest, 1, 720, ts("2026-10-13T00:00:00Z")).unwrap();
        assert_eq!(
            summer,
            ts("2026-10-19T10:00:00Z"),
            "in summer time noon is 10:00 UTC"
        );
    }

    #[test]
    fn the_spring_change_in_budapest_and_shanghai_which_has_none() {
        let budapest = TimeZone::get("Europe/Budapest").unwrap();
        // Summer time begins on Sunday 2027-03-28 at 02:00, which becomes 03:00.
        let skipped = next_weekly(&budapest, 7, 150, ts("2027-03-27T00:00:00Z")).unwrap();
        assert_eq!(
            skipped,
            ts("2027-03-28T01:30:00Z"),
            "02:30 does not exist that night: it moves to 03:30 CEST"
        );
        let monday = next_weekly(&budapest, 1, 720, ts("2027-03-27T00:00:00Z")).unwrap();
        assert_eq!(monday, ts("2027-03-29T10:00:00Z"));
        let shanghai = TimeZone::get("Asia/Shanghai").unwrap();
        for (after, expected) in [
            ("2026-10-20T00:00:00Z", "2026-10-26T04:00:00Z"),
            ("2027-03-27T00:00:00Z", "2027-03-29T04:00:00Z"),
        ] {
            assert_eq!(next_weekly(&shanghai, 1, 720, ts(after)).unwrap(), ts(expected));
        }
    }

    #[test]
    fn the_next_occurrence_is_strictly_after_the_given_instant() {
        let utc = TimeZone::UTC;
        let monday_noon = ts("2026-11-23T12:00:00Z");
        assert_eq!(
            next_weekly(&utc, 1, 720, monday_noon).unwrap(),
            ts("2026-11-30T12:00:00Z")
        );
        assert_eq!(
            next_weekly(&utc, 1, 720, ts("2026-11-23T11:59:59Z")).unwrap(),
            monday_noon
        );
    }
}
