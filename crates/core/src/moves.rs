//! Notable moves: a KPI's month-over-month and year-over-year change, flagged when it lies outside the KPI's
//! normal variation, and called seasonal when the same month last year moved the same way. Each notable move is a
//! record the monthly report must explain. The arithmetic here is pure; [`Services::notable_moves`] reads the
//! figures and [`Services::record_notable_moves`] keeps the records.
//!
//! The rule, as the pages state it: a change is notable when it lies more than two standard deviations from the
//! typical change of the same kind over the 12 months before (at least 6 of them needed) and at least 5 points
//! from it; with less history, a change of 20 % or more is notable. The typical change and the spread are robust ones
//! (the median, and 1.4826 × the median absolute deviation), so one wild month — last year's seasonal dip, say —
//! does not hide this year's. A notable month-over-month move is seasonal when the same month a year earlier moved
//! the same way by at least half as much.

use crate::actor::{Actor, Permission};
use crate::error::Result;
use crate::id::{AgencyId, ClientId};
use crate::kpi::{Aggregation, Direction, Kpi, KpiId};
use crate::series::{Daily, add_months};
use crate::service::Services;
use crate::store::Tx;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// The rule in words (English; the pages say it in the person's language).
pub const RULE: &str = "a month's change is notable when it lies more than two standard deviations (median and \
    1.4826 × median absolute deviation) from the KPI's typical change of the 12 months before and at least 5 points from it; with \
    under 6 months of history, 20 % or more; seasonal when the same month last year moved the same way by at least \
    half as much.";

/// Months of earlier changes a change is compared with.
pub const HISTORY_MONTHS: i32 = 12;
/// Fewest earlier changes for the standard-deviation rule.
pub const MIN_HISTORY: usize = 6;
/// Standard deviations from the mean beyond which a change is notable.
pub const SIGMAS: f64 = 2.0;
/// Smallest distance (in percentage points) from the typical change ever called notable.
pub const FLOOR_PERCENT: f64 = 5.0;
/// The change (in percent) that is notable when there is too little history for the standard deviation.
pub const THIN_HISTORY_PERCENT: f64 = 20.0;

/// One KPI's move in one month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    /// The KPI.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub kpi_id: KpiId,
    /// The month (its first day).
    pub month: Date,
    /// The month's figure.
    pub value: f64,
    /// The month before's figure.
    pub previous: Option<f64>,
    /// The same month last year's figure.
    pub last_year: Option<f64>,
    /// Month-over-month change, in percent.
    pub mom_percent: Option<f64>,
    /// Year-over-year change, in percent.
    pub yoy_percent: Option<f64>,
    /// Whether the month-over-month change is outside the normal variation.
    pub mom_notable: bool,
    /// Whether the year-over-year change is outside the normal variation.
    pub yoy_notable: bool,
    /// Whether the same month last year moved the same way.
    pub seasonal: bool,
    /// Whether the move is good for the client, by the KPI's direction (the month-over-month change's sign).
    pub good: bool,
}

impl Move {
    /// Whether the move needs explaining.
    pub fn is_notable(&self) -> bool {
        self.mom_notable || self.yoy_notable
    }
}

fn change(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    match (now, before) {
        (Some(a), Some(b)) if b.abs() > f64::EPSILON => Some((a - b) / b.abs() * 100.0),
        _ => None,
    }
}

