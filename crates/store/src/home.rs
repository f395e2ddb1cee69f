//! The home page's rows: goal standings as last computed, KPIs' last days with a value, and the plain reads the
//! page is made of (one query each, whatever the number of clients).

use crate::error::db;
use crate::row::{date, float, id_list, int, opt_date, opt_float, opt_text, parsed, text, ts};
use crate::tx::SqlTx;
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::goal::GoalId;
use accountable_core::home::{ClientRow, EngagementRow, GoalRow, GoalStanding, StaleRow, StandingDue};
use accountable_core::id::{AgencyId, ClientId, UserId};
use accountable_core::kpi::{KpiId, Unit};
use accountable_core::pacing::Standing;
use accountable_core::store::HomeTx;
use accountable_core::types::TimeZoneName;
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::any::AnyRow;

fn standing_word(s: Option<Standing>) -> &'static str {
    s.map_or("", Standing::as_str)
}

fn standing_of(row: &AnyRow, column: &str) -> Result<Option<Standing>> {
    match opt_text(row, column)?.as_deref() {
        None | Some("") => Ok(None),
        Some("ahead") => Ok(Some(Standing::Ahead)),
        Some("on-track") => Ok(Some(Standing::OnTrack)),
        Some("behind") => Ok(Some(Standing::Behind)),
        Some(other) => Err(Error::Store(StoreError::Other(format!(
            "column {column}: unknown standing {other:?}"
        )))),
    }
}

