//! The home page's rows: goal standings as last computed, KPIs' last days with a value, and the plain reads the
//! page is made of (one query each, whatever the number of clients).

use crate::error::db;
use crate::row::{date, id_list, int, parsed, text, ts};
use crate::tx::{AnyQuery, SqlTx};
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::goal::GoalId;
use accountable_core::home::{ClientRow, EngagementRow, GoalRow, GoalStanding, StaleRow, StandingDue};
use accountable_core::id::{AgencyId, ClientId, UserId};
use accountable_core::pacing::Standing;
use accountable_core::store::HomeTx;
use accountable_core::types::TimeZoneName;
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;

fn standing_word(s: Option<Standing>) -> &'static str {
    s.map_or("", Standing::as_str)
}

/// The condition that keeps only the clients with an engagement `of` runs, on the column `client` and the
/// statement's parameter number `n` (empty without `of`).
fn of_clause(of: Option<UserId>, client: &str, n: usize) -> String {
    match of {
        Some(_) => format!(
            " AND {client} IN (SELECT o.client_id FROM engagements o WHERE o.agency_id = $1 AND o.account_executive_id = ${n})"
        ),
        None => String::new(),
    }
}

/// Binds `of`'s id when [`of_clause`] asked for it.
fn bind_of(query: AnyQuery<'_>, of: Option<UserId>) -> AnyQuery<'_> {
    match of {
        Some(u) => query.bind(u.0),
        None => query,
    }
}

fn bad_json(e: impl std::fmt::Display) -> Error {
    Error::Store(StoreError::Other(format!("home row: {e}")))
}

fn standing_word_of(word: Option<&str>) -> Result<Option<Standing>> {
    match word {
        None | Some("") => Ok(None),
        Some("ahead") => Ok(Some(Standing::Ahead)),
        Some("on-track") => Ok(Some(Standing::OnTrack)),
        Some("behind") => Ok(Some(Standing::Behind)),
        Some(other) => Err(Error::Store(StoreError::Other(format!(
            "column standing: unknown standing {other:?}"
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

    async fn home_clients(
        &mut self,
        agency: AgencyId,
        of: Option<UserId>,
    ) -> Result<Vec<(ClientRow, Option<EngagementRow>)>> {
        // One row a client, its engagements as a JSON array (see `home_goals`).
        let engagements = match self.backend {
            crate::Backend::Sqlite => {
                "(SELECT json_group_array(json_array(e.account_executive_id, u.name, e.starts_on, e.ends_on)) \
                 FROM engagements e JOIN users u ON u.id = e.account_executive_id AND u.agency_id = e.agency_id \
                 WHERE e.client_id = c.id AND e.agency_id = c.agency_id)"
            }
            crate::Backend::Postgres => {
                "(SELECT COALESCE(json_agg(json_build_array(e.account_executive_id, u.name, e.starts_on, e.ends_on)), '[]')::text \
                 FROM engagements e JOIN users u ON u.id = e.account_executive_id AND u.agency_id = e.agency_id \
                 WHERE e.client_id = c.id AND e.agency_id = c.agency_id)"
            }
        };
        let only = of_clause(of, "c.id", 2);
        let rows = bind_of(
            sqlx::query(&format!(
                "SELECT c.id, c.name, c.time_zone, {engagements} AS engagements FROM clients c \
                 WHERE c.agency_id = $1 AND c.archived_at IS NULL{only} ORDER BY c.name_key, c.id"
            ))
            .bind(agency.0),
            of,
        )
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        type Engagement = (i64, String, String, String);
        let mut out = Vec::new();
        for r in &rows {
            let id = ClientId(int(r, "id")?);
            let client = ClientRow {
                id,
                name: text(r, "name")?,
                // Checked when it was written; looking each name up again costs more than the query.
                time_zone: TimeZoneName::from_stored(text(r, "time_zone")?),
            };
            let engagements: Vec<Engagement> =
                serde_json::from_str(&text(r, "engagements")?).map_err(bad_json)?;
            if engagements.is_empty() {
                out.push((client, None));
                continue;
            }
            for (ae, name, starts_on, ends_on) in engagements {
                out.push((
                    client.clone(),
                    Some(EngagementRow {
                        client_id: id,
                        account_executive: UserId(ae),
                        account_executive_name: name,
                        starts_on: starts_on.parse().map_err(bad_json)?,
                        ends_on: ends_on.parse().map_err(bad_json)?,
                    }),
                ));
            }
        }
        Ok(out)
    }

    async fn home_goals(&mut self, agency: AgencyId, of: Option<UserId>) -> Result<Vec<GoalRow>> {
        // One row a client, its goals as a JSON array: at a thousand clients the driver's cost is per value
        // read, and this reads two a client instead of six a goal (docs/PERFORMANCE.md, "Home").
        let goals = match self.backend {
            crate::Backend::Sqlite => {
                "json_group_array(json_array(g.id, g.statement, k.name, s.standing, s.day))"
            }
            crate::Backend::Postgres => {
                "json_agg(json_build_array(g.id, g.statement, k.name, s.standing, s.day))::text"
            }
        };
        let only = of_clause(of, "g.client_id", 2);
        let rows = bind_of(
            sqlx::query(&format!(
                "SELECT g.client_id, {goals} AS goals \
                 FROM goals g JOIN clients c ON c.id = g.client_id AND c.agency_id = g.agency_id \
                 JOIN kpis k ON k.id = g.kpi_id AND k.agency_id = g.agency_id \
                 LEFT JOIN goal_standings s ON s.goal_id = g.id \
                 WHERE g.agency_id = $1 AND c.archived_at IS NULL{only} GROUP BY g.client_id"
            ))
            .bind(agency.0),
            of,
        )
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        type Goal = (i64, String, String, Option<String>, Option<String>);
        let mut out = Vec::new();
        for r in &rows {
            let client_id = ClientId(int(r, "client_id")?);
            let goals: Vec<Goal> = serde_json::from_str(&text(r, "goals")?)
                .map_err(|e| Error::Store(StoreError::Other(format!("column goals: {e}"))))?;
            for (id, statement, kpi_name, standing, day) in goals {
                out.push(GoalRow {
                    id: GoalId(id),
                    client_id,
                    statement,
                    kpi_name,
                    standing: standing_word_of(standing.as_deref())?,
                    judged_on: day
                        .map(|d| d.parse::<Date>())
                        .transpose()
                        .map_err(|e| Error::Store(StoreError::Other(format!("column day: {e}"))))?,
                });
            }
        }
        out.sort_by_key(|g| g.id.0);
        Ok(out)
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

    async fn home_stale_kpis(
        &mut self,
        agency: AgencyId,
        before: Date,
        of: Option<UserId>,
    ) -> Result<Vec<StaleRow>> {
        let only = of_clause(of, "k.client_id", 3);
        let rows = bind_of(
            sqlx::query(&format!(
                "SELECT k.client_id, k.name, k.source, k.last_value_on FROM kpis k \
                 JOIN clients c ON c.id = k.client_id AND c.agency_id = k.agency_id \
                 WHERE k.agency_id = $1 AND k.last_value_on < $2 AND c.archived_at IS NULL{only}"
            ))
            .bind(agency.0)
            .bind(before.to_string()),
            of,
        )
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(StaleRow {
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