/// Whether `change` lies outside the variation of `history` (the same kind of change in earlier months).
pub fn outside_normal(change: f64, history: &[f64]) -> bool {
    if history.len() < MIN_HISTORY {
        return change.abs() >= THIN_HISTORY_PERCENT;
    }
    let centre = median(history.to_vec());
    let spread = 1.4826 * median(history.iter().map(|c| (c - centre).abs()).collect());
    // A very steady KPI has almost no spread: a move must also be 5 points from the typical change to count.
    (change - centre).abs() > SIGMAS * spread && (change - centre).abs() >= FLOOR_PERCENT
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// A KPI's move in `month` from its monthly figures (`figure(m)` is the month starting on `m`).
pub fn assess(
    kpi: KpiId,
    direction: Direction,
    month: Date,
    figure: impl Fn(Date) -> Option<f64>,
) -> Option<Move> {
    let value = figure(month)?;
    let at = |delta: i32| figure(add_months(month, delta));
    let mom_at = |delta: i32| change(at(delta), at(delta - 1));
    let yoy_at = |delta: i32| change(at(delta), at(delta - 12));
    let previous = at(-1);
    let last_year = at(-12);
    let mom = change(Some(value), previous);
    let yoy = change(Some(value), last_year);
    let mom_history: Vec<f64> = (1..=HISTORY_MONTHS).filter_map(|k| mom_at(-k)).collect();
    let yoy_history: Vec<f64> = (1..=HISTORY_MONTHS).filter_map(|k| yoy_at(-k)).collect();
    let mom_notable = mom.is_some_and(|c| outside_normal(c, &mom_history));
    let yoy_notable = yoy.is_some_and(|c| outside_normal(c, &yoy_history));
    let seasonal = match (mom, mom_at(-12)) {
        (Some(now), Some(then)) => now.signum() == then.signum() && then.abs() >= now.abs() / 2.0,
        _ => false,
    };
    let rising = mom.or(yoy).unwrap_or(0.0) >= 0.0;
    Some(Move {
        kpi_id: kpi,
        month,
        value,
        previous,
        last_year,
        mom_percent: mom,
        yoy_percent: yoy,
        mom_notable,
        yoy_notable,
        seasonal: seasonal && mom_notable,
        good: rising == (direction == Direction::Up),
    })
}

/// A KPI's move in a month, read from its daily series.
pub fn assess_series(kpi: &Kpi, series: &Daily, month: Date) -> Option<Move> {
    let aggregation: Aggregation = kpi.fields.aggregation;
    assess(kpi.id, kpi.fields.direction, month, |m| {
        series.month(aggregation, m)
    })
}

/// The months of figures a month's assessment reads: 25 months back, for a year of year-over-year history.
pub fn months_needed(month: Date) -> (Date, Date) {
    (add_months(month, -25), add_months(month, 1))
}

/// A KPI's days of one calendar month, summed up by the database.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthTotal {
    /// The KPI.
    pub kpi_id: KpiId,
    /// The month's first day.
    pub month: Date,
    /// The sum of its daily values.
    pub total: f64,
    /// How many days have a value.
    pub days: i64,
    /// The value of its last day with one.
    pub last: f64,
}

/// Every KPI's move in `month` for a client, read through a transaction: the months come summed up from the
/// database, and [`crate::series::month_figure`] applies the same rule as a series read day by day.
async fn moves_in(tx: &mut dyn Tx, agency: AgencyId, client: ClientId, month: Date) -> Result<Vec<Move>> {
    Ok(moves_of(tx, agency, &[client], month)
        .await?
        .into_iter()
        .map(|(_, m)| m)
        .collect())
}

/// Every KPI's move in `month` for several clients, in two queries whatever their number.
async fn moves_of(
    tx: &mut dyn Tx,
    agency: AgencyId,
    clients: &[ClientId],
    month: Date,
) -> Result<Vec<(ClientId, Move)>> {
    let kpis = tx.list_kpis_of(agency, clients).await?;
    let (from, to) = months_needed(month);
    let to = to.yesterday().unwrap_or(to);
    let totals = tx.month_totals(agency, clients, from, to).await?;
    let by_month: std::collections::HashMap<(KpiId, Date), &MonthTotal> =
        totals.iter().map(|t| ((t.kpi_id, t.month), t)).collect();
    Ok(kpis
        .iter()
        .filter_map(|kpi| {
            let figure = |m: Date| {
                by_month.get(&(kpi.id, m)).and_then(|t| {
                    crate::series::month_figure(kpi.fields.aggregation, m, t.total, t.days, t.last)
                })
            };
            assess(kpi.id, kpi.fields.direction, month, figure).map(|m| (kpi.client_id, m))
        })
        .collect())
}

/// Recomputes a client's moves in `month` and keeps the notable ones as records, in the caller's transaction
/// (an import or a write of values calls it for the last full month before `today`).
pub async fn record_moves_in(
    tx: &mut dyn Tx,
    agency: AgencyId,
    client: ClientId,
    month: Date,
    now: Timestamp,
) -> Result<Vec<Move>> {
    Ok(record_moves_of(tx, agency, &[client], month, now)
        .await?
        .into_iter()
        .map(|(_, m)| m)
        .collect())
}

/// [`record_moves_in`] for several clients at once (an agency-wide import): the figures in two queries, the
/// records no longer notable removed in one, and the notable ones written client by client.
pub async fn record_moves_of(
    tx: &mut dyn Tx,
    agency: AgencyId,
    clients: &[ClientId],
    month: Date,
    now: Timestamp,
) -> Result<Vec<(ClientId, Move)>> {
    let notable: Vec<(ClientId, Move)> = moves_of(tx, agency, clients, month)
        .await?
        .into_iter()
        .filter(|(_, m)| m.is_notable())
        .collect();
    let keep: Vec<KpiId> = notable.iter().map(|(_, m)| m.kpi_id).collect();
    tx.clear_notable_moves(agency, clients, month, &keep).await?;
    for client in clients {
        let theirs: Vec<Move> = notable
            .iter()
            .filter(|(c, _)| c == client)
            .map(|(_, m)| m.clone())
            .collect();
        if !theirs.is_empty() {
            tx.replace_notable_moves(agency, *client, month, &theirs, now)
                .await?;
        }
    }
    Ok(notable)
}

