//! The storage trait of sessions and sign-in attempts, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::agency::Agency;
use crate::error::Result;
use crate::id::UserId;
use crate::session::{Session, SignInAttempt};
use crate::user::User;
use async_trait::async_trait;
use jiff::Timestamp;

/// The reads and writes of sessions and sign-in attempts (see [`crate::session`]).
#[async_trait]
pub trait SessionTx: Send {
    /// Stores a session (its token only as a hash).
    async fn insert_session(&mut self, session: &Session) -> Result<()>;

    /// A session by token hash, if it has not expired.
    async fn find_session(&mut self, token_hash: &str, now: Timestamp) -> Result<Option<Session>>;

    /// A session by token hash with its person and agency, in one query: what every request needs.
    async fn find_signed_in(
        &mut self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(Session, User, Agency)>>;

    /// Ends one session.
    async fn delete_session(&mut self, token_hash: &str) -> Result<()>;

    /// Ends every session of a person.
    async fn delete_sessions_of_user(&mut self, user: UserId) -> Result<()>;

    /// Removes sessions that have expired; returns how many.
    async fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64>;

    /// Claims the nonce of one sending of a form of a session: `None` the first time; when that form was sent
    /// already (a reload after a POST, a double click), `Some` with where the first sending led, if known.
    async fn claim_form_nonce(
        &mut self,
        session_hash: &str,
        nonce: &str,
        now: Timestamp,
    ) -> Result<Option<Option<String>>>;

    /// Keeps where the first sending of a form led (the address it redirected to).
    async fn record_form_result(&mut self, session_hash: &str, nonce: &str, result: &str) -> Result<()>;

    /// Removes form nonces claimed before `before`; returns how many.
    async fn delete_form_nonces_before(&mut self, before: Timestamp) -> Result<u64>;

    /// Removes sign-in attempts older than `before`; returns how many.
    async fn delete_sign_in_attempts_before(&mut self, before: Timestamp) -> Result<u64>;

    /// Takes, until the transaction ends, a lock on sign-ins from one network address: attempts for accounts of
    /// different agencies (whose chains lock apart) then count that address's failures one after another, so the
    /// per-address limit is exact under parallel attempts. (SQLite's single writer serializes them already.)
    async fn lock_sign_ins_from(&mut self, address: &str) -> Result<()>;
    /// Records a sign-in attempt.
    async fn insert_sign_in_attempt(&mut self, attempt: &SignInAttempt) -> Result<()>;

    /// The times of failed attempts since `since` for an e-mail address, oldest first.
    async fn failed_sign_ins_for_email(&mut self, email: &str, since: Timestamp) -> Result<Vec<Timestamp>>;

    /// The times of failed attempts since `since` from a network address, oldest first.
    async fn failed_sign_ins_for_address(
        &mut self,
        address: &str,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>>;
}
