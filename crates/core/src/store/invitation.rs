//! The storage trait of invitations to join an agency, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::error::Result;
use crate::id::{AgencyId, InvitationId};
use crate::user::{Invitation, NewInvitation};
use async_trait::async_trait;
use jiff::Timestamp;

/// The reads and writes of invitations to join an agency (see [`crate::user`]).
#[async_trait]
pub trait InvitationTx: Send {
    /// Stores an invitation (its token only as a hash).
    async fn insert_invitation(&mut self, invitation: &NewInvitation, now: Timestamp) -> Result<Invitation>;

    /// An invitation by the hash of its token, in any agency.
    async fn find_invitation_by_token_hash(&mut self, token_hash: &str) -> Result<Option<Invitation>>;

    /// The agency's invitations not yet accepted.
    async fn list_open_invitations(&mut self, agency: AgencyId) -> Result<Vec<Invitation>>;

    /// Marks an invitation accepted.
    async fn mark_invitation_accepted(&mut self, id: InvitationId, now: Timestamp) -> Result<()>;
}
