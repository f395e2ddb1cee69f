//! Notable moves as rows, and the month totals they are computed from.

use crate::error::db;
use crate::row::{date, flag, flag_value, float, id_list, int, opt_float, text, ts};
use crate::tx::SqlTx;
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::id::{AgencyId, ClientId};
use accountable_core::kpi::KpiId;
use accountable_core::moves::{MonthTotal, Move};
use accountable_core::store::MoveTx;
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::any::AnyRow;

pub(crate) const MOVE_COLUMNS: &str = "kpi_id, month, value, previous, last_year, mom_percent, yoy_percent, mom_notable, \
     yoy_notable, seasonal, good";

pub(crate) fn notable_move(row: &AnyRow) -> Result<Move> {
    Ok(Move {
        kpi_id: KpiId(int(row, "kpi_id")?),
        month: date(row, "month")?,
        value: float(row, "value")?,
        previous: opt_float(row, "previous")?,
        last_year: opt_float(row, "last_year")?,
        mom_percent: opt_float(row, "mom_percent")?,
        yoy_percent: opt_float(row, "yoy_percent")?,
        mom_notable: flag(row, "mom_notable")?,
        yoy_notable: flag(row, "yoy_notable")?,
        seasonal: flag(row, "seasonal")?,
        good: flag(row, "good")?,
    })
}

#[async_trait]
impl MoveTx for SqlTx {
    async fn replace_notable_moves(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        month: Date,
        moves: &[Move],
        now: Timestamp,
    ) -> Result<()> {
        // Records no longer notable go, unless the report has explained them already.
        let mut sql = String::from(
            "DELETE FROM notable_moves WHERE agency_id = $1 AND client_id = $2 AND month = $3 AND explanation = ''",
        );
        if !moves.is_empty() {
            let kept = id_list(moves.iter().map(|m| m.kpi_id.0));
            sql.push_str(&format!(" AND kpi_id NOT IN ({kept})"));
        }
        sqlx::query(&sql)
            .bind(agency.0)
            .bind(client.0)
            .bind(month.to_string())
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        for m in moves {
            sqlx::query(
                "INSERT INTO notable_moves (agency_id, client_id, kpi_id, month, value, previous, last_year, \
                 mom_percent, yoy_percent, mom_notable, yoy_notable, seasonal, good, computed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 ON CONFLICT (kpi_id, month) DO UPDATE SET value = excluded.value, previous = excluded.previous, \
                 last_year = excluded.last_year, mom_percent = excluded.mom_percent, \
                 yoy_percent = excluded.yoy_percent, mom_notable = excluded.mom_notable, \
                 yoy_notable = excluded.yoy_notable, seasonal = excluded.seasonal, good = excluded.good, \
                 computed_at = excluded.computed_at",
            )
            .bind(agency.0)
            .bind(client.0)
            .bind(m.kpi_id.0)
            .bind(month.to_string())
            .bind(m.value)
            .bind(m.previous)
            .bind(m.last_year)
            .bind(m.mom_percent)
            .bind(m.yoy_percent)
            .bind(flag_value(m.mom_notable))
            .bind(flag_value(m.yoy_notable))
            .bind(flag_value(m.seasonal))
            .bind(flag_value(m.good))
            .bind(ts(now))
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        }
        Ok(())
    }

    async fn month_totals(
        &mut self,
        agency: AgencyId,
        clients: &[ClientId],
        from: Date,
        to: Date,
    ) -> Result<Vec<MonthTotal>> {
        if clients.is_empty() {
            return Ok(Vec::new());
        }
        // The months come summed up already (`kpi_months`, kept by every write of values): a few rows a KPI.
        let list = id_list(clients.iter().map(|c| c.0));
        let month = |d: Date| format!("{:04}-{:02}", d.year(), d.month());
        let rows = sqlx::query(&format!(
            "SELECT kpi_id, month, total, days, last_value FROM kpi_months \
             WHERE kpi_id IN (SELECT id FROM kpis WHERE agency_id = $1 AND client_id IN ({list})) \
               AND month >= $2 AND month <= $3"
        ))
        .bind(agency.0)
        .bind(month(from))
        .bind(month(to))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let month = text(r, "month")?;
                Ok(MonthTotal {
                    kpi_id: KpiId(int(r, "kpi_id")?),
                    month: format!("{month}-01")
                        .parse::<Date>()
                        .map_err(|e| Error::Store(StoreError::Other(format!("column month: {e}"))))?,
                    total: float(r, "total")?,
                    days: int(r, "days")?,
                    last: float(r, "last_value")?,
                })
            })
            .collect()
    }

    async fn clear_notable_moves(
        &mut self,
        agency: AgencyId,
        clients: &[ClientId],
        month: Date,
        keep: &[KpiId],
    ) -> Result<()> {
        if clients.is_empty() {
            return Ok(());
        }
        let list = id_list(clients.iter().map(|c| c.0));
        let mut sql = format!(
            "DELETE FROM notable_moves WHERE agency_id = $1 AND client_id IN ({list}) AND month = $2 \
             AND explanation = ''"
        );
        if !keep.is_empty() {
            let kept = id_list(keep.iter().map(|k| k.0));
            sql.push_str(&format!(" AND kpi_id NOT IN ({kept})"));
        }
        sqlx::query(&sql)
            .bind(agency.0)
            .bind(month.to_string())
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn list_notable_moves(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        month: Date,
    ) -> Result<Vec<Move>> {
        let rows = sqlx::query(&format!(
            "SELECT {MOVE_COLUMNS} FROM notable_moves WHERE agency_id = $1 AND client_id = $2 AND month = $3 \
             ORDER BY kpi_id"
        ))
        .bind(agency.0)
        .bind(client.0)
        .bind(month.to_string())
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(notable_move).collect()
    }
}
