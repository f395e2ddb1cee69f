//! Engagements as rows.

use crate::row::{date, int, parsed, text, timestamp, ts};
use crate::tx::{AnyQuery, ClientTable, SqlTx, one_or_not_found};
use accountable_core::engagement::{Engagement, EngagementInput};
use accountable_core::error::{Error, Result};
use accountable_core::id::{AgencyId, ClientId, EngagementId, UserId};
use accountable_core::record::RecordKind;
use accountable_core::store::EngagementTx;
use accountable_core::types::{Currency, Money};
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

/// The columns of an engagement.
pub(crate) const ENGAGEMENT_COLUMNS: &str = "id, agency_id, client_id, title, starts_on, ends_on, scope, budget_minor, \
     currency, account_executive_id, created_at, updated_at";

/// An engagement from its row.
pub(crate) fn engagement(row: &AnyRow) -> Result<Engagement, Error> {
    Ok(Engagement {
        id: EngagementId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        client_id: ClientId(int(row, "client_id")?),
        fields: EngagementInput {
            title: text(row, "title")?,
            starts_on: date(row, "starts_on")?,
            ends_on: date(row, "ends_on")?,
            scope: text(row, "scope")?,
            budget: Money {
                minor: int(row, "budget_minor")?,
                currency: parsed(row, "currency", Currency::parse)?,
            },
            account_executive_id: UserId(int(row, "account_executive_id")?),
        },
        created_at: timestamp(row, "created_at")?,
        updated_at: timestamp(row, "updated_at")?,
    })
}

const ENGAGEMENTS: ClientTable = ClientTable {
    name: "engagements",
    columns: ENGAGEMENT_COLUMNS,
    client_column: "client_id",
    entity: RecordKind::Engagement,
};

/// An engagement's fields and the time of the write, in the order the insert and the update list them.
fn bind_fields<'q>(query: AnyQuery<'q>, e: &'q EngagementInput, now: Timestamp) -> AnyQuery<'q> {
    query
        .bind(&e.title)
        .bind(e.starts_on.to_string())
        .bind(e.ends_on.to_string())
        .bind(&e.scope)
        .bind(e.budget.minor)
        .bind(e.budget.currency.code())
        .bind(e.account_executive_id.0)
        .bind(ts(now))
}

/// The records an engagement's row names.
fn engagement_references(
    client: Option<ClientId>,
    e: &EngagementInput,
) -> [(&'static str, &'static str, Option<i64>); 2] {
    [
        ("account_executive_id", "users", Some(e.account_executive_id.0)),
        ("client_id", "clients", client.map(|c| c.0)),
    ]
}

#[async_trait]
impl EngagementTx for SqlTx {
    async fn insert_engagement(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        e: &EngagementInput,
        now: Timestamp,
    ) -> Result<Engagement> {
        let sql = format!(
            "INSERT INTO engagements (agency_id, client_id, title, starts_on, ends_on, scope, budget_minor, currency, \
             account_executive_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
             RETURNING {ENGAGEMENT_COLUMNS}"
        );
        let row = bind_fields(sqlx::query(&sql).bind(agency.0).bind(client.0), e, now)
            .fetch_one(&mut *self.tx)
            .await;
        match row {
            Ok(row) => engagement(&row),
            Err(error) => Err(self
                .refused_write(error, "engagements", &engagement_references(Some(client), e))
                .await),
        }
    }

    async fn get_engagement(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: EngagementId,
    ) -> Result<Engagement> {
        self.get_scoped(&ENGAGEMENTS, agency, scope, id.0, engagement)
            .await
    }

    async fn list_engagements(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Engagement>> {
        self.list_of_client(
            &ENGAGEMENTS,
            agency,
            client,
            "starts_on DESC, id DESC",
            engagement,
        )
        .await
    }

    async fn update_engagement(
        &mut self,
        agency: AgencyId,
        id: EngagementId,
        e: &EngagementInput,
        now: Timestamp,
    ) -> Result<Engagement> {
        let sql = format!(
            "UPDATE engagements SET title = $1, starts_on = $2, ends_on = $3, scope = $4, budget_minor = $5, \
             currency = $6, account_executive_id = $7, updated_at = $8 WHERE agency_id = $9 AND id = $10 \
             RETURNING {ENGAGEMENT_COLUMNS}"
        );
        let row = bind_fields(sqlx::query(&sql), e, now)
            .bind(agency.0)
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await;
        match row {
            Ok(row) => one_or_not_found(row, engagement, RecordKind::Engagement),
            Err(error) => Err(self
                .refused_write(error, "engagements", &engagement_references(None, e))
                .await),
        }
    }
}
