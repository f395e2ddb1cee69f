//! Each person's home page (issue 11, "Home"). An account executive sees the clients whose current engagement
//! they run; the owner and the other staff roles see every client, by account executive. For each client: every
//! goal's standing, the last full month's notable moves still to explain, and the KPIs whose data has gone stale.
//! A client contact has no home of their own: the web layer sends them to their client's page.
//!
//! The page reads five plain queries, whatever the number of clients: a goal's standing is computed in the
//! transaction of every write that changes its client's values or goals ([`refresh`]) and again for each new day
//! by the hourly refresh job ([`Services::refresh_due_standings`]); the page says the day a standing was judged
//! on when it is not the client's today (docs/decisions/0016-home-standings.md).

use crate::actor::{Actor, Permission};
use crate::error::{Error, Result};
use crate::goal::GoalId;
use crate::id::{AgencyId, ClientId, UserId};

use crate::moves::last_full_month;
use crate::pacing::Standing;
use crate::service::Services;
use crate::store::Tx;
use crate::types::{Role, TimeZoneName};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::HashMap;

/// A goal's standing as judged on one day of its client.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalStanding {
    /// The goal.
    pub goal_id: GoalId,
    /// The client's day it was judged on.
    pub day: Date,
    /// Ahead, on track or behind; `None` when the KPI has too few values.
    pub standing: Option<Standing>,
    /// Where the figure should be on that day.
    pub expected: f64,
    /// Where it was.
    pub actual: Option<f64>,
}

/// An active client as the home page reads it.
#[derive(Debug, Clone)]
pub struct ClientRow {
    /// Its id.
    pub id: ClientId,
    /// Its name.
    pub name: String,
    /// Its time zone (its today decides the month and the days).
    pub time_zone: TimeZoneName,
}

/// An engagement of an active client: whose it is and when it runs.
#[derive(Debug, Clone)]
pub struct EngagementRow {
    /// The client.
    pub client_id: ClientId,
    /// Its account executive.
    pub account_executive: UserId,
    /// Their name.
    pub account_executive_name: String,
    /// Its first day.
    pub starts_on: Date,
    /// Its last day.
    pub ends_on: Date,
}

/// A goal of an active client with its KPI's name and its standing as last computed (only what the page shows:
/// every value read costs, at a thousand clients).
#[derive(Debug, Clone)]
pub struct GoalRow {
    /// The goal.
    pub id: GoalId,
    /// Its client.
    pub client_id: ClientId,
    /// The goal in words.
    pub statement: String,
    /// Its KPI's name.
    pub kpi_name: String,
    /// Ahead, on track or behind, as last computed; `None` with too few values or before the first computation.
    pub standing: Option<Standing>,
    /// The client's day it was last judged on; `None` before the first computation.
    pub judged_on: Option<Date>,
}

/// A KPI whose last day with a value is old enough to be looked at.
#[derive(Debug, Clone)]
pub struct StaleRow {
    /// Its client.
    pub client_id: ClientId,
    /// Its name.
    pub name: String,
    /// Which export feeds it (`gsc:clicks`), or empty.
    pub source: String,
    /// Its last day with a daily value.
    pub last_value_on: Date,
}

/// A client with goals, as the hourly refresh looks at it.
#[derive(Debug, Clone)]
pub struct StandingDue {
    /// The agency.
    pub agency_id: AgencyId,
    /// The client.
    pub client_id: ClientId,
    /// Its time zone.
    pub time_zone: TimeZoneName,
    /// The oldest day one of its goals was judged on; `None` when a goal has never been.
    pub oldest: Option<Date>,
}

/// After how many days without a value a KPI's data counts as stale, by the export that feeds it: the daily
/// exports of Google Analytics, Google Ads and Meta a few days, Search Console (which lags two or three days)
/// five, Business Profile a week, and KPIs typed or written through the API, usually monthly, 35 days.
pub fn stale_after_days(source: &str) -> i64 {
    match source.split(':').next().unwrap_or("") {
        "ga4" | "gads" | "meta" => 3,
        "gsc" => 5,
        "gbp" => 7,
        _ => 35,
    }
}

