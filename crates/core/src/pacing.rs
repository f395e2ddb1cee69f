//! Pacing: where a goal's KPI should be on a day on its way from baseline to target, where it is, whether that
//! is ahead, on track or behind and by how much, and a forecast for the target date with a range. Pure
//! arithmetic on a [`Daily`] series; the rule used is returned with the figures so every page can say it in
//! words.
//!
//! The rules, as the pages state them:
//! - A goal is judged on the KPI's 30-day figure: the sum of the 30 days ending on the day for KPIs that add up,
//!   their average for rates, the last value for levels.
//! - Straight line: baseline + (target − baseline) × the share of the time from baseline date to target date gone.
//! - Last year's shape: the straight line, bent by how far last year's figure (52 weeks earlier, same weekday) lay
//!   above or below its own straight line between the same two days. Used when last year's figures exist for the
//!   baseline date, the target date and the day; otherwise the straight line is used and the reason given.
//! - On track within 5 % of the line; ahead or behind beyond it, judged by which way is good for the KPI.
//! - Forecast: a least-squares line through the last 12 weeks' figures (at least 8 weeks needed), carried to the
//!   target date; the range is two standard errors of that prediction either side (about 95 %).

use crate::kpi::{Aggregation, Direction};
use crate::series::{Daily, WINDOW, day_number, from_day_number};
use jiff::civil::Date;
use serde::Serialize;

/// Within this share of the expected figure a goal is on track.
pub const ON_TRACK_BAND: f64 = 0.05;
/// Weeks of history the forecast fits its trend on.
pub const FORECAST_WEEKS: i64 = 12;
/// Fewest weeks with a figure for a forecast.
pub const FORECAST_MIN_WEEKS: usize = 8;
/// Last year is 52 weeks back, so weekdays line up.
pub const LAST_YEAR_DAYS: i64 = 364;

/// How a goal's pacing line is drawn.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum PacingRule {
    /// A straight line from baseline to target.
    #[serde(rename = "straight-line")]
    StraightLine,
    /// The straight line bent by last year's seasonal shape.
    #[serde(rename = "seasonal")]
    Seasonal,
}

impl PacingRule {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            PacingRule::StraightLine => "straight-line",
            PacingRule::Seasonal => "seasonal",
        }
    }

    /// Parses the stored word.
    pub fn parse(field: &str, raw: &str) -> Result<Self, crate::FieldError> {
        match raw.trim() {
            "straight-line" => Ok(PacingRule::StraightLine),
            "seasonal" => Ok(PacingRule::Seasonal),
            other => Err(crate::FieldError::new(
                field,
                "invalid-choice",
                format!("{other:?} is not one of: straight-line, seasonal"),
            )),
        }
    }
}

/// A goal's path as pacing needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// The baseline's day and figure.
    pub baseline: (Date, f64),
    /// The target's day and figure.
    pub target: (Date, f64),
    /// The rule asked for.
    pub rule: PacingRule,
    /// How the KPI's days become a figure.
    pub aggregation: Aggregation,
    /// Which way is good.
    pub direction: Direction,
}

/// Where a goal stands against its line.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// Better than the line by more than the band.
    Ahead,
    /// Within the band.
    OnTrack,
    /// Worse than the line by more than the band.
    Behind,
}

impl Standing {
    /// The word used in the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Ahead => "ahead",
            Standing::OnTrack => "on-track",
            Standing::Behind => "behind",
        }
    }
}

/// Why last year's shape could not be used.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeasonalFallback {
    /// Last year's figures do not cover the baseline date, the target date and the day.
    NoHistory,
    /// Last year's figures are zero where the shape is read.
    ZeroHistory,
}

/// A forecast for the target date.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Forecast {
    /// The most likely figure on the target date.
    pub value: f64,
    /// The low end of the range.
    pub low: f64,
    /// The high end of the range.
    pub high: f64,
    /// Weeks the trend was fitted on.
    pub weeks: usize,
    /// Whether the most likely figure reaches the target (judged by which way is good).
    pub reaches_target: bool,
}

