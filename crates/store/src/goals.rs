//! Goals and notable-move records in SQL.

use crate::error::db;
use crate::row::{date, flag, flag_value, id_list, int, parsed, text, timestamp, ts};
use crate::tx::{SqlTx, exactly_one, not_found};
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::goal::{Goal, GoalId, GoalInput};
use accountable_core::id::{AgencyId, ClientId, EngagementId};
use accountable_core::kpi::KpiId;
use accountable_core::moves::{MonthTotal, Move};
use accountable_core::pacing::PacingRule;
use accountable_core::store::GoalTx;
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

const GOAL_COLUMNS: &str = "id, agency_id, client_id, engagement_id, kpi_id, statement, baseline_value, \
     baseline_date, target_value, target_date, pacing, created_at, updated_at";
const MOVE_COLUMNS: &str = "kpi_id, month, value, previous, last_year, mom_percent, yoy_percent, mom_notable, \
     yoy_notable, seasonal, good";

fn float(row: &AnyRow, column: &str) -> Result<f64> {
    row.try_get::<f64, _>(column)
        .map_err(|e| Error::Store(StoreError::Other(format!("column {column}: {e}"))))
}

fn opt_float(row: &AnyRow, column: &str) -> Result<Option<f64>> {
    row.try_get::<Option<f64>, _>(column)
        .map_err(|e| Error::Store(StoreError::Other(format!("column {column}: {e}"))))
}

fn goal(row: &AnyRow) -> Result<Goal> {
    Ok(Goal {
        id: GoalId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        client_id: ClientId(int(row, "client_id")?),
        engagement_id: EngagementId(int(row, "engagement_id")?),
        fields: GoalInput {
            statement: text(row, "statement")?,
            kpi_id: KpiId(int(row, "kpi_id")?),
            baseline_value: float(row, "baseline_value")?,
            baseline_date: date(row, "baseline_date")?,
            target_value: float(row, "target_value")?,
            target_date: date(row, "target_date")?,
            pacing: parsed(row, "pacing", PacingRule::parse)?,
        },
        created_at: timestamp(row, "created_at")?,
        updated_at: timestamp(row, "updated_at")?,
    })
}

fn notable_move(row: &AnyRow) -> Result<Move> {
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
impl GoalTx for SqlTx {
    async fn insert_goal(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        engagement: EngagementId,
        g: &GoalInput,
        now: Timestamp,
    ) -> Result<Goal> {
        let row = sqlx::query(&format!(
            "INSERT INTO goals (agency_id, client_id, engagement_id, kpi_id, statement, baseline_value, \
             baseline_date, target_value, target_date, pacing, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {GOAL_COLUMNS}"
        ))
        .bind(agency.0)
        .bind(client.0)
        .bind(engagement.0)
        .bind(g.kpi_id.0)
        .bind(&g.statement)
        .bind(g.baseline_value)
        .bind(g.baseline_date.to_string())
        .bind(g.target_value)
        .bind(g.target_date.to_string())
        .bind(g.pacing.as_str())
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        goal(&row)
    }

    async fn get_goal(&mut self, agency: AgencyId, scope: Option<ClientId>, id: GoalId) -> Result<Goal> {
        let mut sql = format!("SELECT {GOAL_COLUMNS} FROM goals WHERE agency_id = $1 AND id = $2");
        if scope.is_some() {
            sql.push_str(" AND client_id = $3");
        }
        let mut query = sqlx::query(&sql).bind(agency.0).bind(id.0);
        if let Some(s) = scope {
            query = query.bind(s.0);
        }
        let row = query.fetch_optional(&mut *self.tx).await.map_err(db)?;
        row.as_ref().map(goal).unwrap_or(Err(not_found("goal")))
    }

    async fn list_goals(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Goal>> {
        let rows = sqlx::query(&format!(
            "SELECT {GOAL_COLUMNS} FROM goals WHERE agency_id = $1 AND client_id = $2 ORDER BY target_date, id"
        ))
        .bind(agency.0)
        .bind(client.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(goal).collect()
    }

    async fn update_goal(
        &mut self,
        agency: AgencyId,
        id: GoalId,
        g: &GoalInput,
        now: Timestamp,
    ) -> Result<Goal> {
        let row = sqlx::query(&format!(
            "UPDATE goals SET kpi_id = $1, statement = $2, baseline_value = $3, baseline_date = $4, \
             target_value = $5, target_date = $6, pacing = $7, updated_at = $8 WHERE agency_id = $9 AND id = $10 \
             RETURNING {GOAL_COLUMNS}"
        ))
        .bind(g.kpi_id.0)
        .bind(&g.statement)
        .bind(g.baseline_value)
        .bind(g.baseline_date.to_string())
        .bind(g.target_value)
        .bind(g.target_date.to_string())
        .bind(g.pacing.as_str())
        .bind(ts(now))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref().map(goal).unwrap_or(Err(not_found("goal")))
    }

    async fn delete_goal(&mut self, agency: AgencyId, id: GoalId) -> Result<()> {
        let done = sqlx::query("DELETE FROM goals WHERE agency_id = $1 AND id = $2")
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), "goal")
    }

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