/// The shortest of [`stale_after_days`]: no KPI is stale sooner.
const STALE_SOONEST: i64 = 3;

/// A goal on the home page.
#[derive(Debug, Clone)]
pub struct HomeGoal {
    /// The goal.
    pub id: GoalId,
    /// The goal in words.
    pub statement: String,
    /// Its KPI's name.
    pub kpi_name: String,
    /// Ahead, on track or behind; `None` with too few values or before the first computation.
    pub standing: Option<Standing>,
    /// The day it was judged on, when that is not the client's today.
    pub judged_on: Option<Date>,
}

/// A KPI whose data has gone stale.
#[derive(Debug, Clone)]
pub struct StaleKpi {
    /// Its name.
    pub name: String,
    /// Its last day with a value.
    pub last_value_on: Date,
    /// Days since then, on the client's today.
    pub days: i64,
}

/// One client on the home page.
#[derive(Debug, Clone)]
pub struct HomeClient {
    /// The client.
    pub id: ClientId,
    /// Its name.
    pub name: String,
    /// Its goals, behind first.
    pub goals: Vec<HomeGoal>,
    /// The last full month, in the client's time zone.
    pub month: Date,
    /// How many of that month's notable moves have no explanation yet.
    pub moves_to_explain: i64,
    /// Its KPIs whose data has gone stale.
    pub stale: Vec<StaleKpi>,
}

impl HomeClient {
    /// How many of its goals are behind.
    pub fn behind(&self) -> usize {
        self.goals
            .iter()
            .filter(|g| g.standing == Some(Standing::Behind))
            .count()
    }

    /// Whether anything here asks for the account executive's attention.
    pub fn needs_attention(&self) -> bool {
        self.behind() > 0 || self.moves_to_explain > 0 || !self.stale.is_empty()
    }
}

/// The clients of one account executive (or of none).
#[derive(Debug, Clone)]
pub struct HomeGroup {
    /// The account executive of the clients' current engagements; `None` for clients without an engagement.
    pub account_executive: Option<(UserId, String)>,
    /// The clients, those that need attention first, then by name.
    pub clients: Vec<HomeClient>,
}

/// A person's home page.
#[derive(Debug, Clone)]
pub struct Home {
    /// Whether it shows every client of the agency (the owner and the other staff roles) or only the person's.
    pub everyone: bool,
    /// The clients by account executive: the person's own group only for an account executive.
    pub groups: Vec<HomeGroup>,
}

impl Home {
    /// Every client shown.
    pub fn clients(&self) -> impl Iterator<Item = &HomeClient> {
        self.groups.iter().flat_map(|g| g.clients.iter())
    }
}

/// The account executive of a client's current engagement on `today`: the one running today (the latest
/// started, if several), else the latest to start.
fn current_account_executive(engagements: &[&EngagementRow], today: Date) -> Option<(UserId, String)> {
    engagements
        .iter()
        .max_by_key(|e| (e.starts_on <= today && today <= e.ends_on, e.starts_on))
        .map(|e| (e.account_executive, e.account_executive_name.clone()))
}

/// Recomputes the clients' goal standings on each client's today and their KPIs' last days, in the caller's
/// transaction: every write that changes a client's values or goals calls it before committing.
pub(crate) async fn refresh(
    tx: &mut dyn Tx,
    agency: AgencyId,
    clients: &[ClientId],
    now: Timestamp,
) -> Result<()> {
    for &client in clients {
        let record = tx.get_client(agency, None, client).await?;
        let day = record.today(now);
        let standings: Vec<GoalStanding> = crate::goal::pacing_of(tx, agency, client, day)
            .await?
            .into_iter()
            .map(|p| GoalStanding {
                goal_id: p.goal.id,
                day,
                standing: p.pacing.standing,
                expected: p.pacing.expected,
                actual: p.pacing.actual,
            })
            .collect();
        tx.replace_goal_standings(agency, client, &standings, now).await?;
    }
    tx.refresh_last_values(agency, clients).await
}

