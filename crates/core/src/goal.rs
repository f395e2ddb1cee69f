//! Goals: a business goal in words tied to one of the client's KPIs, with a baseline, a target and the rule its
//! pacing is judged by. A goal belongs to an engagement. Its pacing, forecast and chart data come from
//! [`crate::pacing`] on the KPI's stored daily figures.

use crate::actor::{Actor, Permission};
use crate::audit::snapshot;
use crate::error::{Error, FieldError, Result};
use crate::id::{AgencyId, ClientId, EngagementId};
use crate::kpi::{Kpi, KpiId};
use crate::pacing::{Pacing, PacingRule, Plan, pace};
use crate::record::{AuditAction, RecordKind};
use crate::series::{Daily, day_number, from_day_number};
use crate::service::{Change, Services, record};
use crate::types::{parse_date, required_text};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A goal's id.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GoalId(pub i64);

impl std::fmt::Display for GoalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A goal's fields, parsed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct GoalInput {
    /// The business goal in words, such as "Double qualified leads by June".
    pub statement: String,
    /// The KPI that measures it (the client's).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub kpi_id: KpiId,
    /// The KPI's 30-day figure at the start.
    pub baseline_value: f64,
    /// The day of the baseline.
    pub baseline_date: Date,
    /// The 30-day figure to reach.
    pub target_value: f64,
    /// The day to reach it by.
    pub target_date: Date,
    /// How pacing is judged.
    pub pacing: PacingRule,
}

/// A goal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    /// Its id.
    pub id: GoalId,
    /// The agency.
    pub agency_id: AgencyId,
    /// The client.
    pub client_id: ClientId,
    /// The engagement it belongs to.
    pub engagement_id: EngagementId,
    /// Its fields.
    #[serde(flatten)]
    pub fields: GoalInput,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A goal's fields as typed. An empty baseline value is read from the KPI's figures on the baseline date.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GoalForm {
    /// The goal in words.
    pub statement: String,
    /// The KPI's id.
    pub kpi_id: String,
    /// A number; empty to read it from the KPI's figures.
    pub baseline_value: String,
    /// `YYYY-MM-DD`.
    pub baseline_date: String,
    /// A number.
    pub target_value: String,
    /// `YYYY-MM-DD`.
    pub target_date: String,
    /// `straight-line` or `seasonal`.
    pub pacing: String,
}

impl GoalForm {
    /// The form showing a goal's fields, for editing.
    pub fn from_goal(g: &GoalInput) -> Self {
        Self {
            statement: g.statement.clone(),
            kpi_id: g.kpi_id.0.to_string(),
            baseline_value: g.baseline_value.to_string(),
            baseline_date: g.baseline_date.to_string(),
            target_value: g.target_value.to_string(),
            target_date: g.target_date.to_string(),
            pacing: g.pacing.as_str().to_string(),
        }
    }
}

/// A goal with its KPI and its pacing on a day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct GoalPacing {
    /// The goal.
    pub goal: Goal,
    /// Its KPI.
    pub kpi: Kpi,
    /// Its pacing.
    pub pacing: Pacing,
}

/// Everything a goal's page shows: pacing, the KPI's 30-day figure day by day and the pacing line.
#[derive(Debug, Clone, Serialize)]
pub struct GoalDetail {
    /// The goal, its KPI and pacing.
    pub goal: GoalPacing,
    /// The 30-day figure, a point a week from the baseline date (or the first data) to the day.
    pub actual: Vec<(Date, f64)>,
    /// The pacing line, a point a week from baseline to target.
    pub line: Vec<(Date, f64)>,
    /// The day it is paced on.
    pub day: Date,
}

