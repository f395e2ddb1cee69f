//! Agencies, people, invitations and sessions as rows.

use crate::row::{flag, int, opt_int, opt_timestamp, parsed, text, timestamp};
use accountable_core::agency::Agency;
use accountable_core::error::Error;
use accountable_core::id::{AgencyId, ClientId, InvitationId, UserId};
use accountable_core::session::Session;
use accountable_core::types::{Email, Language, Role};
use accountable_core::user::{Invitation, User};
use sqlx::any::AnyRow;

/// An agency from its row.
pub fn agency(row: &AnyRow) -> Result<Agency, Error> {
    Ok(Agency {
        id: AgencyId(int(row, "id")?),
        name: text(row, "name")?,
        created_at: timestamp(row, "created_at")?,
    })
}

/// The columns of a person.
pub const USER_COLUMNS: &str =
    "id, agency_id, email, name, role, client_id, language, active, password_hash, created_at";

/// A person from their row.
pub fn user(row: &AnyRow) -> Result<User, Error> {
    user_with(row, "created_at")
}

/// A person from a row whose creation time is in `created_at_column` (joined rows rename it).
fn user_with(row: &AnyRow, created_at_column: &str) -> Result<User, Error> {
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

/// The columns of an invitation.
pub const INVITATION_COLUMNS: &str =
    "id, agency_id, email, role, client_id, invited_by, expires_at, accepted_at, created_at";

/// An invitation from its row.
pub fn invitation(row: &AnyRow) -> Result<Invitation, Error> {
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

/// A session from its row.
pub fn session(row: &AnyRow) -> Result<Session, Error> {
    Ok(Session {
        token_hash: text(row, "token_hash")?,
        user_id: UserId(int(row, "user_id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        csrf_token: text(row, "csrf_token")?,
        created_at: timestamp(row, "created_at")?,
        expires_at: timestamp(row, "expires_at")?,
    })
}

/// The person of a joined session or token row.
pub fn signed_in_user(row: &AnyRow) -> Result<User, Error> {
    user_with(row, "user_created_at")
}

/// The agency of a joined session row (`find_signed_in`).
pub fn signed_in_agency(row: &AnyRow) -> Result<Agency, Error> {
    Ok(Agency {
        id: AgencyId(int(row, "agency_id")?),
        name: text(row, "agency_name")?,
        created_at: timestamp(row, "agency_created_at")?,
    })
}
