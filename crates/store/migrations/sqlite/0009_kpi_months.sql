-- Each KPI's daily whole values summed up by calendar month (docs/decisions/0010-lean-measurements.md): what
-- notable moves read, 26 rows a KPI instead of 760 days grouped at every read. Kept by the store itself: every
-- write of values, and every undo, recomputes the months it touched in the same transaction. Only daily values
-- without a breakdown count (period totals and breakdowns are never spread into days).
CREATE TABLE kpi_months (
    kpi_id      INTEGER NOT NULL,
    -- YYYY-MM
    month       TEXT NOT NULL,
    -- the sum of the month's daily values, how many days have one, and the last of them with its value
    total       REAL NOT NULL,
    days        INTEGER NOT NULL,
    last_day    TEXT NOT NULL,
    last_value  REAL NOT NULL,
    CONSTRAINT kpi_months_key PRIMARY KEY (kpi_id, month)
) STRICT, WITHOUT ROWID;

INSERT INTO kpi_months (kpi_id, month, total, days, last_day, last_value)
SELECT g.kpi_id, g.month, g.total, g.days, g.last_day, m.value
FROM (SELECT kpi_id, substr(period_start, 1, 7) AS month, SUM(value) AS total, COUNT(*) AS days,
             MAX(period_start) AS last_day
      FROM measurements WHERE period_end = period_start AND dimension = ''
      GROUP BY kpi_id, substr(period_start, 1, 7)) g
JOIN measurements m ON m.kpi_id = g.kpi_id AND m.period_start = g.last_day AND m.period_end = g.last_day
 AND m.dimension = '';
