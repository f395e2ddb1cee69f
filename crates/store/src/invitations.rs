//! Invitations to join an agency as rows (their tokens only as hashes).

use crate::error::db;
use crate::row::{int, opt_int, opt_timestamp, parsed, text, timestamp, ts};
use crate::tx::SqlTx;
use accountable_core::error::{Error, Result};
use accountable_core::id::{AgencyId, ClientId, InvitationId, UserId};
use accountable_core::store::InvitationTx;
use accountable_core::types::{Email, Role};
use accountable_core::user::{Invitation, NewInvitation};
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

/// The columns of an invitation.
pub(crate) const INVITATION_COLUMNS: &str =
    "id, agency_id, email, role, client_id, invited_by, expires_at, accepted_at, created_at";

/// An invitation from its row.
pub(crate) fn invitation(row: &AnyRow) -> Result<Invitation, Error> {
    Ok(Invitation {
        id: InvitationId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        email: Email::from_stored(text(row, "email")?),
        role: parsed(row, "role", Role::parse)?,
        client_id: opt_int(row, "client_id")?.map(ClientId),
        invited_by: opt_int(row, "invited_by")?.map(UserId),
        expires_at: timestamp(row, "expires_at")?,
        accepted_at: opt_timestamp(row, "accepted_at")?,
        created_at: timestamp(row, "created_at")?,
    })
}

#[async_trait]
impl InvitationTx for SqlTx {
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
        .await;
        match row {
            Ok(row) => invitation(&row),
            Err(e) => {
                let references = [
                    ("client_id", "clients", i.client_id.map(|c| c.0)),
                    ("invited_by", "users", i.invited_by.map(|u| u.0)),
                ];
                Err(self.refused_write(e, "invitations", &references).await)
            }
        }
    }

    async fn find_invitation_by_token_hash(&mut self, token_hash: &str) -> Result<Option<Invitation>> {
        let row = sqlx::query(&format!(
            "SELECT {INVITATION_COLUMNS} FROM invitations WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?;
        row.as_ref().map(invitation).transpose()
    }

    async fn list_open_invitations(&mut self, agency: AgencyId) -> Result<Vec<Invitation>> {
        let rows = sqlx::query(&format!(
            "SELECT {INVITATION_COLUMNS} FROM invitations WHERE agency_id = $1 AND accepted_at IS NULL ORDER BY id DESC"
        ))
        .bind(agency.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(invitation).collect()
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
}
