//! Client pages: the list with search and paging, the client's page, the form to add or edit, archive and
//! restore, and the client's history.

use super::back_to;
use super::confirm::{Ask, confirm};
use super::history::{HistoryOf, history_page};
use super::{FormErrors, FormPage, Page, Viewer, form_response, form_result, html, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use crate::i18n::{Tr, native_name};
use accountable_core::actor::Permission;
use accountable_core::client::{Client, ClientForm, ClientListQuery};
use accountable_core::id::ClientId;
use accountable_core::record::RecordKind;
use accountable_core::types::{BusinessModel, Language};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients", get(list).post(create))
        .route("/clients/new", get(new))
        .route("/clients/{id}", get(show).post(update))
        .route("/clients/{id}/edit", get(edit))
        .route("/clients/{id}/archive", get(ask_archive).post(archive))
        .route("/clients/{id}/restore", back_to("/clients/{id}").post(restore))
        .route("/clients/{id}/history", get(history))
}

/// Clients per page of the list.
const PAGE_SIZE: i64 = 50;

/// One row of the list, in the page's language.
struct ClientRow {
    id: ClientId,
    name: String,
    business_model: String,
    language: &'static str,
    time_zone: String,
    currency: &'static str,
}

#[derive(Template)]
#[template(path = "clients/list.html")]
struct ListTemplate {
    page: Page,
    rows: Vec<ClientRow>,
    q: String,
    archived: bool,
    can_manage: bool,
    summary: String,
    page_label: String,
    prev_link: Option<String>,
    next_link: Option<String>,
    /// "There is no page 7: the list has 2." when the page asked for lies beyond the last (empty otherwise).
    beyond_last: String,
    /// The first page of the same list, for that case.
    first_link: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    page: Option<i64>,
    archived: Option<String>,
}

fn list_link(q: &str, archived: bool, page: i64) -> String {
    let mut link = format!("/clients?page={page}");
    if !q.is_empty() {
        link.push_str(&format!("&q={}", super::encode_component(q)));
    }
    if archived {
        link.push_str("&archived=1");
    }
    link
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    super::PageQuery(query): super::PageQuery<ListQuery>,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let archived = query
        .archived
        .as_deref()
        .is_some_and(|a| !a.is_empty() && a != "0");
    let page_number = query.page.unwrap_or(1).max(1);
    let list_query = ClientListQuery {
        search: query.q.clone(),
        archived,
        offset: (page_number - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    let (clients, total) = state
        .services
        .list_client_summaries(viewer.actor(), &list_query)
        .await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let rows = clients
        .iter()
        .map(|c| ClientRow {
            id: c.id,
            name: c.name.clone(),
            business_model: tr
                .t(&format!("business_model.{}", c.business_model.as_str()))
                .to_string(),
            language: native_name(c.language),
            time_zone: c.time_zone.as_str().to_string(),
            currency: c.currency.code(),
        })
        .collect();
    let fmt = tr.fmt();
    let template = ListTemplate {
        page: viewer.page(&state, tr.t("clients.title"), "clients").await?,
        rows,
        q: query.q.trim().to_string(),
        archived,
        can_manage: viewer.actor().can(Permission::ManageClients),
        summary: tr.tn("clients.count", total, &[]),
        page_label: tr.tf(
            "pager.page_of",
            &[
                ("page", &fmt.integer(page_number)),
                ("pages", &fmt.integer(pages)),
            ],
        ),
        prev_link: (page_number > 1).then(|| list_link(query.q.trim(), archived, page_number - 1)),
        next_link: (page_number < pages).then(|| list_link(query.q.trim(), archived, page_number + 1)),
        beyond_last: if total > 0 && page_number > pages {
            tr.tf(
                "clients.beyond_last",
                &[
                    ("page", &fmt.integer(page_number)),
                    ("pages", &fmt.integer(pages)),
                ],
            )
        } else {
            String::new()
        },
        first_link: list_link(query.q.trim(), archived, 1),
    };
    Ok(html(&template))
}

#[derive(Template)]
#[template(path = "clients/form.html")]
struct FormTemplate {
    page: Page,
    form: ClientForm,
    errors: FormErrors,
    action: String,
    cancel: String,
    business_models: Options,
    languages: Options,
    weekdays: Options,
}

/// A select's options: (value, text).
type Options = Vec<(String, String)>;

/// The choices of the client form, in the page's language: business models, languages, weekdays.
fn choices(tr: Tr) -> (Options, Options, Options) {
    let business_models = BusinessModel::ALL
        .iter()
        .map(|b| {
            (
                b.as_str().to_string(),
                tr.t(&format!("business_model.{}", b.as_str())).to_string(),
            )
        })
        .collect();
    let languages = Language::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), native_name(*l).to_string()))
        .collect();
    let weekdays = (1..=7)
        .map(|d| (d.to_string(), tr.t(&format!("weekday.{d}")).to_string()))
        .collect();
    (business_models, languages, weekdays)
}

