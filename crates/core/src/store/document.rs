//! The storage trait of the document archive, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::document::{Document, DocumentId, NewDocument};
use crate::error::Result;
use crate::id::AgencyId;
use async_trait::async_trait;
use jiff::Timestamp;

/// The document archive's reads and writes (see [`crate::document`]). There is no update and no delete.
#[async_trait]
pub trait DocumentTx: Send {
    /// Archives a document's bytes (SQLite: a file in the documents folder, named by its SHA-256; PostgreSQL: a
    /// `bytea` column) and its row.
    async fn insert_document(
        &mut self,
        agency: AgencyId,
        doc: &NewDocument,
        sha256: &str,
        issued_by: &str,
        now: Timestamp,
    ) -> Result<Document>;
    /// One document of an agency.
    async fn get_document(&mut self, agency: AgencyId, id: DocumentId) -> Result<Document>;
    /// An agency's documents about one record, newest first.
    async fn list_documents(
        &mut self,
        agency: AgencyId,
        entity: &str,
        entity_id: i64,
    ) -> Result<Vec<Document>>;
    /// Every document with an id above `after`, in id order, at most `limit` (for verification).
    async fn list_all_documents(&mut self, after: i64, limit: i64) -> Result<Vec<Document>>;
    /// A document's bytes as stored (not checked: the caller compares the checksum).
    async fn read_document(&mut self, doc: &Document) -> Result<Vec<u8>>;
}
