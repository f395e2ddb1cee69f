//! Engagement pages: add and edit a client's engagements, an engagement's page and history.

use super::history::{HistoryOf, history_page};
use super::{FormErrors, FormPage, Page, Viewer, form_response, form_result, html, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use accountable_core::actor::Permission;
use accountable_core::engagement::EngagementForm;
use accountable_core::id::{ClientId, EngagementId};
use accountable_core::record::RecordKind;
use accountable_core::types::Role;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/clients/{id}/engagements",
            super::back_to("/clients/{id}/engagements/new").post(create),
        )
        .route("/clients/{id}/engagements/new", get(new))
        .route("/engagements/{id}", get(show).post(update))
        .route("/engagements/{id}/edit", get(edit))
        .route("/engagements/{id}/history", get(history))
}

#[derive(Template)]
#[template(path = "engagements/form.html")]
struct FormTemplate {
    page: Page,
    client_name: String,
    form: EngagementForm,
    errors: FormErrors,
    action: String,
    cancel: String,
    budget_label: String,
    account_executives: Vec<(String, String)>,
}

type EngagementPage<'a> = FormPage<'a, EngagementForm, ClientId>;

async fn form_page(state: &AppState, viewer: &Viewer, p: EngagementPage<'_>) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let client = state.services.get_client(viewer.actor(), p.of).await?;
    let mut account_executives = vec![(String::new(), tr.t("form.choose").to_string())];
    account_executives.extend(
        state
            .services
            .list_people(viewer.actor())
            .await?
            .into_iter()
            .filter(|u| u.active && matches!(u.role, Role::AccountExecutive | Role::Owner))
            .map(|u| (u.id.to_string(), u.name)),
    );
    let template = FormTemplate {
        page: viewer.page(state, &p.title, "clients").await?,
        budget_label: tr.tf("field.budget_in", &[("currency", client.fields.currency.code())]),
        client_name: client.fields.name,
        form: p.form,
        errors: FormErrors::new(tr, p.errors),
        action: p.action,
        cancel: p.cancel,
        account_executives,
    };
    Ok(form_response(p.errors, &template))
}

async fn new(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(client): Path<ClientId>,
) -> Result<Response, WebError> {
    let form = state.services.new_engagement_form(viewer.actor(), client).await?;
    let page = FormPage {
        title: viewer.ctx.tr().t("engagements.new_title").to_string(),
        of: client,
        form,
        errors: &[],
        action: format!("/clients/{client}/engagements"),
        cancel: format!("/clients/{client}"),
    };
    form_page(&state, &viewer, page).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(client): Path<ClientId>,
    Form(form): Form<EngagementForm>,
) -> Result<Response, WebError> {
    match form_result(
        state
            .services
            .create_engagement(viewer.actor(), client, &form)
            .await,
    )? {
        Ok(e) => Ok(redirect_with_flash(
            &state,
            &format!("/engagements/{}", e.id),
            "engagement-saved",
        )),
        Err(errors) => {
            let page = FormPage {
                title: viewer.ctx.tr().t("engagements.new_title").to_string(),
                of: client,
                form,
                errors: &errors,
                action: format!("/clients/{client}/engagements"),
                cancel: format!("/clients/{client}"),
            };
            form_page(&state, &viewer, page).await
        }
    }
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<EngagementId>,
) -> Result<Response, WebError> {
    let e = state.services.get_engagement(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    let page = FormPage {
        title: viewer
            .ctx
            .tr()
            .tf("engagements.edit_title", &[("title", &e.fields.title)]),
        of: e.client_id,
        form: EngagementForm::from_engagement(&e.fields),
        errors: &[],
        action: format!("/engagements/{id}"),
        cancel: format!("/engagements/{id}"),
    };
    form_page(&state, &viewer, page).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<EngagementId>,
    Form(form): Form<EngagementForm>,
) -> Result<Response, WebError> {
    match form_result(state.services.update_engagement(viewer.actor(), id, &form).await)? {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/engagements/{id}"),
            "engagement-saved",
        )),
        Err(errors) => {
            let e = state.services.get_engagement(viewer.actor(), id).await?;
            let page = FormPage {
                title: viewer
                    .ctx
                    .tr()
                    .tf("engagements.edit_title", &[("title", &e.fields.title)]),
                of: e.client_id,
                form,
                errors: &errors,
                action: format!("/engagements/{id}"),
                cancel: format!("/engagements/{id}"),
            };
            form_page(&state, &viewer, page).await
        }
    }
}

struct EngagementView {
    id: i64,
    client_id: i64,
    client_name: String,
    title: String,
    period: String,
    budget: String,
    account_executive: String,
    scope: String,
}

#[derive(Template)]
#[template(path = "engagements/show.html")]
struct ShowTemplate {
    page: Page,
    e: EngagementView,
    goals: Vec<super::goals::PacingView>,
    can_manage: bool,
    can_history: bool,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<EngagementId>,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let fmt = tr.fmt();
    let e = state.services.get_engagement(viewer.actor(), id).await?;
    let client = state.services.get_client(viewer.actor(), e.client_id).await?;
    let account_executive = if viewer.actor().can(Permission::ViewPeople) {
        state
            .services
            .get_person(viewer.actor(), e.fields.account_executive_id)
            .await
            .map(|u| u.name)
            .unwrap_or_default()
    } else {
        String::new()
    };
    let today = state.services.client_today(viewer.actor(), e.client_id).await?;
    let goals = state
        .services
        .client_pacing(viewer.actor(), e.client_id, today)
        .await?
        .iter()
        .filter(|g| g.goal.engagement_id == e.id)
        .map(|g| super::goals::pacing_view(&tr, client.fields.currency, g))
        .collect();
    let view = EngagementView {
        id: e.id.0,
        client_id: e.client_id.0,
        client_name: client.fields.name,
        title: e.fields.title.clone(),
        period: format!(
            "{} – {}",
            fmt.date(e.fields.starts_on),
            fmt.date(e.fields.ends_on)
        ),
        budget: fmt.money(e.fields.budget),
        account_executive,
        scope: e.fields.scope.clone(),
    };
    let template = ShowTemplate {
        page: viewer.page(&state, &e.fields.title, "clients").await?,
        e: view,
        goals,
        can_manage: viewer.actor().can(Permission::ManageClients),
        can_history: viewer.actor().can(Permission::ViewHistory),
    };
    Ok(html(&template))
}

async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<EngagementId>,
) -> Result<Response, WebError> {
    let e = state.services.get_engagement(viewer.actor(), id).await?;
    let of = HistoryOf {
        entity: RecordKind::Engagement,
        id: id.0,
        name: &e.fields.title,
        back: format!("/engagements/{id}"),
    };
    history_page(&state, &viewer, of).await
}
