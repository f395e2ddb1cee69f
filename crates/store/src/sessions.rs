//! Sessions and sign-in attempts as rows.

use crate::error::db;
use crate::row::{flag_value, int, text, timestamp, ts};
use crate::tx::SqlTx;
use accountable_core::agency::Agency;
use accountable_core::error::{Error, Result};
use accountable_core::id::{AgencyId, UserId};
use accountable_core::session::{Session, SignInAttempt};
use accountable_core::store::SessionTx;
use accountable_core::user::User;
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

/// A session from its row.
pub(crate) fn session(row: &AnyRow) -> Result<Session, Error> {
    Ok(Session {
        token_hash: text(row, "token_hash")?,
        user_id: UserId(int(row, "user_id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        csrf_token: text(row, "csrf_token")?,
        created_at: timestamp(row, "created_at")?,
        expires_at: timestamp(row, "expires_at")?,
    })
}

/// The agency of a joined session row (`find_signed_in`).
pub(crate) fn signed_in_agency(row: &AnyRow) -> Result<Agency, Error> {
    Ok(Agency {
        id: AgencyId(int(row, "agency_id")?),
        name: text(row, "agency_name")?,
        created_at: timestamp(row, "agency_created_at")?,
    })
}

#[async_trait]
impl SessionTx for SqlTx {
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
        row.as_ref().map(session).transpose()
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
            session(&row)?,
            crate::people::signed_in_user(&row)?,
            signed_in_agency(&row)?,
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

    async fn claim_form_nonce(
        &mut self,
        session_hash: &str,
        nonce: &str,
        now: Timestamp,
    ) -> Result<Option<Option<String>>> {
        let done = sqlx::query(
            "INSERT INTO form_nonces (session_hash, nonce, claimed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (session_hash, nonce) DO NOTHING",
        )
        .bind(session_hash)
        .bind(nonce)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        if done.rows_affected() == 1 {
            return Ok(None);
        }
        let row = sqlx::query("SELECT result FROM form_nonces WHERE session_hash = $1 AND nonce = $2")
            .bind(session_hash)
            .bind(nonce)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(Some(match row {
            Some(r) => crate::row::opt_text(&r, "result")?,
            None => None,
        }))
    }

    async fn record_form_result(&mut self, session_hash: &str, nonce: &str, result: &str) -> Result<()> {
        sqlx::query("UPDATE form_nonces SET result = $1 WHERE session_hash = $2 AND nonce = $3")
            .bind(result)
            .bind(session_hash)
            .bind(nonce)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn delete_form_nonces_before(&mut self, before: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM form_nonces WHERE claimed_at < $1")
            .bind(ts(before))
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

    async fn lock_sign_ins_from(&mut self, address: &str) -> Result<()> {
        if self.backend == crate::Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7261)) IS NULL AS locked")
                .bind(format!("sign-in:{address}"))
                .fetch_one(&mut *self.tx)
                .await
                .map_err(db)?;
        }
        Ok(())
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
}
