//! A KPI's daily values as a dense series, and the figures read from it: a window of days (the 30-day figure a
//! goal is judged on, a week for a trend) and a calendar month. Pure arithmetic, no storage: pacing and notable
//! moves stand on it.

use crate::kpi::Aggregation;
use jiff::civil::Date;

/// The days a goal's figure covers: the 30 days ending on the day asked for.
pub const WINDOW: i64 = 30;

/// The share of a window's days that must have a value for its figure to count.
pub const COVERAGE: f64 = 0.8;

/// A day as a number of days since 1970-01-01, for arithmetic on days without fallible calls.
pub fn day_number(d: Date) -> i64 {
    let (y, m, day) = (i64::from(d.year()), i64::from(d.month()), i64::from(d.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day of a day number (the inverse of [`day_number`]).
pub fn from_day_number(n: i64) -> Date {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // The arithmetic above only yields real days, so the fallback is never taken for days in jiff's range.
    Date::new(y as i16, m as i8, d as i8).unwrap_or(Date::MIN)
}

/// The first day of a day's month.
pub fn month_of(d: Date) -> Date {
    d.first_of_month()
}

/// The first day of the month `delta` months after (or before, when negative) the month starting on `month`.
pub fn add_months(month: Date, delta: i32) -> Date {
    let index = i32::from(month.year()) * 12 + i32::from(month.month()) - 1 + delta;
    Date::new((index.div_euclid(12)) as i16, (index.rem_euclid(12) + 1) as i8, 1).unwrap_or(Date::MIN)
}

/// A KPI's daily values from its first to its last day; days without a value are gaps, never zeros.
#[derive(Debug, Clone, Default)]
pub struct Daily {
    first: i64,
    values: Vec<Option<f64>>,
}

impl Daily {
    /// Builds a series from (day, value) points in any order; a later point for the same day wins.
    pub fn new(points: impl IntoIterator<Item = (Date, f64)>) -> Self {
        let points: Vec<(i64, f64)> = points.into_iter().map(|(d, v)| (day_number(d), v)).collect();
        let (Some(first), Some(last)) = (points.iter().map(|p| p.0).min(), points.iter().map(|p| p.0).max())
        else {
            return Self::default();
        };
        let mut values = vec![None; (last - first + 1) as usize];
        for (d, v) in points {
            values[(d - first) as usize] = Some(v);
        }
        Self { first, values }
    }

    /// Whether the series holds no value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The first and last day with a value.
    pub fn span(&self) -> Option<(Date, Date)> {
        if self.values.is_empty() {
            return None;
        }
        Some((
            from_day_number(self.first),
            from_day_number(self.first + self.values.len() as i64 - 1),
        ))
    }

    /// The value of one day.
    pub fn value(&self, day: Date) -> Option<f64> {
        self.at(day_number(day))
    }

    fn at(&self, n: i64) -> Option<f64> {
        let i = n - self.first;
        if i < 0 {
            return None;
        }
        self.values.get(i as usize).copied().flatten()
    }

    /// The figure of the `days` days ending on day number `end`: their sum (missing days filled with the window's
    /// daily average), their average, or the last value, by the KPI's aggregation; `None` when fewer than
    /// [`COVERAGE`] of the days have a value.
    pub fn window(&self, aggregation: Aggregation, end: i64, days: i64) -> Option<f64> {
        let mut sum = 0.0;
        let mut count = 0_i64;
        let mut last = None;
        for n in end - days + 1..=end {
            if let Some(v) = self.at(n) {
                sum += v;
                count += 1;
                last = Some(v);
            }
        }
        if (count as f64) < COVERAGE * days as f64 || count == 0 {
            return None;
        }
        Some(match aggregation {
            Aggregation::Sum => sum * days as f64 / count as f64,
            Aggregation::WeightedAverage => sum / count as f64,
            Aggregation::Last => last?,
        })
    }

    /// The goal figure on a day: the [`WINDOW`]-day figure ending on it.
    pub fn figure(&self, aggregation: Aggregation, day: Date) -> Option<f64> {
        self.window(aggregation, day_number(day), WINDOW)
    }

    /// The figure of the calendar month starting on `month`.
    pub fn month(&self, aggregation: Aggregation, month: Date) -> Option<f64> {
        let start = day_number(month);
        let end = day_number(add_months(month, 1)) - 1;
        self.window(aggregation, end, end - start + 1)
    }
}

/// The days of the calendar month starting on `month`.
pub fn days_in_month(month: Date) -> i64 {
    day_number(add_months(month, 1)) - day_number(month)
}

/// A month's figure from its days summed up elsewhere (in the database): the same rule as [`Daily::window`] —
/// the sum filled to the whole month, the average, or the last value — and `None` under [`COVERAGE`].
pub fn month_figure(aggregation: Aggregation, month: Date, total: f64, count: i64, last: f64) -> Option<f64> {
    let days = days_in_month(month);
    if (count as f64) < COVERAGE * days as f64 || count == 0 {
        return None;
    }
    Some(match aggregation {
        Aggregation::Sum => total * days as f64 / count as f64,
        Aggregation::WeightedAverage => total / count as f64,
        Aggregation::Last => last,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_numbers_round_trip_across_leap_years() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(2024, 3, 1)) - day_number(date(2024, 2, 28)), 2);
        for n in [-800_000, -1, 0, 19_000, 20_512, 60_000] {
            assert_eq!(day_number(from_day_number(n)), n);
        }
        assert_eq!(
            from_day_number(day_number(date(2026, 11, 29))),
            date(2026, 11, 29)
        );
    }

    #[test]
    fn months_step_across_years() {
        assert_eq!(add_months(date(2026, 11, 1), 2), date(2027, 1, 1));
        assert_eq!(add_months(date(2026, 1, 1), -13), date(2024, 12, 1));
    }

    #[test]
    fn a_window_sums_fills_gaps_and_refuses_thin_data() {
        let start = date(2026, 1, 1);
        let points = (0..30)
            .filter(|i| *i != 5) // one missing day
            .map(|i| (from_day_number(day_number(start) + i), 2.0));
        let s = Daily::new(points);
        // 29 days of 2.0 → 58, filled to 30 days → 60.
        assert_eq!(s.figure(Aggregation::Sum, date(2026, 1, 30)), Some(60.0));
        assert_eq!(
            s.figure(Aggregation::WeightedAverage, date(2026, 1, 30)),
            Some(2.0)
        );
        // Ten days later only 20 of the 30 days have values: under 80 %, no figure.
        assert_eq!(s.figure(Aggregation::Sum, date(2026, 2, 9)), None);
        assert_eq!(s.month(Aggregation::Sum, date(2026, 1, 1)), Some(62.0));
        // The same month summed up elsewhere gives the same figure.
        assert_eq!(
            month_figure(Aggregation::Sum, date(2026, 1, 1), 58.0, 29, 2.0),
            Some(62.0)
        );
        assert_eq!(
            month_figure(Aggregation::Sum, date(2026, 2, 1), 40.0, 20, 2.0),
            None
        );
    }
}
