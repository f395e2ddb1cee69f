//! The storage trait of imports: each imported file's record and its undo, implemented for SQLite and PostgreSQL in
//! the `store` crate.

use crate::error::Result;
use crate::id::{AgencyId, ClientId};
use crate::import::{ImportId, ImportRecord, NewImport};
use async_trait::async_trait;
use jiff::Timestamp;

/// The reads and writes of imports: the record of each file imported and its undo (see [`crate::import`]).
#[async_trait]
pub trait ImportTx: Send {
    /// Records an import.
    async fn insert_import(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        import: &NewImport,
        now: Timestamp,
    ) -> Result<ImportId>;

    /// One import of the agency.
    async fn get_import(&mut self, agency: AgencyId, id: ImportId) -> Result<ImportRecord>;

    /// The import of a client with this file checksum that was not undone, if any.
    async fn find_import_by_sha(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        sha256: &str,
    ) -> Result<Option<ImportRecord>>;

    /// Every client's imports of the agency with this file checksum that were not undone, newest first, in one
    /// query (an agency-wide file has one import per client).
    async fn find_imports_by_sha(&mut self, agency: AgencyId, sha256: &str) -> Result<Vec<ImportRecord>>;

    /// A client's imports, newest first.
    async fn list_imports(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<ImportRecord>>;

    /// Removes the values an import wrote and marks it undone; returns how many values were removed.
    async fn undo_import(&mut self, agency: AgencyId, id: ImportId, now: Timestamp) -> Result<u64>;
}
