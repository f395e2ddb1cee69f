//! One transaction: the `core::store::Tx` trait in SQL that runs unchanged on SQLite and PostgreSQL.
//! Every statement that touches agency data names the agency in its WHERE clause.

use crate::audit::{EVENT_COLUMNS, event};
use crate::clients::{self, CLIENT_COLUMNS, CONTACT_COLUMNS, ENGAGEMENT_COLUMNS};
use crate::error::{db, store_error};
use crate::people::{self, INVITATION_COLUMNS, USER_COLUMNS};
use crate::row::{flag_value, int, text, timestamp, ts};
use accountable_core::agency::Agency;
use accountable_core::audit::{AuditEvent, GENESIS_HASH, NewAuditEvent, event_hash};
use accountable_core::client::{Client, ClientInput, ClientListQuery, ClientSummary, Contact, ContactInput};
use accountable_core::engagement::{Engagement, EngagementInput};
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::id::{AgencyId, ClientId, ContactId, EngagementId, InvitationId, UserId};
use accountable_core::session::{Session, SignInAttempt};
use accountable_core::store::Tx;
use accountable_core::types::{Email, Language, Role};
use accountable_core::user::{Invitation, NewInvitation, NewUser, User};
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Transaction};

/// A transaction on the pool; dropped without `commit`, it rolls back.
pub struct SqlTx {
    pub(crate) tx: Conn,
    pub(crate) backend: crate::Backend,
    pub(crate) documents_dir: Option<std::sync::Arc<std::path::PathBuf>>,
}

/// A transaction, or a plain pooled connection for reads.
pub(crate) enum Conn {
    Tx(Transaction<'static, Any>),
    Plain(PoolConnection<Any>),
}

impl std::ops::Deref for Conn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self {
            Conn::Tx(t) => t,
            Conn::Plain(c) => c,
        }
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Conn::Tx(t) => t,
            Conn::Plain(c) => c,
        }
    }
}

impl SqlTx {
    pub(crate) fn new(
        tx: Transaction<'static, Any>,
        backend: crate::Backend,
        documents_dir: Option<std::sync::Arc<std::path::PathBuf>>,
    ) -> Self {
        SqlTx {
            tx: Conn::Tx(tx),
            backend,
            documents_dir,
        }
    }

    pub(crate) fn plain(
        conn: PoolConnection<Any>,
        backend: crate::Backend,
        documents_dir: Option<std::sync::Arc<std::path::PathBuf>>,
    ) -> Self {
        SqlTx {
            tx: Conn::Plain(conn),
            backend,
            documents_dir,
        }
    }
}

impl SqlTx {
    /// A page of an agency's clients and how many match, each row read by `map` from `columns`.
    async fn page_of_clients<T>(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        q: &ClientListQuery,
        columns: &str,
        map: fn(&sqlx::any::AnyRow) -> Result<T>,
    ) -> Result<(Vec<T>, i64)> {
        // The filter and its values, numbered as they are added; no search means no LIKE, so the count and the
        // page can come from the (agency_id, archived_at, name_key) index alone.
        let mut filter = String::from("agency_id = $1");
        let mut values: Vec<Bound> = vec![Bound::Int(agency.0)];
        filter.push_str(if q.archived {
            " AND archived_at IS NOT NULL"
        } else {
            " AND archived_at IS NULL"
        });
        if !q.search.is_empty() {
            let escaped = q
                .search
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            values.push(Bound::Text(format!("%{escaped}%")));
            filter.push_str(&format!(" AND search_text LIKE ${} ESCAPE '\\'", values.len()));
        }
        if let Some(s) = scope {
            values.push(Bound::Int(s.0));
            filter.push_str(&format!(" AND id = ${}", values.len()));
        }
        let count_sql = format!("SELECT COUNT(*) AS n FROM clients WHERE {filter}");
        let count = bind_all(sqlx::query(&count_sql), &values);
        let total = int(&count.fetch_one(&mut *self.tx).await.map_err(db)?, "n")?;
        if total == 0 || q.offset >= total {
            return Ok((Vec::new(), total));
        }
        let list_sql = format!(
            "SELECT {columns} FROM clients WHERE {filter} ORDER BY name_key, id LIMIT ${} OFFSET ${}",
            values.len() + 1,
            values.len() + 2
        );
        let list = bind_all(sqlx::query(&list_sql), &values);
        let rows = list
            .bind(q.limit)
            .bind(q.offset)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db)?;
        let items = rows.iter().map(map).collect::<Result<Vec<_>>>()?;
        Ok((items, total))
    }
}

