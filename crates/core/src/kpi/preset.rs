//! The KPIs offered per business model, and the KPI a known export column feeds: each preset's nature here, its
//! name in the catalogue (`kpi_preset.<key>`) in the client's language.

use super::{Aggregation, Direction, KpiInput, KpiKind, Unit};
use crate::types::{BusinessModel, Language};
use crate::words::Tr;
use Aggregation::{Last, Sum, WeightedAverage};
use Direction::{Down, Up};
use KpiKind::{Business, Leading};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
