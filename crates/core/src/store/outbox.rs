//! The storage trait of the mail outbox, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::error::Result;
use crate::id::AgencyId;
use crate::mail::{Attachment, NewMessage, OutboxId, OutboxMessage};
use async_trait::async_trait;
use jiff::Timestamp;

/// The mail outbox's reads and writes (see [`crate::mail`]).
#[async_trait]
pub trait OutboxTx: Send {
    /// Stores a message with its Message-ID (constraint `outbox_message_id_key`).
    async fn insert_message(
        &mut self,
        message: &NewMessage,
        message_id: &str,
        now: Timestamp,
    ) -> Result<OutboxId>;
    /// Stores an attachment of a message.
    async fn insert_attachment(&mut self, message: OutboxId, attachment: &Attachment) -> Result<()>;
    /// One message.
    async fn get_message(&mut self, id: OutboxId) -> Result<OutboxMessage>;
    /// A message's attachments, in the order they were added.
    async fn list_attachments(&mut self, id: OutboxId) -> Result<Vec<Attachment>>;
    /// Marks a message sent.
    async fn mark_message_sent(&mut self, id: OutboxId, now: Timestamp) -> Result<()>;
    /// Counts a failed attempt that may pass later.
    async fn note_message_attempt(&mut self, id: OutboxId, error: &str) -> Result<()>;
    /// Marks a message failed for good.
    async fn mark_message_failed(&mut self, id: OutboxId, error: &str) -> Result<()>;
    /// Messages of an agency (or all, for `None`), newest first.
    async fn list_messages(&mut self, agency: Option<AgencyId>, limit: i64) -> Result<Vec<OutboxMessage>>;
    /// How many messages wait to be sent.
    async fn outbox_depth(&mut self) -> Result<i64>;
}
