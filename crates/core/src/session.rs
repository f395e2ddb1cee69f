//! Sign-in, sessions and the sign-in rate limit.

use crate::actor::Actor;
use crate::audit::{NewAuditEvent, SYSTEM_CHAIN};
use crate::error::{Error, FieldError, Result};
use crate::id::{AgencyId, UserId};
use crate::password::{Password, dummy_hash, random_token, token_hash};
use crate::record::AuditAction;
use crate::service::Services;
use crate::types::Email;
use crate::user::User;
use jiff::{SignedDuration, Timestamp};

/// A signed-in session, stored so that every instance of the app shares it.
#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the cookie's token; the token itself is never stored.
    pub token_hash: String,
    /// The person.
    pub user_id: UserId,
    /// The person's agency.
    pub agency_id: AgencyId,
    /// The secret every form of this session must send back.
    pub csrf_token: String,
    /// When it began.
    pub created_at: Timestamp,
    /// When it ends.
    pub expires_at: Timestamp,
}

/// One try at signing in, kept for the rate limit.
#[derive(Debug, Clone)]
pub struct SignInAttempt {
    /// The e-mail address as typed (lower-cased).
    pub email: String,
    /// The network address it came from.
    pub address: String,
    /// When.
    pub at: Timestamp,
    /// Whether it succeeded.
    pub succeeded: bool,
}

/// A new session: the token for the cookie (shown once) and the stored session.
#[derive(Debug)]
pub struct NewSession {
    /// The token to put in the cookie.
    pub token: String,
    /// The stored session.
    pub session: Session,
}

/// A signed-in person with their session.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Who is acting.
    pub actor: Actor,
    /// Their record.
    pub user: User,
    /// Their agency.
    pub agency: crate::agency::Agency,
    /// Their session.
    pub session: Session,
}

impl Services {
    /// Signs a person in with e-mail and password from a network address.
    ///
    /// Refuses with [`Error::RateLimited`] after too many failures for the account or the address within the
    /// window; every failed and refused attempt is written to the audit trail.
    pub async fn sign_in(
        &self,
        raw_email: &str,
        raw_password: &str,
        address: &str,
    ) -> Result<(User, NewSession)> {
        let now = self.now();
        let email_text = raw_email.trim().to_lowercase();
        let email = Email::parse("email", raw_email).ok();
        let mut tx = self.read().await?;
        let user = match &email {
            Some(e) => tx.find_user_by_email(e).await?,
            None => None,
        };
        drop(tx);
        let chain = user.as_ref().map(|u| u.agency_id.0).unwrap_or(SYSTEM_CHAIN);
        let mut tx = self.write(chain).await?;
        tx.lock_sign_ins_from(address).await?;

        let since = now - SignedDuration::from_secs(self.settings.sign_in_window_secs);
        let by_account = tx.failed_sign_ins_for_email(&email_text, since).await?;
        let by_address = tx.failed_sign_ins_for_address(address, since).await?;
        let limited = [
            (by_account, self.settings.sign_in_failures_per_account),
            (by_address, self.settings.sign_in_failures_per_address),
        ]
        .into_iter()
        .filter(|(failures, limit)| failures.len() >= *limit)
        .filter_map(|(failures, limit)| failures.get(failures.len() - limit).copied())
        .max();
        if let Some(oldest_counted) = limited {
            let free_at = oldest_counted + SignedDuration::from_secs(self.settings.sign_in_window_secs);
            let retry_after_secs = free_at.duration_since(now).as_secs().max(1) as u64;
            let event = sign_in_event(
                chain,
                &user,
                &email_text,
                address,
                now,
                AuditAction::SignInRefused,
            );
            tx.append_audit(&event).await?;
            tx.commit().await?;
            return Err(Error::RateLimited { retry_after_secs });
        }

        let typed = Password::typed(raw_password);
        let verified = match &user {
            Some(u) => u.active && u.password_hash.as_deref().is_some_and(|h| typed.verify(h)),
            None => {
                // Spend the same time as a real check, so timing does not tell which e-mails exist.
                typed.verify(dummy_hash());
                false
            }
        };
        let attempt = SignInAttempt {
            email: email_text.clone(),
            address: address.to_string(),
            at: now,
            succeeded: verified,
        };
        tx.insert_sign_in_attempt(&attempt).await?;
        let user = match (verified, user) {
            (true, Some(u)) => u,
            (_, user) => {
                let event = sign_in_event(chain, &user, &email_text, address, now, AuditAction::SignInFailed);
                tx.append_audit(&event).await?;
                tx.commit().await?;
                return Err(Error::InvalidCredentials);
            }
        };
        let new_session = self.new_session(&user, now);
        tx.insert_session(&new_session.session).await?;
        let event = sign_in_event(
            chain,
            &Some(user.clone()),
            &email_text,
            address,
            now,
            AuditAction::SignInSucceeded,
        );
        tx.append_audit(&event).await?;
        tx.commit().await?;
        Ok((user, new_session))
    }

