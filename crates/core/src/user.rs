//! People of an agency: their roles, invitations, activation and passwords.

use crate::actor::{Actor, Permission};
use crate::audit::snapshot;
use crate::error::Conflict;
use crate::error::{Error, FieldError, Result};
use crate::id::{AgencyId, ClientId, InvitationId, UserId};
use crate::password::{Password, random_token, token_hash};
use crate::record::{AuditAction, RecordKind};
use crate::service::{Change, Services, record};
use crate::session::NewSession;
use crate::types::{Email, Language, Role, required_text};
use crate::words::Tr;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// A person who signs in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The agency the person belongs to.
    pub agency_id: AgencyId,
    /// The sign-in address, unique across all agencies.
    pub email: Email,
    /// The name shown to others.
    pub name: String,
    /// What the person may do.
    pub role: Role,
    /// For a client contact, their client.
    pub client_id: Option<ClientId>,
    /// The interface language the person chose.
    pub language: Language,
    /// A deactivated person cannot sign in and has no sessions.
    pub active: bool,
    /// The argon2id hash; never serialized, so never in the audit trail or the API.
    #[serde(skip)]
    pub password_hash: Option<String>,
    /// When the person was added.
    pub created_at: Timestamp,
}

impl User {
    /// The actor this person is when signed in.
    pub fn actor(&self) -> Actor {
        Actor {
            agency_id: self.agency_id,
            user_id: Some(self.id),
            role: self.role,
            client_id: self.client_id,
            label: self.email.to_string(),
            language: self.language,
        }
    }
}

/// A person to store.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The agency.
    pub agency_id: AgencyId,
    /// Sign-in address.
    pub email: Email,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// For a client contact, their client.
    pub client_id: Option<ClientId>,
    /// Interface language.
    pub language: Language,
    /// argon2id hash, if a password is set.
    pub password_hash: Option<String>,
}

/// The fields of a person as typed on a form or the command line.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PersonForm {
    /// E-mail address.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role word (`owner`, `account-executive`, …).
    pub role: String,
    /// For a client contact: the client's id.
    pub client_id: String,
    /// Language word (`en`, `hu`, `zh-Hans`, `zh-Hant`); English when empty.
    pub language: String,
    /// Password (for `users create`); empty for an invitation.
    pub password: String,
}

/// An invitation to join an agency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    /// Its id.
    pub id: InvitationId,
    /// The agency.
    pub agency_id: AgencyId,
    /// Who is invited.
    pub email: Email,
    /// The role they will have.
    pub role: Role,
    /// For a client contact, their client.
    pub client_id: Option<ClientId>,
    /// Who invited them.
    pub invited_by: Option<UserId>,
    /// When the link stops working.
    pub expires_at: Timestamp,
    /// When it was accepted.
    pub accepted_at: Option<Timestamp>,
    /// When it was made.
    pub created_at: Timestamp,
}

/// An invitation to store.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    /// The agency.
    pub agency_id: AgencyId,
    /// Who is invited.
    pub email: Email,
    /// Their role.
    pub role: Role,
    /// For a client contact, their client.
    pub client_id: Option<ClientId>,
    /// Who invited.
    pub invited_by: Option<UserId>,
    /// SHA-256 of the link's token.
    pub token_hash: String,
    /// When the link stops working.
    pub expires_at: Timestamp,
}

/// A new invitation and the secret token for its link (shown once).
#[derive(Debug)]
pub struct IssuedInvitation {
    /// The stored invitation.
    pub invitation: Invitation,
    /// The token that goes into the link `/invitations/{token}`.
    pub token: String,
}

fn validation(errors: Vec<FieldError>) -> Error {
    Error::Validation(errors)
}

impl Services {
    /// The agency's people.
    pub async fn list_people(&self, actor: &Actor) -> Result<Vec<User>> {
        actor.require(Permission::ViewPeople)?;
        let mut tx = self.read().await?;
        tx.list_users(actor.agency_id).await
    }

    /// One person of the actor's agency.
    pub async fn get_person(&self, actor: &Actor, id: UserId) -> Result<User> {
        hide_people_from_client_contacts(actor)?;
        actor.require(Permission::ViewPeople)?;
        let mut tx = self.read().await?;
        tx.get_user(actor.agency_id, id).await
    }

