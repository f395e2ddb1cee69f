//! People of an agency as rows.

use crate::error::db;
use crate::row::{flag, flag_value, int, opt_int, parsed, text, timestamp, ts};
use crate::tx::{SqlTx, exactly_one, one_or_not_found};
use accountable_core::error::{Error, Result};
use accountable_core::id::{AgencyId, ClientId, UserId};
use accountable_core::record::RecordKind;
use accountable_core::store::UserTx;
use accountable_core::types::{Email, Language, Role};
use accountable_core::user::{NewUser, User};
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

/// The columns of a person.
pub(crate) const USER_COLUMNS: &str =
    "id, agency_id, email, name, role, client_id, language, active, password_hash, created_at";

/// A person from their row.
pub(crate) fn user(row: &AnyRow) -> Result<User, Error> {
    user_with(row, "created_at")
}

/// A person from a row whose creation time is in `created_at_column` (joined rows rename it).
pub(crate) fn user_with(row: &AnyRow, created_at_column: &str) -> Result<User, Error> {
    Ok(User {
        id: UserId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        email: Email::from_stored(text(row, "email")?),
        name: text(row, "name")?,
        role: parsed(row, "role", Role::parse)?,
        client_id: opt_int(row, "client_id")?.map(ClientId),
        language: parsed(row, "language", Language::parse)?,
        active: flag(row, "active")?,
        password_hash: crate::row::opt_text(row, "password_hash")?,
        created_at: timestamp(row, created_at_column)?,
    })
}

/// The person of a joined session or token row.
pub(crate) fn signed_in_user(row: &AnyRow) -> Result<User, Error> {
    user_with(row, "user_created_at")
}

#[async_trait]
impl UserTx for SqlTx {
    async fn insert_user(&mut self, u: &NewUser, now: Timestamp) -> Result<User> {
        let row = sqlx::query(&format!(
            "INSERT INTO users (agency_id, email, name, role, client_id, language, active, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING {USER_COLUMNS}"
        ))
        .bind(u.agency_id.0)
        .bind(u.email.as_str())
        .bind(&u.name)
        .bind(u.role.as_str())
        .bind(u.client_id.map(|c| c.0))
        .bind(u.language.as_str())
        .bind(u.password_hash.as_deref())
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await;
        match row {
            Ok(row) => user(&row),
            Err(e) => {
                let references = [("client_id", "clients", u.client_id.map(|c| c.0))];
                Err(self.refused_write(e, "users", &references).await)
            }
        }
    }

    async fn get_user(&mut self, agency: AgencyId, id: UserId) -> Result<User> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE agency_id = $1 AND id = $2"
        ))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        one_or_not_found(row, user, RecordKind::User)
    }

    async fn find_user_by_email(&mut self, email: &Email) -> Result<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
            .bind(email.as_str())
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        row.as_ref().map(user).transpose()
    }

    async fn list_users(&mut self, agency: AgencyId) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE agency_id = $1 ORDER BY name, id"
        ))
        .bind(agency.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(user).collect()
    }

    async fn update_user_role(
        &mut self,
        agency: AgencyId,
        id: UserId,
        role: Role,
        client: Option<ClientId>,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE users SET role = $1, client_id = $2 WHERE agency_id = $3 AND id = $4")
            .bind(role.as_str())
            .bind(client.map(|c| c.0))
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await;
        match done {
            Ok(done) => exactly_one(done.rows_affected(), RecordKind::User),
            Err(e) => {
                let references = [("client_id", "clients", client.map(|c| c.0))];
                Err(self.refused_write(e, "users", &references).await)
            }
        }
    }

    async fn set_user_active(&mut self, agency: AgencyId, id: UserId, active: bool) -> Result<()> {
        let done = sqlx::query("UPDATE users SET active = $1 WHERE agency_id = $2 AND id = $3")
            .bind(flag_value(active))
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), RecordKind::User)
    }

    async fn set_user_password(&mut self, agency: AgencyId, id: UserId, password_hash: &str) -> Result<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE agency_id = $2 AND id = $3")
            .bind(password_hash)
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), RecordKind::User)
    }

    async fn set_user_language(&mut self, agency: AgencyId, id: UserId, language: Language) -> Result<()> {
        let done = sqlx::query("UPDATE users SET language = $1 WHERE agency_id = $2 AND id = $3")
            .bind(language.as_str())
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), RecordKind::User)
    }
}
