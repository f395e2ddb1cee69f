//! The storage trait of the audit chain, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::audit::{AuditEvent, NewAuditEvent};
use crate::error::{Result, StoreError};
use async_trait::async_trait;

/// The reads and writes of the audit chain (see [`crate::audit`]): its lock, its events and every record's history.
#[async_trait]
pub trait AuditTx: Send {
    /// Takes the write lock on an audit chain: called first in every writing use case, so writers of one
    /// agency queue instead of forking the chain (and SQLite takes its write lock before any read).
    async fn lock_chain(&mut self, chain: i64) -> Result<(), StoreError>;

    /// Appends an event after the chain's current head, returning its position and hash.
    async fn append_audit(&mut self, event: &NewAuditEvent) -> Result<(i64, String), StoreError>;

    /// A record's history, newest first.
    async fn list_history(&mut self, chain: i64, entity: &str, entity_id: i64) -> Result<Vec<AuditEvent>>;

    /// A chain's events in order, from position `after_seq + 1`, at most `limit`.
    async fn list_chain(&mut self, chain: i64, after_seq: i64, limit: i64) -> Result<Vec<AuditEvent>>;

    /// Every chain that has events.
    async fn list_chains(&mut self) -> Result<Vec<i64>>;
}
