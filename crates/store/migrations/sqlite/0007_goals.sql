-- Goals and notable moves (core::goal, core::moves).
-- A goal: a business goal in words, judged on one KPI's 30-day figure from a baseline to a target.
CREATE TABLE goals (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies (id),
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    engagement_id   INTEGER NOT NULL REFERENCES engagements (id),
    kpi_id          INTEGER NOT NULL REFERENCES kpis (id),
    statement       TEXT NOT NULL,
    baseline_value  REAL NOT NULL,
    baseline_date   TEXT NOT NULL,
    target_value    REAL NOT NULL,
    target_date     TEXT NOT NULL,
    -- straight-line or seasonal (last year's shape)
    pacing          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE INDEX goals_client ON goals (agency_id, client_id);

-- A KPI's notable move in a month: a record the monthly report must explain. Recomputed when values arrive;
-- a record that carries an explanation is never removed by a recomputation.
CREATE TABLE notable_moves (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies (id),
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    kpi_id        INTEGER NOT NULL REFERENCES kpis (id),
    -- the month's first day
    month         TEXT NOT NULL,
    value         REAL NOT NULL,
    previous      REAL,
    last_year     REAL,
    mom_percent   REAL,
    yoy_percent   REAL,
    mom_notable   INTEGER NOT NULL,
    yoy_notable   INTEGER NOT NULL,
    seasonal      INTEGER NOT NULL,
    good          INTEGER NOT NULL,
    -- written by the monthly report; empty until then
    explanation   TEXT NOT NULL DEFAULT '',
    computed_at   TEXT NOT NULL,
    CONSTRAINT notable_moves_key UNIQUE (kpi_id, month)
) STRICT;

CREATE INDEX notable_moves_client ON notable_moves (agency_id, client_id, month);
