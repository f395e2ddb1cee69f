//! A client's contacts as rows.

use crate::error::{db, db_delete};
use crate::row::{flag, flag_value, int, opt_int, text};
use crate::tx::{AnyQuery, ClientTable, SqlTx, exactly_one, one_or_not_found};
use accountable_core::client::{Contact, ContactInput};
use accountable_core::error::{Error, Result};
use accountable_core::id::{AgencyId, ClientId, ContactId, UserId};
use accountable_core::record::RecordKind;
use accountable_core::store::ContactTx;
use accountable_core::types::Email;
use async_trait::async_trait;
use sqlx::any::AnyRow;

/// The columns of a contact.
pub(crate) const CONTACT_COLUMNS: &str = "id, client_id, name, email, phone, job_title, is_primary, user_id";

/// A contact from its row.
pub(crate) fn contact(row: &AnyRow) -> Result<Contact, Error> {
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

const CONTACTS: ClientTable = ClientTable {
    name: "contacts",
    columns: CONTACT_COLUMNS,
    client_column: "client_id",
    entity: RecordKind::Contact,
};

/// A contact's fields, in the order the insert and the update list them.
fn bind_fields<'q>(query: AnyQuery<'q>, c: &'q ContactInput) -> AnyQuery<'q> {
    query
        .bind(&c.name)
        .bind(c.email.as_str())
        .bind(&c.phone)
        .bind(&c.job_title)
        .bind(flag_value(c.is_primary))
}

#[async_trait]
impl ContactTx for SqlTx {
    async fn insert_contact(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        c: &ContactInput,
    ) -> Result<Contact> {
        let sql = format!(
            "INSERT INTO contacts (agency_id, client_id, name, email, phone, job_title, is_primary) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {CONTACT_COLUMNS}"
        );
        let row = bind_fields(sqlx::query(&sql).bind(agency.0).bind(client.0), c)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db)?;
        contact(&row)
    }

    async fn get_contact(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: ContactId,
    ) -> Result<Contact> {
        self.get_scoped(&CONTACTS, agency, scope, id.0, contact).await
    }

    async fn list_contacts(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Contact>> {
        self.list_of_client(&CONTACTS, agency, client, "is_primary DESC, name, id", contact)
            .await
    }

    async fn update_contact(&mut self, agency: AgencyId, id: ContactId, c: &ContactInput) -> Result<Contact> {
        let sql = format!(
            "UPDATE contacts SET name = $1, email = $2, phone = $3, job_title = $4, is_primary = $5 \
             WHERE agency_id = $6 AND id = $7 RETURNING {CONTACT_COLUMNS}"
        );
        let row = bind_fields(sqlx::query(&sql), c)
            .bind(agency.0)
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        one_or_not_found(row, contact, RecordKind::Contact)
    }

    async fn set_contact_user(
        &mut self,
        agency: AgencyId,
        id: ContactId,
        user: Option<UserId>,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE contacts SET user_id = $1 WHERE agency_id = $2 AND id = $3")
            .bind(user.map(|u| u.0))
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), RecordKind::Contact)
    }

    async fn clear_primary_contacts(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        keep: ContactId,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE contacts SET is_primary = 0 WHERE agency_id = $1 AND client_id = $2 AND id <> $3",
        )
        .bind(agency.0)
        .bind(client.0)
        .bind(keep.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn delete_contact(&mut self, agency: AgencyId, id: ContactId) -> Result<()> {
        let done = sqlx::query("DELETE FROM contacts WHERE agency_id = $1 AND id = $2")
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db_delete)?;
        exactly_one(done.rows_affected(), RecordKind::Contact)
    }
}
