//! Goal pages: add and edit an engagement's goals, and a goal's page with its pacing in words and a chart of the
//! KPI's 30-day figure against the pacing line and the forecast (server-rendered SVG).

use super::back_to;
use super::confirm::{Ask, confirm};
use super::history::{HistoryOf, history_page};
use super::kpis::kpi_value;
use super::{FormErrors, FormPage, Page, Viewer, form_response, form_result, html, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use crate::i18n::Tr;
use accountable_core::actor::Permission;
use accountable_core::goal::{GoalForm, GoalId, GoalPacing};
use accountable_core::id::EngagementId;
use accountable_core::kpi::KpiKind;
use accountable_core::pacing::{PacingRule, SeasonalFallback, Standing};
use accountable_core::record::RecordKind;
use accountable_core::types::Currency;
use accountable_documents::chart::{Chart, ChartBuilder};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use jiff::civil::Date;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/engagements/{id}/goals",
            back_to("/engagements/{id}/goals/new").post(create),
        )
        .route("/engagements/{id}/goals/new", get(new))
        .route("/goals/{id}", get(show).post(update))
        .route("/goals/{id}/edit", get(edit))
        .route("/goals/{id}/delete", get(ask_delete).post(delete))
        .route("/goals/{id}/history", get(history))
}

#[derive(Template)]
#[template(path = "goals/form.html")]
struct FormTemplate {
    page: Page,
    engagement_title: String,
    form: GoalForm,
    errors: FormErrors,
    action: String,
    cancel: String,
    kpis: Vec<(String, String)>,
    rules: Vec<(String, String)>,
}

type GoalPage<'a> = FormPage<'a, GoalForm, EngagementId>;

async fn form_page(state: &AppState, viewer: &Viewer, p: GoalPage<'_>) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let e = state.services.get_engagement(viewer.actor(), p.of).await?;
    let mut kpis = vec![(String::new(), tr.t("form.choose").to_string())];
    kpis.extend(
        state
            .services
            .client_kpis(viewer.actor(), e.client_id)
            .await?
            .into_iter()
            .map(|k| {
                let label = if k.kpi.fields.kind == KpiKind::Leading {
                    format!("{} ({})", k.kpi.fields.name, tr.t("kpis.leading"))
                } else {
                    k.kpi.fields.name
                };
                (k.kpi.id.to_string(), label)
            }),
    );
    let rules = [PacingRule::StraightLine, PacingRule::Seasonal]
        .iter()
        .map(|r| {
            (
                r.as_str().to_string(),
                tr.t(&format!("goals.rule.{}", r.as_str())).to_string(),
            )
        })
        .collect();
    let template = FormTemplate {
        page: viewer.page(state, &p.title, "clients").await?,
        engagement_title: e.fields.title,
        form: p.form,
        errors: FormErrors::new(tr, p.errors),
        action: p.action,
        cancel: p.cancel,
        kpis,
        rules,
    };
    Ok(form_response(p.errors, &template))
}

