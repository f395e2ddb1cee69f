//! The storage trait of API tokens, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::agency::Agency;
use crate::error::Result;
use crate::id::{AgencyId, UserId};
use crate::token::{ApiToken, NewToken, TokenId};
use crate::user::User;
use async_trait::async_trait;
use jiff::Timestamp;

/// API tokens' reads and writes (see [`crate::token`]).
#[async_trait]
pub trait TokenTx: Send {
    /// Stores a token (only the hash of its secret).
    async fn insert_token(&mut self, token: &NewToken, now: Timestamp) -> Result<ApiToken>;
    /// One token of the agency.
    async fn get_token(&mut self, agency: AgencyId, id: TokenId) -> Result<ApiToken>;
    /// A person's tokens, newest first.
    async fn list_tokens(&mut self, agency: AgencyId, user: UserId) -> Result<Vec<ApiToken>>;
    /// Every token of the agency, newest first.
    async fn list_agency_tokens(&mut self, agency: AgencyId) -> Result<Vec<ApiToken>>;
    /// Revokes a token.
    async fn revoke_token(&mut self, agency: AgencyId, id: TokenId, now: Timestamp) -> Result<()>;
    /// Revokes every token of a person that is not revoked yet; returns how many.
    async fn revoke_tokens_of_user(&mut self, agency: AgencyId, user: UserId, now: Timestamp) -> Result<u64>;
    /// A token by the hash of its secret, with its person and agency, in any agency (authentication only).
    async fn find_token(&mut self, token_hash: &str) -> Result<Option<(ApiToken, User, Agency)>>;
}
