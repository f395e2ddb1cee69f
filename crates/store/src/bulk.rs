//! Writing many measurements at once, the fastest way each database offers through sqlx's `Any` driver (which
//! reaches neither SQLite's nor PostgreSQL's own bulk paths, such as COPY), with the same result on both: a value
//! for a KPI, period and dimension already there is replaced (constraint `measurements_key`), never doubled, and
//! of two values for the same key in one call the later one wins.
//!
//! - SQLite: multi-row statements of a few fixed sizes (1,024 rows, then 256, 64, 16, 4 and 1 for the rest) with
//!   anonymous `?` placeholders, each prepared once per connection and kept in sqlx's statement cache. SQLite
//!   files `$N` as *named* parameters, and both preparing a statement and binding it look each name up in a list,
//!   which grows with the square of the statement's size; `?` is numbered by position. The import is bound once
//!   per statement, a daily value's end and an empty dimension as NULL, so a daily value
//!   costs one text and three numbers. The next statement's values are bound while SQLite's thread runs the one
//!   before.
//! - PostgreSQL: one statement per call (up to `PG_ROWS` values) whatever its size: the values travel as five
//!   array literals (`{…}` text cast to arrays) unnested by the server, so the statement text never changes, is
//!   prepared once, and the server parses a few large parameters instead of binding tens of thousands.

use crate::Backend;
use crate::error::db;
use crate::row::{id_list, int};
use crate::tx::{SqlTx, not_found};
use accountable_core::error::Result;
use accountable_core::id::{AgencyId, ClientId};
use accountable_core::import::ImportId;
use accountable_core::kpi::Measurement;
use accountable_core::record::RecordKind;
use jiff::civil::Date;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::OnceLock;

/// Rows in SQLite's cached statements, largest first: 5 values a row plus 1, far under its 32,766 bound values;
/// a few sizes, so any count is written by cached statements (1,367 values: 1,024 + 256 + 64 + 16 + 4 + 1 + 1 + 1).
const SQLITE_ROWS: [usize; 6] = [1024, 256, 64, 16, 4, 1];
/// Values in one PostgreSQL statement: about 40 bytes each of parameter text.
const PG_ROWS: usize = 50_000;

const ON_CONFLICT: &str = " ON CONFLICT (kpi_id, period_start, period_end, dimension) DO UPDATE SET \
                           value = excluded.value, import_id = excluded.import_id";

/// The SQLite statement for `rows` values.
/// `daily`: rows of a day's whole value (KPI, day, value: three placeholders a row); otherwise five (KPI, first
/// day, last day or NULL, dimension or NULL, value).
fn sqlite_sql(rows: usize, daily: bool) -> String {
    // `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join of the SELECT.
    let mut sql = String::with_capacity(200 + rows * 18);
    sql.push_str(if daily {
        "INSERT INTO measurements (kpi_id, period_start, period_end, dimension, value, import_id) \
         SELECT column1, column2, column2, '', column3, ? FROM (VALUES "
    } else {
        "INSERT INTO measurements (kpi_id, period_start, period_end, dimension, value, import_id) \
         SELECT column1, column2, coalesce(column3, column2), coalesce(column4, ''), column5, ? FROM (VALUES "
    });
    let row = if daily { "(?, ?, ?)" } else { "(?, ?, ?, ?, ?)" };
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(row);
    }
    sql.push_str(") WHERE true");
    sql.push_str(ON_CONFLICT);
    sql
}

/// The statement for `rows`, one of `SQLITE_ROWS`, of daily whole values or of any.
fn sqlite_cached_sql(rows: usize, daily: bool) -> &'static str {
    static SQL: OnceLock<Vec<(usize, bool, String)>> = OnceLock::new();
    let all = SQL.get_or_init(|| {
        SQLITE_ROWS
            .iter()
            .flat_map(|n| {
                [
                    (*n, true, sqlite_sql(*n, true)),
                    (*n, false, sqlite_sql(*n, false)),
                ]
            })
            .collect()
    });
    all.iter()
        .find(|(n, d, _)| *n == rows && *d == daily)
        .map_or("", |(_, _, sql)| sql.as_str())
}

/// `values` cut into runs of the cached statements' sizes, largest first.
fn sqlite_runs<'a, 'm>(mut values: &'a [&'m Measurement]) -> Vec<&'a [&'m Measurement]> {
    let mut runs = Vec::new();
    for size in SQLITE_ROWS {
        while values.len() >= size {
            let (run, rest) = values.split_at(size);
            runs.push(run);
            values = rest;
        }
    }
    runs
}

