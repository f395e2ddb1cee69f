//! Engagements: a 6–12-month cycle of work for a client, with scope, budget and a responsible account executive.

use crate::actor::{Actor, Permission};
use crate::audit::snapshot;
use crate::error::{Error, FieldError, Result};
use crate::id::{AgencyId, ClientId, EngagementId, UserId};
use crate::record::AuditAction;
use crate::service::{Change, Services, record};
use crate::types::{Money, Role, optional_text, parse_date, required_text};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// An engagement.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Engagement {
    /// Its id.
    pub id: EngagementId,
    /// The agency.
    pub agency_id: AgencyId,
    /// The client.
    pub client_id: ClientId,
    /// Its fields.
    #[serde(flatten)]
    pub fields: EngagementInput,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// An engagement's fields, parsed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct EngagementInput {
    /// A short title, such as "2027 H1 growth".
    pub title: String,
    /// First day.
    pub starts_on: Date,
    /// Last day; 6 to 12 months after the first.
    pub ends_on: Date,
    /// What is in scope.
    pub scope: String,
    /// The budget, in the client's currency.
    pub budget: Money,
    /// The account executive responsible.
    pub account_executive_id: UserId,
}

/// An engagement's fields as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EngagementForm {
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`.
    pub ends_on: String,
    /// Scope.
    pub scope: String,
    /// Budget amount in the client's currency, such as `12 000 000` or `45000.50`.
    pub budget: String,
    /// The responsible account executive's user id.
    pub account_executive_id: String,
}

impl EngagementForm {
    /// The form filled with an engagement's fields.
    pub fn from_engagement(e: &EngagementInput) -> Self {
        EngagementForm {
            title: e.title.clone(),
            starts_on: e.starts_on.to_string(),
            ends_on: e.ends_on.to_string(),
            scope: e.scope.clone(),
            budget: e.budget.plain(),
            account_executive_id: e.account_executive_id.to_string(),
        }
    }
}

/// Checks the 6–12-month rule: the last day is at least six months less a day, and at most twelve months less
/// a day, after the first.
pub fn check_cycle(starts_on: Date, ends_on: Date) -> std::result::Result<(), FieldError> {
    let shortest = starts_on
        .checked_add(6.months())
        .and_then(|d| d.checked_sub(1.day()));
    let longest = starts_on
        .checked_add(12.months())
        .and_then(|d| d.checked_sub(1.day()));
    match (shortest, longest) {
        (Ok(shortest), Ok(longest)) if ends_on >= shortest && ends_on <= longest => Ok(()),
        _ => Err(FieldError::new(
            "ends_on",
            "cycle-length",
            "an engagement runs from 6 to 12 months",
        )),
    }
}

/// How long a new engagement runs unless the AE says otherwise: a year, the longest cycle (6 to 12 months).
pub const DEFAULT_MONTHS: i64 = 12;

impl Services {
    /// The form for a new engagement of a client, filled in: it starts on the client's today (in its time zone)
    /// and runs [`DEFAULT_MONTHS`] months to the day before, with the asking person as its account executive.
    pub async fn new_engagement_form(&self, actor: &Actor, client: ClientId) -> Result<EngagementForm> {
        let client = self.get_client(actor, client).await?;
        actor.require(Permission::ManageClients)?;
        let today = client.today(self.now());
        Ok(EngagementForm {
            starts_on: today.to_string(),
            ends_on: today
                .checked_add(jiff::Span::new().months(DEFAULT_MONTHS))
                .and_then(|d| d.checked_sub(jiff::Span::new().days(1)))
                .map(|d| d.to_string())
                .unwrap_or_default(),
            account_executive_id: actor.user_id.map(|u| u.to_string()).unwrap_or_default(),
            ..Default::default()
        })
    }

    async fn parse_engagement(
        &self,
        tx: &mut dyn crate::store::Tx,
        actor: &Actor,
        client: ClientId,
        form: &EngagementForm,
    ) -> Result<EngagementInput> {
        let client = tx
            .get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let mut errors = Vec::new();
        let title = required_text("title", &form.title, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let starts_on = parse_date("starts_on", &form.starts_on)
            .map_err(|e| errors.push(e))
            .ok();
        let ends_on = parse_date("ends_on", &form.ends_on)
            .map_err(|e| errors.push(e))
            .ok();
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && let Err(err) = check_cycle(s, e)
        {
            errors.push(err);
        }
        let scope = optional_text("scope", &form.scope, 5000)
            .map_err(|e| errors.push(e))
            .ok();
        let budget = crate::typed::money("budget", &form.budget, actor.language, client.fields.currency)
            .map_err(|e| errors.push(e))
            .ok();
        if budget.is_some_and(|b| b.minor < 0) {
            errors.push(FieldError::new(
                "budget",
                "negative",
                "a budget cannot be negative",
            ));
        }
        let ae = match form.account_executive_id.trim().parse::<UserId>() {
            Ok(id) => match tx.get_user(actor.agency_id, id).await {
                Ok(u) if u.active && matches!(u.role, Role::AccountExecutive | Role::Owner) => Some(u.id),
                Ok(_) | Err(Error::NotFound { .. }) => {
                    errors.push(FieldError::new(
                        "account_executive_id",
                        "not-an-account-executive",
                        "choose an active account executive of the agency",
                    ));
                    None
                }
                Err(e) => return Err(e),
            },
            Err(_) => {
                errors.push(FieldError::new(
                    "account_executive_id",
                    "required",
                    "choose the responsible account executive",
                ));
                None
            }
        };
        match (title, starts_on, ends_on, scope, budget, ae) {
            (
                Some(title),
                Some(starts_on),
                Some(ends_on),
                Some(scope),
                Some(budget),
                Some(account_executive_id),
            ) if errors.is_empty() => Ok(EngagementInput {
                title,
                starts_on,
                ends_on,
                scope,
                budget,
                account_executive_id,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }

    /// Creates an engagement for a client.
    pub async fn create_engagement(
        &self,
        actor: &Actor,
        client: ClientId,
        form: &EngagementForm,
    ) -> Result<Engagement> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let input = self.parse_engagement(tx.as_mut(), actor, client, form).await?;
        let now = self.now();
        let engagement = tx.insert_engagement(actor.agency_id, client, &input, now).await?;
        let change = Change::created(
            AuditAction::EngagementCreated,
            engagement.id.0,
            snapshot(&engagement.fields),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(engagement)
    }

    /// One engagement.
    pub async fn get_engagement(&self, actor: &Actor, id: EngagementId) -> Result<Engagement> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_engagement(actor.agency_id, actor.client_scope(), id).await
    }

    /// Replaces an engagement's fields.
    pub async fn update_engagement(
        &self,
        actor: &Actor,
        id: EngagementId,
        form: &EngagementForm,
    ) -> Result<Engagement> {
        let mut tx = self.write(actor.agency_id.0).await?;
        let before = tx
            .get_engagement(actor.agency_id, actor.client_scope(), id)
            .await?;
        let input = self
            .parse_engagement(tx.as_mut(), actor, before.client_id, form)
            .await?;
        let now = self.now();
        let after = tx.update_engagement(actor.agency_id, id, &input, now).await?;
        let change = Change::updated(
            AuditAction::EngagementUpdated,
            id.0,
            snapshot(&before.fields),
            snapshot(&after.fields),
        );
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn an_engagement_runs_six_to_twelve_months() {
        let start = date(2026, 1, 1);
        assert!(check_cycle(start, date(2026, 6, 30)).is_ok());
        assert!(check_cycle(start, date(2026, 12, 31)).is_ok());
        assert!(check_cycle(start, date(2026, 6, 29)).is_err());
        assert!(check_cycle(start, date(2027, 1, 1)).is_err());
        assert!(check_cycle(start, date(2025, 12, 1)).is_err());
    }
}
