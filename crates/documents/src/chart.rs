//! Line charts drawn on the server: the geometry (scaled points, axis ticks with labels in the reader's locale) is
//! computed here; a web page's template draws it as inline SVG (styled by the page's CSS), and a document takes it
//! as a standalone SVG ([`Chart::svg`], styles inline). Sparklines too. No JavaScript; charts print as they look.

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

/// How a line of each class is drawn in a standalone SVG (the web page's CSS draws them the same way).
fn line_style(class: &str) -> &'static str {
    match class {
        "actual" => r##"stroke="#1f5fbf" stroke-width="2.5""##,
        "plan" => r##"stroke="#414b5e" stroke-width="1.5" stroke-dasharray="6 4""##,
        "forecast" => r##"stroke="#8a5a00" stroke-width="2" stroke-dasharray="2 3""##,
        _ => r##"stroke="#1d2330" stroke-width="1.5""##,
    }
}

/// `text` with the five characters XML gives a meaning escaped, for an SVG's text and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

impl Chart {
    /// The chart as a standalone SVG document with its styles inline, for PDF and HTML documents. `label` is
    /// its accessible name; `font` the font family of the tick labels.
    pub fn svg(&self, label: &str, font: &str) -> String {
        use std::fmt::Write;
        let mut s = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}" font-family="{}" font-size="11">"#,
            xml_escape(label),
            xml_escape(font)
        );
        // Writing into a String cannot fail; the results are ignored rather than unwrapped.
        for t in &self.y_ticks {
            let _ = write!(
                s,
                r##"<line x1="{}" x2="{}" y1="{at}" y2="{at}" stroke="#e2e6ee" stroke-width="1"/><text x="{}" y="{}" text-anchor="end" fill="#414b5e">{}</text>"##,
                self.left,
                self.right,
                self.left - 6.0,
                t.at + 4.0,
                xml_escape(&t.label),
                at = t.at
            );
        }
        for t in &self.x_ticks {
            let _ = write!(
                s,
                r##"<line x1="{at}" x2="{at}" y1="{}" y2="{}" stroke="#e2e6ee" stroke-width="1"/><text x="{at}" y="{}" text-anchor="middle" fill="#414b5e">{}</text>"##,
                self.top,
                self.bottom,
                self.bottom + 18.0,
                xml_escape(&t.label),
                at = t.at
            );
        }
        if let Some(band) = &self.band {
            let _ = write!(s, r##"<polygon points="{band}" fill="#f3e3c3" stroke="none"/>"##);
        }
        for l in &self.lines {
            let _ = write!(
                s,
                r#"<polyline points="{}" fill="none" {}/>"#,
                l.points,
                line_style(l.class)
            );
        }
        s.push_str("</svg>");
        s
    }
}

/// The points of a sparkline 160 × 32 wide, scaled to the values' range; `None` under two values.
pub fn sparkline_points(values: &[f64]) -> Option<String> {
    if values.len() < 2 {
        return None;
    }
    let (min, max) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = if (max - min).abs() < f64::EPSILON {
        1.0
    } else {
        max - min
    };
    let step = 160.0 / (values.len() - 1) as f64;
    Some(
        values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", i as f64 * step, 30.0 - (v - min) / span * 28.0))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// A sparkline of `values` as a standalone SVG 160 × 32; `None` under two values.
pub fn sparkline_svg(values: &[f64]) -> Option<String> {
    sparkline_points(values).map(|points| {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 32" width="160" height="32"><polyline points="{points}" fill="none" stroke="#1f5fbf" stroke-width="1.5"/></svg>"##
        )
    })
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

    #[test]
    fn a_sparkline_spans_the_box_from_the_lowest_to_the_highest_value() {
        assert_eq!(sparkline_points(&[1.0]), None);
        assert_eq!(sparkline_points(&[0.0, 10.0]).unwrap(), "0.0,30.0 160.0,2.0");
        assert_eq!(
            sparkline_points(&[5.0, 5.0, 5.0]).unwrap(),
            "0.0,30.0 80.0,30.0 160.0,30.0"
        );
    }

    #[test]
    fn a_standalone_svg_escapes_its_labels() {
        let chart = ChartBuilder::new()
            .line("plan", vec![(date(2026, 1, 1), 0.0), (date(2026, 3, 31), 1.0)])
            .build(|_| "<b>&\"x\"</b>".into(), |m| m.to_string())
            .unwrap();
        let svg = chart.svg("a <label> & more", "Noto Sans");
        assert!(svg.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"), "{svg}");
        assert!(svg.contains(r#"aria-label="a &lt;label&gt; &amp; more""#));
        assert!(!svg.contains("<b>"));
        assert!(svg.starts_with("<svg xmlns="));
        assert!(svg.ends_with("</svg>"));
    }
}
