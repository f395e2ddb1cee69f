//! Audit events as rows.

use crate::row::{int, opt_int, text};
use accountable_core::audit::{AuditEvent, StoredContent};
use accountable_core::error::Error;
use sqlx::any::AnyRow;

/// The columns of an event, in the order [`event`] reads them.
pub const EVENT_COLUMNS: &str = "chain, seq, at, actor_id, actor_label, action, entity, entity_id, before_json, after_json, prev_hash, hash";

/// An event from its row.
pub fn event(row: &AnyRow) -> Result<AuditEvent, Error> {
    Ok(AuditEvent {
        seq: int(row, "seq")?,
        event: StoredContent {
            chain: int(row, "chain")?,
            at: text(row, "at")?,
            actor_id: opt_int(row, "actor_id")?,
            actor_label: text(row, "actor_label")?,
            action: text(row, "action")?,
            entity: text(row, "entity")?,
            entity_id: opt_int(row, "entity_id")?,
            before: text(row, "before_json")?,
            after: text(row, "after_json")?,
        },
        prev_hash: text(row, "prev_hash")?,
        hash: text(row, "hash")?,
    })
}