/// Every goal of a client with its pacing on `day`, in one read of the figures, in the caller's transaction.
pub(crate) async fn pacing_of(
    tx: &mut dyn crate::store::Tx,
    agency: AgencyId,
    client: ClientId,
    day: Date,
) -> Result<Vec<GoalPacing>> {
    let goals = tx.list_goals(agency, client).await?;
    if goals.is_empty() {
        return Ok(Vec::new());
    }
    let kpis = tx.list_kpis(agency, client).await?;
    let ranges: Vec<(Date, Date)> = windows(&goals, day)
        .into_iter()
        .map(|(from, to)| (from_day_number(from), from_day_number(to)))
        .collect();
    let values = tx.list_daily_values(agency, client, None, &ranges).await?;
    Ok(goals
        .into_iter()
        .filter_map(|goal| {
            let kpi = kpis.iter().find(|k| k.id == goal.fields.kpi_id)?.clone();
            let series = series_of(&values, kpi.id);
            let pacing = pace(&plan(&goal.fields, &kpi), &series, day);
            Some(GoalPacing { goal, kpi, pacing })
        })
        .collect())
}

fn plan(goal: &GoalInput, kpi: &Kpi) -> Plan {
    Plan {
        baseline: (goal.baseline_date, goal.baseline_value),
        target: (goal.target_date, goal.target_value),
        rule: goal.pacing,
        aggregation: kpi.fields.aggregation,
        direction: kpi.fields.direction,
    }
}

/// The days of figures a goal's pacing reads on `day`: from a year before its baseline (last year's shape) or
/// 12 weeks before the day (the forecast), to the day.
fn reach(goal: &GoalInput, day: Date) -> (Date, Date) {
    let from = day_number(goal.baseline_date).min(day_number(day) - 90) - 364 - 31;
    (from_day_number(from), day)
}

