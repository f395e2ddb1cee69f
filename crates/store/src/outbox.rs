//! The mail outbox in SQL.

use crate::error::db;
use crate::row::{int, opt_int, opt_text, opt_timestamp, parsed, text, timestamp, ts};
use crate::tx::{SqlTx, one_or_not_found};
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::id::AgencyId;
use accountable_core::mail::{Attachment, MailState, NewMessage, OutboxId, OutboxMessage};
use accountable_core::record::RecordKind;
use accountable_core::store::OutboxTx;
use accountable_core::types::Email;
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, agency_id, message_id, to_addresses, cc_addresses, reply_to, subject, text_body, html_body, \
     state, attempts, last_error, sent_at, created_at";

fn addresses(row: &AnyRow, column: &str) -> Result<Vec<Email>> {
    let raw = text(row, column)?;
    let list: Vec<String> = serde_json::from_str(&raw)
        .map_err(|e| Error::Store(StoreError::Other(format!("column {column}: {e}"))))?;
    Ok(list.into_iter().map(Email::from_stored).collect())
}

fn message(row: &AnyRow) -> Result<OutboxMessage> {
    Ok(OutboxMessage {
        id: OutboxId(int(row, "id")?),
        agency_id: opt_int(row, "agency_id")?.map(AgencyId),
        message_id: text(row, "message_id")?,
        to: addresses(row, "to_addresses")?,
        cc: addresses(row, "cc_addresses")?,
        reply_to: opt_text(row, "reply_to")?.map(Email::from_stored),
        subject: text(row, "subject")?,
        text: text(row, "text_body")?,
        html: opt_text(row, "html_body")?,
        state: parsed(row, "state", MailState::parse)?,
        attempts: int(row, "attempts")?,
        last_error: opt_text(row, "last_error")?,
        sent_at: opt_timestamp(row, "sent_at")?,
        created_at: timestamp(row, "created_at")?,
    })
}

fn json_list(list: &[Email]) -> String {
    serde_json::Value::from(list.iter().map(|e| e.as_str().to_string()).collect::<Vec<_>>()).to_string()
}

#[async_trait]
impl OutboxTx for SqlTx {
    async fn insert_message(&mut self, m: &NewMessage, message_id: &str, now: Timestamp) -> Result<OutboxId> {
        let row = sqlx::query(
            "INSERT INTO outbox (agency_id, message_id, to_addresses, cc_addresses, reply_to, subject, text_body, html_body, \
             state, attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9) RETURNING id",
        )
        .bind(m.agency_id.map(|a| a.0))
        .bind(message_id)
        .bind(json_list(&m.to))
        .bind(json_list(&m.cc))
        .bind(m.reply_to.as_ref().map(|e| e.as_str().to_string()))
        .bind(&m.subject)
        .bind(&m.text)
        .bind(m.html.as_deref())
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(OutboxId(int(&row, "id")?))
    }

    async fn insert_attachment(&mut self, message: OutboxId, a: &Attachment) -> Result<()> {
        sqlx::query("INSERT INTO outbox_attachments (outbox_id, filename, content_type, content) VALUES ($1, $2, $3, $4)")
            .bind(message.0)
            .bind(&a.filename)
            .bind(&a.content_type)
            .bind(a.content.clone())
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn get_message(&mut self, id: OutboxId) -> Result<OutboxMessage> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        one_or_not_found(row, message, RecordKind::Message)
    }

    async fn list_attachments(&mut self, id: OutboxId) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(
            "SELECT filename, content_type, content FROM outbox_attachments WHERE outbox_id = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Attachment {
                    filename: text(r, "filename")?,
                    content_type: text(r, "content_type")?,
                    content: r
                        .try_get::<Vec<u8>, _>("content")
                        .map_err(|e| Error::Store(StoreError::Other(format!("column content: {e}"))))?,
                })
            })
            .collect()
    }

    async fn mark_message_sent(&mut self, id: OutboxId, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE outbox SET state = 'sent', sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
            .bind(ts(now))
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn note_message_attempt(&mut self, id: OutboxId, error: &str) -> Result<()> {
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
            .bind(error.chars().take(2000).collect::<String>())
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn mark_message_failed(&mut self, id: OutboxId, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = $1 WHERE id = $2",
        )
        .bind(error.chars().take(2000).collect::<String>())
        .bind(id.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn list_messages(&mut self, agency: Option<AgencyId>, limit: i64) -> Result<Vec<OutboxMessage>> {
        let rows = match agency {
            Some(a) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM outbox WHERE agency_id = $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(a.0)
                .bind(limit)
                .fetch_all(&mut *self.tx)
                .await
            }
            None => {
                sqlx::query(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1"))
                    .bind(limit)
                    .fetch_all(&mut *self.tx)
                    .await
            }
        }
        .map_err(db)?;
        rows.iter().map(message).collect()
    }

    async fn outbox_depth(&mut self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'")
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db)?;
        int(&row, "n")
    }
}