    pub(crate) fn new_session(&self, user: &User, now: Timestamp) -> NewSession {
        let token = random_token();
        let session = Session {
            token_hash: token_hash(&token),
            user_id: user.id,
            agency_id: user.agency_id,
            csrf_token: random_token(),
            created_at: now,
            expires_at: now + SignedDuration::from_secs(self.settings.session_lifetime_secs),
        };
        NewSession { token, session }
    }

    /// The person behind a session cookie's token, or [`Error::Unauthenticated`].
    pub async fn authenticate(&self, token: &str) -> Result<SignedIn> {
        let now = self.now();
        let mut tx = self.read().await?;
        let (session, user, agency) = tx
            .find_signed_in(&token_hash(token), now)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if !user.active {
            return Err(Error::Unauthenticated);
        }
        Ok(SignedIn {
            actor: user.actor(),
            user,
            agency,
            session,
        })
    }

    /// Ends the session behind a cookie's token.
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        tx.delete_session(&token_hash(token)).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Services {
    /// Daily upkeep: removes expired sessions and sign-in attempts older than a day (the rate limit looks back
    /// 15 minutes). Returns how many of each were removed.
    pub async fn clean_up(&self) -> Result<(u64, u64)> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let sessions = tx.delete_expired_sessions(now).await?;
        let attempts = tx
            .delete_sign_in_attempts_before(now - SignedDuration::from_hours(24))
            .await?;
        tx.delete_form_nonces_before(now - SignedDuration::from_hours(24))
            .await?;
        tx.commit().await?;
        Ok((sessions, attempts))
    }

    /// Claims one sending of a form of the session whose token hashes to `session_hash`: `None` the first time;
    /// when the same rendered form was sent already, so that this sending must change nothing, `Some` with where
    /// the first one led, if it has answered.
    pub async fn claim_form(&self, session_hash: &str, nonce: &str) -> Result<Option<Option<String>>> {
        let mut tx = self.store.begin().await?;
        let claim = tx.claim_form_nonce(session_hash, nonce, self.now()).await?;
        tx.commit().await?;
        Ok(claim)
    }

    /// Keeps where the first sending of a form led, for a second sending to lead there too.
    pub async fn record_form_result(&self, session_hash: &str, nonce: &str, result: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        tx.record_form_result(session_hash, nonce, result).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Enqueues the recurring jobs that are due by `now` (each keyed, so calling this often is harmless): today's
    /// upkeep at 03:00 UTC, and every hour the refresh of the goal standings whose client has a new day.
    pub async fn schedule_recurring(&self) -> Result<usize> {
        let now = self.now();
        let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        let at = today
            .to_datetime(jiff::civil::time(3, 0, 0, 0))
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(now);
        let job =
            crate::job::NewJob::now(&crate::job::JobKind::CleanUp, at).keyed(format!("clean-up:{today}"));
        let mut enqueued = usize::from(self.enqueue(&job).await?.is_some());
        let hour = now.to_zoned(jiff::tz::TimeZone::UTC).hour();
        let refresh = crate::job::NewJob::now(&crate::job::JobKind::RefreshStandings, now)
            .keyed(format!("refresh-standings:{today}T{hour:02}"));
        enqueued += usize::from(self.enqueue(&refresh).await?.is_some());
        Ok(enqueued)
    }
}

fn sign_in_event(
    chain: i64,
    user: &Option<User>,
    email: &str,
    address: &str,
    at: Timestamp,
    action: AuditAction,
) -> NewAuditEvent {
    NewAuditEvent {
        chain,
        at,
        actor_id: user.as_ref().map(|u| u.id.0),
        actor_label: if email.is_empty() {
            "anonymous".to_string()
        } else {
            email.to_string()
        },
        action: action.as_str().to_string(),
        entity: action.record().as_str().to_string(),
        entity_id: user.as_ref().map(|u| u.id.0),
        before: serde_json::Value::Null,
        after: serde_json::json!({ "email": email, "address": address }),
    }
}

/// The field error a sign-in form shows for wrong credentials.
pub fn invalid_credentials_field() -> FieldError {
    FieldError::new("email", "invalid-credentials", "wrong e-mail or password")
}
