-- The values a write replaced, kept so that undoing an import brings back what was there before it
-- (docs/decisions/0013-replaced-values-kept.md). For each key of `measurements` (KPI, period, dimension) the rows
-- here are the earlier writers' values, oldest first by `depth`; the value in `measurements` is the newest. Undoing
-- an import removes its rows here (a write in the middle of a key's chain is spliced out) and, where it wrote the
-- current value, puts back the top row here, or removes the value when it had replaced nothing.
CREATE TABLE replaced_values (
    kpi_id        BIGINT NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    dimension     TEXT NOT NULL,
    -- the place in the key's chain: 1 for the oldest value kept; a new one goes on top (the largest + 1), and
    -- splicing one out leaves a gap, since only the order counts
    depth         BIGINT NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    -- the import that wrote this value; NULL when it was typed, sent through the API or written by the demo
    import_id     BIGINT,
    -- No foreign key and no other index, as `measurements` (decision 0010): a client's rows are reached through
    -- its KPIs, and the key finds a key's chain.
    CONSTRAINT replaced_values_key PRIMARY KEY (kpi_id, period_start, period_end, dimension, depth)
);

-- The import that created a KPI (from the presets, or a long file's name with --create-kpis); NULL when a person,
-- the API or the demo made it. Undoing that import removes the KPI if nothing else holds to it (no value, no goal,
-- no explained notable move).
ALTER TABLE kpis ADD COLUMN import_id BIGINT REFERENCES imports (id);
