//! The storage trait of imports: each imported file's record and its undo, implemented for SQLite and PostgreSQL in
//! the `store` crate.

use crate::error::Result;
use crate::id::{AgencyId, ClientId};
use crate::import::{ImportId, ImportRecord, NewImport};
use crate::kpi::{Kpi, KpiId, Measurement};
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;

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

    /// Notes that this import created these KPIs of its client, so that its undo may remove them
    /// ([`ImportTx::remove_kpis_left_empty`]).
    async fn note_kpis_created(&mut self, agency: AgencyId, import: ImportId, kpis: &[KpiId]) -> Result<()>;

    /// Undoes an import's values and marks it undone, in the caller's transaction
    /// (docs/decisions/0013-replaced-values-kept.md): where it wrote the current value, the value it replaced
    /// comes back (or the value goes, when it replaced none); where a later write replaced its value, its value
    /// leaves the values kept, so what it had replaced is what that later write's undo brings back. The month
    /// totals of the days it touched are summed up again.
    async fn undo_import(&mut self, agency: AgencyId, id: ImportId, now: Timestamp) -> Result<UndoneValues>;

    /// Removes the client's KPIs that an import since undone created and that nothing holds to any more: no
    /// value, no goal, no notable move with an explanation (their month totals and unexplained notable-move
    /// records go with them). Returns the KPIs removed.
    async fn remove_kpis_left_empty(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Kpi>>;

    /// The client's stored values of these KPIs whose first day lies within `from..=to`, each with the import
    /// that wrote it (`None`: typed, sent through the API or the demo's), in one query: what a preview compares
    /// a file's values with.
    async fn list_values_with_writer(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        kpis: &[KpiId],
        from: Date,
        to: Date,
    ) -> Result<Vec<(Measurement, Option<ImportId>)>>;
}

/// What undoing an import did to the values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UndoneValues {
    /// Values it wrote that had replaced nothing, removed.
    pub removed: u64,
    /// Values it wrote over earlier ones, which are back.
    pub restored: u64,
}