async fn new(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<EngagementId>,
) -> Result<Response, WebError> {
    let e = state.services.get_engagement(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    let form = GoalForm {
        baseline_date: e.fields.starts_on.to_string(),
        target_date: e.fields.ends_on.to_string(),
        pacing: PacingRule::StraightLine.as_str().into(),
        ..Default::default()
    };
    let page = FormPage {
        title: viewer.ctx.tr().t("goals.new_title").to_string(),
        of: id,
        form,
        errors: &[],
        action: format!("/engagements/{id}/goals"),
        cancel: format!("/engagements/{id}"),
    };
    form_page(&state, &viewer, page).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<EngagementId>,
    Form(form): Form<GoalForm>,
) -> Result<Response, WebError> {
    match form_result(state.services.create_goal(viewer.actor(), id, &form).await)? {
        Ok(goal) => Ok(redirect_with_flash(
            &state,
            &format!("/goals/{}", goal.id),
            "goal-saved",
        )),
        Err(errors) => {
            let page = FormPage {
                title: viewer.ctx.tr().t("goals.new_title").to_string(),
                of: id,
                form,
                errors: &errors,
                action: format!("/engagements/{id}/goals"),
                cancel: format!("/engagements/{id}"),
            };
            form_page(&state, &viewer, page).await
        }
    }
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<GoalId>,
) -> Result<Response, WebError> {
    let goal = state.services.get_goal(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    let page = FormPage {
        title: viewer.ctx.tr().t("goals.edit_title").to_string(),
        of: goal.engagement_id,
        form: GoalForm::from_goal(&goal.fields),
        errors: &[],
        action: format!("/goals/{id}"),
        cancel: format!("/goals/{id}"),
    };
    form_page(&state, &viewer, page).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<GoalId>,
    Form(form): Form<GoalForm>,
) -> Result<Response, WebError> {
    match form_result(state.services.update_goal(viewer.actor(), id, &form).await)? {
        Ok(_) => Ok(redirect_with_flash(&state, &format!("/goals/{id}"), "goal-saved")),
        Err(errors) => {
            let goal = state.services.get_goal(viewer.actor(), id).await?;
            let page = FormPage {
                title: viewer.ctx.tr().t("goals.edit_title").to_string(),
                of: goal.engagement_id,
                form,
                errors: &errors,
                action: format!("/goals/{id}"),
                cancel: format!("/goals/{id}"),
            };
            form_page(&state, &viewer, page).await
        }
    }
}

async fn ask_delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<GoalId>,
) -> Result<Response, WebError> {
    let goal = state.services.get_goal(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    confirm(
        &state,
        &viewer,
        Ask::GoalDelete,
        &goal.fields.statement,
        format!("/goals/{id}/delete"),
        format!("/goals/{id}"),
    )
    .await
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<GoalId>,
) -> Result<Response, WebError> {
    let goal = state.services.get_goal(viewer.actor(), id).await?;
    state.services.delete_goal(viewer.actor(), id).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/engagements/{}", goal.engagement_id),
        "goal-deleted",
    ))
}

async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<GoalId>,
) -> Result<Response, WebError> {
    let goal = state.services.get_goal(viewer.actor(), id).await?;
    let of = HistoryOf {
        entity: RecordKind::Goal,
        id: id.0,
        name: &goal.fields.statement,
        back: format!("/goals/{id}"),
    };
    history_page(&state, &viewer, of).await
}

/// A goal's pacing in the person's words, for the goal page and the client's KPI page.
pub struct PacingView {
    /// The goal's id.
    pub id: i64,
    /// The goal in words.
    pub statement: String,
    /// Its KPI's name.
    pub kpi: String,
    /// Whether the KPI is a leading indicator.
    pub leading: bool,
    /// `ahead`, `on-track`, `behind` or empty without data.
    pub standing: String,
    /// The standing in words.
    pub standing_text: String,
    /// Where the figure should be.
    pub expected: String,
    /// Where it is.
    pub actual: String,
    /// The gap, absolute and in percent.
    pub gap: String,
    /// Baseline and target with their days.
    pub baseline: String,
    /// The target with its day.
    pub target: String,
    /// The forecast in words, or why there is none.
    pub forecast: String,
    /// The rules used, in words.
    pub rule: String,
}