/// The only days pacing on `day` reads, as merged ranges: the 12 weeks up to the day (the figure and the
/// forecast) and, for last year's shape, the 30 days up to each of the three days a year back that it compares.
fn windows(goals: &[Goal], day: Date) -> Vec<(i64, i64)> {
    let d = day_number(day);
    let mut ranges = vec![(d - 7 * crate::pacing::FORECAST_WEEKS + 1, d)];
    for g in goals {
        if g.fields.pacing != PacingRule::Seasonal {
            continue;
        }
        let (b, t) = (
            day_number(g.fields.baseline_date),
            day_number(g.fields.target_date),
        );
        for end in [b, t, d.clamp(b, t.max(b))] {
            let end = end - crate::pacing::LAST_YEAR_DAYS;
            ranges.push((end - crate::series::WINDOW + 1, end));
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (a, b) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

fn series_of(values: &[(KpiId, Date, f64)], kpi: KpiId) -> Daily {
    Daily::new(
        values
            .iter()
            .filter(|(k, _, _)| *k == kpi)
            .map(|(_, d, v)| (*d, *v)),
    )
}

impl Services {
    async fn parse_goal(
        &self,
        tx: &mut dyn crate::store::Tx,
        actor: &Actor,
        client: ClientId,
        form: &GoalForm,
    ) -> Result<GoalInput> {
        let mut errors = Vec::new();
        let statement = required_text("statement", &form.statement, 300)
            .map_err(|e| errors.push(e))
            .ok();
        let kpis = tx.list_kpis(actor.agency_id, client).await?;
        let kpi = match form.kpi_id.trim().parse::<i64>() {
            Ok(id) => kpis.iter().find(|k| k.id.0 == id),
            Err(_) => None,
        };
        if kpi.is_none() {
            errors.push(FieldError::new(
                "kpi_id",
                "required",
                "choose one of the client's KPIs",
            ));
        }
        let baseline_date = parse_date("baseline_date", &form.baseline_date)
            .map_err(|e| errors.push(e))
            .ok();
        let target_date = parse_date("target_date", &form.target_date)
            .map_err(|e| errors.push(e))
            .ok();
        if let (Some(b), Some(t)) = (baseline_date, target_date) {
            if t <= b {
                errors.push(FieldError::new(
                    "target_date",
                    "before-baseline",
                    "the target date must come after the baseline date",
                ));
            } else if day_number(t) - day_number(b) > 5 * 366 {
                errors.push(FieldError::new(
                    "target_date",
                    "too-far",
                    "the target date must be at most five years after the baseline date",
                ));
            }
        }
        let figure = |field: &str, raw: &str| match kpi.map(|k| k.fields.unit) {
            Some(crate::kpi::Unit::Percent) => crate::typed::percent(field, raw, actor.language),
            _ => crate::typed::number(field, raw, actor.language),
        };
        let target_value = figure("target_value", &form.target_value)
            .map_err(|e| errors.push(e))
            .ok();
        let pacing = PacingRule::parse(
            "pacing",
            if form.pacing.trim().is_empty() {
                "straight-line"
            } else {
                &form.pacing
            },
        )
        .map_err(|e| errors.push(e))
        .ok();
        let baseline_value = if form.baseline_value.trim().is_empty() {
            match (kpi, baseline_date) {
                (Some(k), Some(day)) => {
                    let from = from_day_number(day_number(day) - 40);
                    let values = tx
                        .list_daily_values(actor.agency_id, client, Some(k.id), &[(from, day)])
                        .await?;
                    let figure = series_of(&values, k.id).figure(k.fields.aggregation, day);
                    if figure.is_none() {
                        errors.push(FieldError::new(
                            "baseline_value",
                            "no-figure",
                            "the KPI has too few values in the 30 days up to the baseline date: type the baseline",
                        ));
                    }
                    figure
                }
                _ => None,
            }
        } else {
            figure("baseline_value", &form.baseline_value)
                .map_err(|e| errors.push(e))
                .ok()
        };
        match (
            statement,
            kpi,
            baseline_value,
            baseline_date,
            target_value,
            target_date,
            pacing,
        ) {
            (
                Some(statement),
                Some(kpi),
                Some(baseline_value),
                Some(baseline_date),
                Some(target_value),
                Some(target_date),
                Some(pacing),
            ) if errors.is_empty() => Ok(GoalInput {
                statement,
                kpi_id: kpi.id,
                baseline_value,
                baseline_date,
                target_value,
                target_date,
                pacing,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }

    /// Adds a goal to an engagement.
    pub async fn create_goal(
        &self,
        actor: &Actor,
        engagement: EngagementId,
        form: &GoalForm,
    ) -> Result<Goal> {
        // A goal's standing is its client's data: the client's values lock first, as for every such write.
        let of = self
            .read()
            .await?
            .get_engagement(actor.agency_id, actor.client_scope(), engagement)
            .await?
            .client_id;
        let mut tx = self.write_client(actor.agency_id, of).await?;
        let e = tx
            .get_engagement(actor.agency_id, actor.client_scope(), engagement)
            .await?;
        actor.require(Permission::ManageClients)?;
        let input = self.parse_goal(tx.as_mut(), actor, e.client_id, form).await?;
        let now = self.now();
        let goal = tx
            .insert_goal(actor.agency_id, e.client_id, engagement, &input, now)
            .await?;
        let change = Change::created(AuditAction::GoalCreated, goal.id.0, snapshot(&goal.fields));
        record(tx.as_mut(), actor, now, change).await?;
        crate::home::refresh(tx.as_mut(), actor.agency_id, &[e.client_id], now).await?;
        tx.commit().await?;
        Ok(goal)
    }

    /// A transaction for a change to a goal: its client's values lock, then the chain lock (a goal's standing is
    /// its client's data, kept with every such write).
    async fn write_goal(&self, actor: &Actor, id: GoalId) -> Result<Box<dyn crate::store::Tx>> {
        let of = self
            .read()
            .await?
            .get_goal(actor.agency_id, actor.client_scope(), id)
            .await?
            .client_id;
        self.write_client(actor.agency_id, of).await
    }

    /// Replaces a goal's fields.
    pub async fn update_goal(&self, actor: &Actor, id: GoalId, form: &GoalForm) -> Result<Goal> {
        let mut tx = self.write_goal(actor, id).await?;
        let before = tx.get_goal(actor.agency_id, actor.client_scope(), id).await?;
        actor.require(Permission::ManageClients)?;
        let input = self
            .parse_goal(tx.as_mut(), actor, before.client_id, form)
            .await?;
        let now = self.now();
        let after = tx.update_goal(actor.agency_id, id, &input, now).await?;
        let change = Change::updated(
            AuditAction::GoalUpdated,
            id.0,
            snapshot(&before.fields),
            snapshot(&after.fields),
        );
        record(tx.as_mut(), actor, now, change).await?;
        crate::home::refresh(tx.as_mut(), actor.agency_id, &[after.client_id], now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Removes a goal (its history stays in the audit trail).
    pub async fn delete_goal(&self, actor: &Actor, id: GoalId) -> Result<()> {
        let mut tx = self.write_goal(actor, id).await?;
        let before = tx.get_goal(actor.agency_id, actor.client_scope(), id).await?;
        actor.require(Permission::ManageClients)?;
        tx.delete_goal(actor.agency_id, id).await?;
        let change = Change::deleted(AuditAction::GoalDeleted, id.0, snapshot(&before.fields));
        record(tx.as_mut(), actor, self.now(), change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One goal.
    pub async fn get_goal(&self, actor: &Actor, id: GoalId) -> Result<Goal> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_goal(actor.agency_id, actor.client_scope(), id).await
    }

    /// Every goal of a client with its pacing on `day`, in one read of the figures.
    pub async fn client_pacing(&self, actor: &Actor, client: ClientId, day: Date) -> Result<Vec<GoalPacing>> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        pacing_of(tx.as_mut(), actor.agency_id, client, day).await
    }

    /// A goal's page: its pacing on `day` (by default the client's today, in its time zone), the KPI's 30-day
    /// figure a week apart, and the pacing line.
    pub async fn goal_detail(&self, actor: &Actor, id: GoalId, day: Option<Date>) -> Result<GoalDetail> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        let goal = tx.get_goal(actor.agency_id, actor.client_scope(), id).await?;
        let day = match day {
            Some(day) => day,
            None => tx
                .get_client(actor.agency_id, actor.client_scope(), goal.client_id)
                .await?
                .today(self.now()),
        };
        let kpi = tx
            .list_kpis(actor.agency_id, goal.client_id)
            .await?
            .into_iter()
            .find(|k| k.id == goal.fields.kpi_id)
            .ok_or(Error::NotFound {
                entity: RecordKind::Kpi,
            })?;
        let (from, to) = reach(&goal.fields, day);
        let values = tx
            .list_daily_values(actor.agency_id, goal.client_id, Some(kpi.id), &[(from, to)])
            .await?;
        let series = series_of(&values, kpi.id);
        let plan = plan(&goal.fields, &kpi);
        let pacing = pace(&plan, &series, day);
        let start = series
            .span()
            .map(|(first, _)| first.max(goal.fields.baseline_date))
            .unwrap_or(goal.fields.baseline_date);
        let mut actual = Vec::new();
        let mut n = day_number(day);
        // A chart of at most three years before the day asked for.
        let start = day_number(start).max(n - 3 * 366);
        while n >= start {
            let d = from_day_number(n);
            if let Some(v) = series.figure(kpi.fields.aggregation, d) {
                actual.push((d, v));
            }
            n -= 7;
        }
        actual.reverse();
        let line = crate::pacing::line(&plan, &series, 7);
        Ok(GoalDetail {
            goal: GoalPacing { goal, kpi, pacing },
            actual,
            line,
            day,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacing_reads_only_the_weeks_of_the_forecast_and_last_years_three_windows() {
        let goal = |pacing| Goal {
            id: GoalId(1),
            agency_id: AgencyId(1),
            client_id: ClientId(1),
            engagement_id: EngagementId(1),
            fields: GoalInput {
                statement: "x".into(),
                kpi_id: KpiId(1),
                baseline_value: 1.0,
                baseline_date: jiff::civil::date(2026, 1, 1),
                target_value: 2.0,
                target_date: jiff::civil::date(2026, 12, 31),
                pacing,
            },
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        };
        let day = jiff::civil::date(2026, 7, 1);
        let d = day_number(day);
        assert_eq!(windows(&[goal(PacingRule::StraightLine)], day), [(d - 83, d)]);
        let seasonal = windows(&[goal(PacingRule::Seasonal)], day);
        assert_eq!(seasonal.len(), 4, "{seasonal:?}");
        let days: i64 = seasonal.iter().map(|(a, b)| b - a + 1).sum();
        assert_eq!(days, 84 + 3 * 30);
    }
}
