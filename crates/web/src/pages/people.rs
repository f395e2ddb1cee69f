//! The people of the agency: the list, invitations, role changes, deactivation; and a person's history.

use super::back_to;
use super::confirm::{Ask, confirm};
use super::history::{HistoryOf, history_page};
use super::{FormErrors, Page, Viewer, form_result, html_with_status, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use accountable_core::actor::Permission;
use accountable_core::client::ClientListQuery;
use accountable_core::error::FieldError;
use accountable_core::id::UserId;
use accountable_core::record::RecordKind;
use accountable_core::types::Role;
use accountable_core::user::PersonForm;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(list))
        .route("/people/invite", back_to("/people").post(invite))
        .route("/people/{id}/role", back_to("/people").post(change_role))
        .route("/people/{id}/deactivate", get(ask_deactivate).post(deactivate))
        .route("/people/{id}/reactivate", back_to("/people").post(reactivate))
        .route("/people/{id}/history", get(history))
        .route(
            "/people/tokens/{id}/revoke",
            back_to("/people").post(revoke_token),
        )
}

struct PersonRow {
    id: i64,
    name: String,
    email: String,
    role: String,
    role_word: String,
    client: String,
    client_id: String,
    active: bool,
    is_me: bool,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListTemplate {
    page: Page,
    people: Vec<PersonRow>,
    can_manage: bool,
    can_history: bool,
    roles: Vec<(String, String)>,
    clients: Vec<(String, String)>,
    form: PersonForm,
    errors: FormErrors,
    invitation_link: Option<String>,
    invitations: Vec<(String, String, String)>,
    tokens: Vec<AgencyTokenRow>,
}

/// One API token of the agency, on the owner's People page.
struct AgencyTokenRow {
    id: i64,
    person: String,
    name: String,
    scope: String,
    expires: String,
    active: bool,
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    form: PersonForm,
    errors: &[FieldError],
    invitation_link: Option<String>,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let actor = viewer.actor();
    let people = state.services.list_people(actor).await?;
    let can_manage = actor.can(Permission::ManagePeople);
    let all_clients = ClientListQuery {
        limit: 500,
        ..Default::default()
    };
    let (clients, _) = state.services.list_clients(actor, &all_clients).await?;
    let client_name = |id: Option<accountable_core::id::ClientId>| {
        id.and_then(|id| clients.iter().find(|c| c.id == id))
            .map(|c| c.fields.name.clone())
            .unwrap_or_default()
    };
    let rows = people
        .iter()
        .map(|u| PersonRow {
            id: u.id.0,
            name: u.name.clone(),
            email: u.email.to_string(),
            role: tr.t(&format!("role.{}", u.role.as_str())).to_string(),
            role_word: u.role.as_str().to_string(),
            client: client_name(u.client_id),
            client_id: u.client_id.map(|c| c.to_string()).unwrap_or_default(),
            active: u.active,
            is_me: Some(u.id) == actor.user_id,
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_string(),
                tr.t(&format!("role.{}", r.as_str())).to_string(),
            )
        })
        .collect();
    let mut client_choices = vec![(String::new(), tr.t("people.no_client").to_string())];
    client_choices.extend(clients.iter().map(|c| (c.id.to_string(), c.fields.name.clone())));
    let invitations = if can_manage {
        state
            .services
            .open_invitations(actor)
            .await?
            .into_iter()
            .map(|i| {
                (
                    i.email.to_string(),
                    tr.t(&format!("role.{}", i.role.as_str())).to_string(),
                    tr.fmt().date_time(i.expires_at, "UTC"),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let now = state.services.now();
    let tokens = if can_manage {
        state
            .services
            .agency_tokens(actor)
            .await?
            .into_iter()
            .map(|(t, person)| AgencyTokenRow {
                id: t.id.0,
                person,
                name: t.name,
                scope: tr.t(&format!("settings.scope.{}", t.scope.as_str())).to_string(),
                expires: format!("{} UTC", tr.fmt().date_time(t.expires_at, "UTC")),
                active: t.revoked_at.is_none() && t.expires_at > now,
            })
            .collect()
    } else {
        Vec::new()
    };
    let template = ListTemplate {
        page: viewer.page(state, tr.t("people.title"), "people").await?,
        people: rows,
        can_manage,
        can_history: actor.can(Permission::ViewHistory),
        roles,
        clients: client_choices,
        form,
        errors: FormErrors::new(tr, errors),
        invitation_link,
        invitations,
        tokens,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_with_status(status, &template))
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    let form = PersonForm {
        role: Role::AccountExecutive.as_str().into(),
        ..Default::default()
    };
    list_page(&state, &viewer, form, &[], None).await
}

async fn invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<PersonForm>,
) -> Result<Response, WebError> {
    match form_result(state.services.invite(viewer.actor(), &form).await)? {
        Ok(issued) => {
            let link = format!(
                "{}/invitations/{}",
                state.web.public_url.trim_end_matches('/'),
                issued.token
            );
            let fresh = PersonForm {
                role: Role::AccountExecutive.as_str().into(),
                ..Default::default()
            };
            list_page(&state, &viewer, fresh, &[], Some(link)).await
        }
        Err(errors) => list_page(&state, &viewer, form, &errors, None).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    role: String,
    client_id: String,
}

async fn change_role(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<UserId>,
    Form(form): Form<RoleForm>,
) -> Result<Response, WebError> {
    match form_result(
        state
            .services
            .change_role(viewer.actor(), id, &form.role, &form.client_id)
            .await,
    )? {
        Ok(_) => Ok(redirect_with_flash(&state, "/people", "role-changed")),
        Err(errors) => {
            let fresh = PersonForm {
                role: Role::AccountExecutive.as_str().into(),
                ..Default::default()
            };
            list_page(&state, &viewer, fresh, &errors, None).await
        }
    }
}

async fn ask_deactivate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<UserId>,
) -> Result<Response, WebError> {
    let person = state.services.get_person(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManagePeople)?;
    let subject = format!("{} ({})", person.name, person.email.as_str());
    confirm(
        &state,
        &viewer,
        Ask::PersonDeactivate,
        &subject,
        format!("/people/{id}/deactivate"),
        "/people".to_string(),
    )
    .await
}

async fn deactivate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<UserId>,
) -> Result<Response, WebError> {
    state.services.set_active(viewer.actor(), id, false).await?;
    Ok(redirect_with_flash(&state, "/people", "person-deactivated"))
}

async fn reactivate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<UserId>,
) -> Result<Response, WebError> {
    state.services.set_active(viewer.actor(), id, true).await?;
    Ok(redirect_with_flash(&state, "/people", "person-reactivated"))
}

async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<UserId>,
) -> Result<Response, WebError> {
    let person = state.services.get_person(viewer.actor(), id).await?;
    let of = HistoryOf {
        entity: RecordKind::User,
        id: id.0,
        name: &person.name,
        back: "/people".to_string(),
    };
    history_page(&state, &viewer, of).await
}

/// The owner revokes any token of the agency from the People page.
async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<accountable_core::token::TokenId>,
) -> Result<Response, WebError> {
    viewer.actor().require(Permission::ManagePeople)?;
    state.services.revoke_token(viewer.actor(), id).await?;
    Ok(redirect_with_flash(&state, "/people", "token-revoked"))
}
