//! A client's KPIs and data: each KPI with its latest value and a sparkline of the last 90 days (server-rendered
//! SVG, no JavaScript), leading indicators labelled as such; the preset KPIs to add; the import history with undo.

use super::back_to;
use super::confirm::{Ask, confirm};
use super::{Page, Viewer, html, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use accountable_core::actor::Permission;
use accountable_core::id::ClientId;
use accountable_core::import::ImportId;
use accountable_core::kpi::{KpiKind, Unit};
use accountable_core::locale::Formatter;
use accountable_core::types::{Currency, Money};
use accountable_documents::chart::sparkline_points;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use jiff::ToSpan;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients/{id}/kpis", get(show))
        .route("/clients/{id}/kpis/document.pdf", get(document))
        .route(
            "/clients/{id}/kpis/presets",
            back_to("/clients/{id}/kpis").post(add_presets),
        )
        .route("/imports/{id}/undo", get(ask_undo).post(undo))
}

struct KpiRow {
    name: String,
    leading: bool,
    unit: String,
    latest: String,
    /// The day of the latest value, or the period it totals.
    latest_day: String,
    /// Whether the latest value is a period total.
    period_total: bool,
    sparkline: Option<String>,
}

struct ImportRow {
    id: i64,
    file: String,
    format: String,
    values: String,
    when: String,
    undone: bool,
}

#[derive(Template)]
#[template(path = "clients/kpis.html")]
struct KpisTemplate {
    page: Page,
    client_id: i64,
    client_name: String,
    kpis: Vec<KpiRow>,
    /// Whether a latest value is a period total (the page then says what that means).
    any_period_total: bool,
    goals: Vec<super::goals::PacingView>,
    moves: Vec<MoveRow>,
    moves_title: String,
    quiet_moves: i64,
    imports: Vec<ImportRow>,
    can_manage: bool,
    /// How many presets of the client's business model it lacks (the button shows only when some are missing).
    presets_missing: usize,
}

struct MoveRow {
    kpi: String,
    leading: bool,
    value: String,
    mom: String,
    yoy: String,
    good: bool,
    seasonal: bool,
}

/// A change in percent with its sign, one decimal, or a dash without one.
pub(crate) fn percent_change(fmt: &Formatter, change: Option<f64>) -> String {
    match change {
        Some(c) => format!(
            "{}{} %",
            if c >= 0.0 { "+" } else { "−" },
            fmt.decimal((c.abs() * 10.0).round() as i64, 1)
        ),
        None => "—".into(),
    }
}