impl Services {
    /// The person's home page: their clients (every client for the owner and the other staff roles) with each
    /// goal's standing, the last full month's notable moves still to explain, and stale data.
    pub async fn home(&self, actor: &Actor) -> Result<Home> {
        actor.require(Permission::ViewClients)?;
        if actor.client_scope().is_some() {
            return Err(Error::Forbidden);
        }
        let now = self.now();
        let utc_today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        let mut tx = self.read().await?;
        let agency = actor.agency_id;
        // An account executive's home asks only for the clients of engagements they run (a few more than
        // theirs today: an engagement of theirs may have ended); the owner's, for every client.
        let mine_only = actor.role == Role::AccountExecutive;
        let of = if mine_only { actor.user_id } else { None };
        let rows = tx.home_clients(agency, of).await?;
        let goals = tx.home_goals(agency, of).await?;
        // A client's last full month is the UTC one, or the one before near a month's turn.
        let since = crate::series::add_months(last_full_month(utc_today), -1);
        let moves = tx.home_moves_to_explain(agency, since).await?;
        let stale = tx
            .home_stale_kpis(agency, utc_today - jiff::Span::new().days(STALE_SOONEST - 1), of)
            .await?;
        drop(tx);

        let mut clients: Vec<ClientRow> = Vec::new();
        let mut engagements_of: HashMap<ClientId, Vec<&EngagementRow>> = HashMap::new();
        for (client, engagement) in &rows {
            if clients.last().is_none_or(|c| c.id != client.id) {
                clients.push(client.clone());
            }
            if let Some(e) = engagement {
                engagements_of.entry(e.client_id).or_default().push(e);
            }
        }
        let mut goals_of: HashMap<ClientId, Vec<&GoalRow>> = HashMap::new();
        for g in &goals {
            goals_of.entry(g.client_id).or_default().push(g);
        }
        let mut stale_of: HashMap<ClientId, Vec<&StaleRow>> = HashMap::new();
        for s in &stale {
            stale_of.entry(s.client_id).or_default().push(s);
        }
        let moves_of: HashMap<(ClientId, Date), i64> =
            moves.into_iter().map(|(c, m, n)| ((c, m), n)).collect();

        let mut groups: Vec<HomeGroup> = Vec::new();
        // A thousand clients share a handful of time zones: each zone's today is found once.
        let mut today_in: HashMap<String, Date> = HashMap::new();
        for c in clients {
            let today = *today_in
                .entry(c.time_zone.as_str().to_string())
                .or_insert_with(|| c.time_zone.today(now));
            let ae =
                current_account_executive(engagements_of.get(&c.id).map_or(&[][..], Vec::as_slice), today);
            if mine_only && ae.as_ref().map(|(id, _)| Some(*id)) != Some(actor.user_id) {
                continue;
            }
            let mut home_goals: Vec<HomeGoal> = goals_of
                .get(&c.id)
                .into_iter()
                .flatten()
                .map(|g| HomeGoal {
                    id: g.id,
                    statement: g.statement.clone(),
                    kpi_name: g.kpi_name.clone(),
                    standing: g.standing,
                    judged_on: g.judged_on.filter(|d| *d != today),
                })
                .collect();
            home_goals.sort_by_key(|g| match g.standing {
                Some(Standing::Behind) => 0,
                None => 1,
                Some(Standing::OnTrack) => 2,
                Some(Standing::Ahead) => 3,
            });
            let mut stale: Vec<StaleKpi> = stale_of
                .get(&c.id)
                .into_iter()
                .flatten()
                .filter_map(|s| {
                    let days = (today - s.last_value_on).get_days().into();
                    (days > stale_after_days(&s.source)).then(|| StaleKpi {
                        name: s.name.clone(),
                        last_value_on: s.last_value_on,
                        days,
                    })
                })
                .collect();
            stale.sort_by(|a, b| b.days.cmp(&a.days).then_with(|| a.name.cmp(&b.name)));
            let month = last_full_month(today);
            let client = HomeClient {
                id: c.id,
                name: c.name,
                goals: home_goals,
                month,
                moves_to_explain: moves_of.get(&(c.id, month)).copied().unwrap_or(0),
                stale,
            };
            match groups.iter_mut().find(|g| g.account_executive == ae) {
                Some(group) => group.clients.push(client),
                None => groups.push(HomeGroup {
                    account_executive: ae,
                    clients: vec![client],
                }),
            }
        }
        for group in &mut groups {
            group.clients.sort_by(|a, b| {
                b.needs_attention()
                    .cmp(&a.needs_attention())
                    .then_with(|| a.name.cmp(&b.name))
            });
        }
        // The person's own group first, then by name, clients without an engagement last.
        groups.sort_by(|a, b| {
            let key = |g: &HomeGroup| match &g.account_executive {
                Some((id, name)) => (Some(*id) != actor.user_id, false, name.clone()),
                None => (true, true, String::new()),
            };
            key(a).cmp(&key(b))
        });
        Ok(Home {
            everyone: !mine_only,
            groups,
        })
    }