#[async_trait]
impl HomeTx for SqlTx {
    async fn replace_goal_standings(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        standings: &[GoalStanding],
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM goal_standings WHERE agency_id = $1 AND client_id = $2")
            .bind(agency.0)
            .bind(client.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        for s in standings {
            sqlx::query(
                "INSERT INTO goal_standings (goal_id, agency_id, client_id, day, standing, expected, actual, computed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(s.goal_id.0)
            .bind(agency.0)
            .bind(client.0)
            .bind(s.day.to_string())
            .bind(standing_word(s.standing))
            .bind(s.expected)
            .bind(s.actual)
            .bind(ts(now))
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        }
        Ok(())
    }

    async fn refresh_last_values(&mut self, agency: AgencyId, clients: &[ClientId]) -> Result<()> {
        if clients.is_empty() {
            return Ok(());
        }
        let list = id_list(clients.iter().map(|c| c.0));
        sqlx::query(&format!(
            "UPDATE kpis SET last_value_on = (SELECT MAX(m.last_day) FROM kpi_months m WHERE m.kpi_id = kpis.id) \
             WHERE agency_id = $1 AND client_id IN ({list})"
        ))
        .bind(agency.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn home_clients(&mut self, agency: AgencyId) -> Result<Vec<ClientRow>> {
        let rows = sqlx::query(
            "SELECT id, name, time_zone FROM clients WHERE agency_id = $1 AND archived_at IS NULL ORDER BY name_key, id",
        )
        .bind(agency.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(ClientRow {
                    id: ClientId(int(r, "id")?),
                    name: text(r, "name")?,
                    time_zone: parsed(r, "time_zone", TimeZoneName::parse)?,
                })
            })
            .collect()
    }

    async fn home_engagements(&mut self, agency: AgencyId) -> Result<Vec<EngagementRow>> {
        let rows = sqlx::query(
            "SELECT e.client_id, e.account_executive_id, u.name AS ae_name, e.starts_on, e.ends_on \
             FROM engagements e JOIN clients c ON c.id = e.client_id AND c.agency_id = e.agency_id \
             JOIN users u ON u.id = e.account_executive_id AND u.agency_id = e.agency_id \
             WHERE e.agency_id = $1 AND c.archived_at IS NULL",
        )
        .bind(agency.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(EngagementRow {
                    client_id: ClientId(int(r, "client_id")?),
                    account_executive: UserId(int(r, "account_executive_id")?),
                    account_executive_name: text(r, "ae_name")?,
                    starts_on: date(r, "starts_on")?,
                    ends_on: date(r, "ends_on")?,
                })
            })
            .collect()
    }

    async fn home_goals(&mut self, agency: AgencyId) -> Result<Vec<GoalRow>> {
        let rows = sqlx::query(
            "SELECT g.id, g.client_id, g.statement, k.name AS kpi_name, k.unit, s.day, s.standing, s.expected, s.actual \
             FROM goals g JOIN clients c ON c.id = g.client_id AND c.agency_id = g.agency_id \
             JOIN kpis k ON k.id = g.kpi_id AND k.agency_id = g.agency_id \
             LEFT JOIN goal_standings s ON s.goal_id = g.id \
             WHERE g.agency_id = $1 AND c.archived_at IS NULL ORDER BY g.target_date, g.id",
        )
        .bind(agency.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let id = GoalId(int(r, "id")?);
                let standing = match opt_date(r, "day")? {
                    Some(day) => Some(GoalStanding {
                        goal_id: id,
                        day,
                        standing: standing_of(r, "standing")?,
                        expected: float(r, "expected")?,
                        actual: opt_float(r, "actual")?,
                    }),
                    None => None,
                };
                Ok(GoalRow {
                    id,
                    client_id: ClientId(int(r, "client_id")?),
                    statement: text(r, "statement")?,
                    kpi_name: text(r, "kpi_name")?,
                    unit: parsed(r, "unit", Unit::parse)?,
                    standing,
                })
            })
            .collect()
    }

    async fn home_moves_to_explain(
        &mut self,
        agency: AgencyId,
        since: Date,
    ) -> Result<Vec<(ClientId, Date, i64)>> {
        let rows = sqlx::query(
            "SELECT n.client_id, n.month, COUNT(*) AS moves FROM notable_moves n \
             JOIN clients c ON c.id = n.client_id AND c.agency_id = n.agency_id \
             WHERE n.agency_id = $1 AND n.month >= $2 AND n.explanation = '' AND c.archived_at IS NULL \
             GROUP BY n.client_id, n.month",
        )
        .bind(agency.0)
        .bind(since.to_string())
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok((
                    ClientId(int(r, "client_id")?),
                    date(r, "month")?,
                    int(r, "moves")?,
                ))
            })
            .collect()
    }

    async fn home_stale_kpis(&mut self, agency: AgencyId, before: Date) -> Result<Vec<StaleRow>> {
        let rows = sqlx::query(
            "SELECT k.id, k.client_id, k.name, k.source, k.last_value_on FROM kpis k \
             JOIN clients c ON c.id = k.client_id AND c.agency_id = k.agency_id \
             WHERE k.agency_id = $1 AND k.last_value_on < $2 AND c.archived_at IS NULL",
        )
        .bind(agency.0)
        .bind(before.to_string())
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(StaleRow {
                    kpi_id: KpiId(int(r, "id")?),
                    client_id: ClientId(int(r, "client_id")?),
                    name: text(r, "name")?,
                    source: text(r, "source")?,
                    last_value_on: date(r, "last_value_on")?,
                })
            })
            .collect()
    }

    async fn standings_due(&mut self) -> Result<Vec<StandingDue>> {
        // A goal never judged counts as judged on the empty day, older than any.
        let rows = sqlx::query(
            "SELECT g.agency_id, g.client_id, c.time_zone, MIN(COALESCE(s.day, '')) AS oldest \
             FROM goals g JOIN clients c ON c.id = g.client_id AND c.agency_id = g.agency_id \
             LEFT JOIN goal_standings s ON s.goal_id = g.id \
             WHERE c.archived_at IS NULL GROUP BY g.agency_id, g.client_id, c.time_zone ORDER BY g.agency_id, g.client_id",
        )
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let oldest = text(r, "oldest")?;
                Ok(StandingDue {
                    agency_id: AgencyId(int(r, "agency_id")?),
                    client_id: ClientId(int(r, "client_id")?),
                    time_zone: parsed(r, "time_zone", TimeZoneName::parse)?,
                    oldest: if oldest.is_empty() {
                        None
                    } else {
                        Some(
                            oldest.parse().map_err(|e| {
                                Error::Store(StoreError::Other(format!("column oldest: {e}")))
                            })?,
                        )
                    },
                })
            })
            .collect()
    }
}