/// A KPI's value as the person's locale writes it: money with the client's currency, percent points with a
/// percent sign, counts whole, other figures with two decimals.
pub fn kpi_value(fmt: &Formatter, unit: Unit, currency: Currency, v: f64) -> String {
    match unit {
        Unit::Money => fmt.money(Money {
            minor: (v * 10f64.powi(currency.minor_digits() as i32)).round() as i64,
            currency,
        }),
        Unit::Percent => format!("{} %", fmt.decimal((v * 100.0).round() as i64, 2)),
        Unit::Count => fmt.integer(v.round() as i64),
        Unit::Ratio | Unit::Position | Unit::Seconds => fmt.decimal((v * 100.0).round() as i64, 2),
    }
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let fmt = tr.fmt();
    let client = state.services.get_client(viewer.actor(), id).await?;
    let kpis = state.services.client_kpis(viewer.actor(), id).await?;
    // One window for every sparkline: the 90 days up to the client's latest value.
    let to = kpis
        .iter()
        .filter_map(|k| k.latest.map(|(d, _)| d))
        .max()
        .unwrap_or_else(|| client.today(state.services.now()));
    let from = to.checked_sub(89.days()).unwrap_or(to);
    let series = state.services.client_series(viewer.actor(), id, from, to).await?;
    let mut rows = Vec::with_capacity(kpis.len());
    for k in &kpis {
        let values: Vec<f64> = series
            .iter()
            .filter(|m| m.kpi_id == k.kpi.id)
            .map(|m| m.value)
            .collect();
        let f = &k.kpi.fields;
        let latest = k
            .latest
            .map(|(_, v)| kpi_value(fmt, f.unit, client.fields.currency, v));
        rows.push(KpiRow {
            name: f.name.clone(),
            leading: f.kind == KpiKind::Leading,
            unit: tr.t(&format!("kpis.unit.{}", f.unit.as_str())).to_string(),
            latest: latest.unwrap_or_else(|| "—".into()),
            latest_day: match (k.latest_from, k.latest) {
                (Some(from), Some((to, _))) => tr.tf(
                    "kpis.period_total",
                    &[("from", &fmt.date(from)), ("to", &fmt.date(to))],
                ),
                (_, latest) => latest.map(|(d, _)| fmt.date(d)).unwrap_or_default(),
            },
            period_total: k.latest_from.is_some(),
            sparkline: sparkline_points(&values),
        });
    }
    let today = client.today(state.services.now());
    let goals = state
        .services
        .client_pacing(viewer.actor(), id, today)
        .await?
        .iter()
        .map(|g| super::goals::pacing_view(&tr, client.fields.currency, g))
        .collect();
    let month = accountable_core::moves::last_full_month(today);
    let all_moves = state.services.notable_moves(viewer.actor(), id, month).await?;
    let quiet_moves = i64::try_from(all_moves.iter().filter(|m| !m.is_notable()).count()).unwrap_or(i64::MAX);
    let moves = all_moves
        .iter()
        .filter(|m| m.is_notable())
        .filter_map(|m| {
            let k = kpis.iter().find(|k| k.kpi.id == m.kpi_id)?;
            Some(MoveRow {
                kpi: k.kpi.fields.name.clone(),
                leading: k.kpi.fields.kind == KpiKind::Leading,
                value: kpi_value(fmt, k.kpi.fields.unit, client.fields.currency, m.value),
                mom: percent_change(fmt, m.mom_percent),
                yoy: percent_change(fmt, m.yoy_percent),
                good: m.good,
                seasonal: m.seasonal,
            })
        })
        .collect();
    let moves_title = tr.tf("moves.title", &[("month", &fmt.month(month))]);
    let imports = if viewer.actor().can(Permission::ViewHistory) {
        state
            .services
            .imports(viewer.actor(), id)
            .await?
            .into_iter()
            .map(|i| ImportRow {
                id: i.id.0,
                file: i.file_name,
                format: super::imports::say_format(&tr, &i.format),
                values: fmt.integer(i.values),
                when: format!("{} UTC", fmt.date_time(i.created_at, "UTC")),
                undone: i.undone_at.is_some(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let have: Vec<String> = kpis.iter().map(|k| k.kpi.fields.name.to_lowercase()).collect();
    let presets_missing =
        accountable_core::kpi::presets(client.fields.business_model, client.fields.language)
            .iter()
            .filter(|p| !have.contains(&p.name.to_lowercase()))
            .count();
    let title = tr.tf("kpis.title", &[("name", &client.fields.name)]);
    let template = KpisTemplate {
        page: viewer.page(&state, &title, "clients").await?,
        client_id: id.0,
        client_name: client.fields.name,
        any_period_total: rows.iter().any(|r| r.period_total),
        kpis: rows,
        goals,
        moves,
        moves_title,
        quiet_moves,
        imports,
        can_manage: viewer.actor().can(Permission::ManageClients),
        presets_missing,
    };
    Ok(html(&template))
}

/// The page's content as a PDF document in the client's language (`crate::kpi_document`).
async fn document(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
) -> Result<Response, WebError> {
    let (name, bytes) = crate::kpi_document::pdf(&state.services, viewer.actor(), id, None).await?;
    Ok(crate::kpi_document::download(&name, bytes))
}

async fn add_presets(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
) -> Result<Response, WebError> {
    state.services.add_preset_kpis(viewer.actor(), id).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/clients/{id}/kpis"),
        "presets-added",
    ))
}

async fn ask_undo(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ImportId>,
) -> Result<Response, WebError> {
    let import = state.services.get_import(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    let fmt = Formatter::for_language(viewer.ctx.language);
    let subject = format!(
        "{} · {} UTC",
        import.file_name,
        fmt.date_time(import.created_at, "UTC")
    );
    confirm(
        &state,
        &viewer,
        Ask::ImportUndo,
        &subject,
        format!("/imports/{id}/undo"),
        format!("/clients/{}/kpis", import.client_id),
    )
    .await
}

async fn undo(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ImportId>,
) -> Result<Response, WebError> {
    let import = state.services.undo_import(viewer.actor(), id).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/clients/{}/kpis", import.client_id),
        "import-undone",
    ))
}
