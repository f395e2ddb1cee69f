//! KPIs, goals and measurements: what a client's success is measured by, the presets offered per business model,
//! and the values that imports and the API write. Leading indicators (rankings, impressions, followers, press
//! placements) are marked as such and never passed off as business results.

use crate::error::FieldError;
use crate::id::{AgencyId, ClientId};
use crate::types::required_text;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use std::fmt;

mod preset;
mod service;
pub mod store;

pub use preset::{preset_for_source, presets};
pub use service::MAX_READ_DAYS;

/// A KPI's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct KpiId(pub i64);

impl fmt::Display for KpiId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

macro_rules! kpi_word {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $word:tt),* $(,)? }) => {
        $(#[$doc])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant),*
        }

        impl $name {
            /// The stored word.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),* }
            }

            /// Parses the stored word.
            pub fn parse(field: &str, raw: &str) -> std::result::Result<Self, FieldError> {
                match raw.trim() {
                    $($word => Ok($name::$variant),)*
                    other => Err(FieldError::new(field, "invalid-choice",
                        format!("{other:?} is not one of: {}", [$($word),*].join(", ")))),
                }
            }
        }
    };
}

kpi_word!(
    /// What a KPI's values are.
    Unit {
        /// A number of things (leads, sessions, clicks).
        Count = "count",
        /// Money in the client's currency, in major units.
        Money = "money",
        /// A percentage, stored as percent points (2.5 means 2.5 %).
        Percent = "percent",
        /// A ratio such as return on ad spend (4.2 means 4.2 : 1).
        Ratio = "ratio",
        /// A duration in seconds.
        Seconds = "seconds",
        /// A rank, such as an average search position (lower is better).
        Position = "position",
    }
);

kpi_word!(
    /// Which way is good.
    Direction {
        /// More is better.
        Up = "up",
        /// Less is better (cost per lead, search position).
        Down = "down",
    }
);

kpi_word!(
    /// How a KPI's values over a period become one figure.
    Aggregation {
        /// Added up (clicks, revenue).
        Sum = "sum",
        /// Averaged, weighted by its denominator when the source gives one (CTR, conversion rate).
        WeightedAverage = "weighted-average",
        /// The last value of the period (followers).
        Last = "last",
    }
);

kpi_word!(
    /// Whether a KPI is a business result or a leading indicator.
    KpiKind {
        /// A business result the client pays for (leads, revenue, readers).
        Business = "business",
        /// A leading indicator (rankings, impressions, followers, press placements): shown as such, never as a
        /// business result.
        Leading = "leading-indicator",
    }
);

/// A KPI's fields.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct KpiInput {
    /// Its name, unique per client (case-insensitive).
    pub name: String,
    /// What its values are.
    pub unit: Unit,
    /// Which way is good.
    pub direction: Direction,
    /// How a period's values become one figure.
    pub aggregation: Aggregation,
    /// Business result or leading indicator.
    pub kind: KpiKind,
    /// Which column of which export feeds it, such as `gsc:clicks` or `ga4:sessions`; empty when typed or imported
    /// in the long format only.
    pub source: String,
}

/// A KPI of a client.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Kpi {
    /// Its id.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub id: KpiId,
    /// The agency.
    pub agency_id: AgencyId,
    /// The client.
    pub client_id: ClientId,
    /// Its fields.
    #[serde(flatten)]
    pub fields: KpiInput,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A KPI's fields as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct KpiForm {
    /// Name.
    pub name: String,
    /// Unit word.
    pub unit: String,
    /// `up` or `down`.
    pub direction: String,
    /// Aggregation word.
    pub aggregation: String,
    /// `business` or `leading-indicator`.
    pub kind: String,
    /// Source mapping, such as `gsc:clicks`.
    pub source: String,
}

impl KpiForm {
    /// Parses every field, collecting every error.
    pub fn parse(&self) -> std::result::Result<KpiInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = required_text("name", &self.name, 120)
            .map_err(|e| errors.push(e))
            .ok();
        let unit = Unit::parse("unit", &self.unit).map_err(|e| errors.push(e)).ok();
        let direction = Direction::parse("direction", &self.direction)
            .map_err(|e| errors.push(e))
            .ok();
        let aggregation = Aggregation::parse("aggregation", &self.aggregation)
            .map_err(|e| errors.push(e))
            .ok();
        let kind = KpiKind::parse("kind", &self.kind)
            .map_err(|e| errors.push(e))
            .ok();
        match (name, unit, direction, aggregation, kind) {
            (Some(name), Some(unit), Some(direction), Some(aggregation), Some(kind)) if errors.is_empty() => {
                Ok(KpiInput {
                    name,
                    unit,
                    direction,
                    aggregation,
                    kind,
                    source: self.source.trim().to_string(),
                })
            }
            _ => Err(errors),
        }
    }
}

/// A KPI's value on a day, or over a stated period when the source gives only a total for a date range.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Measurement {
    /// The KPI.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub kpi_id: KpiId,
    /// First day of the period (the day itself for a daily value).
    pub period_start: Date,
    /// Last day of the period (the same day for a daily value).
    pub period_end: Date,
    /// A breakdown of the source, such as a campaign's name; empty for the whole.
    pub dimension: String,
    /// The value, in the KPI's unit.
    pub value: f64,
}

impl Measurement {
    /// Whether this is a total for a period longer than a day.
    pub fn is_period_total(&self) -> bool {
        self.period_start != self.period_end
    }
}

/// A KPI with its latest daily value, for lists.
#[derive(Debug, Clone, Serialize)]
pub struct KpiLatest {
    /// The KPI.
    pub kpi: Kpi,
    /// Its latest value and the day (or period end) it is for.
    pub latest: Option<(Date, f64)>,
    /// The first day of the latest value's period when that value is a period total (a Google Ads or Meta
    /// download's range), which the pages must say; `None` for a day's value.
    pub latest_from: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{BusinessModel, Language};

    #[test]
    fn every_preset_carries_leading_indicators_marked_as_such() {
        for model in BusinessModel::ALL {
            let kpis = presets(*model, Language::En);
            let leading: Vec<&str> = kpis
                .iter()
                .filter(|k| k.kind == KpiKind::Leading)
                .map(|k| k.name.as_str())
                .collect();
            assert!(
                leading.contains(&"Average search position") && leading.contains(&"Impressions"),
                "{model}"
            );
            assert!(
                kpis.iter().any(|k| k.kind == KpiKind::Business),
                "{model} has business results"
            );
        }
    }

    #[test]
    fn cost_per_lead_and_position_are_better_when_lower() {
        let lead_gen = presets(BusinessModel::LeadGeneration, Language::En);
        let cpl = lead_gen.iter().find(|k| k.name == "Cost per lead").unwrap();
        assert_eq!((cpl.unit, cpl.direction), (Unit::Money, Direction::Down));
        let position = lead_gen
            .iter()
            .find(|k| k.name == "Average search position")
            .unwrap();
        assert_eq!(position.direction, Direction::Down);
    }

    #[test]
    fn presets_are_named_in_the_clients_language() {
        let hu = presets(BusinessModel::Ecommerce, Language::Hu);
        assert_eq!(hu[0].name, "Árbevétel");
        let zh = presets(BusinessModel::Publisher, Language::ZhHant);
        assert_eq!(zh[1].name, "工作階段");
    }

    #[test]
    fn a_kpi_form_reports_every_wrong_field() {
        let bad = KpiForm {
            name: "".into(),
            unit: "furlongs".into(),
            direction: "sideways".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "unit", "direction", "aggregation", "kind"]);
    }
}
