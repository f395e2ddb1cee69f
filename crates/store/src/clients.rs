//! Clients, contacts and engagements as rows.

use crate::row::{date, flag, int, opt_int, opt_timestamp, parsed, text, timestamp};
use accountable_core::client::{Client, ClientInput, ClientSummary, Contact, ContactInput};
use accountable_core::engagement::{Engagement, EngagementInput};
use accountable_core::error::Error;
use accountable_core::id::{AgencyId, ClientId, ContactId, EngagementId, UserId};
use accountable_core::types::{
    BusinessModel, Currency, Email, Language, Money, TimeZoneName, WeeklyReportTime,
};
use sqlx::any::AnyRow;

/// The columns of a client.
pub const CLIENT_COLUMNS: &str = "id, agency_id, name, business_model, time_zone, language, currency, address, \
     vat_number, weekly_report_weekday, weekly_report_minute, archived_at, created_at, updated_at";

/// A client from its row.
pub fn client(row: &AnyRow) -> Result<Client, Error> {
    Ok(Client {
        id: ClientId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        fields: ClientInput {
            name: text(row, "name")?,
            business_model: parsed(row, "business_model", BusinessModel::parse)?,
            time_zone: TimeZoneName::from_stored(text(row, "time_zone")?),
            language: parsed(row, "language", Language::parse)?,
            currency: parsed(row, "currency", Currency::parse)?,
            address: text(row, "address")?,
            vat_number: text(row, "vat_number")?,
            weekly_report: WeeklyReportTime {
                weekday: int(row, "weekly_report_weekday")? as i8,
                minute_of_day: int(row, "weekly_report_minute")? as i16,
            },
        },
        archived_at: opt_timestamp(row, "archived_at")?,
        created_at: timestamp(row, "created_at")?,
        updated_at: timestamp(row, "updated_at")?,
    })
}

/// The columns of a client's summary (what lists show).
pub const SUMMARY_COLUMNS: &str = "id, name, business_model, language, time_zone, currency";

/// A client's summary from its row.
pub fn summary(row: &AnyRow) -> Result<ClientSummary, Error> {
    Ok(ClientSummary {
        id: ClientId(int(row, "id")?),
        name: text(row, "name")?,
        business_model: parsed(row, "business_model", BusinessModel::parse)?,
        language: parsed(row, "language", Language::parse)?,
        time_zone: TimeZoneName::from_stored(text(row, "time_zone")?),
        currency: parsed(row, "currency", Currency::parse)?,
    })
}

/// What the name's uniqueness and the search compare: the name lower-cased (Unicode-aware).
pub fn name_key(input: &ClientInput) -> String {
    input.name.to_lowercase()
}

/// What the search looks in.
pub fn search_text(input: &ClientInput) -> String {
    format!("{}\n{}\n{}", input.name, input.vat_number, input.address).to_lowercase()
}

/// The columns of a contact.
pub const CONTACT_COLUMNS: &str = "id, client_id, name, email, phone, job_title, is_primary, user_id";

/// A contact from its row.
pub fn contact(row: &AnyRow) -> Result<Contact, Error> {
    Ok(Contact {
        id: ContactId(int(row, "id")?),
        client_id: ClientId(int(row, "client_id")?),
        fields: ContactInput {
            name: text(row, "name")?,
            email: Email::from_stored(text(row, "email")?),
            phone: text(row, "phone")?,
            job_title: text(row, "job_title")?,
            is_primary: flag(row, "is_primary")?,
        },
        user_id: opt_int(row, "user_id")?.map(UserId),
    })
}

/// The columns of an engagement.
pub const ENGAGEMENT_COLUMNS: &str = "id, agency_id, client_id, title, starts_on, ends_on, scope, budget_minor, \
     currency, account_executive_id, created_at, updated_at";

/// An engagement from its row.
pub fn engagement(row: &AnyRow) -> Result<Engagement, Error> {
    Ok(Engagement {
        id: EngagementId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        client_id: ClientId(int(row, "client_id")?),
        fields: EngagementInput {
            title: text(row, "title")?,
            starts_on: date(row, "starts_on")?,
            ends_on: date(row, "ends_on")?,
            scope: text(row, "scope")?,
            budget: Money {
                minor: int(row, "budget_minor")?,
                currency: parsed(row, "currency", Currency::parse)?,
            },
            account_executive_id: UserId(int(row, "account_executive_id")?),
        },
        created_at: timestamp(row, "created_at")?,
        updated_at: timestamp(row, "updated_at")?,
    })
}
