//! The audit chain: its events as rows, the chain lock and the append that hashes each event onto the last.

use crate::error::{db, store_error};
use crate::row::{int, opt_int, text};
use crate::tx::SqlTx;
use accountable_core::audit::{AuditEvent, NewAuditEvent, StoredContent, event_hash};
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::store::AuditTx;
use async_trait::async_trait;
use sqlx::any::AnyRow;

/// The columns of an event, in the order [`event`] reads them.
pub(crate) const EVENT_COLUMNS: &str = "chain, seq, at, actor_id, actor_label, action, entity, entity_id, before_json, after_json, prev_hash, hash";

/// An event from its row.
pub(crate) fn event(row: &AnyRow) -> Result<AuditEvent, Error> {
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

#[async_trait]
impl AuditTx for SqlTx {
    async fn lock_chain(&mut self, chain: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE audit_chains SET head_seq = head_seq WHERE chain = $1")
            .bind(chain)
            .execute(&mut *self.tx)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn append_audit(&mut self, e: &NewAuditEvent) -> Result<(i64, String), StoreError> {
        let head = sqlx::query("SELECT head_seq, head_hash FROM audit_chains WHERE chain = $1")
            .bind(e.chain)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(store_error)?;
        let (prev_seq, prev_hash) = match head {
            Some(row) => (
                int(&row, "head_seq").map_err(|e| StoreError::Other(e.to_string()))?,
                text(&row, "head_hash").map_err(|e| StoreError::Other(e.to_string()))?,
            ),
            None => {
                return Err(StoreError::Other(format!(
                    "audit chain {} does not exist",
                    e.chain
                )));
            }
        };
        let seq = prev_seq + 1;
        let content = e.content();
        let hash = event_hash(seq, &prev_hash, &content);
        sqlx::query(&format!(
            "INSERT INTO audit_events ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(content.chain)
        .bind(seq)
        .bind(&content.at)
        .bind(content.actor_id)
        .bind(&content.actor_label)
        .bind(&content.action)
        .bind(&content.entity)
        .bind(content.entity_id)
        .bind(&content.before)
        .bind(&content.after)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *self.tx)
        .await
        .map_err(store_error)?;
        sqlx::query("UPDATE audit_chains SET head_seq = $1, head_hash = $2 WHERE chain = $3")
            .bind(seq)
            .bind(&hash)
            .bind(e.chain)
            .execute(&mut *self.tx)
            .await
            .map_err(store_error)?;
        Ok((seq, hash))
    }

    async fn list_history(&mut self, chain: i64, entity: &str, entity_id: i64) -> Result<Vec<AuditEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events WHERE chain = $1 AND entity = $2 AND entity_id = $3 \
             ORDER BY seq DESC LIMIT 500"
        ))
        .bind(chain)
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(event).collect()
    }

    async fn list_chain(&mut self, chain: i64, after_seq: i64, limit: i64) -> Result<Vec<AuditEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        ))
        .bind(chain)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(event).collect()
    }

    async fn list_chains(&mut self) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT DISTINCT chain FROM audit_events ORDER BY chain")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db)?;
        rows.iter().map(|r| int(r, "chain")).collect()
    }
}
