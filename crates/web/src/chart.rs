//! Server-rendered line charts: the geometry (scaled points, axis ticks with labels in the person's locale) is
//! computed here, and the template draws it as SVG, so charts need no JavaScript and print as they look.

use accountable_core::series::day_number;
use jiff::civil::Date;

/// The drawing's size and the plot area inside it.
pub const WIDTH: f64 = 640.0;
/// The drawing's height.
pub const HEIGHT: f64 = 260.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 32.0;

/// One line of a chart.
pub struct Line {
    /// A CSS class: `actual`, `plan`, `forecast`.
    pub class: &'static str,
    /// Its SVG polyline points.
    pub points: String,
}

/// A tick on an axis.
pub struct Tick {
    /// Its position along the axis, in drawing units.
    pub at: f64,
    /// Its label.
    pub label: String,
}

/// A chart ready for the template.
pub struct Chart {
    /// Lines, drawn in order.
    pub lines: Vec<Line>,
    /// A shaded range (the forecast's), as SVG polygon points.
    pub band: Option<String>,
    /// Ticks on the value axis.
    pub y_ticks: Vec<Tick>,
    /// Ticks on the time axis.
    pub x_ticks: Vec<Tick>,
    /// The plot area's left edge.
    pub left: f64,
    /// Its right edge.
    pub right: f64,
    /// Its top edge.
    pub top: f64,
    /// Its bottom edge.
    pub bottom: f64,
}

/// Builds a chart of day-value series over the days they span together.
pub struct ChartBuilder {
    first: i64,
    last: i64,
    low: f64,
    high: f64,
    lines: Vec<(&'static str, Vec<(Date, f64)>)>,
    band: Option<Vec<(Date, f64, f64)>>,
}

/// A round step of about `raw`: 1, 2 or 5 times a power of ten.
pub fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    let f = raw / power;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

impl ChartBuilder {
    /// An empty chart.
    pub fn new() -> Self {
        Self {
            first: i64::MAX,
            last: i64::MIN,
            low: f64::MAX,
            high: f64::MIN,
            lines: Vec::new(),
            band: None,
        }
    }

    fn include(&mut self, d: Date, v: f64) {
        let n = day_number(d);
        self.first = self.first.min(n);
        self.last = self.last.max(n);
        self.low = self.low.min(v);
        self.high = self.high.max(v);
    }

    /// Adds a line.
    pub fn line(mut self, class: &'static str, points: Vec<(Date, f64)>) -> Self {
        for (d, v) in &points {
            self.include(*d, *v);
        }
        self.lines.push((class, points));
        self
    }

    /// Adds a shaded range between a low and a high value per day.
    pub fn band(mut self, points: Vec<(Date, f64, f64)>) -> Self {
        for (d, lo, hi) in &points {
            self.include(*d, *lo);
            self.include(*d, *hi);
        }
        self.band = Some(points);
        self
    }

    /// Scales everything into the drawing; `None` when there is nothing to draw. `value` labels the value axis
    /// and `month` the time axis, both in the person's locale.
    pub fn build(self, value: impl Fn(f64) -> String, month: impl Fn(Date) -> String) -> Option<Chart> {
        if self.first > self.last {
            return None;
        }
        // The value axis starts at zero for figures that are never negative, so a change is not exaggerated.
        let low = if self.low >= 0.0 { 0.0 } else { self.low };
        let step = nice_step((self.high - low) / 4.0);
        let low = (low / step).floor() * step;
        let high = ((self.high / step).ceil() * step).max(low + step);
        let (right, bottom) = (WIDTH - RIGHT, HEIGHT - BOTTOM);
        let days = (self.last - self.first).max(1) as f64;
        // Positions are rounded to a tenth of a unit: finer is invisible and only makes the page longer.
        let tenth = |v: f64| (v * 10.0).round() / 10.0;
        let x = |d: Date| tenth(LEFT + (day_number(d) - self.first) as f64 / days * (right - LEFT));
        let y = |v: f64| tenth(bottom - (v - low) / (high - low) * (bottom - TOP));
        let points = |p: &[(Date, f64)]| {
            p.iter()
                .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let lines = self
            .lines
            .iter()
            .filter(|(_, p)| !p.is_empty())
            .map(|(class, p)| Line {
                class,
                points: points(p),
            })
            .collect();
        let band = self.band.as_ref().filter(|b| !b.is_empty()).map(|b| {
            let upper = b.iter().map(|(d, _, hi)| (*d, *hi));
            let lower = b.iter().rev().map(|(d, lo, _)| (*d, *lo));
            points(&upper.chain(lower).collect::<Vec<_>>())
        });
        let mut y_ticks = Vec::new();
        let mut v = low;
        while v <= high + step / 2.0 {
            y_ticks.push(Tick {
                at: y(v),
                label: value(v),
            });
            v += step;
        }
        // A tick on the first of every month, thinned to at most seven.
        let first = accountable_core::series::from_day_number(self.first);
        let mut months = Vec::new();
        let mut m = accountable_core::series::add_months(first.first_of_month(), 1);
        while day_number(m) <= self.last {
            months.push(m);
            m = accountable_core::series::add_months(m, 1);
        }
        let every = months.len().div_ceil(7).max(1);
        let x_ticks = months
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(_, m)| Tick {
                at: x(*m),
                label: month(*m),
            })
            .collect();
        Some(Chart {
            lines,
            band,
            y_ticks,
            x_ticks,
            left: LEFT,
            right,
            top: TOP,
            bottom,
        })
    }
}

impl Default for ChartBuilder {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(23.0), 50.0);
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(1000.0), 1000.0);
        assert_eq!(nice_step(0.0), 1.0);
    }

    #[test]
    fn a_chart_spans_the_plot_area_and_labels_months() {
        let chart = ChartBuilder::new()
            .line(
                "actual",
                vec![(date(2026, 1, 1), 0.0), (date(2026, 3, 31), 100.0)],
            )
            .build(|v| format!("{v}"), |m| m.to_string())
            .unwrap();
        assert_eq!(chart.lines[0].points, "72.0,228.0 624.0,12.0");
        let labels: Vec<&str> = chart.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["2026-02-01", "2026-03-01"]);
        assert_eq!(chart.y_ticks.first().map(|t| t.label.as_str()), Some("0"));
        assert_eq!(chart.y_ticks.last().map(|t| t.label.as_str()), Some("100"));
    }
}
