//! API tokens: created by a person for themselves (or by the operator at the command line), shown once, stored
//! only as a SHA-256, with a name, a scope and an expiry; revocable. A token acts as its person, with that
//! person's agency and permissions; a read token cannot change anything.

use crate::actor::{Actor, Permission};
use crate::error::{Error, FieldError, Result};
use crate::id::{AgencyId, UserId};
use crate::password::{random_token, token_hash};
use crate::record::{AuditAction, RecordKind};
use crate::service::{Change, Services, record};
use crate::session::SignedIn;
use crate::types::required_text;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// A token's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct TokenId(pub i64);

impl std::fmt::Display for TokenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TokenScope {
    /// Only read.
    #[serde(rename = "read")]
    Read,
    /// Read and change, as far as the person's role allows.
    #[serde(rename = "read-write")]
    ReadWrite,
}

impl TokenScope {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::ReadWrite => "read-write",
        }
    }

    /// Parses the stored word.
    pub fn parse(field: &str, raw: &str) -> std::result::Result<Self, FieldError> {
        match raw.trim() {
            "read" => Ok(TokenScope::Read),
            "read-write" => Ok(TokenScope::ReadWrite),
            other => Err(FieldError::new(
                field,
                "invalid-choice",
                format!("{other:?} is not read or read-write"),
            )),
        }
    }
}

/// A stored token (never its secret).
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    /// Its id.
    pub id: TokenId,
    /// The agency.
    pub agency_id: AgencyId,
    /// The person it acts as.
    pub user_id: UserId,
    /// A name to recognise it by, such as "Reporting script".
    pub name: String,
    /// What it may do.
    pub scope: TokenScope,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A token to store.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The agency.
    pub agency_id: AgencyId,
    /// The person.
    pub user_id: UserId,
    /// Its name.
    pub name: String,
    /// Its scope.
    pub scope: TokenScope,
    /// SHA-256 of the secret.
    pub token_hash: String,
    /// Expiry.
    pub expires_at: Timestamp,
}

/// A new token and its secret, which is shown once.
#[derive(Debug)]
pub struct IssuedToken {
    /// The stored token.
    pub token: ApiToken,
    /// The secret for the `Authorization: Bearer` header.
    pub secret: String,
}

/// The prefix that marks an Accountable API token.
pub const TOKEN_PREFIX: &str = "acc_";

/// The fields of the token form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TokenForm {
    /// Name.
    pub name: String,
    /// `read` or `read-write`.
    pub scope: String,
    /// Days until it expires (1–365).
    pub days: String,
}

/// A signed-in person behind a token, and what the token allows.
#[derive(Debug, Clone)]
pub struct TokenHolder {
    /// The person, as with a session.
    pub signed_in: SignedIn,
    /// The token's scope.
    pub scope: TokenScope,
}

impl Services {
    /// Creates a token for `user` (a person for themselves; the operator for anyone of the agency).
    pub async fn create_token(&self, actor: &Actor, user: UserId, form: &TokenForm) -> Result<IssuedToken> {
        if actor.user_id.is_some() && actor.user_id != Some(user) {
            return Err(Error::Forbidden);
        }
        let mut errors = Vec::new();
        let name = required_text("name", &form.name, 100)
            .map_err(|e| errors.push(e))
            .ok();
        let scope = TokenScope::parse(
            "scope",
            if form.scope.is_empty() {
                "read"
            } else {
                &form.scope
            },
        )
        .map_err(|e| errors.push(e))
        .ok();
        let days = match form.days.trim() {
            "" => Some(90),
            d => match d.parse::<i64>() {
                Ok(n) if (1..=365).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new("days", "invalid-days", "from 1 to 365 days"));
                    None
                }
            },
        };
        let (Some(name), Some(scope), Some(days), true) = (name, scope, days, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let mut tx = self.write(actor.agency_id.0).await?;
        let person = tx.get_user(actor.agency_id, user).await?;
        let now = self.now();
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let new = NewToken {
            agency_id: actor.agency_id,
            user_id: person.id,
            name,
            scope,
            token_hash: token_hash(&secret),
            expires_at: now + SignedDuration::from_hours(24 * days),
        };
        let token = tx.insert_token(&new, now).await?;
        let change = Change::created(
            AuditAction::TokenCreated,
            person.id.0,
            serde_json::json!({ "token": token.id, "name": token.name, "scope": token.scope, "expires_at": token.expires_at }),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(IssuedToken { token, secret })
    }

    /// The actor's own tokens, newest first.
    pub async fn my_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        let Some(user) = actor.user_id else {
            return Ok(Vec::new());
        };
        let mut tx = self.read().await?;
        tx.list_tokens(actor.agency_id, user).await
    }

    /// Every token of the agency with the name of its person, newest first: the owner's overview (anyone else
    /// is refused).
    pub async fn agency_tokens(&self, actor: &Actor) -> Result<Vec<(ApiToken, String)>> {
        actor.require(Permission::ManagePeople)?;
        let mut tx = self.read().await?;
        let people = tx.list_users(actor.agency_id).await?;
        let tokens = tx.list_agency_tokens(actor.agency_id).await?;
        Ok(tokens
            .into_iter()
            .map(|t| {
                let name = people
                    .iter()
                    .find(|p| p.id == t.user_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                (t, name)
            })
            .collect())
    }

    /// Revokes a token; it stops working at once. A person revokes their own; the owner (and the command line)
    /// any of the agency's. Someone else's token is "not found" to anyone else.
    pub async fn revoke_token(&self, actor: &Actor, id: TokenId) -> Result<()> {
        self.revoke(actor, id, actor.can(Permission::ManagePeople)).await
    }

    /// Revokes one of the actor's own tokens (the settings page: even the owner revokes only their own there).
    pub async fn revoke_own_token(&self, actor: &Actor, id: TokenId) -> Result<()> {
        self.revoke(actor, id, false).await
    }

    async fn revoke(&self, actor: &Actor, id: TokenId, anyones: bool) -> Result<()> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let token = tx.get_token(actor.agency_id, id).await?;
        if actor.user_id.is_some() && actor.user_id != Some(token.user_id) && !anyones {
            return Err(Error::NotFound {
                entity: RecordKind::Token,
            });
        }
        let now = self.now();
        tx.revoke_token(actor.agency_id, id, now).await?;
        let change = Change::created(
            AuditAction::TokenRevoked,
            token.user_id.0,
            serde_json::json!({ "token": token.id, "name": token.name }),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The person behind a bearer token, if it exists, is not revoked or expired, and its person is active.
    pub async fn authenticate_token(&self, secret: &str) -> Result<TokenHolder> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Err(Error::Unauthenticated);
        }
        let now = self.now();
        let mut tx = self.read().await?;
        let (token, user, agency) = tx
            .find_token(&token_hash(secret))
            .await?
            .ok_or(Error::Unauthenticated)?;
        if token.revoked_at.is_some() || token.expires_at <= now || !user.active {
            return Err(Error::Unauthenticated);
        }
        let session = crate::session::Session {
            token_hash: String::new(),
            user_id: user.id,
            agency_id: user.agency_id,
            csrf_token: String::new(),
            created_at: token.created_at,
            expires_at: token.expires_at,
        };
        Ok(TokenHolder {
            signed_in: SignedIn {
                actor: user.actor(),
                user,
                agency,
                session,
            },
            scope: token.scope,
        })
    }
}