/// A value to bind to a statement built at run time.
enum Bound {
    Int(i64),
    Text(String),
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    values: &'q [Bound],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for v in values {
        query = match v {
            Bound::Int(i) => query.bind(*i),
            Bound::Text(t) => query.bind(t.as_str()),
        };
    }
    query
}

/// `Ok` when a statement changed one row, `NotFound` when it changed none (the record is another agency's or gone).
pub(crate) fn exactly_one(rows: u64, entity: &'static str) -> Result<()> {
    if rows == 0 { Err(not_found(entity)) } else { Ok(()) }
}

pub(crate) fn not_found(entity: &'static str) -> Error {
    Error::NotFound { entity }
}

#[async_trait]
impl Tx for SqlTx {
    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        match self.tx {
            Conn::Tx(t) => t.commit().await.map_err(store_error),
            Conn::Plain(_) => Ok(()),
        }
    }

    async fn lock_chain(&mut self, chain: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE audit_chains SET head_seq = head_seq WHERE chain = $1")
            .bind(chain)
            .execute(&mut *self.tx)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn append_audit(&mut self, e: &NewAuditEvent) -> Result<(i64, String), StoreError> {
        let head = sqlx::query("SELECT head_seq, head_hash FROM audit_chains WHERE chain = $1")
            .bind(e.chain)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(store_error)?;
        let (prev_seq, prev_hash) = match head {
            Some(row) => (
                int(&row, "head_seq").map_err(|e| StoreError::Other(e.to_string()))?,
                text(&row, "head_hash").map_err(|e| StoreError::Other(e.to_string()))?,
            ),
            None => {
                return Err(StoreError::Other(format!(
                    "audit chain {} does not exist",
                    e.chain
                )));
            }
        };
        let seq = prev_seq + 1;
        let content = e.content();
        let hash = event_hash(seq, &prev_hash, &content);
        sqlx::query(&format!(
            "INSERT INTO audit_events ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(content.chain)
        .bind(seq)
        .bind(&content.at)
        .bind(content.actor_id)
        .bind(&content.actor_label)
        .bind(&content.action)
        .bind(&content.entity)
        .bind(content.entity_id)
        .bind(&content.before)
        .bind(&content.after)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *self.tx)
        .await
        .map_err(store_error)?;
        sqlx::query("UPDATE audit_chains SET head_seq = $1, head_hash = $2 WHERE chain = $3")
            .bind(seq)
            .bind(&hash)
            .bind(e.chain)
            .execute(&mut *self.tx)
            .await
            .map_err(store_error)?;
        Ok((seq, hash))
    }

    async fn list_history(&mut self, chain: i64, entity: &str, entity_id: i64) -> Result<Vec<AuditEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events WHERE chain = $1 AND entity = $2 AND entity_id = $3 \
             ORDER BY seq DESC LIMIT 500"
        ))
        .bind(chain)
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(event).collect()
    }

    async fn list_chain(&mut self, chain: i64, after_seq: i64, limit: i64) -> Result<Vec<AuditEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        ))
        .bind(chain)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(event).collect()
    }

    async fn list_chains(&mut self) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT DISTINCT chain FROM audit_events ORDER BY chain")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db)?;
        rows.iter().map(|r| int(r, "chain")).collect()
    }

    async fn insert_agency(&mut self, name: &str, now: Timestamp) -> Result<Agency> {
        let row = sqlx::query(
            "INSERT INTO agencies (name, created_at) VALUES ($1, $2) RETURNING id, name, created_at",
        )
        .bind(name)
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        let agency = people::agency(&row)?;
        sqlx::query("INSERT INTO audit_chains (chain, head_seq, head_hash) VALUES ($1, 0, $2)")
            .bind(agency.id.0)
            .bind(GENESIS_HASH)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(agency)
    }

    async fn get_agency(&mut self, id: AgencyId) -> Result<Agency> {
        let row = sqlx::query("SELECT id, name, created_at FROM agencies WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        row.as_ref()
            .map(people::agency)
            .unwrap_or(Err(not_found("agency")))
    }

    async fn list_agencies(&mut self) -> Result<Vec<Agency>> {
        let rows = sqlx::query("SELECT id, name, created_at FROM agencies ORDER BY name, id")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db)?;
        rows.iter().map(people::agency).collect()
    }

    async fn find_agency_by_name(&mut self, name: &str) -> Result<Option<Agency>> {
        let row = sqlx::query("SELECT id, name, created_at FROM agencies WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        row.as_ref().map(people::agency).transpose()
    }

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
        .await
        .map_err(db)?;
        people::user(&row)
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
        row.as_ref().map(people::user).unwrap_or(Err(not_found("user")))
    }

    async fn find_user_by_email(&mut self, email: &Email) -> Result<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
            .bind(email.as_str())
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        row.as_ref().map(people::user).transpose()
    }

    async fn list_users(&mut self, agency: AgencyId) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE agency_id = $1 ORDER BY name, id"
        ))
        .bind(agency.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(people::user).collect()
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
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), "user")
    }

    async fn set_user_active(&mut self, agency: AgencyId, id: UserId, active: bool) -> Result<()> {
        let done = sqlx::query("UPDATE users SET active = $1 WHERE agency_id = $2 AND id = $3")
            .bind(flag_value(active))
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), "user")
    }

    async fn set_user_password(&mut self, agency: AgencyId, id: UserId, password_hash: &str) -> Result<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE agency_id = $2 AND id = $3")
            .bind(password_hash)
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), "user")
    }

    async fn set_user_language(&mut self, agency: AgencyId, id: UserId, language: Language) -> Result<()> {
        let done = sqlx::query("UPDATE users SET language = $1 WHERE agency_id = $2 AND id = $3")
            .bind(language.as_str())
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        exactly_one(done.rows_affected(), "user")
    }

    async fn insert_invitation(&mut self, i: &NewInvitation, now: Timestamp) -> Result<Invitation> {
        let row = sqlx::query(&format!(
            "INSERT INTO invitations (agency_id, email, role, client_id, invited_by, token_hash, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {INVITATION_COLUMNS}"
        ))
        .bind(i.agency_id.0)
        .bind(i.email.as_str())
        .bind(i.role.as_str())
        .bind(i.client_id.map(|c| c.0))
        .bind(i.invited_by.map(|u| u.0))
        .bind(&i.token_hash)
        .bind(ts(i.expires_at))
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        people::invitation(&row)
    }

    async fn find_invitation_by_token_hash(&mut self, token_hash: &str) -> Result<Option<Invitation>> {
        let row = sqlx::query(&format!(
            "SELECT {INVITATION_COLUMNS} FROM invitations WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref().map(people::invitation).transpose()
    }

    async fn list_open_invitations(&mut self, agency: AgencyId) -> Result<Vec<Invitation>> {
        let rows = sqlx::query(&format!(
            "SELECT {INVITATION_COLUMNS} FROM invitations WHERE agency_id = $1 AND accepted_at IS NULL ORDER BY id DESC"
        ))
        .bind(agency.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(people::invitation).collect()
    }

    async fn mark_invitation_accepted(&mut self, id: InvitationId, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE invitations SET accepted_at = $1 WHERE id = $2")
            .bind(ts(now))
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn insert_session(&mut self, s: &Session) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, agency_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&s.token_hash)
        .bind(s.user_id.0)
        .bind(s.agency_id.0)
        .bind(&s.csrf_token)
        .bind(ts(s.created_at))
        .bind(ts(s.expires_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn find_session(&mut self, token_hash: &str, now: Timestamp) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT token_hash, user_id, agency_id, csrf_token, created_at, expires_at FROM sessions \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(ts(now))
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref().map(people::session).transpose()
    }

    async fn find_signed_in(
        &mut self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(Session, User, Agency)>> {
        let row = sqlx::query(
            "SELECT s.token_hash, s.user_id, s.agency_id, s.csrf_token, s.created_at, s.expires_at, \
             u.id, u.email, u.name, u.role, u.client_id, u.language, u.active, u.password_hash, u.created_at AS user_created_at, \
             a.name AS agency_name, a.created_at AS agency_created_at \
             FROM sessions s JOIN users u ON u.id = s.user_id AND u.agency_id = s.agency_id \
             JOIN agencies a ON a.id = s.agency_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(ts(now))
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some((
            people::session(&row)?,
            people::signed_in_user(&row)?,
            people::signed_in_agency(&row)?,
        )))
    }

    async fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn delete_sessions_of_user(&mut self, user: UserId) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(ts(now))
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(done.rows_affected())
    }

    async fn delete_sign_in_attempts_before(&mut self, before: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sign_in_attempts WHERE at < $1")
            .bind(ts(before))
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(done.rows_affected())
    }

    async fn insert_sign_in_attempt(&mut self, a: &SignInAttempt) -> Result<()> {
        sqlx::query("INSERT INTO sign_in_attempts (email, address, at, succeeded) VALUES ($1, $2, $3, $4)")
            .bind(&a.email)
            .bind(&a.address)
            .bind(ts(a.at))
            .bind(flag_value(a.succeeded))
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn failed_sign_ins_for_email(&mut self, email: &str, since: Timestamp) -> Result<Vec<Timestamp>> {
        let rows = sqlx::query(
            "SELECT at FROM sign_in_attempts WHERE email = $1 AND at > $2 AND succeeded = 0 ORDER BY at",
        )
        .bind(email)
        .bind(ts(since))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(|r| timestamp(r, "at")).collect()
    }

    async fn failed_sign_ins_for_address(
        &mut self,
        address: &str,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>> {
        let rows = sqlx::query(
            "SELECT at FROM sign_in_attempts WHERE address = $1 AND at > $2 AND succeeded = 0 ORDER BY at",
        )
        .bind(address)
        .bind(ts(since))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(|r| timestamp(r, "at")).collect()
    }

    async fn insert_client(&mut self, agency: AgencyId, c: &ClientInput, now: Timestamp) -> Result<Client> {
        let row = sqlx::query(&format!(
            "INSERT INTO clients (agency_id, name, name_key, search_text, business_model, time_zone, language, \
             currency, address, vat_number, weekly_report_weekday, weekly_report_minute, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING {CLIENT_COLUMNS}"
        ))
        .bind(agency.0)
        .bind(&c.name)
        .bind(clients::name_key(c))
        .bind(clients::search_text(c))
        .bind(c.business_model.as_str())
        .bind(c.time_zone.as_str())
        .bind(c.language.as_str())
        .bind(c.currency.code())
        .bind(&c.address)
        .bind(&c.vat_number)
        .bind(i64::from(c.weekly_report.weekday))
        .bind(i64::from(c.weekly_report.minute_of_day))
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        clients::client(&row)
    }

    async fn get_client(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: ClientId,
    ) -> Result<Client> {
        if scope.is_some_and(|s| s != id) {
            return Err(not_found("client"));
        }
        let row = sqlx::query(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients WHERE agency_id = $1 AND id = $2"
        ))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref()
            .map(clients::client)
            .unwrap_or(Err(not_found("client")))
    }

    async fn find_client_by_name(&mut self, agency: AgencyId, name: &str) -> Result<Option<Client>> {
        let row = sqlx::query(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients WHERE agency_id = $1 AND name_key = $2"
        ))
        .bind(agency.0)
        .bind(name.to_lowercase())
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref().map(clients::client).transpose()
    }

    async fn list_clients(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        q: &ClientListQuery,
    ) -> Result<(Vec<Client>, i64)> {
        self.page_of_clients(agency, scope, q, CLIENT_COLUMNS, clients::client)
            .await
    }

    async fn list_client_summaries(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        q: &ClientListQuery,
    ) -> Result<(Vec<ClientSummary>, i64)> {
        self.page_of_clients(agency, scope, q, clients::SUMMARY_COLUMNS, clients::summary)
            .await
    }

    async fn update_client(
        &mut self,
        agency: AgencyId,
        id: ClientId,
        c: &ClientInput,
        now: Timestamp,
    ) -> Result<Client> {
        let row = sqlx::query(&format!(
            "UPDATE clients SET name = $1, name_key = $2, search_text = $3, business_model = $4, time_zone = $5, \
             language = $6, currency = $7, address = $8, vat_number = $9, weekly_report_weekday = $10, \
             weekly_report_minute = $11, updated_at = $12 WHERE agency_id = $13 AND id = $14 RETURNING {CLIENT_COLUMNS}"
        ))
        .bind(&c.name)
        .bind(clients::name_key(c))
        .bind(clients::search_text(c))
        .bind(c.business_model.as_str())
        .bind(c.time_zone.as_str())
        .bind(c.language.as_str())
        .bind(c.currency.code())
        .bind(&c.address)
        .bind(&c.vat_number)
        .bind(i64::from(c.weekly_report.weekday))
        .bind(i64::from(c.weekly_report.minute_of_day))
        .bind(ts(now))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref()
            .map(clients::client)
            .unwrap_or(Err(not_found("client")))
    }

    async fn set_client_archived(
        &mut self,
        agency: AgencyId,
        id: ClientId,
        archived_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE clients SET archived_at = $1, updated_at = $2 WHERE agency_id = $3 AND id = $4",
        )
        .bind(archived_at.map(ts))
        .bind(ts(now))
        .bind(agency.0)
        .bind(id.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        exactly_one(done.rows_affected(), "client")
    }

    async fn insert_contact(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        c: &ContactInput,
    ) -> Result<Contact> {
        let row = sqlx::query(&format!(
            "INSERT INTO contacts (agency_id, client_id, name, email, phone, job_title, is_primary) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {CONTACT_COLUMNS}"
        ))
        .bind(agency.0)
        .bind(client.0)
        .bind(&c.name)
        .bind(c.email.as_str())
        .bind(&c.phone)
        .bind(&c.job_title)
        .bind(flag_value(c.is_primary))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        clients::contact(&row)
    }

    async fn get_contact(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: ContactId,
    ) -> Result<Contact> {
        let mut sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE agency_id = $1 AND id = $2");
        if scope.is_some() {
            sql.push_str(" AND client_id = $3");
        }
        let mut query = sqlx::query(&sql).bind(agency.0).bind(id.0);
        if let Some(s) = scope {
            query = query.bind(s.0);
        }
        let row = query.fetch_optional(&mut *self.tx).await.map_err(db)?;
        row.as_ref()
            .map(clients::contact)
            .unwrap_or(Err(not_found("contact")))
    }

    async fn list_contacts(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Contact>> {
        let rows = sqlx::query(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE agency_id = $1 AND client_id = $2 \
             ORDER BY is_primary DESC, name, id"
        ))
        .bind(agency.0)
        .bind(client.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(clients::contact).collect()
    }

    async fn update_contact(&mut self, agency: AgencyId, id: ContactId, c: &ContactInput) -> Result<Contact> {
        let row = sqlx::query(&format!(
            "UPDATE contacts SET name = $1, email = $2, phone = $3, job_title = $4, is_primary = $5 \
             WHERE agency_id = $6 AND id = $7 RETURNING {CONTACT_COLUMNS}"
        ))
        .bind(&c.name)
        .bind(c.email.as_str())
        .bind(&c.phone)
        .bind(&c.job_title)
        .bind(flag_value(c.is_primary))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref()
            .map(clients::contact)
            .unwrap_or(Err(not_found("contact")))
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
        exactly_one(done.rows_affected(), "contact")
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
            .map_err(db)?;
        exactly_one(done.rows_affected(), "contact")
    }

    async fn insert_engagement(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        e: &EngagementInput,
        now: Timestamp,
    ) -> Result<Engagement> {
        let row = sqlx::query(&format!(
            "INSERT INTO engagements (agency_id, client_id, title, starts_on, ends_on, scope, budget_minor, currency, \
             account_executive_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
             RETURNING {ENGAGEMENT_COLUMNS}"
        ))
        .bind(agency.0)
        .bind(client.0)
        .bind(&e.title)
        .bind(e.starts_on.to_string())
        .bind(e.ends_on.to_string())
        .bind(&e.scope)
        .bind(e.budget.minor)
        .bind(e.budget.currency.code())
        .bind(e.account_executive_id.0)
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        clients::engagement(&row)
    }

    async fn get_engagement(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: EngagementId,
    ) -> Result<Engagement> {
        let mut sql =
            format!("SELECT {ENGAGEMENT_COLUMNS} FROM engagements WHERE agency_id = $1 AND id = $2");
        if scope.is_some() {
            sql.push_str(" AND client_id = $3");
        }
        let mut query = sqlx::query(&sql).bind(agency.0).bind(id.0);
        if let Some(s) = scope {
            query = query.bind(s.0);
        }
        let row = query.fetch_optional(&mut *self.tx).await.map_err(db)?;
        row.as_ref()
            .map(clients::engagement)
            .unwrap_or(Err(not_found("engagement")))
    }

    async fn list_engagements(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Engagement>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENGAGEMENT_COLUMNS} FROM engagements WHERE agency_id = $1 AND client_id = $2 \
             ORDER BY starts_on DESC, id DESC"
        ))
        .bind(agency.0)
        .bind(client.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(clients::engagement).collect()
    }

    async fn update_engagement(
        &mut self,
        agency: AgencyId,
        id: EngagementId,
        e: &EngagementInput,
        now: Timestamp,
    ) -> Result<Engagement> {
        let row = sqlx::query(&format!(
            "UPDATE engagements SET title = $1, starts_on = $2, ends_on = $3, scope = $4, budget_minor = $5, \
             currency = $6, account_executive_id = $7, updated_at = $8 WHERE agency_id = $9 AND id = $10 \
             RETURNING {ENGAGEMENT_COLUMNS}"
        ))
        .bind(&e.title)
        .bind(e.starts_on.to_string())
        .bind(e.ends_on.to_string())
        .bind(&e.scope)
        .bind(e.budget.minor)
        .bind(e.budget.currency.code())
        .bind(e.account_executive_id.0)
        .bind(ts(now))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref()
            .map(clients::engagement)
            .unwrap_or(Err(not_found("engagement")))
    }
}