const PG_SQL: &str = "INSERT INTO measurements (kpi_id, period_start, period_end, dimension, value, import_id) \
                      SELECT v.kpi_id, v.period_start, coalesce(v.period_end, v.period_start), v.dimension, \
                      v.value, $1 FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::float8[]) \
                      AS v(kpi_id, period_start, period_end, dimension, value)";

/// A day as the store writes it (`YYYY-MM-DD`, as `Date`'s `Display`), appended to `out`.
fn push_date(out: &mut String, d: Date) {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if (0..=9999).contains(&y) {
        let digits = [
            y / 1000,
            y / 100 % 10,
            y / 10 % 10,
            y % 10,
            -1,
            i16::from(m / 10),
            i16::from(m % 10),
            -1,
            i16::from(day / 10),
            i16::from(day % 10),
        ];
        for n in digits {
            out.push(match n {
                0..=9 => char::from(b'0' + n as u8),
                _ => '-',
            });
        }
    } else {
        let _ = write!(out, "{d}");
    }
}

/// The values to write, without the earlier of two for the same key: both databases then write each key once
/// and agree on which value wins (PostgreSQL refuses to update a row twice in one statement). Values in strictly
/// increasing key order, as imports hand them over, cannot repeat a key and are taken as they are.
fn last_of_each(values: &[Measurement]) -> Vec<&Measurement> {
    fn key(m: &Measurement) -> (i64, Date, Date, &str) {
        (m.kpi_id.0, m.period_start, m.period_end, m.dimension.as_str())
    }
    if values.windows(2).all(|w| key(&w[0]) < key(&w[1])) {
        return values.iter().collect();
    }
    let mut last: HashMap<(i64, Date, Date, &str), usize> = HashMap::with_capacity(values.len());
    for (i, m) in values.iter().enumerate() {
        last.insert(key(m), i);
    }
    values
        .iter()
        .enumerate()
        .filter(|(i, m)| last.get(&key(m)) == Some(i))
        .map(|(_, m)| m)
        .collect()
}

