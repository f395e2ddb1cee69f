//! KPIs, goals and measurements: what a client's success is measured by, the presets offered per business model,
//! and the values that imports and the API write. Leading indicators (rankings, impressions, followers, press
//! placements) are marked as such and never passed off as business results.

use crate::actor::{Actor, Permission};
use crate::audit::snapshot;
use crate::error::{Error, FieldError, Result};
use crate::id::{AgencyId, ClientId};
use crate::record::AuditAction;
use crate::service::{Change, Services, record};
use crate::types::{BusinessModel, Language, required_text};
use crate::words::Tr;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use std::fmt;

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

/// One preset KPI: the key of its name in the catalogue (`kpi_preset.<key>`, `core/i18n/*.toml`) and its nature.
struct Preset {
    key: &'static str,
    unit: Unit,
    direction: Direction,
    aggregation: Aggregation,
    kind: KpiKind,
    source: &'static str,
}

const fn preset(
    key: &'static str,
    unit: Unit,
    direction: Direction,
    aggregation: Aggregation,
    kind: KpiKind,
    source: &'static str,
) -> Preset {
    Preset {
        key,
        unit,
        direction,
        aggregation,
        kind,
        source,
    }
}

use Aggregation::{Last, Sum, WeightedAverage};
use Direction::{Down, Up};
use KpiKind::{Business, Leading};

const LEADS: Preset = preset("leads", Unit::Count, Up, Sum, Business, "");
const QUALIFIED: Preset = preset("qualified", Unit::Count, Up, Sum, Business, "");
const CPL: Preset = preset("cpl", Unit::Money, Down, WeightedAverage, Business, "");
const PIPELINE: Preset = preset("pipeline", Unit::Money, Up, Last, Business, "");
const REVENUE: Preset = preset("revenue", Unit::Money, Up, Sum, Business, "ga4:revenue");
const ORDERS: Preset = preset("orders", Unit::Count, Up, Sum, Business, "ga4:orders");
const CONVERSION: Preset = preset("conversion", Unit::Percent, Up, WeightedAverage, Business, "");
const AOV: Preset = preset("aov", Unit::Money, Up, WeightedAverage, Business, "");
const ROAS: Preset = preset("roas", Unit::Ratio, Up, WeightedAverage, Business, "");
const PAGE_VIEWS: Preset = preset("page_views", Unit::Count, Up, Sum, Business, "ga4:views");
const SESSIONS: Preset = preset("sessions", Unit::Count, Up, Sum, Business, "ga4:sessions");
const RETURNING: Preset = preset("returning", Unit::Count, Up, Sum, Business, "");
const AD_REVENUE: Preset = preset("ad_revenue", Unit::Money, Up, Sum, Business, "");
const REACH: Preset = preset("reach", Unit::Count, Up, Sum, Business, "meta:reach");
const SHARE_OF_SEARCH: Preset = preset(
    "share_of_search",
    Unit::Percent,
    Up,
    WeightedAverage,
    Business,
    "",
);
const BRANDED_CLICKS: Preset = preset("branded_clicks", Unit::Count, Up, Sum, Business, "");
const ORGANIC_CLICKS: Preset = preset("organic_clicks", Unit::Count, Up, Sum, Leading, "gsc:clicks");
const IMPRESSIONS: Preset = preset("impressions", Unit::Count, Up, Sum, Leading, "gsc:impressions");
const POSITION: Preset = preset(
    "position",
    Unit::Position,
    Down,
    WeightedAverage,
    Leading,
    "gsc:position",
);
const ORGANIC_CTR: Preset = preset(
    "organic_ctr",
    Unit::Percent,
    Up,
    WeightedAverage,
    Leading,
    "gsc:ctr",
);
const FOLLOWERS: Preset = preset("followers", Unit::Count, Up, Last, Leading, "");
const PRESS: Preset = preset("press", Unit::Count, Up, Sum, Leading, "");

