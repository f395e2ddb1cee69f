-- Work that happens later (core::job): a job is written in the same transaction as the change that causes it,
-- claimed by a worker with a lease, retried with backoff, and marked failed after its last attempt.
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    -- the agency whose Background work page shows the job; NULL for the instance's own upkeep
    agency_id     INTEGER REFERENCES agencies (id),
    kind          TEXT NOT NULL,
    -- the handler's input, JSON
    payload       TEXT NOT NULL,
    -- pending, running, done or failed
    state         TEXT NOT NULL,
    run_after     TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    max_attempts  INTEGER NOT NULL,
    -- work that must happen once: a second enqueue with the same key is a no-op (NULLs never conflict)
    job_key       TEXT CONSTRAINT jobs_job_key_key UNIQUE,
    last_error    TEXT,
    -- a running job belongs to `leased_by` until `lease_until`; after that another worker may take it
    lease_until   TEXT,
    leased_by     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX jobs_due ON jobs (state, run_after);
CREATE INDEX jobs_agency ON jobs (agency_id, state, id);
