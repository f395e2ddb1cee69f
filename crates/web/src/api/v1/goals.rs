//! `/api/v1`: a client's KPIs, measurements (read, and written in bulk), goals with their pacing, and the month's
//! moves.

use crate::AppState;
use crate::api::{ApiJson, ApiPath, ApiQuery, ApiViewer};
use crate::error::{ApiError, ApiErrorBody};
use accountable_core::error::Error;
use accountable_core::goal::{Goal, GoalForm, GoalId, GoalPacing};
use accountable_core::id::{ClientId, EngagementId};
use accountable_core::kpi::{Kpi, KpiForm, Measurement};
use accountable_core::moves::Move;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_kpis, create_kpi))
        .routes(routes!(list_measurements, write_measurements))
        .routes(routes!(list_goals))
        .routes(routes!(create_goal))
        .routes(routes!(show_goal, update_goal, delete_goal))
        .routes(routes!(list_moves))
        .routes(routes!(kpi_document))
}

/// A KPI with its latest whole value.
#[derive(Serialize, ToSchema)]
struct KpiItem {
    kpi: Kpi,
    /// The day (or period end) of the latest value.
    latest_day: Option<Date>,
    /// The first day of the latest value's period when it is a total over a date range (from an export that
    /// gives only totals), never spread into days; absent for a day's value.
    latest_from: Option<Date>,
    /// The latest value.
    latest_value: Option<f64>,
}

/// A client's KPIs.
#[derive(Serialize, ToSchema)]
struct KpiList {
    items: Vec<KpiItem>,
}

/// Values of a client's KPIs.
#[derive(Serialize, Deserialize, ToSchema)]
struct MeasurementList {
    #[serde(default)]
    items: Vec<Measurement>,
}

/// How many values were written.
#[derive(Serialize, ToSchema)]
struct Written {
    written: u64,
}

/// A client's goals with their pacing.
#[derive(Serialize, ToSchema)]
struct GoalList {
    items: Vec<GoalPacing>,
}

/// A client's KPIs' moves in a month.
#[derive(Serialize, ToSchema)]
struct MoveList {
    /// The month's first day.
    month: Date,
    /// Every KPI with figures for the month, notable or not.
    items: Vec<Move>,
}

/// A range of days.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct Range {
    /// First day, `YYYY-MM-DD`.
    from: Date,
    /// Last day, `YYYY-MM-DD`.
    to: Date,
}

/// The day to judge pacing on.
#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct DayParam {
    /// `YYYY-MM-DD`; the client's today (in its time zone) when absent.
    day: Option<Date>,
}

/// The month to read.
#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct MonthParam {
    /// Any day of the month, `YYYY-MM-DD`; the last full month when absent.
    month: Option<Date>,
}

/// A client's KPIs with their latest values: business results first, then leading indicators.
#[utoipa::path(get, path = "/api/v1/clients/{id}/kpis", tag = "kpis", params(("id" = i64, Path, description = "The client's id")),
    responses((status = 200, body = KpiList), (status = 404, body = ApiErrorBody)))]
async fn list_kpis(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
) -> Result<Json<KpiList>, ApiError> {
    let items = state
        .services
        .client_kpis(&s.actor, id)
        .await?
        .into_iter()
        .map(|k| KpiItem {
            latest_day: k.latest.map(|(d, _)| d),
            latest_from: k.latest_from,
            latest_value: k.latest.map(|(_, v)| v),
            kpi: k.kpi,
        })
        .collect();
    Ok(Json(KpiList { items }))
}

/// Adds a KPI to a client.
#[utoipa::path(post, path = "/api/v1/clients/{id}/kpis", tag = "kpis", params(("id" = i64, Path, description = "The client's id")),
    request_body = KpiForm,
    responses((status = 201, body = Kpi), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_kpi(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(form): ApiJson<KpiForm>,
) -> Result<(StatusCode, Json<Kpi>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.services.add_kpi(&s.actor, id, &form).await?),
    ))
}

/// A client's values whose period lies between two days (at most 3 years): daily values, period totals
/// (`period_start` ≠ `period_end`) and breakdowns (a non-empty `dimension`).
#[utoipa::path(get, path = "/api/v1/clients/{id}/measurements", tag = "kpis", params(("id" = i64, Path, description = "The client's id"), Range),
    responses((status = 200, body = MeasurementList), (status = 404, body = ApiErrorBody)))]
async fn list_measurements(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(range): ApiQuery<Range>,
) -> Result<Json<MeasurementList>, ApiError> {
    let items = state
        .services
        .client_measurements(&s.actor, id, range.from, range.to)
        .await?;
    Ok(Json(MeasurementList { items }))
}

