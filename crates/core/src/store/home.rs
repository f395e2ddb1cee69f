//! The storage trait of the home page: the standings and last days it reads at once, and the plain rows it is
//! made of, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::error::Result;
use crate::home::{ClientRow, EngagementRow, GoalRow, GoalStanding, StaleRow, StandingDue};
use crate::id::{AgencyId, ClientId, UserId};
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;

/// The reads and writes of the home page (see [`crate::home`]).
#[async_trait]
pub trait HomeTx: Send {
    /// Keeps a client's goal standings equal to `standings` (computed on one day).
    async fn replace_goal_standings(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        standings: &[GoalStanding],
        now: Timestamp,
    ) -> Result<()>;

    /// Sets each of the clients' KPIs' last day with a daily whole value from the month totals.
    async fn refresh_last_values(&mut self, agency: AgencyId, clients: &[ClientId]) -> Result<()>;

    /// The agency's active clients (not archived), each with every one of its engagements and their account
    /// executive's name (a client with several engagements comes once for each; one with none, once with `None`).
    /// With `of`, only the clients with an engagement that person runs (or ran).
    async fn home_clients(
        &mut self,
        agency: AgencyId,
        of: Option<UserId>,
    ) -> Result<Vec<(ClientRow, Option<EngagementRow>)>>;

    /// Every goal of the agency's active clients with its KPI and its standing as last computed.
    /// With `of`, only those of the clients with an engagement that person runs (or ran).
    async fn home_goals(&mut self, agency: AgencyId, of: Option<UserId>) -> Result<Vec<GoalRow>>;

    /// How many notable moves of each active client and month from `since` have no explanation yet.
    async fn home_moves_to_explain(
        &mut self,
        agency: AgencyId,
        since: Date,
    ) -> Result<Vec<(ClientId, Date, i64)>>;

    /// The active clients' KPIs whose last day with a value is before `before`.
    /// With `of`, only those of the clients with an engagement that person runs (or ran).
    async fn home_stale_kpis(
        &mut self,
        agency: AgencyId,
        before: Date,
        of: Option<UserId>,
    ) -> Result<Vec<StaleRow>>;

    /// Every client (of every agency) that has goals, with its time zone and the oldest day its goals' standings
    /// were computed on (`None` when one has none): what the hourly refresh looks at.
    async fn standings_due(&mut self) -> Result<Vec<StandingDue>>;
}