// The KPIs the exports feed (see docs/imports.md). Traffic and reach figures (impressions, clicks on ads, events,
// rates, durations) are leading indicators; what the client pays or earns, and what its customers do (calls,
// bookings, key events), are business figures. Ad platforms' figures carry the platform in their names so that they
// never take the name of the site-wide KPI (Impressions from Search Console) or of another platform's.
const USERS: Preset = preset("users", Unit::Count, Up, Sum, Business, "ga4:users");
const ACTIVE_USERS: Preset = preset("active_users", Unit::Count, Up, Sum, Business, "ga4:active-users");
const NEW_USERS: Preset = preset("new_users", Unit::Count, Up, Sum, Business, "ga4:new-users");
const KEY_EVENTS: Preset = preset("key_events", Unit::Count, Up, Sum, Business, "ga4:key-events");
const EVENTS: Preset = preset("events", Unit::Count, Up, Sum, Leading, "ga4:events");
const ENGAGEMENT_RATE: Preset = preset(
    "engagement_rate",
    Unit::Percent,
    Up,
    WeightedAverage,
    Leading,
    "ga4:engagement-rate",
);
const BOUNCE_RATE: Preset = preset(
    "bounce_rate",
    Unit::Percent,
    Down,
    WeightedAverage,
    Leading,
    "ga4:bounce-rate",
);
const SESSION_DURATION: Preset = preset(
    "session_duration",
    Unit::Seconds,
    Up,
    WeightedAverage,
    Leading,
    "ga4:avg-session-duration",
);
const ENGAGEMENT_TIME: Preset = preset(
    "engagement_time",
    Unit::Seconds,
    Up,
    WeightedAverage,
    Leading,
    "ga4:avg-engagement-time",
);
const ADS_CLICKS: Preset = preset("ads_clicks", Unit::Count, Up, Sum, Leading, "gads:clicks");
const ADS_IMPRESSIONS: Preset = preset(
    "ads_impressions",
    Unit::Count,
    Up,
    Sum,
    Leading,
    "gads:impressions",
);
// Spend is money the client pays: a business figure, better when lower for the same results.
const ADS_SPEND: Preset = preset("ads_spend", Unit::Money, Down, Sum, Business, "gads:cost");
const ADS_CONVERSIONS: Preset = preset(
    "ads_conversions",
    Unit::Count,
    Up,
    Sum,
    Business,
    "gads:conversions",
);
// The revenue Google Ads credits to the ads: a part of Revenue (ga4:revenue), not all of it, so a KPI of its own
// rather than a second source of Revenue that would overwrite GA4's total for the same period.
const ADS_CONVERSION_VALUE: Preset = preset(
    "ads_conversion_value",
    Unit::Money,
    Up,
    Sum,
    Business,
    "gads:conversion-value",
);
// Reach fed by an import for a client whose preset has no Reach: a leading indicator. The brand preset's own
// Reach (above) has the same source and stays that model's business result.
const META_REACH: Preset = preset("meta_reach", Unit::Count, Up, Sum, Leading, "meta:reach");
const META_IMPRESSIONS: Preset = preset(
    "meta_impressions",
    Unit::Count,
    Up,
    Sum,
    Leading,
    "meta:impressions",
);
const META_SPEND: Preset = preset("meta_spend", Unit::Money, Down, Sum, Business, "meta:spend");
const META_LINK_CLICKS: Preset = preset(
    "meta_link_clicks",
    Unit::Count,
    Up,
    Sum,
    Leading,
    "meta:link-clicks",
);
const PROFILE_VIEWS: Preset = preset("profile_views", Unit::Count, Up, Sum, Leading, "gbp:views");
const PROFILE_CALLS: Preset = preset("profile_calls", Unit::Count, Up, Sum, Business, "gbp:calls");
const PROFILE_MESSAGES: Preset = preset("profile_messages", Unit::Count, Up, Sum, Business, "gbp:messages");
const PROFILE_BOOKINGS: Preset = preset("profile_bookings", Unit::Count, Up, Sum, Business, "gbp:bookings");
const PROFILE_DIRECTIONS: Preset = preset(
    "profile_directions",
    Unit::Count,
    Up,
    Sum,
    Leading,
    "gbp:directions",
);
const PROFILE_WEBSITE: Preset = preset(
    "profile_website",
    Unit::Count,
    Up,
    Sum,
    Leading,
    "gbp:website-clicks",
);

/// The catalogue key of a preset's name.
fn name_key(p: &Preset) -> String {
    format!("kpi_preset.{}", p.key)
}

fn input(p: &Preset, language: Language) -> KpiInput {
    KpiInput {
        name: Tr::new(language).t(&name_key(p)).to_string(),
        unit: p.unit,
        direction: p.direction,
        aggregation: p.aggregation,
        kind: p.kind,
        source: p.source.to_string(),
    }
}

