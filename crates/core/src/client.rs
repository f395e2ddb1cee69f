//! Clients and their contacts: create, edit, archive, restore, list with search and paging.

use crate::actor::{Actor, Permission};
use crate::audit::{AuditEvent, snapshot};
use crate::engagement::Engagement;
use crate::error::Conflict;
use crate::error::{Error, FieldError, Result};
use crate::id::{AgencyId, ClientId, ContactId, UserId};
use crate::record::{AuditAction, RecordKind};
use crate::service::{Change, Services, record};
use crate::types::{
    BusinessModel, Currency, Email, Language, TimeZoneName, WeeklyReportTime, optional_text, required_text,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A client of an agency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Client {
    /// Its id.
    pub id: ClientId,
    /// The agency it belongs to.
    pub agency_id: AgencyId,
    /// Its fields.
    #[serde(flatten)]
    pub fields: ClientInput,
    /// When it was archived; an archived client is hidden from the default list.
    pub archived_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Client {
    /// The day it is at `now` for this client, in its time zone.
    pub fn today(&self, now: jiff::Timestamp) -> jiff::civil::Date {
        self.fields.time_zone.today(now)
    }
}

/// A client's fields, parsed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ClientInput {
    /// The name, unique in the agency (case-insensitive).
    pub name: String,
    /// How the client makes money.
    pub business_model: BusinessModel,
    /// The client's IANA time zone, in which its reports go out.
    pub time_zone: TimeZoneName,
    /// The language of the client's documents.
    pub language: Language,
    /// The client's currency.
    pub currency: Currency,
    /// Postal address.
    pub address: String,
    /// VAT number.
    pub vat_number: String,
    /// When the weekly status report goes out, in the client's time zone.
    pub weekly_report: WeeklyReportTime,
}

/// A client's fields as typed on a form or sent to the API: all text, parsed by [`ClientForm::parse`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientForm {
    /// Name.
    pub name: String,
    /// `lead-generation`, `e-commerce`, `publisher` or `brand`.
    pub business_model: String,
    /// IANA time zone such as `Europe/Budapest`.
    pub time_zone: String,
    /// `en`, `hu`, `zh-Hans` or `zh-Hant`.
    pub language: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Postal address.
    pub address: String,
    /// VAT number.
    pub vat_number: String,
    /// Weekday of the weekly report, 1 (Monday) to 7; Monday when empty.
    pub weekly_report_weekday: String,
    /// Time of the weekly report as `HH:MM`; 12:00 when empty.
    pub weekly_report_time: String,
}

impl ClientForm {
    /// Parses every field, collecting every error.
    pub fn parse(&self) -> std::result::Result<ClientInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = required_text("name", &self.name, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let business_model = BusinessModel::parse("business_model", &self.business_model)
            .map_err(|e| errors.push(e))
            .ok();
        let time_zone = TimeZoneName::parse("time_zone", &self.time_zone)
            .map_err(|e| errors.push(e))
            .ok();
        let language = Language::parse("language", &self.language)
            .map_err(|e| errors.push(e))
            .ok();
        let currency = Currency::parse("currency", &self.currency)
            .map_err(|e| errors.push(e))
            .ok();
        let address = optional_text("address", &self.address, 500)
            .map_err(|e| errors.push(e))
            .ok();
        let vat_number = optional_text("vat_number", &self.vat_number, 40)
            .map_err(|e| errors.push(e))
            .ok();
        let weekday = if self.weekly_report_weekday.trim().is_empty() {
            "1"
        } else {
            &self.weekly_report_weekday
        };
        let time = if self.weekly_report_time.trim().is_empty() {
            "12:00"
        } else {
            &self.weekly_report_time
        };
        let weekly_report =
            WeeklyReportTime::parse("weekly_report_weekday", weekday, "weekly_report_time", time)
                .map_err(|e| errors.extend(e))
                .ok();
        match (
            name,
            business_model,
            time_zone,
            language,
            currency,
            address,
            vat_number,
            weekly_report,
        ) {
            (
                Some(name),
                Some(business_model),
                Some(time_zone),
                Some(language),
                Some(currency),
                Some(address),
                Some(vat_number),
                Some(weekly_report),
            ) if errors.is_empty() => Ok(ClientInput {
                name,
                business_model,
                time_zone,
                language,
                currency,
                address,
                vat_number,
                weekly_report,
            }),
            _ => Err(errors),
        }
    }