/// Writes values in bulk, in one transaction: a value for the same KPI, period and dimension replaces the one
/// there, so sending the same values twice changes nothing. Every KPI must be the client's.
#[utoipa::path(put, path = "/api/v1/clients/{id}/measurements", tag = "kpis", params(("id" = i64, Path, description = "The client's id")),
    request_body = MeasurementList,
    responses((status = 200, body = Written), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn write_measurements(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(body): ApiJson<MeasurementList>,
) -> Result<Json<Written>, ApiError> {
    if body.items.len() > 100_000 {
        return Err(Error::field("items", "too-many", "send at most 100,000 values at a time").into());
    }
    let written = state
        .services
        .write_measurements(&s.actor, id, &body.items)
        .await?;
    Ok(Json(Written { written }))
}

/// A client's goals, each with its KPI and its pacing on a day: where the figure should be, where it is,
/// ahead / on track / behind, and a forecast for the target date.
#[utoipa::path(get, path = "/api/v1/clients/{id}/goals", tag = "goals", params(("id" = i64, Path, description = "The client's id"), DayParam),
    responses((status = 200, body = GoalList), (status = 404, body = ApiErrorBody)))]
async fn list_goals(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<DayParam>,
) -> Result<Json<GoalList>, ApiError> {
    let day = match q.day {
        Some(day) => day,
        None => state.services.client_today(&s.actor, id).await?,
    };
    Ok(Json(GoalList {
        items: state.services.client_pacing(&s.actor, id, day).await?,
    }))
}

/// The client's goals and KPIs as a PDF document in the client's language: each goal's pacing with its chart,
/// the KPIs with their latest value and trend, leading indicators apart, and the last full month's notable moves.
#[utoipa::path(get, path = "/api/v1/clients/{id}/kpis/document.pdf", tag = "goals",
    params(("id" = i64, Path, description = "The client's id"), DayParam),
    responses(
        (status = 200, description = "The document (A4, fonts embedded)", content_type = "application/pdf", body = Vec<u8>),
        (status = 404, body = ApiErrorBody)))]
async fn kpi_document(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<DayParam>,
) -> Result<axum::response::Response, ApiError> {
    let (name, bytes) = crate::kpi_document::pdf(&state.services, &s.actor, id, q.day).await?;
    Ok(crate::kpi_document::download(&name, bytes))
}

/// Adds a goal to an engagement. An empty `baseline_value` is read from the KPI's 30-day figure on the
/// baseline date.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/goals", tag = "goals", params(("id" = i64, Path, description = "The engagement's id")),
    request_body = GoalForm,
    responses((status = 201, body = Goal), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_goal(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<EngagementId>,
    ApiJson(form): ApiJson<GoalForm>,
) -> Result<(StatusCode, Json<Goal>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_goal(&s.actor, id, &form).await?),
    ))
}

/// One goal with its KPI and its pacing on a day.
#[utoipa::path(get, path = "/api/v1/goals/{id}", tag = "goals", params(("id" = i64, Path, description = "The goal's id"), DayParam),
    responses((status = 200, body = GoalPacing), (status = 404, body = ApiErrorBody)))]
async fn show_goal(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<GoalId>,
    ApiQuery(q): ApiQuery<DayParam>,
) -> Result<Json<GoalPacing>, ApiError> {
    Ok(Json(state.services.goal_detail(&s.actor, id, q.day).await?.goal))
}

/// Replaces a goal's fields.
#[utoipa::path(put, path = "/api/v1/goals/{id}", tag = "goals", params(("id" = i64, Path, description = "The goal's id")),
    request_body = GoalForm,
    responses((status = 200, body = Goal), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_goal(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<GoalId>,
    ApiJson(form): ApiJson<GoalForm>,
) -> Result<Json<Goal>, ApiError> {
    Ok(Json(state.services.update_goal(&s.actor, id, &form).await?))
}

/// Removes a goal (its history stays in the audit trail).
#[utoipa::path(delete, path = "/api/v1/goals/{id}", tag = "goals", params(("id" = i64, Path, description = "The goal's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
async fn delete_goal(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<GoalId>,
) -> Result<StatusCode, ApiError> {
    state.services.delete_goal(&s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every KPI's month-over-month and year-over-year change in a month, with whether it is notable (outside the
/// KPI's normal variation) and seasonal.
#[utoipa::path(get, path = "/api/v1/clients/{id}/moves", tag = "goals", params(("id" = i64, Path, description = "The client's id"), MonthParam),
    responses((status = 200, body = MoveList), (status = 404, body = ApiErrorBody)))]
async fn list_moves(
    State(state): State<AppState>,
    ApiViewer(s): ApiViewer,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<MonthParam>,
) -> Result<Json<MoveList>, ApiError> {
    let month = match q.month {
        Some(d) => d.first_of_month(),
        None => accountable_core::moves::last_full_month(state.services.client_today(&s.actor, id).await?),
    };
    Ok(Json(MoveList {
        month,
        items: state.services.notable_moves(&s.actor, id, month).await?,
    }))
}
