//! Imports as rows: the record of each file imported, and its undo, which brings back the values it replaced
//! (`replaced_values`, docs/decisions/0013-replaced-values-kept.md) and removes the KPIs it created that hold
//! nothing any more.

use crate::error::{db, db_delete};
use crate::kpis::{KPI_COLUMNS, kpi};
use crate::row::{date, float, id_list, int, opt_date, opt_int, opt_timestamp, text, timestamp, ts};
use crate::tx::{ClientTable, SqlTx, exactly_one};
use accountable_core::error::Result;
use accountable_core::id::{AgencyId, ClientId, UserId};
use accountable_core::import::store::UndoneValues;
use accountable_core::import::{ImportId, ImportRecord, NewImport};
use accountable_core::kpi::{Kpi, KpiId, Measurement};
use accountable_core::record::RecordKind;
use accountable_core::store::ImportTx;
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
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
        // Without a client scope: an import is found by its agency and id alone.
        self.get_scoped(&IMPORTS, agency, None, id.0, import).await
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

    async fn note_kpis_created(&mut self, agency: AgencyId, import: ImportId, kpis: &[KpiId]) -> Result<()> {
        if kpis.is_empty() {
            return Ok(());
        }
        let list = id_list(kpis.iter().map(|k| k.0));
        sqlx::query(&format!(
            "UPDATE kpis SET import_id = $1 WHERE agency_id = $2 AND id IN ({list})"
        ))
        .bind(import.0)
        .bind(agency.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn undo_import(&mut self, agency: AgencyId, id: ImportId, now: Timestamp) -> Result<UndoneValues> {
        // The import's client's KPIs: the key finds their values, and the values kept, without an index on the
        // import. Nothing of another tenant's import is reached: its KPIs are not found under this agency.
        let kpis: Vec<i64> = sqlx::query_scalar(
            "SELECT k.id FROM kpis k JOIN imports i ON i.client_id = k.client_id AND i.agency_id = k.agency_id \
             WHERE i.agency_id = $1 AND i.id = $2",
        )
        .bind(agency.0)
        .bind(id.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        let mut undone = UndoneValues::default();
        if !kpis.is_empty() {
            undone = undo_values(self, &kpis, id).await?;
        }
        let done = sqlx::query("UPDATE imports SET undone_at = $1 WHERE agency_id = $2 AND id = $3")
            .bind(ts(now))
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), RecordKind::Import)?;
        Ok(undone)
    }

    async fn remove_kpis_left_empty(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Kpi>> {
        let rows = sqlx::query(&format!(
            "SELECT {columns} FROM kpis k WHERE k.agency_id = $1 AND k.client_id = $2 \
             AND k.import_id IN (SELECT i.id FROM imports i WHERE i.agency_id = $1 AND i.client_id = $2 \
                                 AND i.undone_at IS NOT NULL) \
             AND NOT EXISTS (SELECT 1 FROM measurements m WHERE m.kpi_id = k.id) \
             AND NOT EXISTS (SELECT 1 FROM goals g WHERE g.kpi_id = k.id) \
             AND NOT EXISTS (SELECT 1 FROM notable_moves n WHERE n.kpi_id = k.id AND n.explanation <> '') \
             ORDER BY k.id",
            columns = KPI_COLUMNS
                .split(", ")
                .map(|c| format!("k.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(agency.0)
        .bind(client.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        let gone: Vec<Kpi> = rows.iter().map(kpi).collect::<Result<_>>()?;
        if gone.is_empty() {
            return Ok(gone);
        }
        // Nothing else refers to a KPI: its month totals, values kept and unexplained notable-move records go
        // first (the last two are empty or recomputed, the first follow the values, of which there are none).
        let list = id_list(gone.iter().map(|k| k.id.0));
        for table in ["notable_moves", "kpi_months", "replaced_values"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE kpi_id IN ({list})"))
                .execute(&mut *self.tx)
                .await
                .map_err(db)?;
        }
        sqlx::query(&format!(
            "DELETE FROM kpis WHERE agency_id = $1 AND client_id = $2 AND id IN ({list})"
        ))
        .bind(agency.0)
        .bind(client.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db_delete)?;
        Ok(gone)
    }

    async fn list_values_with_writer(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        kpis: &[KpiId],
        from: Date,
        to: Date,
    ) -> Result<Vec<(Measurement, Option<ImportId>)>> {
        if kpis.is_empty() {
            return Ok(Vec::new());
        }
        let list = id_list(kpis.iter().map(|k| k.0));
        let rows = sqlx::query(&format!(
            "SELECT kpi_id, period_start, period_end, dimension, value, import_id FROM measurements \
             WHERE kpi_id IN (SELECT id FROM kpis WHERE agency_id = $1 AND client_id = $2) \
               AND kpi_id IN ({list}) AND period_start >= $3 AND period_start <= $4"
        ))
        .bind(agency.0)
        .bind(client.0)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok((
                    Measurement {
                        kpi_id: KpiId(int(r, "kpi_id")?),
                        period_start: date(r, "period_start")?,
                        period_end: date(r, "period_end")?,
                        dimension: text(r, "dimension")?,
                        value: float(r, "value")?,
                    },
                    opt_int(r, "import_id")?.map(ImportId),
                ))
            })
            .collect()
    }
}

/// The key of a row of `measurements` (`m`) equals that of the row of `replaced_values` named `r`.
fn same_key(m: &str, r: &str) -> String {
    format!(
        "{m}.kpi_id = {r}.kpi_id AND {m}.period_start = {r}.period_start AND {m}.period_end = {r}.period_end \
         AND {m}.dimension = {r}.dimension"
    )
}

/// Undoes an import's values among these KPIs (its client's), as `ImportTx::undo_import` says. Statements, each
/// over the client's KPIs' keys, in this order (each reads the state the one before left, standard SQL: a
/// statement's conditions see the table as it was before the statement, on both databases):
/// 1. the days whose values it wrote, for the month totals;
/// 2. its values that later writes replaced leave the chains (a write in the middle is spliced out);
/// 3. the top of each chain under one of its values is marked (its depth negated);
/// 4. its values go back to the marked ones, which then leave the chains;
/// 5. its values that replaced nothing are removed;
/// 6. the months of those days are summed up again.
async fn undo_values(tx: &mut SqlTx, kpis: &[i64], id: ImportId) -> Result<UndoneValues> {
    let list = id_list(kpis.iter().copied());
    let span = sqlx::query(&format!(
        "SELECT MIN(period_start) AS first_day, MAX(period_start) AS last_day FROM measurements \
         WHERE kpi_id IN ({list}) AND import_id = $1"
    ))
    .bind(id.0)
    .fetch_one(&mut *tx.tx)
    .await
    .map_err(db)?;
    let span = opt_date(&span, "first_day")?.zip(opt_date(&span, "last_day")?);
    sqlx::query(&format!(
        "DELETE FROM replaced_values WHERE kpi_id IN ({list}) AND import_id = $1"
    ))
    .bind(id.0)
    .execute(&mut *tx.tx)
    .await
    .map_err(db)?;
    let mut undone = UndoneValues::default();
    let Some((first, last)) = span else {
        // None of its values is the current one any more: nothing to bring back or remove.
        return Ok(undone);
    };
    // Without any value kept for these KPIs (the import replaced nothing, as a first load), its values are
    // simply removed, as fast as before anything was kept.
    let kept: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM (SELECT 1 FROM replaced_values WHERE kpi_id IN ({list}) LIMIT 1) found"
    ))
    .fetch_one(&mut *tx.tx)
    .await
    .map_err(db)?;
    if kept > 0 {
        undone.restored = restore_under(tx, &list, id).await?;
    }
    undone.removed = sqlx::query(&format!(
        "DELETE FROM measurements WHERE kpi_id IN ({list}) AND import_id = $1"
    ))
    .bind(id.0)
    .execute(&mut *tx.tx)
    .await
    .map_err(db)?
    .rows_affected();
    crate::bulk::refresh_months(tx, kpis, first, last).await?;
    Ok(undone)
}

/// Steps 3 and 4 of `undo_values`: puts back the top of each chain under one of the import's values, and
/// returns how many came back.
async fn restore_under(tx: &mut SqlTx, list: &str, id: ImportId) -> Result<u64> {
    let under_it = same_key("m", "replaced_values");
    sqlx::query(&format!(
        "UPDATE replaced_values SET depth = -depth WHERE kpi_id IN ({list}) \
         AND EXISTS (SELECT 1 FROM measurements m WHERE {under_it} AND m.import_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM replaced_values h WHERE {} AND h.depth > replaced_values.depth)",
        same_key("h", "replaced_values")
    ))
    .bind(id.0)
    .execute(&mut *tx.tx)
    .await
    .map_err(db)?;
    let top = same_key("measurements", "r");
    let restored = sqlx::query(&format!(
        "UPDATE measurements SET \
           value = (SELECT r.value FROM replaced_values r WHERE {top} AND r.depth < 0), \
           import_id = (SELECT r.import_id FROM replaced_values r WHERE {top} AND r.depth < 0) \
         WHERE kpi_id IN ({list}) AND import_id = $1 \
           AND EXISTS (SELECT 1 FROM replaced_values r WHERE {top} AND r.depth < 0)"
    ))
    .bind(id.0)
    .execute(&mut *tx.tx)
    .await
    .map_err(db)?
    .rows_affected();
    sqlx::query(&format!(
        "DELETE FROM replaced_values WHERE kpi_id IN ({list}) AND depth < 0"
    ))
    .execute(&mut *tx.tx)
    .await
    .map_err(db)?;
    Ok(restored)
}