    /// The form filled with a client's current fields, for editing.
    pub fn from_client(c: &ClientInput) -> Self {
        ClientForm {
            name: c.name.clone(),
            business_model: c.business_model.as_str().to_string(),
            time_zone: c.time_zone.as_str().to_string(),
            language: c.language.as_str().to_string(),
            currency: c.currency.code().to_string(),
            address: c.address.clone(),
            vat_number: c.vat_number.clone(),
            weekly_report_weekday: c.weekly_report.weekday.to_string(),
            weekly_report_time: c.weekly_report.time_text(),
        }
    }
}

/// What a list of clients shows of each: fewer columns than [`Client`], so a page of 50 reads fast.
#[derive(Debug, Clone, Serialize)]
pub struct ClientSummary {
    /// Its id.
    pub id: ClientId,
    /// Its name.
    pub name: String,
    /// How it makes money.
    pub business_model: BusinessModel,
    /// The language of its documents.
    pub language: Language,
    /// Its time zone.
    pub time_zone: TimeZoneName,
    /// Its currency.
    pub currency: Currency,
}

/// What the client list shows: a search, archived or active, and a page.
#[derive(Debug, Clone)]
pub struct ClientListQuery {
    /// Text to find in the name, VAT number or address (case-insensitive); empty for all.
    pub search: String,
    /// Archived clients instead of active ones.
    pub archived: bool,
    /// How many to skip.
    pub offset: i64,
    /// How many at most.
    pub limit: i64,
}

impl ClientListQuery {
    /// The query as the store runs it: the search lower-cased without NUL characters (PostgreSQL cannot take
    /// them), the page size between 1 and 500, no negative offset.
    pub fn normalised(&self) -> ClientListQuery {
        ClientListQuery {
            search: self.search.replace('\0', "").trim().to_lowercase(),
            limit: self.limit.clamp(1, 500),
            offset: self.offset.max(0),
            archived: self.archived,
        }
    }
}

impl Default for ClientListQuery {
    fn default() -> Self {
        ClientListQuery {
            search: String::new(),
            archived: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// A contact person at a client.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    /// Its id.
    pub id: ContactId,
    /// The client.
    pub client_id: ClientId,
    /// Its fields.
    #[serde(flatten)]
    pub fields: ContactInput,
    /// The person who signs in to the portal for this contact, if any.
    pub user_id: Option<UserId>,
}

/// A contact's fields, parsed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ContactInput {
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: Email,
    /// Phone number.
    pub phone: String,
    /// Job title.
    pub job_title: String,
    /// The client's primary contact; a client has at most one.
    pub is_primary: bool,
}

/// A contact's fields as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Phone number.
    pub phone: String,
    /// Job title.
    pub job_title: String,
    /// `on`, `true` or `1` for the primary contact.
    pub is_primary: String,
}

