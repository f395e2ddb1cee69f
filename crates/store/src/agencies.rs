//! Agencies, the tenants, as rows.

use crate::error::db;
use crate::row::{int, text, timestamp, ts};
use crate::tx::{SqlTx, one_or_not_found};
use accountable_core::agency::Agency;
use accountable_core::audit::GENESIS_HASH;
use accountable_core::error::{Error, Result};
use accountable_core::id::AgencyId;
use accountable_core::record::RecordKind;
use accountable_core::store::AgencyTx;
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

/// An agency from its row.
pub(crate) fn agency(row: &AnyRow) -> Result<Agency, Error> {
    Ok(Agency {
        id: AgencyId(int(row, "id")?),
        name: text(row, "name")?,
        created_at: timestamp(row, "created_at")?,
    })
}

#[async_trait]
impl AgencyTx for SqlTx {
    async fn insert_agency(&mut self, name: &str, now: Timestamp) -> Result<Agency> {
        let row = sqlx::query(
            "INSERT INTO agencies (name, created_at) VALUES ($1, $2) RETURNING id, name, created_at",
        )
        .bind(name)
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        let agency = agency(&row)?;
        sqlx::query("INSERT INTO audit_chains (chain, head_seq, head_hash) VALUES ($1, 0, $2)")
            .bind(agency.id.0)
            .bind(GENESIS_HASH)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(agency)
    }

    async fn get_agency(&mut self, id: AgencyId) -> Result<Agency> {
        let row = sqlx::query("SELECT id, name, created_at FROM agencies WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        one_or_not_found(row, agency, RecordKind::Agency)
    }

    async fn list_agencies(&mut self) -> Result<Vec<Agency>> {
        let rows = sqlx::query("SELECT id, name, created_at FROM agencies ORDER BY name, id")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db)?;
        rows.iter().map(agency).collect()
    }

    async fn find_agency_by_name(&mut self, name: &str) -> Result<Option<Agency>> {
        let row = sqlx::query("SELECT id, name, created_at FROM agencies WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        row.as_ref().map(agency).transpose()
    }
}
