//! The storage trait of people of an agency, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::error::Result;
use crate::id::{AgencyId, ClientId, UserId};
use crate::types::{Email, Language, Role};
use crate::user::{NewUser, User};
use async_trait::async_trait;
use jiff::Timestamp;

/// The reads and writes of people of an agency (see [`crate::user`]).
#[async_trait]
pub trait UserTx: Send {
    /// Creates a person; the e-mail is unique across all agencies (constraint `users_email_key`).
    async fn insert_user(&mut self, user: &NewUser, now: Timestamp) -> Result<User>;

    /// One person of the agency.
    async fn get_user(&mut self, agency: AgencyId, id: UserId) -> Result<User>;

    /// A person by e-mail, in any agency: only sign-in and invitations use this.
    async fn find_user_by_email(&mut self, email: &Email) -> Result<Option<User>>;

    /// The agency's people, by name.
    async fn list_users(&mut self, agency: AgencyId) -> Result<Vec<User>>;

    /// Changes a person's role (and client, for a client contact).
    async fn update_user_role(
        &mut self,
        agency: AgencyId,
        id: UserId,
        role: Role,
        client: Option<ClientId>,
    ) -> Result<()>;

    /// Activates or deactivates a person.
    async fn set_user_active(&mut self, agency: AgencyId, id: UserId, active: bool) -> Result<()>;

    /// Replaces a person's password hash.
    async fn set_user_password(&mut self, agency: AgencyId, id: UserId, password_hash: &str) -> Result<()>;

    /// Changes a person's interface language.
    async fn set_user_language(&mut self, agency: AgencyId, id: UserId, language: Language) -> Result<()>;
}