impl ContactForm {
    /// Parses every field, collecting every error.
    pub fn parse(&self) -> std::result::Result<ContactInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = required_text("name", &self.name, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let email = Email::parse("email", &self.email)
            .map_err(|e| errors.push(e))
            .ok();
        let phone = optional_text("phone", &self.phone, 40)
            .map_err(|e| errors.push(e))
            .ok();
        if let Some(p) = &phone
            && !p.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
        {
            errors.push(FieldError::new(
                "phone",
                "invalid-phone",
                "digits, spaces and + - ( ) only",
            ));
        }
        let job_title = optional_text("job_title", &self.job_title, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let is_primary = matches!(self.is_primary.trim(), "on" | "true" | "1" | "yes");
        match (name, email, phone, job_title) {
            (Some(name), Some(email), Some(phone), Some(job_title)) if errors.is_empty() => {
                Ok(ContactInput {
                    name,
                    email,
                    phone,
                    job_title,
                    is_primary,
                })
            }
            _ => Err(errors),
        }
    }

    /// The form filled with a contact's fields.
    pub fn from_contact(c: &ContactInput) -> Self {
        ContactForm {
            name: c.name.clone(),
            email: c.email.to_string(),
            phone: c.phone.clone(),
            job_title: c.job_title.clone(),
            is_primary: if c.is_primary { "on".into() } else { String::new() },
        }
    }
}

/// A client with everything its page shows.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ClientOverview {
    /// The client.
    pub client: Client,
    /// Its contacts, primary first.
    pub contacts: Vec<Contact>,
    /// Its engagements, newest first.
    pub engagements: Vec<Engagement>,
}

impl Services {
    /// A page of the actor's clients (a client contact sees only their own).
    pub async fn list_clients(&self, actor: &Actor, query: &ClientListQuery) -> Result<(Vec<Client>, i64)> {
        actor.require(Permission::ViewClients)?;
        let query = query.normalised();
        let mut tx = self.read().await?;
        tx.list_clients(actor.agency_id, actor.client_scope(), &query)
            .await
    }

    /// A page of client summaries, for lists (a client contact sees only their own).
    pub async fn list_client_summaries(
        &self,
        actor: &Actor,
        query: &ClientListQuery,
    ) -> Result<(Vec<ClientSummary>, i64)> {
        actor.require(Permission::ViewClients)?;
        let query = query.normalised();
        let mut tx = self.read().await?;
        tx.list_client_summaries(actor.agency_id, actor.client_scope(), &query)
            .await
    }

