//! API tokens in SQL.

use crate::error::db;
use crate::row::{int, opt_timestamp, parsed, text, timestamp, ts};
use crate::tx::{SqlTx, not_found, one_or_not_found};
use accountable_core::agency::Agency;
use accountable_core::error::Result;
use accountable_core::id::{AgencyId, UserId};
use accountable_core::record::RecordKind;
use accountable_core::store::TokenTx;
use accountable_core::token::{ApiToken, NewToken, TokenId, TokenScope};
use accountable_core::user::User;
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, agency_id, user_id, name, scope, expires_at, revoked_at, created_at";

fn token(row: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: TokenId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        user_id: UserId(int(row, "user_id")?),
        name: text(row, "name")?,
        scope: parsed(row, "scope", TokenScope::parse)?,
        expires_at: timestamp(row, "expires_at")?,
        revoked_at: opt_timestamp(row, "revoked_at")?,
        created_at: timestamp(row, "created_at")?,
    })
}

#[async_trait]
impl TokenTx for SqlTx {
    async fn insert_token(&mut self, t: &NewToken, now: Timestamp) -> Result<ApiToken> {
        let row = sqlx::query(&format!(
            "INSERT INTO api_tokens (agency_id, user_id, name, scope, token_hash, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
        ))
        .bind(t.agency_id.0)
        .bind(t.user_id.0)
        .bind(&t.name)
        .bind(t.scope.as_str())
        .bind(&t.token_hash)
        .bind(ts(t.expires_at))
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        token(&row)
    }

    async fn get_token(&mut self, agency: AgencyId, id: TokenId) -> Result<ApiToken> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE agency_id = $1 AND id = $2"
        ))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        one_or_not_found(row, token, RecordKind::Token)
    }

    async fn list_tokens(&mut self, agency: AgencyId, user: UserId) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE agency_id = $1 AND user_id = $2 ORDER BY id DESC"
        ))
        .bind(agency.0)
        .bind(user.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(token).collect()
    }

    async fn list_agency_tokens(&mut self, agency: AgencyId) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE agency_id = $1 ORDER BY created_at DESC, id DESC"
        ))
        .bind(agency.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(token).collect()
    }

    async fn revoke_tokens_of_user(&mut self, agency: AgencyId, user: UserId, now: Timestamp) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE agency_id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(ts(now))
        .bind(agency.0)
        .bind(user.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected())
    }

    async fn revoke_token(&mut self, agency: AgencyId, id: TokenId, now: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE agency_id = $2 AND id = $3 AND revoked_at IS NULL",
        )
        .bind(ts(now))
        .bind(agency.0)
        .bind(id.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            Err(not_found(RecordKind::Token))
        } else {
            Ok(())
        }
    }

    async fn find_token(&mut self, token_hash: &str) -> Result<Option<(ApiToken, User, Agency)>> {
        let row = sqlx::query(
            "SELECT t.id AS token_id, t.name AS token_name, t.scope, t.expires_at, t.revoked_at, t.created_at AS token_created_at, \
             u.id, u.agency_id, u.email, u.name, u.role, u.client_id, u.language, u.active, u.password_hash, \
             u.created_at AS user_created_at, a.name AS agency_name, a.created_at AS agency_created_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.agency_id = t.agency_id \
             JOIN agencies a ON a.id = t.agency_id WHERE t.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let user = crate::people::signed_in_user(&row)?;
        let t = ApiToken {
            id: TokenId(int(&row, "token_id")?),
            agency_id: user.agency_id,
            user_id: user.id,
            name: text(&row, "token_name")?,
            scope: parsed(&row, "scope", TokenScope::parse)?,
            expires_at: timestamp(&row, "expires_at")?,
            revoked_at: opt_timestamp(&row, "revoked_at")?,
            created_at: timestamp(&row, "token_created_at")?,
        };
        Ok(Some((t, user, crate::sessions::signed_in_agency(&row)?)))
    }
}
