//! Goals as rows.

use crate::error::{db, db_delete};
use crate::row::{date, float, int, parsed, text, timestamp, ts};
use crate::tx::{AnyQuery, ClientTable, SqlTx, exactly_one, one_or_not_found};
use accountable_core::error::Result;
use accountable_core::goal::{Goal, GoalId, GoalInput};
use accountable_core::id::{AgencyId, ClientId, EngagementId};
use accountable_core::kpi::KpiId;
use accountable_core::pacing::PacingRule;
use accountable_core::record::RecordKind;
use accountable_core::store::GoalTx;
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

pub(crate) const GOAL_COLUMNS: &str = "id, agency_id, client_id, engagement_id, kpi_id, statement, baseline_value, \
     baseline_date, target_value, target_date, pacing, created_at, updated_at";

pub(crate) fn goal(row: &AnyRow) -> Result<Goal> {
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

const GOALS: ClientTable = ClientTable {
    name: "goals",
    columns: GOAL_COLUMNS,
    client_column: "client_id",
    entity: RecordKind::Goal,
};

/// A goal's fields and the time of the write, in the order the insert and the update list them.
fn bind_fields<'q>(query: AnyQuery<'q>, g: &'q GoalInput, now: Timestamp) -> AnyQuery<'q> {
    query
        .bind(g.kpi_id.0)
        .bind(&g.statement)
        .bind(g.baseline_value)
        .bind(g.baseline_date.to_string())
        .bind(g.target_value)
        .bind(g.target_date.to_string())
        .bind(g.pacing.as_str())
        .bind(ts(now))
}

/// The records a goal's row names that a person chose (the client comes with the engagement).
fn goal_references(
    engagement: Option<EngagementId>,
    g: &GoalInput,
) -> [(&'static str, &'static str, Option<i64>); 2] {
    [
        ("kpi_id", "kpis", Some(g.kpi_id.0)),
        ("engagement_id", "engagements", engagement.map(|e| e.0)),
    ]
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
        let sql = format!(
            "INSERT INTO goals (agency_id, client_id, engagement_id, kpi_id, statement, baseline_value, \
             baseline_date, target_value, target_date, pacing, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {GOAL_COLUMNS}"
        );
        let row = bind_fields(
            sqlx::query(&sql).bind(agency.0).bind(client.0).bind(engagement.0),
            g,
            now,
        )
        .fetch_one(&mut *self.tx)
        .await;
        match row {
            Ok(row) => goal(&row),
            Err(e) => Err(self
                .refused_write(e, "goals", &goal_references(Some(engagement), g))
                .await),
        }
    }

    async fn get_goal(&mut self, agency: AgencyId, scope: Option<ClientId>, id: GoalId) -> Result<Goal> {
        self.get_scoped(&GOALS, agency, scope, id.0, goal).await
    }

    async fn list_goals(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Goal>> {
        self.list_of_client(&GOALS, agency, client, "target_date, id", goal)
            .await
    }

    async fn update_goal(
        &mut self,
        agency: AgencyId,
        id: GoalId,
        g: &GoalInput,
        now: Timestamp,
    ) -> Result<Goal> {
        let sql = format!(
            "UPDATE goals SET kpi_id = $1, statement = $2, baseline_value = $3, baseline_date = $4, \
             target_value = $5, target_date = $6, pacing = $7, updated_at = $8 WHERE agency_id = $9 AND id = $10 \
             RETURNING {GOAL_COLUMNS}"
        );
        let row = bind_fields(sqlx::query(&sql), g, now)
            .bind(agency.0)
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await;
        match row {
            Ok(row) => one_or_not_found(row, goal, RecordKind::Goal),
            Err(e) => Err(self.refused_write(e, "goals", &goal_references(None, g)).await),
        }
    }

    async fn delete_goal(&mut self, agency: AgencyId, id: GoalId) -> Result<()> {
        // Its standing on the home page goes with it.
        sqlx::query("DELETE FROM goal_standings WHERE agency_id = $1 AND goal_id = $2")
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        let done = sqlx::query("DELETE FROM goals WHERE agency_id = $1 AND id = $2")
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db_delete)?;
        exactly_one(done.rows_affected(), RecordKind::Goal)
    }
}
