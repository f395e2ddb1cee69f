-- KPIs, measurements and imports (core::kpi, core::import).
CREATE TABLE kpis (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies (id),
    client_id    INTEGER NOT NULL REFERENCES clients (id),
    name         TEXT NOT NULL,
    -- the name lower-cased by the application, for uniqueness per client
    name_key     TEXT NOT NULL,
    -- count, money, percent, ratio, seconds or position
    unit         TEXT NOT NULL,
    -- up or down: which way is good
    direction    TEXT NOT NULL,
    -- sum, weighted-average or last: how a period's values become one figure
    aggregation  TEXT NOT NULL,
    -- business or leading-indicator
    kind         TEXT NOT NULL,
    -- which column of which export feeds it, such as gsc:clicks; empty when none
    source       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    CONSTRAINT kpis_client_name_key UNIQUE (client_id, name_key)
) STRICT;

CREATE INDEX kpis_client ON kpis (agency_id, client_id);

CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    file_name   TEXT NOT NULL,
    -- the file's SHA-256: the same file imported again changes nothing
    sha256      TEXT NOT NULL,
    format      TEXT NOT NULL,
    value_count INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT NOT NULL,
    undone_at   TEXT
) STRICT;

CREATE INDEX imports_client ON imports (agency_id, client_id, sha256);

-- A KPI's value on a day (period_start = period_end), or a total over a stated period when the source gives
-- only that; never spread into invented daily values. One value per KPI, period and dimension: a repeated
-- import replaces instead of doubling.
CREATE TABLE measurements (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies (id),
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    kpi_id        INTEGER NOT NULL REFERENCES kpis (id),
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    -- a breakdown of the source (a campaign, a country); empty for the whole
    dimension     TEXT NOT NULL,
    -- in the KPI's unit; analytics figures, not accounting amounts, hence a float
    value         REAL NOT NULL,
    import_id     INTEGER REFERENCES imports (id),
    CONSTRAINT measurements_key UNIQUE (kpi_id, period_start, period_end, dimension)
) STRICT;

CREATE INDEX measurements_import ON measurements (import_id);
-- a client's values over a range, for its KPI page and reports
CREATE INDEX measurements_client ON measurements (client_id, period_start);