/// The KPI a known export column feeds (such as `gsc:clicks`), named in `language`, for an import to create
/// when the client has no KPI with that source mapping yet.
pub fn preset_for_source(source: &str, language: Language) -> Option<KpiInput> {
    SOURCED
        .iter()
        .find(|p| p.source == source)
        .map(|p| input(p, language))
}

/// The presets that a known export column feeds.
const SOURCED: &[&Preset] = &[
    &REVENUE,
    &ORDERS,
    &PAGE_VIEWS,
    &SESSIONS,
    &ORGANIC_CLICKS,
    &IMPRESSIONS,
    &ORGANIC_CTR,
    &POSITION,
    &USERS,
    &ACTIVE_USERS,
    &NEW_USERS,
    &KEY_EVENTS,
    &EVENTS,
    &ENGAGEMENT_RATE,
    &BOUNCE_RATE,
    &SESSION_DURATION,
    &ENGAGEMENT_TIME,
    &ADS_CLICKS,
    &ADS_IMPRESSIONS,
    &ADS_SPEND,
    &ADS_CONVERSIONS,
    &ADS_CONVERSION_VALUE,
    &META_REACH,
    &META_IMPRESSIONS,
    &META_SPEND,
    &META_LINK_CLICKS,
    &PROFILE_VIEWS,
    &PROFILE_CALLS,
    &PROFILE_MESSAGES,
    &PROFILE_BOOKINGS,
    &PROFILE_DIRECTIONS,
    &PROFILE_WEBSITE,
];