/// A client's form (a new client belongs to no record: `of` is `()`).
async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    p: FormPage<'_, ClientForm, ()>,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let (business_models, languages, weekdays) = choices(tr);
    let template = FormTemplate {
        page: viewer.page(state, &p.title, "clients").await?,
        form: p.form,
        errors: FormErrors::new(tr, p.errors),
        action: p.action,
        cancel: p.cancel,
        business_models,
        languages,
        weekdays,
    };
    Ok(form_response(p.errors, &template))
}

async fn new(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    viewer.actor().require(Permission::ManageClients)?;
    let tr = viewer.ctx.tr();
    let form = ClientForm {
        business_model: BusinessModel::LeadGeneration.as_str().into(),
        language: viewer.actor().language.as_str().into(),
        time_zone: "Europe/Budapest".into(),
        currency: "EUR".into(),
        weekly_report_weekday: "1".into(),
        weekly_report_time: "12:00".into(),
        ..Default::default()
    };
    form_page(
        &state,
        &viewer,
        FormPage {
            title: tr.t("clients.new_title").to_string(),
            of: (),
            form,
            errors: &[],
            action: "/clients".into(),
            cancel: "/clients".into(),
        },
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ClientForm>,
) -> Result<Response, WebError> {
    match form_result(state.services.create_client(viewer.actor(), &form).await)? {
        Ok(client) => Ok(redirect_with_flash(
            &state,
            &format!("/clients/{}", client.id),
            "client-created",
        )),
        Err(errors) => {
            let title = viewer.ctx.tr().t("clients.new_title");
            form_page(
                &state,
                &viewer,
                FormPage {
                    title: title.to_string(),
                    of: (),
                    form,
                    errors: &errors,
                    action: "/clients".into(),
                    cancel: "/clients".into(),
                },
            )
            .await
        }
    }
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
) -> Result<Response, WebError> {
    let client = state.services.get_client(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    let title = viewer
        .ctx
        .tr()
        .tf("clients.edit_title", &[("name", &client.fields.name)]);
    let form = ClientForm::from_client(&client.fields);
    form_page(
        &state,
        &viewer,
        FormPage {
            title,
            of: (),
            form,
            errors: &[],
            action: format!("/clients/{id}"),
            cancel: format!("/clients/{id}"),
        },
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
    Form(form): Form<ClientForm>,
) -> Result<Response, WebError> {
    match form_result(state.services.update_client(viewer.actor(), id, &form).await)? {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/clients/{id}"),
            "client-saved",
        )),
        Err(errors) => {
            let client = state.services.get_client(viewer.actor(), id).await?;
            let title = viewer
                .ctx
                .tr()
                .tf("clients.edit_title", &[("name", &client.fields.name)]);
            form_page(
                &state,
                &viewer,
                FormPage {
                    title,
                    of: (),
                    form,
                    errors: &errors,
                    action: format!("/clients/{id}"),
                    cancel: format!("/clients/{id}"),
                },
            )
            .await
        }
    }
}

async fn ask_archive(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
) -> Result<Response, WebError> {
    let client = state.services.get_client(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    confirm(
        &state,
        &viewer,
        Ask::ClientArchive,
        &client.fields.name,
        format!("/clients/{id}/archive"),
        format!("/clients/{id}"),
    )
    .await
}

async fn archive(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
) -> Result<Response, WebError> {
    state
        .services
        .set_client_archived(viewer.actor(), id, true)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/clients/{id}"),
        "client-archived",
    ))
}

