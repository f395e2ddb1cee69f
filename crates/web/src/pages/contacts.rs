//! Contact pages: add, edit and remove a client's contacts, and a contact's history.

use super::back_to;
use super::confirm::{Ask, confirm};
use super::history::{HistoryOf, history_page};
use super::{FormErrors, FormPage, Page, Viewer, form_response, form_result, redirect_with_flash};
use crate::AppState;
use crate::error::WebError;
use accountable_core::actor::Permission;
use accountable_core::client::ContactForm;
use accountable_core::id::{ClientId, ContactId};
use accountable_core::record::RecordKind;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};

/// The routes of this area.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/clients/{id}/contacts",
            back_to("/clients/{id}/contacts/new").post(create),
        )
        .route("/clients/{id}/contacts/new", get(new))
        .route("/contacts/{id}", back_to("/contacts/{id}/edit").post(update))
        .route("/contacts/{id}/edit", get(edit))
        .route("/contacts/{id}/remove", get(ask_remove).post(remove))
        .route("/contacts/{id}/history", get(history))
}

#[derive(Template)]
#[template(path = "contacts/form.html")]
struct FormTemplate {
    page: Page,
    client_name: String,
    form: ContactForm,
    errors: FormErrors,
    action: String,
    cancel: String,
    remove_action: Option<String>,
    history_link: Option<String>,
}

type ContactPage<'a> = FormPage<'a, ContactForm, ClientId>;

/// A contact's form; `remove` is the removal action of a contact that exists.
async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    p: ContactPage<'_>,
    remove: Option<String>,
) -> Result<Response, WebError> {
    let client = state.services.get_client(viewer.actor(), p.of).await?;
    let template = FormTemplate {
        page: viewer.page(state, &p.title, "clients").await?,
        client_name: client.fields.name,
        form: p.form,
        errors: FormErrors::new(viewer.ctx.tr(), p.errors),
        action: p.action,
        cancel: p.cancel,
        history_link: remove.as_ref().map(|r| r.replace("/remove", "/history")),
        remove_action: remove,
    };
    Ok(form_response(p.errors, &template))
}

async fn new(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(client): Path<ClientId>,
) -> Result<Response, WebError> {
    state.services.get_client(viewer.actor(), client).await?;
    viewer.actor().require(Permission::ManageClients)?;
    let title = viewer.ctx.tr().t("contacts.new_title").to_string();
    let page = FormPage {
        title,
        of: client,
        form: ContactForm::default(),
        errors: &[],
        action: format!("/clients/{client}/contacts"),
        cancel: format!("/clients/{client}"),
    };
    form_page(&state, &viewer, page, None).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(client): Path<ClientId>,
    Form(form): Form<ContactForm>,
) -> Result<Response, WebError> {
    match form_result(state.services.add_contact(viewer.actor(), client, &form).await)? {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/clients/{client}"),
            "contact-saved",
        )),
        Err(errors) => {
            let title = viewer.ctx.tr().t("contacts.new_title").to_string();
            let action = format!("/clients/{client}/contacts");
            form_page(
                &state,
                &viewer,
                FormPage {
                    title,
                    of: client,
                    form,
                    errors: &errors,
                    action,
                    cancel: format!("/clients/{client}"),
                },
                None,
            )
            .await
        }
    }
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ContactId>,
) -> Result<Response, WebError> {
    let contact = state.services.get_contact(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    let title = viewer
        .ctx
        .tr()
        .tf("contacts.edit_title", &[("name", &contact.fields.name)]);
    let page = FormPage {
        title,
        of: contact.client_id,
        form: ContactForm::from_contact(&contact.fields),
        errors: &[],
        action: format!("/contacts/{id}"),
        cancel: format!("/clients/{}", contact.client_id),
    };
    form_page(&state, &viewer, page, Some(format!("/contacts/{id}/remove"))).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ContactId>,
    Form(form): Form<ContactForm>,
) -> Result<Response, WebError> {
    match form_result(state.services.update_contact(viewer.actor(), id, &form).await)? {
        Ok(c) => Ok(redirect_with_flash(
            &state,
            &format!("/clients/{}", c.client_id),
            "contact-saved",
        )),
        Err(errors) => {
            let contact = state.services.get_contact(viewer.actor(), id).await?;
            let title = viewer
                .ctx
                .tr()
                .tf("contacts.edit_title", &[("name", &contact.fields.name)]);
            let page = FormPage {
                title,
                of: contact.client_id,
                form,
                errors: &errors,
                action: format!("/contacts/{id}"),
                cancel: format!("/clients/{}", contact.client_id),
            };
            form_page(&state, &viewer, page, Some(format!("/contacts/{id}/remove"))).await
        }
    }
}

async fn ask_remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ContactId>,
) -> Result<Response, WebError> {
    let contact = state.services.get_contact(viewer.actor(), id).await?;
    viewer.actor().require(Permission::ManageClients)?;
    confirm(
        &state,
        &viewer,
        Ask::ContactRemove,
        &contact.fields.name,
        format!("/contacts/{id}/remove"),
        format!("/contacts/{id}/edit"),
    )
    .await
}

async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ContactId>,
) -> Result<Response, WebError> {
    let removed = state.services.remove_contact(viewer.actor(), id).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/clients/{}", removed.client_id),
        "contact-removed",
    ))
}

async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ContactId>,
) -> Result<Response, WebError> {
    let contact = state.services.get_contact(viewer.actor(), id).await?;
    let of = HistoryOf {
        entity: RecordKind::Contact,
        id: id.0,
        name: &contact.fields.name,
        back: format!("/clients/{}", contact.client_id),
    };
    history_page(&state, &viewer, of).await
}