/// The KPIs offered for a business model, named in `language`: its business results first, then the leading
/// indicators every preset carries.
pub fn presets(model: BusinessModel, language: Language) -> Vec<KpiInput> {
    let business: &[&Preset] = match model {
        BusinessModel::LeadGeneration => &[&LEADS, &QUALIFIED, &CPL, &PIPELINE],
        BusinessModel::Ecommerce => &[&REVENUE, &ORDERS, &CONVERSION, &AOV, &ROAS],
        BusinessModel::Publisher => &[&PAGE_VIEWS, &SESSIONS, &RETURNING, &AD_REVENUE],
        BusinessModel::Brand => &[&REACH, &SHARE_OF_SEARCH, &BRANDED_CLICKS],
    };
    let leading: &[&Preset] = &[&ORGANIC_CLICKS, &IMPRESSIONS, &POSITION, &FOLLOWERS, &PRESS];
    business
        .iter()
        .chain(leading.iter())
        .map(|p| input(p, language))
        .collect()
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

/// The longest range of days one read of a client's values may span: three years and a little, so that a
/// request's answer stays bounded.
pub const MAX_READ_DAYS: i32 = 1100;

impl Services {
    /// A client's KPIs with their latest values.
    pub async fn client_kpis(&self, actor: &Actor, client: ClientId) -> Result<Vec<KpiLatest>> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        let kpis = tx.list_kpis(actor.agency_id, client).await?;
        let latest = tx.latest_measurements(actor.agency_id, client).await?;
        Ok(kpis
            .into_iter()
            .map(|kpi| {
                let found = latest.iter().find(|(id, _, _, _)| *id == kpi.id);
                KpiLatest {
                    kpi,
                    latest: found.map(|(_, _, end, v)| (*end, *v)),
                    latest_from: found.and_then(|(_, start, end, _)| (start != end).then_some(*start)),
                }
            })
            .collect())
    }

    /// The daily whole values (no period totals, no dimensions) of all of a client's KPIs between two days, for
    /// charts.
    pub async fn client_series(
        &self,
        actor: &Actor,
        client: ClientId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Measurement>> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        let all = tx.list_measurements(actor.agency_id, client, from, to).await?;
        Ok(all
            .into_iter()
            .filter(|m| !m.is_period_total() && m.dimension.is_empty())
            .collect())
    }

    /// Every value of a client's KPIs whose period lies between two days: daily values, period totals and
    /// breakdowns, by KPI and period.
    pub async fn client_measurements(
        &self,
        actor: &Actor,
        client: ClientId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Measurement>> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        let days = from.until(to).map(|s| s.get_days()).unwrap_or(-1);
        if !(0..=MAX_READ_DAYS).contains(&days) {
            return Err(Error::field(
                "to",
                "invalid-period",
                "the range must run forward and span at most 3 years",
            ));
        }
        tx.list_measurements(actor.agency_id, client, from, to).await
    }

    /// Writes values for a client's KPIs (typed, from the API, or demo data) in one transaction; a value for a
    /// KPI, period and dimension that exists is replaced. Every KPI must be the client's.
    pub async fn write_measurements(
        &self,
        actor: &Actor,
        client: ClientId,
        values: &[Measurement],
    ) -> Result<u64> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let client_record = tx
            .get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let kpis: Vec<KpiId> = tx
            .list_kpis(actor.agency_id, client)
            .await?
            .into_iter()
            .map(|k| k.id)
            .collect();
        if let Some(stray) = values.iter().find(|v| !kpis.contains(&v.kpi_id)) {
            return Err(Error::field(
                "kpi_id",
                "not-found",
                format!("KPI {} is not this client's", stray.kpi_id),
            ));
        }
        if let Some(bad) = values
            .iter()
            .find(|v| v.dimension.contains('\0') || v.dimension.chars().count() > 500)
        {
            return Err(Error::field(
                "dimension",
                "invalid-character",
                format!(
                    "the value for KPI {} has a dimension with a control character or over 500 characters",
                    bad.kpi_id
                ),
            ));
        }
        if let Some(bad) = values
            .iter()
            .find(|v| v.period_end < v.period_start || !v.value.is_finite())
        {
            return Err(Error::field(
                "period_end",
                "invalid-period",
                format!("the value for KPI {} has no valid period or value", bad.kpi_id),
            ));
        }
        let written = tx
            .upsert_measurements(actor.agency_id, client, None, values)
            .await?;
        let now = self.now();
        let today = client_record.today(now);
        crate::moves::record_moves_in(
            tx.as_mut(),
            actor.agency_id,
            client,
            crate::moves::last_full_month(today),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(written)
    }

    /// Adds a KPI to a client.
    pub async fn add_kpi(&self, actor: &Actor, client: ClientId, form: &KpiForm) -> Result<Kpi> {
        let mut tx = self.write(actor.agency_id.0).await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let input = form.parse().map_err(Error::Validation)?;
        let now = self.now();
        let kpi = tx.insert_kpi(actor.agency_id, client, &input, now).await?;
        let change = Change::created(AuditAction::KpiCreated, kpi.id.0, snapshot(&kpi.fields));
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(kpi)
    }

    /// Adds the presets of the client's business model that the client does not have yet (by name), in the
    /// client's language. Returns the KPIs added.
    pub async fn add_preset_kpis(&self, actor: &Actor, client: ClientId) -> Result<Vec<Kpi>> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let c = tx
            .get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let existing: Vec<String> = tx
            .list_kpis(actor.agency_id, client)
            .await?
            .into_iter()
            .map(|k| k.fields.name.to_lowercase())
            .collect();
        let now = self.now();
        let mut added = Vec::new();
        for input in presets(c.fields.business_model, c.fields.language) {
            if existing.contains(&input.name.to_lowercase()) {
                continue;
            }
            let kpi = tx.insert_kpi(actor.agency_id, client, &input, now).await?;
            let change = Change::created(AuditAction::KpiCreated, kpi.id.0, snapshot(&kpi.fields));
            record(tx.as_mut(), actor, now, change).await?;
            added.push(kpi);
        }
        tx.commit().await?;
        Ok(added)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn every_preset_has_its_own_name_in_every_language() {
        use crate::words::{Entry, catalogue};
        let mut all: Vec<&Preset> = SOURCED.to_vec();
        all.extend([&LEADS, &QUALIFIED, &CPL, &PIPELINE, &CONVERSION, &AOV, &ROAS]);
        all.extend([&RETURNING, &AD_REVENUE, &REACH, &SHARE_OF_SEARCH, &BRANDED_CLICKS]);
        all.extend([&FOLLOWERS, &PRESS]);
        for language in Language::ALL {
            for p in &all {
                assert!(
                    matches!(catalogue(*language).get(&name_key(p)), Some(Entry::Text(_))),
                    "{language} has no name for the preset {}",
                    p.key
                );
            }
        }
        let hu = preset_for_source("gsc:clicks", Language::Hu).unwrap();
        assert_ne!(
            hu.name,
            preset_for_source("gsc:clicks", Language::En).unwrap().name
        );
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
