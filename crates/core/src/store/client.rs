//! The storage trait of clients, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::client::{Client, ClientInput, ClientListQuery, ClientSummary};
use crate::error::Result;
use crate::id::{AgencyId, ClientId};
use async_trait::async_trait;
use jiff::Timestamp;

/// The reads and writes of clients (see [`crate::client`]).
#[async_trait]
pub trait ClientTx: Send {
    /// Creates a client (constraint `clients_agency_name_key` keeps names unique in an agency).
    async fn insert_client(
        &mut self,
        agency: AgencyId,
        input: &ClientInput,
        now: Timestamp,
    ) -> Result<Client>;

    /// One client of the agency, within the client scope.
    async fn get_client(&mut self, agency: AgencyId, scope: Option<ClientId>, id: ClientId)
    -> Result<Client>;

    /// A client by exact name (case-insensitive).
    async fn find_client_by_name(&mut self, agency: AgencyId, name: &str) -> Result<Option<Client>>;

    /// A page of clients and the total that match.
    async fn list_clients(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        query: &ClientListQuery,
    ) -> Result<(Vec<Client>, i64)>;

    /// A page of client summaries (what lists show) and the total that match.
    async fn list_client_summaries(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        query: &ClientListQuery,
    ) -> Result<(Vec<ClientSummary>, i64)>;

    /// Replaces a client's fields.
    async fn update_client(
        &mut self,
        agency: AgencyId,
        id: ClientId,
        input: &ClientInput,
        now: Timestamp,
    ) -> Result<Client>;

    /// Archives (`Some`) or restores (`None`) a client.
    async fn set_client_archived(
        &mut self,
        agency: AgencyId,
        id: ClientId,
        archived_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<()>;
}