    /// Parses a role and, for a client contact, checks that the client is the agency's.
    async fn role_and_client(
        &self,
        tx: &mut dyn crate::store::Tx,
        actor: &Actor,
        role: &str,
        client: &str,
        errors: &mut Vec<FieldError>,
    ) -> Result<(Role, Option<ClientId>)> {
        let role = match Role::parse("role", role) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                return Ok((Role::Specialist, None));
            }
        };
        if role != Role::ClientContact {
            return Ok((role, None));
        }
        let id = match client.trim().parse::<ClientId>() {
            Ok(id) => id,
            Err(_) => {
                errors.push(FieldError::new(
                    "client_id",
                    "required",
                    "a client contact needs a client",
                ));
                return Ok((role, None));
            }
        };
        match tx.get_client(actor.agency_id, None, id).await {
            Ok(c) => Ok((role, Some(c.id))),
            Err(Error::NotFound { .. }) => {
                errors.push(FieldError::new("client_id", "not-found", "no such client"));
                Ok((role, None))
            }
            Err(e) => Err(e),
        }
    }

    /// Creates a person with a password at once (the command line's `users create`).
    pub async fn create_person(&self, actor: &Actor, form: &PersonForm) -> Result<User> {
        actor.require(Permission::ManagePeople)?;
        let mut tx = self.write(actor.agency_id.0).await?;
        let mut errors = Vec::new();
        let email = Email::parse("email", &form.email)
            .map_err(|e| errors.push(e))
            .ok();
        let name = required_text("name", &form.name, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let password = Password::new("password", &form.password)
            .map_err(|e| errors.push(e))
            .ok();
        let language = parse_language(&form.language).map_err(|e| errors.push(e)).ok();
        let (role, client_id) = self
            .role_and_client(tx.as_mut(), actor, &form.role, &form.client_id, &mut errors)
            .await?;
        let (Some(email), Some(name), Some(password), Some(language), true) =
            (email, name, password, language, errors.is_empty())
        else {
            return Err(validation(errors));
        };
        let new = NewUser {
            agency_id: actor.agency_id,
            email,
            name,
            role,
            client_id,
            language,
            password_hash: Some(password.hash()?),
        };
        let now = self.now();
        let user = tx.insert_user(&new, now).await?;
        let change = Change::created(AuditAction::UserCreated, user.id.0, snapshot(&user));
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Invites a person by e-mail; the returned token makes the link `/invitations/{token}`.
    pub async fn invite(&self, actor: &Actor, form: &PersonForm) -> Result<IssuedInvitation> {
        actor.require(Permission::ManagePeople)?;
        let mut tx = self.write(actor.agency_id.0).await?;
        let mut errors = Vec::new();
        let email = Email::parse("email", &form.email)
            .map_err(|e| errors.push(e))
            .ok();
        let (role, client_id) = self
            .role_and_client(tx.as_mut(), actor, &form.role, &form.client_id, &mut errors)
            .await?;
        // Someone of this agency already: say so. Someone of another agency: say nothing (that would tell this
        // agency who works elsewhere); the invitation goes out, and its acceptance is refused to the person who
        // holds the link, because an address has one account (constraint `users_email_key`).
        if let Some(e) = &email
            && tx
                .find_user_by_email(e)
                .await?
                .is_some_and(|u| u.agency_id == actor.agency_id)
        {
            errors.push(FieldError::new(
                "email",
                "taken",
                "someone of this agency has this e-mail already",
            ));
        }
        let (Some(email), true) = (email, errors.is_empty()) else {
            return Err(validation(errors));
        };
        let now = self.now();
        let token = random_token();
        let new = NewInvitation {
            agency_id: actor.agency_id,
            email,
            role,
            client_id,
            invited_by: actor.user_id,
            token_hash: token_hash(&token),
            expires_at: now + SignedDuration::from_secs(self.settings.invitation_lifetime_secs),
        };
        let invitation = tx.insert_invitation(&new, now).await?;
        let agency = tx.get_agency(actor.agency_id).await?;
        let link = format!(
            "{}/invitations/{token}",
            self.settings.public_url.trim_end_matches('/')
        );
        let (subject, text) = invitation_mail(actor.language, &agency.name, &actor.label, &link);
        let message = crate::mail::NewMessage {
            agency_id: Some(actor.agency_id),
            to: vec![invitation.email.clone()],
            cc: Vec::new(),
            reply_to: Email::parse("reply_to", &actor.label).ok(),
            subject,
            text,
            html: None,
            attachments: Vec::new(),
        };
        crate::mail::queue(tx.as_mut(), &message, &self.mail_domain(), now).await?;
        let change = Change::created(
            AuditAction::InvitationCreated,
            invitation.id.0,
            snapshot(&invitation),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(IssuedInvitation { invitation, token })
    }

    /// The agency's invitations not yet accepted.
    pub async fn open_invitations(&self, actor: &Actor) -> Result<Vec<Invitation>> {
        actor.require(Permission::ManagePeople)?;
        let mut tx = self.read().await?;
        tx.list_open_invitations(actor.agency_id).await
    }

    /// The invitation behind a link's token, if it is still open; a link used already or past its expiry says
    /// so (only the holder of the link can ask), an unknown one is not found.
    pub async fn find_open_invitation(&self, token: &str) -> Result<Invitation> {
        let mut tx = self.read().await?;
        let now = self.now();
        match tx.find_invitation_by_token_hash(&token_hash(token)).await? {
            Some(i) if i.accepted_at.is_some() => Err(invitation_used()),
            Some(i) if i.expires_at <= now => Err(Error::Conflict {
                code: Conflict::InvitationExpired,
                message: "this invitation has expired: ask for a new one".into(),
            }),
            Some(i) => Ok(i),
            None => Err(Error::NotFound {
                entity: RecordKind::Invitation,
            }),
        }
    }

    /// Accepts an invitation: creates the person with their name and password and signs them in.
    pub async fn accept_invitation(
        &self,
        token: &str,
        raw_name: &str,
        raw_password: &str,
        raw_language: &str,
    ) -> Result<(User, NewSession)> {
        let invitation = self.find_open_invitation(token).await?;
        let mut errors = Vec::new();
        let name = required_text("name", raw_name, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let password = Password::new("password", raw_password)
            .map_err(|e| errors.push(e))
            .ok();
        let language = parse_language(raw_language).map_err(|e| errors.push(e)).ok();
        let (Some(name), Some(password), Some(language), true) =
            (name, password, language, errors.is_empty())
        else {
            return Err(validation(errors));
        };
        let mut tx = self.write(invitation.agency_id.0).await?;
        let now = self.now();
        // Read again under the lock, so a link used twice at once creates one person.
        match tx.find_invitation_by_token_hash(&token_hash(token)).await? {
            Some(i) if i.accepted_at.is_none() => {}
            Some(_) => return Err(invitation_used()),
            None => {
                return Err(Error::NotFound {
                    entity: RecordKind::Invitation,
                });
            }
        }
        let new = NewUser {
            agency_id: invitation.agency_id,
            email: invitation.email.clone(),
            name,
            role: invitation.role,
            client_id: invitation.client_id,
            language,
            password_hash: Some(password.hash()?),
        };
        let user = tx.insert_user(&new, now).await?;
        tx.mark_invitation_accepted(invitation.id, now).await?;
        let actor = user.actor();
        let change = Change::created(AuditAction::InvitationAccepted, user.id.0, snapshot(&user));
        record(tx.as_mut(), &actor, now, change).await?;
        let session = self.new_session(&user, now);
        tx.insert_session(&session.session).await?;
        tx.commit().await?;
        Ok((user, session))
    }

    /// Changes a person's role; the owner cannot demote themselves, so an agency always keeps an owner.
    pub async fn change_role(
        &self,
        actor: &Actor,
        id: UserId,
        raw_role: &str,
        raw_client: &str,
    ) -> Result<User> {
        hide_people_from_client_contacts(actor)?;
        let mut tx = self.write(actor.agency_id.0).await?;
        let before = tx.get_user(actor.agency_id, id).await?;
        actor.require(Permission::ManagePeople)?;
        let mut errors = Vec::new();
        let (role, client_id) = self
            .role_and_client(tx.as_mut(), actor, raw_role, raw_client, &mut errors)
            .await?;
        if Some(id) == actor.user_id && role != Role::Owner {
            errors.push(FieldError::new(
                "role",
                "last-owner",
                "you cannot take the owner role from yourself",
            ));
        }
        if !errors.is_empty() {
            return Err(validation(errors));
        }
        tx.update_user_role(actor.agency_id, id, role, client_id).await?;
        let after = tx.get_user(actor.agency_id, id).await?;
        let now = self.now();
        if role != before.role {
            // A new role is a new set of rights: the person signs in again, and tokens made under the old
            // role stop working.
            tx.delete_sessions_of_user(id).await?;
            tx.revoke_tokens_of_user(actor.agency_id, id, now).await?;
        }
        let change = Change::updated(
            AuditAction::UserRoleChanged,
            id.0,
            snapshot(&before),
            snapshot(&after),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deactivates (or reactivates) a person; a deactivated person's sessions end at once and their API tokens
    /// are revoked.
    pub async fn set_active(&self, actor: &Actor, id: UserId, active: bool) -> Result<User> {
        hide_people_from_client_contacts(actor)?;
        let mut tx = self.write(actor.agency_id.0).await?;
        let before = tx.get_user(actor.agency_id, id).await?;
        actor.require(Permission::ManagePeople)?;
        if !active && Some(id) == actor.user_id {
            return Err(Error::Conflict {
                code: Conflict::CannotDeactivateSelf,
                message: "you cannot deactivate yourself".into(),
            });
        }
        tx.set_user_active(actor.agency_id, id, active).await?;
        let now = self.now();
        if !active {
            // Revoked, not only refused while inactive: reactivating a person does not bring old tokens back.
            tx.delete_sessions_of_user(id).await?;
            tx.revoke_tokens_of_user(actor.agency_id, id, now).await?;
        }
        let after = tx.get_user(actor.agency_id, id).await?;
        let change = Change {
            action: if active {
                AuditAction::UserReactivated
            } else {
                AuditAction::UserDeactivated
            },
            entity_id: Some(id.0),
            before: snapshot(&before),
            after: snapshot(&after),
        };
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a new password for a person, ends their sessions and revokes their API tokens.
    pub async fn reset_password(&self, actor: &Actor, id: UserId, raw_password: &str) -> Result<User> {
        if actor.user_id != Some(id) {
            hide_people_from_client_contacts(actor)?;
        }
        let mut tx = self.write(actor.agency_id.0).await?;
        let user = tx.get_user(actor.agency_id, id).await?;
        if actor.user_id != Some(id) {
            actor.require(Permission::ManagePeople)?;
        }
        let password = Password::new("password", raw_password).map_err(|e| validation(vec![e]))?;
        tx.set_user_password(actor.agency_id, id, &password.hash()?)
            .await?;
        tx.delete_sessions_of_user(id).await?;
        let now = self.now();
        // A new password ends whatever the old one opened: sessions and API tokens.
        tx.revoke_tokens_of_user(actor.agency_id, id, now).await?;
        let change = Change::created(AuditAction::UserPasswordReset, id.0, serde_json::Value::Null);
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Changes the actor's own interface language.
    pub async fn set_language(&self, actor: &Actor, language: Language) -> Result<()> {
        let Some(id) = actor.user_id else { return Ok(()) };
        let mut tx = self.write(actor.agency_id.0).await?;
        let before = tx.get_user(actor.agency_id, id).await?;
        if before.language == language {
            return Ok(());
        }
        tx.set_user_language(actor.agency_id, id, language).await?;
        let now = self.now();
        let change = Change::updated(
            AuditAction::UserLanguageChanged,
            id.0,
            serde_json::json!({ "language": before.language }),
            serde_json::json!({ "language": language }),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A person by id or exact e-mail, for the command line.
    pub async fn resolve_person(&self, actor: &Actor, id_or_email: &str) -> Result<User> {
        actor.require(Permission::ViewPeople)?;
        let mut tx = self.read().await?;
        if let Ok(id) = id_or_email.trim().parse::<UserId>() {
            return tx.get_user(actor.agency_id, id).await;
        }
        let email = Email::parse("user", id_or_email).map_err(|e| validation(vec![e]))?;
        match tx.find_user_by_email(&email).await? {
            Some(u) if u.agency_id == actor.agency_id => Ok(u),
            _ => Err(Error::NotFound {
                entity: RecordKind::User,
            }),
        }
    }
}

/// The invitation e-mail in the inviter's language: subject and plain text with the link, from the catalogue
/// (`mail.invitation` in `core/i18n/*.toml`), filled in one pass so an agency or person named with braces stays
/// as typed.
fn invitation_mail(language: Language, agency: &str, inviter: &str, link: &str) -> (String, String) {
    let tr = Tr::new(language);
    let args = [("agency", agency), ("inviter", inviter), ("link", link)];
    (
        tr.tf("mail.invitation.subject", &args),
        tr.tf("mail.invitation.text", &args),
    )
}

/// A client contact sees no other person of the agency: for them every person is "not found".
fn hide_people_from_client_contacts(actor: &Actor) -> Result<()> {
    if actor.role == Role::ClientContact {
        Err(Error::NotFound {
            entity: RecordKind::User,
        })
    } else {
        Ok(())
    }
}

/// Parses a language word, English when empty.
pub fn parse_language(raw: &str) -> Result<Language, FieldError> {
    if raw.trim().is_empty() {
        Ok(Language::En)
    } else {
        Language::parse("language", raw)
    }
}

/// An invitation whose link was used already: its person signs in instead.
fn invitation_used() -> Error {
    Error::Conflict {
        code: Conflict::InvitationUsed,
        message: "this invitation was used already: sign in instead".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invitation_is_written_in_the_inviters_language_with_names_kept_as_typed() {
        let (subject, text) = invitation_mail(Language::Hu, "Kovács {link} Kft.", "Anna", "https://x/i/1");
        assert_eq!(subject, "Meghívó: Kovács {link} Kft. az Accountable-ben");
        assert!(
            text.starts_with("Üdvözöljük!\n\nAnna meghívta Önt a(z) Kovács {link} Kft. csapatába"),
            "{text}"
        );
        assert!(text.contains("érvényes):\nhttps://x/i/1\n\n"), "{text}");
        let (subject, _) = invitation_mail(Language::ZhHant, "北風", "李", "l");
        assert_eq!(subject, "北風 邀請您加入 Accountable");
    }
}