/// Says a goal's pacing in the person's language.
pub fn pacing_view(tr: &Tr, currency: Currency, g: &GoalPacing) -> PacingView {
    let fmt = tr.fmt();
    let unit = g.kpi.fields.unit;
    let value = |v: f64| kpi_value(fmt, unit, currency, v);
    let p = &g.pacing;
    let standing = p.standing.map(Standing::as_str).unwrap_or("");
    let gap = match (p.gap, p.gap_percent) {
        (Some(gap), Some(percent)) => format!(
            "{}{} ({}{} %)",
            if gap >= 0.0 { "+" } else { "−" },
            value(gap.abs()),
            if percent >= 0.0 { "+" } else { "−" },
            fmt.decimal((percent.abs() * 10.0).round() as i64, 1)
        ),
        _ => "—".into(),
    };
    let forecast = match &p.forecast {
        Some(f) => tr.tf(
            if f.reaches_target {
                "goals.forecast_reaches"
            } else {
                "goals.forecast_misses"
            },
            &[
                ("date", &fmt.date(g.goal.fields.target_date)),
                ("value", &value(f.value)),
                ("low", &value(f.low)),
                ("high", &value(f.high)),
                ("weeks", &f.weeks.to_string()),
            ],
        ),
        None if p.day >= g.goal.fields.target_date => tr.t("goals.forecast_past").to_string(),
        None => tr.t("goals.forecast_none").to_string(),
    };
    let line = match (p.rule, p.fallback) {
        (PacingRule::Seasonal, _) => tr.t("goals.line.seasonal"),
        (_, Some(SeasonalFallback::NoHistory)) => tr.t("goals.line.no-history"),
        (_, Some(SeasonalFallback::ZeroHistory)) => tr.t("goals.line.zero-history"),
        _ => tr.t("goals.line.straight-line"),
    };
    PacingView {
        id: g.goal.id.0,
        statement: g.goal.fields.statement.clone(),
        kpi: g.kpi.fields.name.clone(),
        leading: g.kpi.fields.kind == KpiKind::Leading,
        standing: standing.to_string(),
        standing_text: if standing.is_empty() {
            tr.t("goals.no_data").to_string()
        } else {
            tr.t(&format!("goals.standing.{standing}")).to_string()
        },
        expected: value(p.expected),
        actual: p.actual.map(value).unwrap_or_else(|| "—".into()),
        gap,
        baseline: format!(
            "{} ({})",
            value(g.goal.fields.baseline_value),
            fmt.date(g.goal.fields.baseline_date)
        ),
        target: format!(
            "{} ({})",
            value(g.goal.fields.target_value),
            fmt.date(g.goal.fields.target_date)
        ),
        forecast,
        rule: format!(
            "{} {} {}",
            tr.t("goals.rule_figure"),
            line,
            tr.t("goals.rule_band")
        ),
    }
}

#[derive(Template)]
#[template(path = "goals/show.html")]
struct ShowTemplate {
    page: Page,
    goal: PacingView,
    day: String,
    engagement_id: i64,
    engagement_title: String,
    client_id: i64,
    client_name: String,
    chart: Option<Chart>,
    chart_label: String,
    can_manage: bool,
    can_history: bool,
}

#[derive(serde::Deserialize)]
struct DayQuery {
    day: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<GoalId>,
    super::PageQuery(q): super::PageQuery<DayQuery>,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let fmt = tr.fmt();
    let day = q.day.as_deref().and_then(|d| d.parse::<Date>().ok());
    let detail = state.services.goal_detail(viewer.actor(), id, day).await?;
    let goal = &detail.goal.goal;
    let engagement = state
        .services
        .get_engagement(viewer.actor(), goal.engagement_id)
        .await?;
    let client = state.services.get_client(viewer.actor(), goal.client_id).await?;
    let currency = client.fields.currency;
    let unit = detail.goal.kpi.fields.unit;
    let mut chart = ChartBuilder::new()
        .line("plan", detail.line.clone())
        .line("actual", detail.actual.clone());
    if let (Some(f), Some(last)) = (&detail.goal.pacing.forecast, detail.actual.last()) {
        let end = goal.fields.target_date;
        chart = chart
            .band(vec![(last.0, last.1, last.1), (end, f.low, f.high)])
            .line("forecast", vec![*last, (end, f.value)]);
    }
    let chart = chart.build(|v| kpi_value(fmt, unit, currency, v), |m| fmt.month(m));
    let view = pacing_view(&tr, currency, &detail.goal);
    let template = ShowTemplate {
        page: viewer.page(&state, &goal.fields.statement, "clients").await?,
        chart_label: tr.tf("goals.chart_label", &[("kpi", &view.kpi)]),
        goal: view,
        day: fmt.date(detail.day),
        engagement_id: engagement.id.0,
        engagement_title: engagement.fields.title,
        client_id: client.id.0,
        client_name: client.fields.name,
        chart,
        can_manage: viewer.actor().can(Permission::ManageClients),
        can_history: viewer.actor().can(Permission::ViewHistory),
    };
    Ok(html(&template))
}