/// Writes `values` of a client's KPIs, each replacing the value there for its key; returns how many were
/// written. The table keeps no foreign key (row-by-row checks were most of a large import's time): instead, every
/// KPI written is checked once per call to be the client's, and another tenant's KPI is "not found".
pub(crate) async fn upsert(
    tx: &mut SqlTx,
    agency: AgencyId,
    client: ClientId,
    import: Option<ImportId>,
    values: &[Measurement],
) -> Result<u64> {
    let mut distinct: Vec<i64> = values.iter().map(|m| m.kpi_id.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let values = last_of_each(values);
    let Some((first, last)) = values.iter().map(|m| m.period_start).fold(None, |span, d| {
        Some(span.map_or((d, d), |(lo, hi): (Date, Date)| (lo.min(d), hi.max(d))))
    }) else {
        return Ok(0);
    };
    // One look answers both questions: are all these KPIs the client's, and is anything stored for them in the
    // months written? Without anything stored (a first load, the usual import) neither conflict handling nor a
    // second look at the table for the month totals is needed. Counts, being integers on both databases (SQLite
    // has no boolean for EXISTS to be). The KPI ids are our own numbers, written into the statement.
    let list = id_list(distinct.iter().copied());
    let row = sqlx::query(&format!(
        "SELECT (SELECT count(*) FROM kpis WHERE agency_id = $1 AND client_id = $2 AND id IN ({list})) AS theirs, \
         (SELECT count(*) FROM (SELECT 1 FROM measurements WHERE kpi_id IN ({list}) \
          AND period_start >= $3 AND period_start <= $4 LIMIT 1) found) AS stored"
    ))
    .bind(agency.0)
    .bind(client.0)
    .bind(first.first_of_month().to_string())
    .bind(last.last_of_month().to_string())
    .fetch_one(&mut *tx.tx)
    .await
    .map_err(db)?;
    if int(&row, "theirs")? != distinct.len() as i64 {
        return Err(not_found(RecordKind::Kpi));
    }
    let stored = int(&row, "stored")? > 0;
    let written = match tx.backend {
        Backend::Sqlite => sqlite(tx, import, &values).await?,
        Backend::Postgres => postgres(tx, import, &values, stored).await?,
    };
    // The months the daily values fall in are summed up again (`kpi_months`): from the values themselves on a
    // first load, by the database otherwise.
    let daily: Vec<&Measurement> = values
        .iter()
        .copied()
        .filter(|m| m.period_start == m.period_end && m.dimension.is_empty())
        .collect();
    if daily.is_empty() {
        return Ok(written);
    }
    if stored {
        let mut kpis: Vec<i64> = daily.iter().map(|m| m.kpi_id.0).collect();
        kpis.sort_unstable();
        kpis.dedup();
        let (lo, hi) = daily.iter().fold((last, first), |(lo, hi), m| {
            (lo.min(m.period_start), hi.max(m.period_start))
        });
        refresh_months(tx, &kpis, lo, hi).await?;
    } else {
        insert_months(tx, &month_totals(&daily)).await?;
    }
    Ok(written)
}

/// A KPI's month as `kpi_months` keeps it: KPI, `YYYY-MM`, total, days, last day and its value.
type MonthRow = (i64, String, f64, i64, Date, f64);

/// The month totals of daily whole values (each key once), by KPI and month.
fn month_totals(daily: &[&Measurement]) -> Vec<MonthRow> {
    // (KPI, year, month) → (total, days, last day, its value)
    type Sums = (f64, i64, Date, f64);
    let mut by: std::collections::BTreeMap<(i64, i16, i8), Sums> = Default::default();
    for m in daily {
        let d = m.period_start;
        let e = by
            .entry((m.kpi_id.0, d.year(), d.month()))
            .or_insert((0.0, 0, d, m.value));
        e.0 += m.value;
        e.1 += 1;
        if d >= e.2 {
            e.2 = d;
            e.3 = m.value;
        }
    }
    by.into_iter()
        .map(|((kpi, y, mo), (total, days, last, value))| {
            (kpi, format!("{y:04}-{mo:02}"), total, days, last, value)
        })
        .collect()
}

/// Writes month totals computed from a first load (no row of them can be there: `kpi_months` follows
/// `measurements`, which held nothing in those months).
async fn insert_months(tx: &mut SqlTx, rows: &[MonthRow]) -> Result<()> {
    const ROWS: usize = 500;
    for chunk in rows.chunks(ROWS) {
        let mut sql =
            String::from("INSERT INTO kpi_months (kpi_id, month, total, days, last_day, last_value) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            match tx.backend {
                // Anonymous placeholders: SQLite looks named ones up in a list (see the module's note).
                Backend::Sqlite => sql.push_str("(?, ?, ?, ?, ?, ?)"),
                Backend::Postgres => {
                    let n = i * 6;
                    let _ = write!(
                        sql,
                        "(${}, ${}, ${}, ${}, ${}, ${})",
                        n + 1,
                        n + 2,
                        n + 3,
                        n + 4,
                        n + 5,
                        n + 6
                    );
                }
            }
        }
        let mut query = sqlx::query(&sql);
        for (kpi, month, total, days, last, value) in chunk {
            query = query
                .bind(*kpi)
                .bind(month.clone())
                .bind(*total)
                .bind(*days)
                .bind(last.to_string())
                .bind(*value);
        }
        query.execute(&mut *tx.tx).await.map_err(db)?;
    }
    Ok(())
}

/// Sums up again the months from `first`'s to `last`'s of these KPIs' daily whole values into `kpi_months`, which
/// notable moves read (a month that has no value any more is removed). Called by every write and undo of values,
/// in its transaction.
pub(crate) async fn refresh_months(tx: &mut SqlTx, kpis: &[i64], first: Date, last: Date) -> Result<()> {
    if kpis.is_empty() {
        return Ok(());
    }
    let list = id_list(kpis.iter().copied());
    let (from, to) = (first.first_of_month(), last.last_of_month());
    let month = |d: Date| format!("{:04}-{:02}", d.year(), d.month());
    sqlx::query(&format!(
        "DELETE FROM kpi_months WHERE kpi_id IN ({list}) AND month >= $1 AND month <= $2"
    ))
    .bind(month(from))
    .bind(month(to))
    .execute(&mut *tx.tx)
    .await
    .map_err(db)?;
    sqlx::query(&format!(
        // The last day's value by its whole key, one lookup a month: a join back to `measurements` lets a
        // planner with stale statistics (PostgreSQL after a large undo) hash the whole table once per write.
        "INSERT INTO kpi_months (kpi_id, month, total, days, last_day, last_value) \
         SELECT g.kpi_id, g.month, g.total, g.days, g.last_day, \
                (SELECT m.value FROM measurements m WHERE m.kpi_id = g.kpi_id AND m.period_start = g.last_day \
                   AND m.period_end = g.last_day AND m.dimension = '') FROM \
         (SELECT kpi_id, substr(period_start, 1, 7) AS month, SUM(value) AS total, COUNT(*) AS days, \
                 MAX(period_start) AS last_day \
          FROM measurements WHERE kpi_id IN ({list}) AND period_start >= $1 AND period_start <= $2 \
            AND period_end = period_start AND dimension = '' \
          GROUP BY kpi_id, substr(period_start, 1, 7)) g"
    ))
    .bind(from.to_string())
    .bind(to.to_string())
    .execute(&mut *tx.tx)
    .await
    .map_err(db)?;
    Ok(())
}

