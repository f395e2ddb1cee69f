//! The storage trait of agencies, the tenants, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::agency::Agency;
use crate::error::Result;
use crate::id::AgencyId;
use async_trait::async_trait;
use jiff::Timestamp;

/// The reads and writes of agencies, the tenants (see [`crate::agency`]).
#[async_trait]
pub trait AgencyTx: Send {
    /// Creates an agency and its audit chain.
    async fn insert_agency(&mut self, name: &str, now: Timestamp) -> Result<Agency>;

    /// One agency.
    async fn get_agency(&mut self, id: AgencyId) -> Result<Agency>;

    /// Every agency, by name.
    async fn list_agencies(&mut self) -> Result<Vec<Agency>>;

    /// An agency by its exact name.
    async fn find_agency_by_name(&mut self, name: &str) -> Result<Option<Agency>>;
}