    /// Recomputes, client by client, the goal standings not yet judged on their client's today; the hourly
    /// refresh job runs it. Returns how many clients it refreshed.
    pub async fn refresh_due_standings(&self) -> Result<usize> {
        let now = self.now();
        let due = self.read().await?.standings_due().await?;
        let mut refreshed = 0;
        for d in due {
            if d.oldest.is_some_and(|day| day >= d.time_zone.today(now)) {
                continue;
            }
            let mut tx = self.values_of(d.agency_id, &[d.client_id]).await?;
            refresh(tx.as_mut(), d.agency_id, &[d.client_id], now).await?;
            tx.commit().await?;
            refreshed += 1;
        }
        Ok(refreshed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn engagement(ae: i64, starts: Date, ends: Date) -> EngagementRow {
        EngagementRow {
            client_id: ClientId(1),
            account_executive: UserId(ae),
            account_executive_name: format!("AE {ae}"),
            starts_on: starts,
            ends_on: ends,
        }
    }

    #[test]
    fn a_client_belongs_to_the_account_executive_of_the_engagement_running_today() {
        let ended = engagement(1, date(2025, 1, 1), date(2025, 12, 31));
        let running = engagement(2, date(2026, 1, 1), date(2026, 12, 31));
        let upcoming = engagement(3, date(2027, 1, 1), date(2027, 12, 31));
        let today = date(2026, 12, 3);
        assert_eq!(
            current_account_executive(&[&ended, &running, &upcoming], today).map(|(id, _)| id),
            Some(UserId(2))
        );
        // Between engagements, the latest to start: the one coming.
        assert_eq!(
            current_account_executive(&[&ended, &upcoming], today).map(|(id, _)| id),
            Some(UserId(3))
        );
        assert_eq!(
            current_account_executive(&[&ended], today).map(|(id, _)| id),
            Some(UserId(1))
        );
        assert_eq!(current_account_executive(&[], today), None);
    }

    #[test]
    fn data_goes_stale_sooner_for_daily_exports_than_for_typed_figures() {
        assert_eq!(stale_after_days("ga4:sessions"), 3);
        assert_eq!(stale_after_days("gsc:clicks"), 5);
        assert_eq!(stale_after_days("gbp:calls"), 7);
        assert_eq!(stale_after_days(""), 35);
        assert!(
            ["ga4:x", "gads:x", "meta:x", "gsc:x", "gbp:x", ""]
                .iter()
                .all(|s| stale_after_days(s) >= STALE_SOONEST)
        );
    }
}
