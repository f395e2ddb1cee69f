-- What each person's home page reads at once (issue 11, "Home"; docs/decisions/0016-home-standings.md): every
-- goal's standing as last computed, and each KPI's last day with a value. Both are recomputed in the transaction
-- of every write that changes a client's values or goals, and for the new day by the hourly refresh job, so the
-- home page reads four plain queries instead of every client's figures.
CREATE TABLE goal_standings (
    goal_id     BIGINT PRIMARY KEY REFERENCES goals (id),
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    client_id   BIGINT NOT NULL REFERENCES clients (id),
    -- the client's day it was judged on (YYYY-MM-DD, in the client's time zone)
    day         TEXT NOT NULL,
    -- ahead, on-track or behind; empty when the KPI has too few values to judge
    standing    TEXT NOT NULL,
    expected    DOUBLE PRECISION NOT NULL,
    actual      DOUBLE PRECISION,
    computed_at TEXT NOT NULL
);

CREATE INDEX goal_standings_client ON goal_standings (agency_id, client_id);

-- The KPI's last day with a daily whole value (YYYY-MM-DD); NULL while it has none.
ALTER TABLE kpis ADD COLUMN last_value_on TEXT;

UPDATE kpis SET last_value_on = (SELECT MAX(m.last_day) FROM kpi_months m WHERE m.kpi_id = kpis.id);

CREATE INDEX kpis_last_value ON kpis (agency_id, last_value_on);

-- An account executive's home asks for the clients of the engagements they run.
CREATE INDEX engagements_account_executive ON engagements (agency_id, account_executive_id);
