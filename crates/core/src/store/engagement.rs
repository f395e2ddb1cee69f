//! The storage trait of engagements, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::engagement::{Engagement, EngagementInput};
use crate::error::Result;
use crate::id::{AgencyId, ClientId, EngagementId};
use async_trait::async_trait;
use jiff::Timestamp;

/// The reads and writes of engagements (see [`crate::engagement`]).
#[async_trait]
pub trait EngagementTx: Send {
    /// Creates an engagement.
    async fn insert_engagement(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        input: &EngagementInput,
        now: Timestamp,
    ) -> Result<Engagement>;

    /// One engagement of the agency, within the client scope.
    async fn get_engagement(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: EngagementId,
    ) -> Result<Engagement>;

    /// A client's engagements, newest first.
    async fn list_engagements(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Engagement>>;

    /// Replaces an engagement's fields.
    async fn update_engagement(
        &mut self,
        agency: AgencyId,
        id: EngagementId,
        input: &EngagementInput,
        now: Timestamp,
    ) -> Result<Engagement>;
}
