-- Measurements keyed by what they are, and nothing else to maintain (docs/decisions/0010-lean-measurements.md):
-- the key (KPI, period, dimension) is the only index, no row id, no agency or client column (they follow from the
-- KPI, and every query reaches a client's values through its KPIs), and no foreign key checked row by row: the
-- use cases write only KPIs read in the same transaction, and neither KPIs nor imports are ever deleted.
CREATE TABLE measurements_lean (
    kpi_id        BIGINT NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    -- a breakdown of the source (a campaign, a country); empty for the whole
    dimension     TEXT NOT NULL,
    -- in the KPI's unit; analytics figures, not accounting amounts, hence a float
    value         DOUBLE PRECISION NOT NULL,
    -- the import that wrote it; NULL when typed or sent through the API
    import_id     BIGINT,
    CONSTRAINT measurements_lean_key PRIMARY KEY (kpi_id, period_start, period_end, dimension)
);

INSERT INTO measurements_lean (kpi_id, period_start, period_end, dimension, value, import_id)
SELECT kpi_id, period_start, period_end, dimension, value, import_id FROM measurements;

DROP TABLE measurements;
ALTER TABLE measurements_lean RENAME TO measurements;
ALTER TABLE measurements RENAME CONSTRAINT measurements_lean_key TO measurements_key;
