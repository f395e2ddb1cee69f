//! The job queue in SQL. Claiming differs by database: PostgreSQL skips rows another worker has locked
//! (`FOR UPDATE SKIP LOCKED`); SQLite runs one writer at a time, so the claiming UPDATE is atomic as it is.

use crate::Backend;
use crate::error::db;
use crate::row::{int, opt_int, opt_text, opt_timestamp, parsed, text, timestamp, ts};
use crate::tx::{SqlTx, one_or_not_found};
use accountable_core::error::{Error, Result};
use accountable_core::id::AgencyId;
use accountable_core::job::{Job, JobId, JobState, NewJob};
use accountable_core::record::RecordKind;
use accountable_core::store::JobTx;
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

const JOB_COLUMNS: &str = "id, agency_id, kind, payload, state, run_after, attempts, max_attempts, job_key, \
     last_error, lease_until, created_at, updated_at";

fn job(row: &AnyRow) -> Result<Job> {
    let payload = text(row, "payload")?;
    Ok(Job {
        id: JobId(int(row, "id")?),
        agency_id: opt_int(row, "agency_id")?.map(AgencyId),
        kind: text(row, "kind")?,
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::String(payload)),
        state: parsed(row, "state", JobState::parse)?,
        run_after: timestamp(row, "run_after")?,
        attempts: int(row, "attempts")?,
        max_attempts: int(row, "max_attempts")?,
        key: opt_text(row, "job_key")?,
        last_error: opt_text(row, "last_error")?,
        lease_until: opt_timestamp(row, "lease_until")?,
        created_at: timestamp(row, "created_at")?,
        updated_at: timestamp(row, "updated_at")?,
    })
}

/// Errors longer than this are cut, so a runaway message cannot bloat the table.
const MAX_ERROR: usize = 2000;

fn clip(error: &str) -> String {
    error.chars().take(MAX_ERROR).collect()
}

#[async_trait]
impl JobTx for SqlTx {
    async fn enqueue_job(&mut self, j: &NewJob, now: Timestamp) -> Result<Option<JobId>> {
        let row = sqlx::query(
            "INSERT INTO jobs (agency_id, kind, payload, state, run_after, attempts, max_attempts, job_key, created_at, updated_at) \
             VALUES ($1, $2, $3, 'pending', $4, 0, $5, $6, $7, $7) ON CONFLICT (job_key) DO NOTHING RETURNING id",
        )
        .bind(j.agency_id.map(|a| a.0))
        .bind(&j.kind)
        .bind(j.payload.to_string())
        .bind(ts(j.run_after))
        .bind(j.max_attempts)
        .bind(j.key.as_deref())
        .bind(ts(now))
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.map(|r| int(&r, "id").map(JobId)).transpose()
    }

    async fn claim_jobs(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        worker: &str,
        limit: i64,
    ) -> Result<Vec<Job>> {
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $1, leased_by = $2, updated_at = $3 \
             WHERE id IN (SELECT id FROM jobs WHERE (state = 'pending' AND run_after <= $3) \
             OR (state = 'running' AND lease_until < $3) ORDER BY run_after, id LIMIT $4{lock}) RETURNING {JOB_COLUMNS}"
        );
        let rows = sqlx::query(&sql)
            .bind(ts(lease_until))
            .bind(worker)
            .bind(ts(now))
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db)?;
        let mut jobs = rows.iter().map(job).collect::<Result<Vec<_>>>()?;
        jobs.sort_by_key(|j| (j.run_after, j.id.0));
        Ok(jobs)
    }

    async fn complete_job(&mut self, id: JobId, worker: &str, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'done', lease_until = NULL, leased_by = NULL, updated_at = $1 \
             WHERE id = $2 AND leased_by = $3 AND state = 'running'",
        )
        .bind(ts(now))
        .bind(id.0)
        .bind(worker)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn reschedule_job(
        &mut self,
        id: JobId,
        worker: &str,
        error: &str,
        run_after: Timestamp,
        now: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'pending', run_after = $1, last_error = $2, lease_until = NULL, leased_by = NULL, \
             updated_at = $3 WHERE id = $4 AND leased_by = $5 AND state = 'running'",
        )
        .bind(ts(run_after))
        .bind(clip(error))
        .bind(ts(now))
        .bind(id.0)
        .bind(worker)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn fail_job(&mut self, id: JobId, worker: &str, error: &str, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'failed', last_error = $1, lease_until = NULL, leased_by = NULL, updated_at = $2 \
             WHERE id = $3 AND leased_by = $4 AND state = 'running'",
        )
        .bind(clip(error))
        .bind(ts(now))
        .bind(id.0)
        .bind(worker)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn list_jobs(
        &mut self,
        agency: Option<AgencyId>,
        state: Option<JobState>,
        limit: i64,
    ) -> Result<Vec<Job>> {
        let mut filters = Vec::new();
        if agency.is_some() {
            filters.push(format!("agency_id = ${}", filters.len() + 1));
        }
        if state.is_some() {
            filters.push(format!("state = ${}", filters.len() + 1));
        }
        let filter = if filters.is_empty() {
            "1 = 1".to_string()
        } else {
            filters.join(" AND ")
        };
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE {filter} ORDER BY id DESC LIMIT ${}",
            filters.len() + 1
        );
        let mut query = sqlx::query(&sql);
        if let Some(a) = agency {
            query = query.bind(a.0);
        }
        if let Some(s) = state {
            query = query.bind(s.as_str());
        }
        let rows = query.bind(limit).fetch_all(&mut *self.tx).await.map_err(db)?;
        rows.iter().map(job).collect()
    }

    async fn get_job(&mut self, agency: Option<AgencyId>, id: JobId) -> Result<Job> {
        let sql = match agency {
            Some(_) => format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1 AND agency_id = $2"),
            None => format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"),
        };
        let mut query = sqlx::query(&sql).bind(id.0);
        if let Some(a) = agency {
            query = query.bind(a.0);
        }
        let row = query.fetch_optional(&mut *self.tx).await.map_err(db)?;
        one_or_not_found(row, job, RecordKind::Job)
    }

    async fn requeue_job(&mut self, agency: Option<AgencyId>, id: JobId, now: Timestamp) -> Result<()> {
        self.get_job(agency, id).await?;
        sqlx::query("UPDATE jobs SET state = 'pending', attempts = 0, run_after = $1, updated_at = $1 WHERE id = $2 AND state = 'failed'")
            .bind(ts(now))
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn job_counts(&mut self) -> Result<Vec<(String, JobState, i64)>> {
        let rows = sqlx::query(
            "SELECT kind, state, COUNT(*) AS n FROM jobs GROUP BY kind, state ORDER BY kind, state",
        )
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok((
                    text(r, "kind")?,
                    parsed(r, "state", JobState::parse)?,
                    int(r, "n")?,
                ))
            })
            .collect()
    }

    async fn oldest_due_job(&mut self, now: Timestamp) -> Result<Option<Timestamp>> {
        let row = sqlx::query(
            "SELECT MIN(run_after) AS oldest FROM jobs WHERE state = 'pending' AND run_after <= $1",
        )
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        match opt_text(&row, "oldest")? {
            Some(s) => s
                .parse::<Timestamp>()
                .map(Some)
                .map_err(|e| Error::Store(accountable_core::error::StoreError::Other(e.to_string()))),
            None => Ok(None),
        }
    }
}
