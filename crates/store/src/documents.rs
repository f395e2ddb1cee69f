//! The document archive in SQL. On SQLite the bytes are files in the documents folder, named by their SHA-256
//! (written before the row; a rolled-back issue leaves at most an unreferenced file, never a row without its
//! bytes); on PostgreSQL they are a `bytea` column of the row.

use crate::error::db;
use crate::row::{int, opt_int, opt_text, text, timestamp, ts};
use crate::tx::{SqlTx, one_or_not_found};
use accountable_core::document::{Document, DocumentId, NewDocument};
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::id::AgencyId;
use accountable_core::record::RecordKind;
use accountable_core::store::DocumentTx;
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, agency_id, kind, title, content_type, sha256, size, file_name, entity, entity_id, issued_by, issued_at";

fn document(row: &AnyRow) -> Result<Document> {
    Ok(Document {
        id: DocumentId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        kind: text(row, "kind")?,
        title: text(row, "title")?,
        content_type: text(row, "content_type")?,
        sha256: text(row, "sha256")?,
        size: int(row, "size")?,
        entity: opt_text(row, "entity")?,
        entity_id: opt_int(row, "entity_id")?,
        issued_by: text(row, "issued_by")?,
        issued_at: timestamp(row, "issued_at")?,
    })
}

fn io(e: std::io::Error) -> Error {
    Error::Store(StoreError::Other(format!("document archive: {e}")))
}

impl SqlTx {
    fn document_path(&self, file_name: &str) -> Result<std::path::PathBuf> {
        let dir = self
            .documents_dir
            .as_ref()
            .ok_or_else(|| io(std::io::Error::other("no documents folder")))?;
        let shard = file_name.get(..2).unwrap_or("00");
        Ok(dir.join(shard).join(file_name))
    }
}

#[async_trait]
impl DocumentTx for SqlTx {
    async fn insert_document(
        &mut self,
        agency: AgencyId,
        doc: &NewDocument,
        sha256: &str,
        issued_by: &str,
        now: Timestamp,
    ) -> Result<Document> {
        let (file_name, content) = if self.documents_dir.is_some() {
            let path = self.document_path(sha256)?;
            if tokio::fs::metadata(&path).await.is_err() {
                if let Some(parent) = path.parent() {
                    tokio::fs::create_dir_all(parent).await.map_err(io)?;
                }
                let partial = path.with_extension("partial");
                tokio::fs::write(&partial, &doc.content).await.map_err(io)?;
                tokio::fs::rename(&partial, &path).await.map_err(io)?;
            }
            (Some(sha256.to_string()), None)
        } else {
            (None, Some(doc.content.clone()))
        };
        let (entity, entity_id) = match &doc.entity {
            Some((e, id)) => (Some(e.clone()), Some(*id)),
            None => (None, None),
        };
        let row = sqlx::query(&format!(
            "INSERT INTO documents (agency_id, kind, title, content_type, sha256, size, file_name, content, entity, entity_id, \
             issued_by, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING {COLUMNS}"
        ))
        .bind(agency.0)
        .bind(&doc.kind)
        .bind(&doc.title)
        .bind(&doc.content_type)
        .bind(sha256)
        .bind(doc.content.len() as i64)
        .bind(file_name)
        .bind(content)
        .bind(entity)
        .bind(entity_id)
        .bind(issued_by)
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        document(&row)
    }

    async fn get_document(&mut self, agency: AgencyId, id: DocumentId) -> Result<Document> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM documents WHERE agency_id = $1 AND id = $2"
        ))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        one_or_not_found(row, document, RecordKind::Document)
    }

    async fn list_documents(
        &mut self,
        agency: AgencyId,
        entity: &str,
        entity_id: i64,
    ) -> Result<Vec<Document>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM documents WHERE agency_id = $1 AND entity = $2 AND entity_id = $3 ORDER BY id DESC"
        ))
        .bind(agency.0)
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(document).collect()
    }

    async fn list_all_documents(&mut self, after: i64, limit: i64) -> Result<Vec<Document>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM documents WHERE id > $1 ORDER BY id LIMIT $2"
        ))
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(document).collect()
    }

    async fn read_document(&mut self, doc: &Document) -> Result<Vec<u8>> {
        let row = sqlx::query("SELECT file_name, content FROM documents WHERE id = $1")
            .bind(doc.id.0)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db)?;
        match opt_text(&row, "file_name")? {
            Some(name) => tokio::fs::read(self.document_path(&name)?).await.map_err(io),
            None => row
                .try_get::<Option<Vec<u8>>, _>("content")
                .map_err(|e| Error::Store(StoreError::Other(format!("column content: {e}"))))?
                .ok_or_else(|| {
                    io(std::io::Error::other(
                        "the document has neither a file nor content",
                    ))
                }),
        }
    }
}
