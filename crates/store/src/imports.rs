//! Imports as rows: the record of each file imported, and its undo.

use crate::error::db;
use crate::row::{id_list, int, opt_date, opt_int, opt_timestamp, text, timestamp, ts};
use crate::tx::{ClientTable, SqlTx, exactly_one, one_or_not_found};
use accountable_core::error::Result;
use accountable_core::id::{AgencyId, ClientId, UserId};
use accountable_core::import::{ImportId, ImportRecord, NewImport};
use accountable_core::record::RecordKind;
use accountable_core::store::ImportTx;
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

pub(crate) const IMPORT_COLUMNS: &str =
    "id, agency_id, client_id, file_name, sha256, format, value_count, created_by, created_at, undone_at";

pub(crate) fn import(row: &AnyRow) -> Result<ImportRecord> {
    Ok(ImportRecord {
        id: ImportId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        client_id: ClientId(int(row, "client_id")?),
        file_name: text(row, "file_name")?,
        sha256: text(row, "sha256")?,
        format: text(row, "format")?,
        values: int(row, "value_count")?,
        created_by: opt_int(row, "created_by")?.map(UserId),
        created_at: timestamp(row, "created_at")?,
        undone_at: opt_timestamp(row, "undone_at")?,
    })
}

const IMPORTS: ClientTable = ClientTable {
    name: "imports",
    columns: IMPORT_COLUMNS,
    client_column: "client_id",
    entity: RecordKind::Import,
};

#[async_trait]
impl ImportTx for SqlTx {
    async fn insert_import(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        i: &NewImport,
        now: Timestamp,
    ) -> Result<ImportId> {
        let row = sqlx::query(
            "INSERT INTO imports (agency_id, client_id, file_name, sha256, format, value_count, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(agency.0)
        .bind(client.0)
        .bind(&i.file_name)
        .bind(&i.sha256)
        .bind(&i.format)
        .bind(i.values)
        .bind(i.created_by.map(|u| u.0))
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(ImportId(int(&row, "id")?))
    }

    async fn get_import(&mut self, agency: AgencyId, id: ImportId) -> Result<ImportRecord> {
        let row = sqlx::query(&format!(
            "SELECT {IMPORT_COLUMNS} FROM imports WHERE agency_id = $1 AND id = $2"
        ))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        one_or_not_found(row, import, RecordKind::Import)
    }

    async fn find_import_by_sha(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        sha256: &str,
    ) -> Result<Option<ImportRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {IMPORT_COLUMNS} FROM imports WHERE agency_id = $1 AND client_id = $2 AND sha256 = $3 \
             AND undone_at IS NULL ORDER BY id DESC LIMIT 1"
        ))
        .bind(agency.0)
        .bind(client.0)
        .bind(sha256)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref().map(import).transpose()
    }

    async fn find_imports_by_sha(&mut self, agency: AgencyId, sha256: &str) -> Result<Vec<ImportRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {IMPORT_COLUMNS} FROM imports WHERE agency_id = $1 AND sha256 = $2 AND undone_at IS NULL \
             ORDER BY id DESC"
        ))
        .bind(agency.0)
        .bind(sha256)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(import).collect()
    }

    async fn list_imports(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<ImportRecord>> {
        self.list_of_client(&IMPORTS, agency, client, "id DESC", import)
            .await
    }

    async fn undo_import(&mut self, agency: AgencyId, id: ImportId, now: Timestamp) -> Result<u64> {
        // The import's client's KPIs, and the days the import wrote, whose months are summed up again after.
        let kpis: Vec<i64> = sqlx::query_scalar(
            "SELECT k.id FROM kpis k JOIN imports i ON i.client_id = k.client_id AND i.agency_id = k.agency_id \
             WHERE i.agency_id = $1 AND i.id = $2",
        )
        .bind(agency.0)
        .bind(id.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        // Nothing of another tenant's import is reached: its KPIs are not found under this agency.
        let (removed, span) = if kpis.is_empty() {
            (0, None)
        } else {
            // Through the import's client's KPIs: the key finds their values without an index on the import.
            let list = id_list(kpis.iter().copied());
            let span = sqlx::query(&format!(
                "SELECT MIN(period_start) AS first_day, MAX(period_start) AS last_day FROM measurements \
                 WHERE kpi_id IN ({list}) AND import_id = $1"
            ))
            .bind(id.0)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db)?;
            let span = opt_date(&span, "first_day")?.zip(opt_date(&span, "last_day")?);
            let removed = sqlx::query(&format!(
                "DELETE FROM measurements WHERE kpi_id IN ({list}) AND import_id = $1"
            ))
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?
            .rows_affected();
            (removed, span)
        };
        if let Some((first, last)) = span {
            crate::bulk::refresh_months(self, &kpis, first, last).await?;
        }
        let done = sqlx::query("UPDATE imports SET undone_at = $1 WHERE agency_id = $2 AND id = $3")
            .bind(ts(now))
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), RecordKind::Import)?;
        Ok(removed)
    }
}