/// One SQLite statement for a run of values, its days bound as text of their own (sqlx copies borrowed text
/// before handing it to SQLite's thread anyway).
fn sqlite_statement(
    import: Option<ImportId>,
    run: &[&Measurement],
    daily: bool,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments<'static>> {
    let mut query = sqlx::query(sqlite_cached_sql(run.len(), daily)).bind(import.map(|i| i.0));
    if daily {
        for m in run {
            let mut day = String::with_capacity(10);
            push_date(&mut day, m.period_start);
            query = query.bind(m.kpi_id.0).bind(day).bind(m.value);
        }
        return query;
    }
    for m in run {
        let mut day = String::with_capacity(10);
        push_date(&mut day, m.period_start);
        let last = (m.period_end != m.period_start).then(|| {
            let mut last = String::with_capacity(10);
            push_date(&mut last, m.period_end);
            last
        });
        let dimension = Some(m.dimension.clone()).filter(|d| !d.is_empty());
        query = query
            .bind(m.kpi_id.0)
            .bind(day)
            .bind(last)
            .bind(dimension)
            .bind(m.value);
    }
    query
}

async fn sqlite(tx: &mut SqlTx, import: Option<ImportId>, values: &[&Measurement]) -> Result<u64> {
    // A day's whole values (most of every import) travel as three values a row, the rest as five. The two
    // groups share no key, so their order does not matter.
    let is_daily = |m: &&&Measurement| m.period_start == m.period_end && m.dimension.is_empty();
    let daily: Vec<&Measurement> = values.iter().filter(is_daily).copied().collect();
    let other: Vec<&Measurement> = values.iter().filter(|m| !is_daily(m)).copied().collect();
    let mut written = 0;
    let mut runs = sqlite_runs(&daily)
        .into_iter()
        .map(|r| (r, true))
        .chain(sqlite_runs(&other).into_iter().map(|r| (r, false)));
    let mut next = runs.next().map(|(run, d)| sqlite_statement(import, run, d));
    while let Some(query) = next.take() {
        let following = runs.next();
        // The statement is sent to SQLite's thread first; while it runs, this task binds the next one.
        let (result, built) = tokio::join!(biased; query.execute(&mut *tx.tx), async {
            following.map(|(run, d)| sqlite_statement(import, run, d))
        });
        written += result.map_err(db)?.rows_affected();
        next = built;
    }
    Ok(written)
}

/// An array literal's text element: quoted, with `"` and `\` escaped, so any dimension reads back as written.
fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