/// A goal's pacing on one day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pacing {
    /// The day judged.
    pub day: Date,
    /// The rule the line was drawn with.
    pub rule: PacingRule,
    /// Why the seasonal rule was asked for but not used.
    pub fallback: Option<SeasonalFallback>,
    /// Where the figure should be.
    pub expected: f64,
    /// Where it is (`None` without enough data).
    pub actual: Option<f64>,
    /// Ahead, on track or behind.
    pub standing: Option<Standing>,
    /// Actual minus expected.
    pub gap: Option<f64>,
    /// The gap as a percentage of the expected figure.
    pub gap_percent: Option<f64>,
    /// The forecast for the target date (none once it has passed or with under 8 weeks of data).
    pub forecast: Option<Forecast>,
}

impl Pacing {
    /// The rules used, in words (English; the pages say it in the person's language).
    pub fn explain(&self) -> String {
        let mut words = String::from("Judged on the 30-day figure. ");
        words.push_str(match (self.rule, self.fallback) {
            (PacingRule::Seasonal, _) => {
                "Line: last year's shape (the straight line bent by how far last year's figure 52 weeks earlier \
                 lay from its own straight line). "
            }
            (_, Some(SeasonalFallback::NoHistory)) => {
                "Line: straight from baseline to target (last year's shape was asked for, but last year's \
                 figures do not cover the period). "
            }
            (_, Some(SeasonalFallback::ZeroHistory)) => {
                "Line: straight from baseline to target (last year's figures are zero, so they give no shape). "
            }
            _ => "Line: straight from baseline to target. ",
        });
        words.push_str("On track within 5 % of the line. ");
        match &self.forecast {
            Some(f) => words.push_str(&format!(
                "Forecast: the trend of the last {} weeks carried to the target date; the range is about 95 %.",
                f.weeks
            )),
            None => words.push_str("No forecast: it needs at least 8 weeks of figures before the target date."),
        }
        words
    }
}

fn straight(plan: &Plan, n: i64) -> f64 {
    let (b, t) = (day_number(plan.baseline.0), day_number(plan.target.0));
    let share = if t > b {
        ((n - b) as f64 / (t - b) as f64).clamp(0.0, 1.0)
    } else {
        1.0
    };
    plan.baseline.1 + (plan.target.1 - plan.baseline.1) * share
}

/// Where the figure should be on a day, by the plan's rule, and why the seasonal rule fell back if it did.
pub fn expected(plan: &Plan, series: &Daily, day: Date) -> (f64, PacingRule, Option<SeasonalFallback>) {
    let n = day_number(day);
    let line = straight(plan, n);
    if plan.rule == PacingRule::StraightLine {
        return (line, PacingRule::StraightLine, None);
    }
    let (b, t) = (day_number(plan.baseline.0), day_number(plan.target.0));
    let clamped = n.clamp(b, t.max(b));
    let last_year = |d: i64| series.window(plan.aggregation, d - LAST_YEAR_DAYS, WINDOW);
    let (Some(at_b), Some(at_t), Some(at_d)) = (last_year(b), last_year(t), last_year(clamped)) else {
        return (line, PacingRule::StraightLine, Some(SeasonalFallback::NoHistory));
    };
    // Last year's own straight line between the same two days, at the day.
    let share = if t > b {
        (clamped - b) as f64 / (t - b) as f64
    } else {
        1.0
    };
    let own_line = at_b + (at_t - at_b) * share;
    if own_line <= 0.0 || at_d < 0.0 {
        return (
            line,
            PacingRule::StraightLine,
            Some(SeasonalFallback::ZeroHistory),
        );
    }
    (line * at_d / own_line, PacingRule::Seasonal, None)
}

fn better(direction: Direction, a: f64, b: f64) -> f64 {
    match direction {
        Direction::Up => a - b,
        Direction::Down => b - a,
    }
}

/// A goal's pacing on a day.
pub fn pace(plan: &Plan, series: &Daily, day: Date) -> Pacing {
    let (expected, rule, fallback) = expected(plan, series, day);
    let actual = series.figure(plan.aggregation, day);
    let gap = actual.map(|a| a - expected);
    let scale = if expected.abs() > f64::EPSILON {
        expected.abs()
    } else {
        (plan.target.1 - plan.baseline.1).abs()
    };
    let gap_percent = gap.filter(|_| scale > f64::EPSILON).map(|g| g / scale * 100.0);
    let standing = actual.map(|a| {
        let lead = better(plan.direction, a, expected);
        if lead.abs() <= ON_TRACK_BAND * scale {
            Standing::OnTrack
        } else if lead > 0.0 {
            Standing::Ahead
        } else {
            Standing::Behind
        }
    });
    Pacing {
        day,
        rule,
        fallback,
        expected,
        actual,
        standing,
        gap,
        gap_percent,
        forecast: forecast(plan, series, day),
    }
}