/// The last full month before a day (its first day).
pub fn last_full_month(today: Date) -> Date {
    add_months(today.first_of_month(), -1)
}

impl Services {
    /// Every KPI's move in `month` for a client (notable or not), computed from the stored daily figures.
    pub async fn notable_moves(&self, actor: &Actor, client: ClientId, month: Date) -> Result<Vec<Move>> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        moves_in(tx.as_mut(), actor.agency_id, client, month).await
    }

    /// Recomputes a client's notable moves of `month` and keeps them as records for the monthly report.
    pub async fn record_notable_moves(
        &self,
        actor: &Actor,
        client: ClientId,
        month: Date,
    ) -> Result<Vec<Move>> {
        let mut tx = self.write_client(actor.agency_id, client).await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let moves = record_moves_in(tx.as_mut(), actor.agency_id, client, month, self.now()).await?;
        tx.commit().await?;
        Ok(moves)
    }

    /// A client's notable-move records of a month.
    pub async fn notable_move_records(
        &self,
        actor: &Actor,
        client: ClientId,
        month: Date,
    ) -> Result<Vec<Move>> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        tx.list_notable_moves(actor.agency_id, client, month).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn months(values: &[(Date, f64)]) -> impl Fn(Date) -> Option<f64> + '_ {
        move |m| values.iter().find(|(d, _)| *d == m).map(|(_, v)| *v)
    }

    /// Thirteen months of 100 wobbling by ±2 %, then `last` in November 2026.
    fn history(last: f64) -> Vec<(Date, f64)> {
        let mut v: Vec<(Date, f64)> = (0..25)
            .map(|i| {
                let m = add_months(date(2024, 10, 1), i);
                (m, if i % 2 == 0 { 100.0 } else { 102.0 })
            })
            .collect();
        v.push((date(2026, 11, 1), last));
        v
    }

    #[test]
    fn a_jump_beyond_two_standard_deviations_is_notable_and_a_wobble_is_not() {
        // Earlier changes alternate +2 % and −1.96 %: median ≈ 0, robust spread ≈ 2.9; a 30 % rise is far outside.
        let data = history(130.0);
        let m = assess(KpiId(1), Direction::Up, date(2026, 11, 1), months(&data)).unwrap();
        assert!((m.mom_percent.unwrap() - 30.0).abs() < 1e-9, "{m:?}");
        assert!(m.mom_notable && m.good && !m.seasonal);
        let data = history(104.0);
        let m = assess(KpiId(1), Direction::Up, date(2026, 11, 1), months(&data)).unwrap();
        assert!(!m.mom_notable, "2 % is within the normal wobble: {m:?}");
    }

    #[test]
    fn a_drop_of_a_kpi_better_when_lower_is_good() {
        let data = history(70.0);
        let m = assess(KpiId(1), Direction::Down, date(2026, 11, 1), months(&data)).unwrap();
        assert!(m.mom_notable && m.good);
        let m = assess(KpiId(1), Direction::Up, date(2026, 11, 1), months(&data)).unwrap();
        assert!(m.mom_notable && !m.good);
    }

    #[test]
    fn a_move_the_same_month_last_year_made_is_seasonal() {
        let mut data = history(70.0);
        // November 2025 fell from 100 to 60 as well: −40 %, more than half of this year's −30 %. That month and
        // its rebound are in this month's history, yet the robust spread keeps this year's fall notable.
        for (d, v) in data.iter_mut() {
            if *d == date(2025, 11, 1) {
                *v = 60.0;
            }
        }
        let m = assess(KpiId(1), Direction::Up, date(2026, 11, 1), months(&data)).unwrap();
        assert!(m.mom_notable, "{m:?}");
        assert!(m.seasonal);
    }

    #[test]
    fn a_steady_kpi_needs_five_points_from_its_typical_change() {
        // Twelve months of exactly +12.5 % a year: no spread at all. 10.75 % is 1.75 points off: not notable;
        // 20 % is 7.5 points off: notable.
        let history = [12.5; 12];
        assert!(!outside_normal(10.75, &history));
        assert!(outside_normal(20.0, &history));
    }

    #[test]
    fn thin_history_needs_twenty_percent() {
        let data = vec![(date(2026, 10, 1), 100.0), (date(2026, 11, 1), 115.0)];
        let m = assess(KpiId(1), Direction::Up, date(2026, 11, 1), months(&data)).unwrap();
        assert!(!m.mom_notable);
        let data = vec![(date(2026, 10, 1), 100.0), (date(2026, 11, 1), 125.0)];
        let m = assess(KpiId(1), Direction::Up, date(2026, 11, 1), months(&data)).unwrap();
        assert!(m.mom_notable);
        assert_eq!(m.yoy_percent, None);
    }
}