async fn postgres(
    tx: &mut SqlTx,
    import: Option<ImportId>,
    values: &[&Measurement],
    stored: bool,
) -> Result<u64> {
    let upsert = format!("{PG_SQL}{ON_CONFLICT}");
    let mut written = 0;
    for chunk in values.chunks(PG_ROWS) {
        let mut kpis = String::with_capacity(chunk.len() * 6 + 2);
        let mut starts = String::with_capacity(chunk.len() * 11 + 2);
        let mut ends = String::with_capacity(chunk.len() * 5 + 2);
        let mut dimensions = String::with_capacity(chunk.len() * 3 + 2);
        let mut numbers = String::with_capacity(chunk.len() * 12 + 2);
        for (i, m) in chunk.iter().enumerate() {
            let sep = if i == 0 { '{' } else { ',' };
            kpis.push(sep);
            let _ = write!(kpis, "{}", m.kpi_id.0);
            starts.push(sep);
            push_date(&mut starts, m.period_start);
            ends.push(sep);
            if m.period_end == m.period_start {
                ends.push_str("NULL");
            } else {
                push_date(&mut ends, m.period_end);
            }
            dimensions.push(sep);
            push_quoted(&mut dimensions, &m.dimension);
            numbers.push(sep);
            // Rust writes the shortest text that reads back as the same f64, and PostgreSQL reads it exactly.
            let _ = write!(numbers, "{}", m.value);
        }
        for list in [&mut kpis, &mut starts, &mut ends, &mut dimensions, &mut numbers] {
            list.push('}');
        }
        // A first load of these days (the usual import) meets no stored key: a plain insert, without the
        // speculative insertion of ON CONFLICT (the values of one call repeat no key: `last_of_each`).
        let sql = if stored { upsert.as_str() } else { PG_SQL };
        let result = sqlx::query(sql)
            .bind(import.map(|i| i.0))
            .bind(kpis)
            .bind(starts)
            .bind(ends)
            .bind(dimensions)
            .bind(numbers)
            .execute(&mut *tx.tx)
            .await
            .map_err(db)?;
        written += result.rows_affected();
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use accountable_core::kpi::KpiId;

    fn m(kpi: i64, day: &str, dimension: &str, value: f64) -> Measurement {
        Measurement {
            kpi_id: KpiId(kpi),
            period_start: day.parse().unwrap(),
            period_end: day.parse().unwrap(),
            dimension: dimension.into(),
            value,
        }
    }

    #[test]
    fn a_first_loads_month_totals_sum_its_days_and_keep_the_last_days_value_whatever_the_order() {
        let values = [
            m(1, "2031-01-31", "", 5.0),
            m(2, "2031-01-15", "", 1.5),
            m(1, "2031-02-01", "", 7.0),
            m(1, "2031-01-30", "", 10.0),
        ];
        let refs: Vec<&Measurement> = values.iter().collect();
        let day = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(
            month_totals(&refs),
            vec![
                (1, "2031-01".to_string(), 15.0, 2, day("2031-01-31"), 5.0),
                (1, "2031-02".to_string(), 7.0, 1, day("2031-02-01"), 7.0),
                (2, "2031-01".to_string(), 1.5, 1, day("2031-01-15"), 1.5),
            ]
        );
    }

    #[test]
    fn days_are_written_as_their_display() {
        for text in [
            "2026-11-01",
            "0001-01-31",
            "9999-12-31",
            "-000001-03-04",
            "0999-10-10",
        ] {
            let d: Date = text.parse().unwrap();
            let mut out = String::new();
            push_date(&mut out, d);
            assert_eq!(out, d.to_string());
        }
    }

    #[test]
    fn of_two_values_for_one_key_the_later_wins_and_order_is_kept() {
        let values = [
            m(2, "2026-11-01", "", 1.0),
            m(1, "2026-11-01", "", 2.0),
            m(2, "2026-11-01", "", 3.0),
            m(2, "2026-11-01", "campaign: A", 4.0),
        ];
        let kept: Vec<f64> = last_of_each(&values).iter().map(|m| m.value).collect();
        assert_eq!(kept, [2.0, 3.0, 4.0]);
        let sorted = [m(1, "2026-11-01", "", 1.0), m(1, "2026-11-02", "", 2.0)];
        assert_eq!(last_of_each(&sorted).len(), 2);
    }

    #[test]
    fn sqlite_statements_number_their_placeholders_by_position_in_runs_of_cached_sizes() {
        let sql = sqlite_cached_sql(4, false);
        assert_eq!(sql.matches('?').count(), 1 + 4 * 5);
        assert_eq!(sqlite_cached_sql(4, true).matches('?').count(), 1 + 4 * 3);
        assert!(!sql.contains('$'));
        let values: Vec<Measurement> = (0..1367).map(|i| m(i, "2026-11-01", "", 1.0)).collect();
        let refs: Vec<&Measurement> = values.iter().collect();
        let sizes: Vec<usize> = sqlite_runs(&refs).iter().map(|r| r.len()).collect();
        assert_eq!(sizes, [1024, 256, 64, 16, 4, 1, 1, 1]);
        let mut out = String::new();
        push_quoted(&mut out, r#"a "b" \c, {d}"#);
        assert_eq!(out, r#""a \"b\" \\c, {d}""#);
    }
}