/// The trend of the last 12 weeks' figures carried to the target date, with a range of two standard errors of
/// the prediction either side.
pub fn forecast(plan: &Plan, series: &Daily, day: Date) -> Option<Forecast> {
    let today = day_number(day);
    let target = day_number(plan.target.0);
    if target <= today {
        return None;
    }
    // Each week's figure in the goal's terms: a sum scaled to 30 days, an average or a last value as it is.
    let scale = match plan.aggregation {
        Aggregation::Sum => WINDOW as f64 / 7.0,
        _ => 1.0,
    };
    let points: Vec<(f64, f64)> = (0..FORECAST_WEEKS)
        .filter_map(|k| {
            let end = today - 7 * k;
            let y = series.window(plan.aggregation, end, 7)? * scale;
            // A week's figure stands for its middle day.
            Some(((end - 3) as f64, y))
        })
        .collect();
    if points.len() < FORECAST_MIN_WEEKS {
        return None;
    }
    let n = points.len() as f64;
    let x_mean = points.iter().map(|p| p.0).sum::<f64>() / n;
    let y_mean = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - x_mean).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - x_mean) * (p.1 - y_mean)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let intercept = y_mean - slope * x_mean;
    // The target's 30-day figure stands for the middle of its window.
    let x0 = target as f64 - (WINDOW as f64 - 1.0) / 2.0;
    let value = intercept + slope * x0;
    let sse: f64 = points
        .iter()
        .map(|p| (p.1 - (intercept + slope * p.0)).powi(2))
        .sum();
    let s = (sse / (n - 2.0)).sqrt();
    let se = s * (1.0 + 1.0 / n + (x0 - x_mean).powi(2) / sxx.max(f64::EPSILON)).sqrt();
    let floor = |v: f64| v.max(0.0);
    Some(Forecast {
        value: floor(value),
        low: floor(value - 2.0 * se),
        high: floor(value + 2.0 * se),
        weeks: points.len(),
        reaches_target: better(plan.direction, value, plan.target.1) >= 0.0,
    })
}

