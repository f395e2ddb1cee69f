//! The storage trait of a client's contacts, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::client::{Contact, ContactInput};
use crate::error::Result;
use crate::id::{AgencyId, ClientId, ContactId, UserId};
use async_trait::async_trait;

/// The reads and writes of a client's contacts (see [`crate::client`]).
#[async_trait]
pub trait ContactTx: Send {
    /// Adds a contact to a client.
    async fn insert_contact(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        input: &ContactInput,
    ) -> Result<Contact>;

    /// One contact of the agency, within the client scope.
    async fn get_contact(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: ContactId,
    ) -> Result<Contact>;

    /// A client's contacts, primary first.
    async fn list_contacts(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Contact>>;

    /// Replaces a contact's fields.
    async fn update_contact(
        &mut self,
        agency: AgencyId,
        id: ContactId,
        input: &ContactInput,
    ) -> Result<Contact>;

    /// Links a contact to the person who signs in for it.
    async fn set_contact_user(&mut self, agency: AgencyId, id: ContactId, user: Option<UserId>)
    -> Result<()>;

    /// Clears the primary mark on every contact of a client except `keep`.
    async fn clear_primary_contacts(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        keep: ContactId,
    ) -> Result<()>;

    /// Removes a contact.
    async fn delete_contact(&mut self, agency: AgencyId, id: ContactId) -> Result<()>;
}
