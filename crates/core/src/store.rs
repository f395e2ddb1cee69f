//! The storage traits the outside world implements (for SQLite and PostgreSQL, in the `store` crate).
//!
//! A use case opens one [`Tx`], does all its reads and writes through it, and commits; dropping a `Tx`
//! without committing rolls everything back. Every method that reads or writes agency data takes the agency,
//! and the client scope where a client contact may be asking: tenancy lives in the query itself.
//! `get_*` returns the record or `NotFound`; `find_*` returns an `Option`.
//!
//! One trait per area, each in its own file (`store/<area>.rs`, or `<area>/store.rs` for an area that is a
//! folder), and [`Tx`] their sum: a new area adds its trait here, its SQL in one file of the `store` crate, and
//! one bound to `Tx`.

mod agency;
mod audit;
mod client;
mod contact;
mod document;
mod engagement;
mod goal;
mod home;
mod invitation;
mod job;
mod moves;
mod outbox;
mod session;
mod token;
mod user;

pub use crate::import::store::ImportTx;
pub use crate::kpi::store::KpiTx;
pub use agency::AgencyTx;
pub use audit::AuditTx;
pub use client::ClientTx;
pub use contact::ContactTx;
pub use document::DocumentTx;
pub use engagement::EngagementTx;
pub use goal::GoalTx;
pub use home::HomeTx;
pub use invitation::InvitationTx;
pub use job::JobTx;
pub use moves::MoveTx;
pub use outbox::OutboxTx;
pub use session::SessionTx;
pub use token::TokenTx;
pub use user::UserTx;

use crate::error::StoreError;
use async_trait::async_trait;

/// A database that hands out transactions.
#[async_trait]
pub trait Store: Send + Sync {
    /// Starts a transaction.
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError>;
    /// A connection without a transaction, for use cases that only read: each statement sees the latest
    /// committed data, and `commit` does nothing.
    async fn read(&self) -> Result<Box<dyn Tx>, StoreError>;
    /// Answers when the database answers: the readiness check.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Which database this is (`sqlite` or `postgres`), for logs and `config show`.
    fn backend(&self) -> &'static str;
}

/// One transaction, with every read and write a use case may need: the sum of the areas' traits.
#[async_trait]
pub trait Tx:
    AuditTx
    + AgencyTx
    + UserTx
    + InvitationTx
    + SessionTx
    + ClientTx
    + ContactTx
    + EngagementTx
    + JobTx
    + OutboxTx
    + DocumentTx
    + TokenTx
    + KpiTx
    + ImportTx
    + GoalTx
    + MoveTx
    + HomeTx
    + Send
{
    /// Makes every write of this transaction permanent.
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}
