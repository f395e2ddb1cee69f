//! The storage trait of goals of an engagement, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::error::Result;
use crate::goal::{Goal, GoalId, GoalInput};
use crate::id::{AgencyId, ClientId, EngagementId};
use async_trait::async_trait;
use jiff::Timestamp;

/// The reads and writes of goals of an engagement (see [`crate::goal`]).
#[async_trait]
pub trait GoalTx: Send {
    /// Adds a goal to an engagement.
    async fn insert_goal(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        engagement: EngagementId,
        goal: &GoalInput,
        now: Timestamp,
    ) -> Result<Goal>;

    /// One goal of the agency, within the client scope.
    async fn get_goal(&mut self, agency: AgencyId, scope: Option<ClientId>, id: GoalId) -> Result<Goal>;

    /// A client's goals, by target date.
    async fn list_goals(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Goal>>;

    /// Replaces a goal's fields.
    async fn update_goal(
        &mut self,
        agency: AgencyId,
        id: GoalId,
        goal: &GoalInput,
        now: Timestamp,
    ) -> Result<Goal>;

    /// Removes a goal.
    async fn delete_goal(&mut self, agency: AgencyId, id: GoalId) -> Result<()>;
}
