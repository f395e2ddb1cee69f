//! The storage trait of the job queue, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::error::Result;
use crate::id::AgencyId;
use crate::job::{Job, JobId, JobState, NewJob};
use async_trait::async_trait;
use jiff::Timestamp;

/// The job queue's reads and writes (see [`crate::job`]).
#[async_trait]
pub trait JobTx: Send {
    /// Enqueues a job; `None` when a job with the same key exists already (constraint `jobs_job_key_key`).
    async fn enqueue_job(&mut self, job: &NewJob, now: Timestamp) -> Result<Option<JobId>>;
    /// Claims up to `limit` due jobs (pending and due, or running with an expired lease) for `worker` until
    /// `lease_until`, counting an attempt for each. Two workers never claim the same job.
    async fn claim_jobs(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        worker: &str,
        limit: i64,
    ) -> Result<Vec<Job>>;
    /// Marks a job done, if `worker` still holds it.
    async fn complete_job(&mut self, id: JobId, worker: &str, now: Timestamp) -> Result<bool>;
    /// Puts a job back to wait until `run_after`, with the error of the attempt, if `worker` still holds it.
    async fn reschedule_job(
        &mut self,
        id: JobId,
        worker: &str,
        error: &str,
        run_after: Timestamp,
        now: Timestamp,
    ) -> Result<bool>;
    /// Marks a job failed with its error, if `worker` still holds it.
    async fn fail_job(&mut self, id: JobId, worker: &str, error: &str, now: Timestamp) -> Result<bool>;
    /// Jobs of an agency (or all, for `None`), newest first, optionally of one state.
    async fn list_jobs(
        &mut self,
        agency: Option<AgencyId>,
        state: Option<JobState>,
        limit: i64,
    ) -> Result<Vec<Job>>;
    /// One job of an agency (or any, for `None`).
    async fn get_job(&mut self, agency: Option<AgencyId>, id: JobId) -> Result<Job>;
    /// Puts a failed job back in the queue with fresh attempts.
    async fn requeue_job(&mut self, agency: Option<AgencyId>, id: JobId, now: Timestamp) -> Result<()>;
    /// How many jobs there are of each kind and state.
    async fn job_counts(&mut self) -> Result<Vec<(String, JobState, i64)>>;
    /// When the longest-waiting due job became due.
    async fn oldest_due_job(&mut self, now: Timestamp) -> Result<Option<Timestamp>>;
}