async fn restore(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
) -> Result<Response, WebError> {
    state
        .services
        .set_client_archived(viewer.actor(), id, false)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/clients/{id}"),
        "client-restored",
    ))
}

/// A client's fields as the page shows them.
struct ClientView {
    id: ClientId,
    name: String,
    business_model: String,
    time_zone: String,
    language: &'static str,
    currency: &'static str,
    address: String,
    vat_number: String,
    weekly_report: String,
    created_at: String,
}

fn client_view(tr: Tr, c: &Client) -> ClientView {
    let f = &c.fields;
    ClientView {
        id: c.id,
        name: f.name.clone(),
        business_model: tr
            .t(&format!("business_model.{}", f.business_model.as_str()))
            .to_string(),
        time_zone: f.time_zone.as_str().to_string(),
        language: native_name(f.language),
        currency: f.currency.code(),
        address: f.address.clone(),
        vat_number: f.vat_number.clone(),
        weekly_report: tr.tf(
            "clients.weekly_report_at",
            &[
                ("weekday", tr.t(&format!("weekday.{}", f.weekly_report.weekday))),
                ("time", &f.weekly_report.time_text()),
                ("zone", f.time_zone.as_str()),
            ],
        ),
        created_at: format!(
            "{} ({})",
            tr.fmt().date_time(c.created_at, f.time_zone.as_str()),
            f.time_zone.as_str()
        ),
    }
}

struct ContactRow {
    id: i64,
    name: String,
    email: String,
    phone: String,
    job_title: String,
    primary: bool,
    portal: bool,
}

struct EngagementRow {
    id: i64,
    title: String,
    period: String,
    budget: String,
    account_executive: String,
}

#[derive(Template)]
#[template(path = "clients/show.html")]
struct ShowTemplate {
    page: Page,
    c: ClientView,
    archived: bool,
    can_manage: bool,
    can_history: bool,
    contacts: Vec<ContactRow>,
    engagements: Vec<EngagementRow>,
    /// The preset KPIs offered to a client that has none yet, by name.
    presets: Vec<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let overview = state.services.client_overview(viewer.actor(), id).await?;
    let people = if viewer.actor().can(Permission::ViewPeople) {
        state.services.list_people(viewer.actor()).await?
    } else {
        Vec::new()
    };
    let fmt = tr.fmt();
    let contacts = overview
        .contacts
        .iter()
        .map(|k| ContactRow {
            id: k.id.0,
            name: k.fields.name.clone(),
            email: k.fields.email.to_string(),
            phone: k.fields.phone.clone(),
            job_title: k.fields.job_title.clone(),
            primary: k.fields.is_primary,
            portal: k.user_id.is_some(),
        })
        .collect();
    let engagements = overview
        .engagements
        .iter()
        .map(|e| EngagementRow {
            id: e.id.0,
            title: e.fields.title.clone(),
            period: format!(
                "{} – {}",
                fmt.date(e.fields.starts_on),
                fmt.date(e.fields.ends_on)
            ),
            budget: fmt.money(e.fields.budget),
            account_executive: people
                .iter()
                .find(|p| p.id == e.fields.account_executive_id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    // A client without KPIs is offered its business model's presets (right after it is created, say).
    let presets = if viewer.actor().can(Permission::ManageClients)
        && state.services.client_kpis(viewer.actor(), id).await?.is_empty()
    {
        accountable_core::kpi::presets(
            overview.client.fields.business_model,
            overview.client.fields.language,
        )
        .into_iter()
        .map(|k| k.name)
        .collect()
    } else {
        Vec::new()
    };
    let template = ShowTemplate {
        presets,
        page: viewer
            .page(&state, &overview.client.fields.name, "clients")
            .await?,
        c: client_view(tr, &overview.client),
        archived: overview.client.archived_at.is_some(),
        can_manage: viewer.actor().can(Permission::ManageClients),
        can_history: viewer.actor().can(Permission::ViewHistory),
        contacts,
        engagements,
    };
    Ok(html(&template))
}

async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ClientId>,
) -> Result<Response, WebError> {
    let client = state.services.get_client(viewer.actor(), id).await?;
    history_page(
        &state,
        &viewer,
        HistoryOf {
            entity: RecordKind::Client,
            id: id.0,
            name: &client.fields.name,
            back: format!("/clients/{id}"),
        },
    )
    .await
}