/// The pacing line's points from baseline to target, one every `step` days, for charts.
pub fn line(plan: &Plan, series: &Daily, step: i64) -> Vec<(Date, f64)> {
    let (b, t) = (day_number(plan.baseline.0), day_number(plan.target.0));
    let mut points = Vec::new();
    let mut n = b;
    while n < t {
        let d = from_day_number(n);
        points.push((d, expected(plan, series, d).0));
        n += step.max(1);
    }
    points.push((plan.target.0, expected(plan, series, plan.target.0).0));
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn days(from: Date, count: i64, value: impl Fn(i64) -> f64) -> Daily {
        let start = day_number(from);
        Daily::new((0..count).map(|i| (from_day_number(start + i), value(i))))
    }

    fn plan(rule: PacingRule, direction: Direction) -> Plan {
        Plan {
            baseline: (date(2026, 1, 1), 300.0),
            target: (date(2026, 12, 31), 600.0),
            rule,
            aggregation: Aggregation::Sum,
            direction,
        }
    }

    #[test]
    fn the_straight_line_is_halfway_at_half_time_and_judges_by_the_good_direction() {
        // 364 days from 1 January to 31 December; 2 July is day 182, half way: 300 + 300 × 0.5 = 450.
        // Ten a day for the 30 days up to 2 July is a figure of 300: 150 behind (33.3 %).
        let series = days(date(2026, 6, 3), 30, |_| 10.0);
        let p = pace(
            &plan(PacingRule::StraightLine, Direction::Up),
            &series,
            date(2026, 7, 2),
        );
        assert_eq!(p.expected, 450.0);
        assert_eq!(p.actual, Some(300.0));
        assert_eq!(p.gap, Some(-150.0));
        assert!((p.gap_percent.unwrap() + 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(p.standing, Some(Standing::Behind));
        // The same numbers for a KPI better when lower (say a cost falling from 300 to 600 would be odd, but the
        // rule is the rule): below the line is ahead.
        let p = pace(
            &plan(PacingRule::StraightLine, Direction::Down),
            &series,
            date(2026, 7, 2),
        );
        assert_eq!(p.standing, Some(Standing::Ahead));
    }

    #[test]
    fn within_five_percent_of_the_line_is_on_track() {
        // Expected 450 on 2 July; 15 a day → 450 → on track; 15.7 a day → 471 (4.7 % above) → still on track.
        let p = plan(PacingRule::StraightLine, Direction::Up);
        let on = pace(&p, &days(date(2026, 6, 3), 30, |_| 15.7), date(2026, 7, 2));
        assert_eq!(on.standing, Some(Standing::OnTrack));
        let ahead = pace(&p, &days(date(2026, 6, 3), 30, |_| 16.0), date(2026, 7, 2));
        assert_eq!(ahead.standing, Some(Standing::Ahead));
    }

    #[test]
    fn last_years_shape_bends_the_line_and_falls_back_without_history() {
        // Last year: 10 a day, except 20 a day for the 30 days before 2 July 2025 (52 weeks before 1 July 2026).
        // Its own straight line is flat at 300 (both ends 300), and on 30 June 2026 last year's figure is 600:
        // twice its line, so this year's line there is doubled: 2 × the straight line.
        let a = date(2024, 12, 1);
        let peak_end = day_number(date(2026, 6, 30)) - 364;
        let series = days(a, 420, |i| {
            let n = day_number(a) + i;
            if n > peak_end - 30 && n <= peak_end {
                20.0
            } else {
                10.0
            }
        });
        let p = plan(PacingRule::Seasonal, Direction::Up);
        let (line_value, rule, fallback) = expected(&p, &series, date(2026, 6, 30));
        assert_eq!((rule, fallback), (PacingRule::Seasonal, None));
        let straight_value = straight(&p, day_number(date(2026, 6, 30)));
        assert!(
            (line_value - 2.0 * straight_value).abs() < 1e-9,
            "{line_value} vs {straight_value}"
        );
        // At the ends the seasonal line meets baseline and target.
        assert!((expected(&p, &series, date(2026, 1, 1)).0 - 300.0).abs() < 1e-9);
        // With no history a year back, the straight line is used and the reason given.
        let short = days(date(2026, 5, 1), 90, |_| 10.0);
        let (v, rule, fallback) = expected(&p, &short, date(2026, 6, 30));
        assert_eq!(rule, PacingRule::StraightLine);
        assert_eq!(fallback, Some(SeasonalFallback::NoHistory));
        assert_eq!(v, straight_value);
    }

    #[test]
    fn the_forecast_carries_a_steady_trend_and_widens_with_noise() {
        // Ten a day rising by 0.1 a day: the 30-day figure grows by 3 a day. On 1 July the forecast for
        // 31 December (183 days on) should be close to the straight continuation.
        let from = date(2026, 3, 1);
        let start = day_number(from);
        let series = days(from, 123, |i| 10.0 + 0.1 * i as f64);
        let day = from_day_number(start + 122);
        let f = forecast(&plan(PacingRule::StraightLine, Direction::Up), &series, day).unwrap();
        // Truth: the 30 days ending 31 December average the value on their middle day.
        let mid = (day_number(date(2026, 12, 31)) - start) as f64 - 14.5;
        let truth = 30.0 * (10.0 + 0.1 * mid);
        assert!((f.value - truth).abs() < 1e-6, "{} vs {truth}", f.value);
        assert!(f.high - f.low < 1e-6, "a perfect line has no spread");
        assert_eq!(f.weeks, 12);
        assert!(f.reaches_target);
        // Noise widens the range around the same trend.
        let noisy = days(from, 123, |i| {
            10.0 + 0.1 * i as f64 + if i % 2 == 0 { 3.0 } else { -3.0 }
        });
        let g = forecast(&plan(PacingRule::StraightLine, Direction::Up), &noisy, day).unwrap();
        assert!(g.low < g.value && g.value < g.high);
    }

    #[test]
    fn no_forecast_under_eight_weeks_or_after_the_target() {
        let p = plan(PacingRule::StraightLine, Direction::Up);
        let short = days(date(2026, 5, 1), 50, |_| 10.0);
        assert_eq!(forecast(&p, &short, date(2026, 6, 19)), None);
        let long = days(date(2026, 1, 1), 365, |_| 10.0);
        assert_eq!(forecast(&p, &long, date(2026, 12, 31)), None);
    }
}