    /// One client with its contacts and engagements.
    pub async fn client_overview(&self, actor: &Actor, id: ClientId) -> Result<ClientOverview> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        let client = tx.get_client(actor.agency_id, actor.client_scope(), id).await?;
        let contacts = tx.list_contacts(actor.agency_id, id).await?;
        let engagements = tx.list_engagements(actor.agency_id, id).await?;
        Ok(ClientOverview {
            client,
            contacts,
            engagements,
        })
    }

    /// One client.
    pub async fn get_client(&self, actor: &Actor, id: ClientId) -> Result<Client> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), id).await
    }

    /// The day it is now for a client, in the client's time zone: what pages, the API and the command line show
    /// pacing for and take the last full month from.
    pub async fn client_today(&self, actor: &Actor, id: ClientId) -> Result<jiff::civil::Date> {
        Ok(self.get_client(actor, id).await?.today(self.now()))
    }

    /// A client by its id or its exact name (case-insensitive), for the command line.
    pub async fn resolve_client(&self, actor: &Actor, id_or_name: &str) -> Result<Client> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        if let Ok(id) = id_or_name.trim().parse::<ClientId>() {
            match tx.get_client(actor.agency_id, actor.client_scope(), id).await {
                Err(Error::NotFound { .. }) => {}
                other => return other,
            }
        }
        match tx.find_client_by_name(actor.agency_id, id_or_name.trim()).await? {
            Some(c) if actor.client_scope().is_none_or(|s| s == c.id) => Ok(c),
            _ => Err(Error::NotFound {
                entity: RecordKind::Client,
            }),
        }
    }

    /// Creates a client.
    pub async fn create_client(&self, actor: &Actor, form: &ClientForm) -> Result<Client> {
        actor.require(Permission::ManageClients)?;
        let input = form.parse().map_err(Error::Validation)?;
        let mut tx = self.write(actor.agency_id.0).await?;
        let now = self.now();
        let client = tx.insert_client(actor.agency_id, &input, now).await?;
        let change = Change::created(AuditAction::ClientCreated, client.id.0, snapshot(&client.fields));
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(client)
    }

    /// Replaces a client's fields.
    pub async fn update_client(&self, actor: &Actor, id: ClientId, form: &ClientForm) -> Result<Client> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let before = tx.get_client(actor.agency_id, actor.client_scope(), id).await?;
        actor.require(Permission::ManageClients)?;
        let input = form.parse().map_err(Error::Validation)?;
        let now = self.now();
        let after = tx.update_client(actor.agency_id, id, &input, now).await?;
        let change = Change::updated(
            AuditAction::ClientUpdated,
            id.0,
            snapshot(&before.fields),
            snapshot(&after.fields),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Archives a client (or restores one with `archive = false`).
    pub async fn set_client_archived(&self, actor: &Actor, id: ClientId, archive: bool) -> Result<Client> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let before = tx.get_client(actor.agency_id, actor.client_scope(), id).await?;
        actor.require(Permission::ManageClients)?;
        if before.archived_at.is_some() == archive {
            let (code, message) = if archive {
                (Conflict::ClientAlreadyArchived, "the client is archived already")
            } else {
                (Conflict::ClientNotArchived, "the client is not archived")
            };
            return Err(Error::Conflict {
                code,
                message: message.into(),
            });
        }
        let now = self.now();
        tx.set_client_archived(actor.agency_id, id, archive.then_some(now), now)
            .await?;
        let change = Change {
            action: if archive {
                AuditAction::ClientArchived
            } else {
                AuditAction::ClientRestored
            },
            entity_id: Some(id.0),
            before: serde_json::json!({ "archived_at": before.archived_at }),
            after: serde_json::json!({ "archived_at": archive.then_some(now) }),
        };
        record(tx.as_mut(), actor, now, change).await?;
        let after = tx.get_client(actor.agency_id, None, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Adds a contact to a client; a new primary contact takes the mark from the old one.
    pub async fn add_contact(&self, actor: &Actor, client: ClientId, form: &ContactForm) -> Result<Contact> {
        let mut tx = self.write(actor.agency_id.0).await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let input = form.parse().map_err(Error::Validation)?;
        let contact = tx.insert_contact(actor.agency_id, client, &input).await?;
        if input.is_primary {
            tx.clear_primary_contacts(actor.agency_id, client, contact.id)
                .await?;
        }
        let now = self.now();
        let change = Change::created(AuditAction::ContactCreated, contact.id.0, snapshot(&contact));
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(contact)
    }

    /// One contact.
    pub async fn get_contact(&self, actor: &Actor, id: ContactId) -> Result<Contact> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_contact(actor.agency_id, actor.client_scope(), id).await
    }

    /// Replaces a contact's fields.
    pub async fn update_contact(&self, actor: &Actor, id: ContactId, form: &ContactForm) -> Result<Contact> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let before = tx.get_contact(actor.agency_id, actor.client_scope(), id).await?;
        actor.require(Permission::ManageClients)?;
        let input = form.parse().map_err(Error::Validation)?;
        let after = tx.update_contact(actor.agency_id, id, &input).await?;
        if input.is_primary {
            tx.clear_primary_contacts(actor.agency_id, before.client_id, id)
                .await?;
        }
        let now = self.now();
        let change = Change::updated(
            AuditAction::ContactUpdated,
            id.0,
            snapshot(&before),
            snapshot(&after),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Removes a contact.
    pub async fn remove_contact(&self, actor: &Actor, id: ContactId) -> Result<Contact> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let before = tx.get_contact(actor.agency_id, actor.client_scope(), id).await?;
        actor.require(Permission::ManageClients)?;
        tx.delete_contact(actor.agency_id, id).await?;
        let now = self.now();
        let change = Change::deleted(AuditAction::ContactRemoved, id.0, snapshot(&before));
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(before)
    }

    /// Links a contact to the person who signs in to the portal for it.
    pub async fn link_contact_user(&self, actor: &Actor, id: ContactId, user: UserId) -> Result<()> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let contact = tx.get_contact(actor.agency_id, actor.client_scope(), id).await?;
        actor.require(Permission::ManagePeople)?;
        let person = tx.get_user(actor.agency_id, user).await?;
        if person.client_id != Some(contact.client_id) {
            return Err(Error::field(
                "user_id",
                "wrong-client",
                "this person is not a contact of this client",
            ));
        }
        tx.set_contact_user(actor.agency_id, id, Some(user)).await?;
        let now = self.now();
        let change = Change::updated(
            AuditAction::ContactLinked,
            id.0,
            serde_json::json!({ "user_id": contact.user_id }),
            serde_json::json!({ "user_id": user }),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A record's history, newest first. A record outside the actor's agency (or, for a client contact, outside
    /// their client) is `NotFound`; only then does the role decide.
    pub async fn history(&self, actor: &Actor, kind: RecordKind, id: i64) -> Result<Vec<AuditEvent>> {
        let mut tx = self.read().await?;
        let scope = actor.client_scope();
        let agency = actor.agency_id;
        match kind {
            RecordKind::Client => tx.get_client(agency, scope, ClientId(id)).await.map(|_| ())?,
            RecordKind::Contact => tx.get_contact(agency, scope, ContactId(id)).await.map(|_| ())?,
            RecordKind::Engagement => tx
                .get_engagement(agency, scope, crate::id::EngagementId(id))
                .await
                .map(|_| ())?,
            RecordKind::Goal => tx
                .get_goal(agency, scope, crate::goal::GoalId(id))
                .await
                .map(|_| ())?,
            RecordKind::User if scope.is_none() => tx.get_user(agency, UserId(id)).await.map(|_| ())?,
            // Kinds without a History page, and people for a client contact.
            RecordKind::User
            | RecordKind::Agency
            | RecordKind::Invitation
            | RecordKind::Kpi
            | RecordKind::Import
            | RecordKind::Token
            | RecordKind::Document
            | RecordKind::Job
            | RecordKind::Message
            | RecordKind::Route => return Err(Error::NotFound { entity: kind }),
        }
        actor.require(Permission::ViewHistory)?;
        tx.list_history(agency.0, kind.as_str(), id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ClientForm {
        ClientForm {
            name: "  Kovács Bt. ".into(),
            business_model: "e-commerce".into(),
            time_zone: "Europe/Budapest".into(),
            language: "hu".into(),
            currency: "huf".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_client_form_parses_with_monday_noon_as_the_default_report_time() {
        let c = form().parse().unwrap();
        assert_eq!(c.name, "Kovács Bt.");
        assert_eq!(c.currency.code(), "HUF");
        assert_eq!(
            c.weekly_report,
            WeeklyReportTime {
                weekday: 1,
                minute_of_day: 720
            }
        );
    }

    #[test]
    fn every_wrong_field_of_a_client_form_is_reported_at_once() {
        let bad = ClientForm {
            name: " ".into(),
            business_model: "farming".into(),
            time_zone: "Europe/Atlantis".into(),
            language: "de".into(),
            currency: "ABC".into(),
            weekly_report_time: "noon".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "business_model",
                "time_zone",
                "language",
                "currency",
                "weekly_report_time"
            ]
        );
    }

    #[test]
    fn a_contact_needs_a_valid_email_and_a_plausible_phone() {
        let bad = ContactForm {
            name: "Anna".into(),
            email: "anna".into(),
            phone: "call me".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "phone"]);
        let good = ContactForm {
            name: "Anna".into(),
            email: "anna@example.com".into(),
            is_primary: "on".into(),
            ..Default::default()
        };
        assert!(good.parse().unwrap().is_primary);
    }
}
