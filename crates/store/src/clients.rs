//! Clients as rows: the one record every other agency record hangs off, and its paged, searchable list.

use crate::error::db;
use crate::row::{int, opt_timestamp, parsed, text, timestamp, ts};
use crate::tx::{AnyQuery, ClientTable, SqlTx, exactly_one, one_or_not_found};
use accountable_core::client::{Client, ClientInput, ClientListQuery, ClientSummary};
use accountable_core::error::{Error, Result};
use accountable_core::id::{AgencyId, ClientId};
use accountable_core::record::RecordKind;
use accountable_core::store::ClientTx;
use accountable_core::types::{BusinessModel, Currency, Language, TimeZoneName, WeeklyReportTime};
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::Any;
use sqlx::any::AnyRow;

/// The columns of a client.
pub(crate) const CLIENT_COLUMNS: &str = "id, agency_id, name, business_model, time_zone, language, currency, address, \
     vat_number, weekly_report_weekday, weekly_report_minute, archived_at, created_at, updated_at";

/// A client from its row.
pub(crate) fn client(row: &AnyRow) -> Result<Client, Error> {
    Ok(Client {
        id: ClientId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        fields: ClientInput {
            name: text(row, "name")?,
            business_model: parsed(row, "business_model", BusinessModel::parse)?,
            time_zone: TimeZoneName::from_stored(text(row, "time_zone")?),
            language: parsed(row, "language", Language::parse)?,
            currency: parsed(row, "currency", Currency::parse)?,
            address: text(row, "address")?,
            vat_number: text(row, "vat_number")?,
            weekly_report: WeeklyReportTime {
                weekday: int(row, "weekly_report_weekday")? as i8,
                minute_of_day: int(row, "weekly_report_minute")? as i16,
            },
        },
        archived_at: opt_timestamp(row, "archived_at")?,
        created_at: timestamp(row, "created_at")?,
        updated_at: timestamp(row, "updated_at")?,
    })
}

/// The columns of a client's summary (what lists show).
pub(crate) const SUMMARY_COLUMNS: &str = "id, name, business_model, language, time_zone, currency";

/// A client's summary from its row.
pub(crate) fn summary(row: &AnyRow) -> Result<ClientSummary, Error> {
    Ok(ClientSummary {
        id: ClientId(int(row, "id")?),
        name: text(row, "name")?,
        business_model: parsed(row, "business_model", BusinessModel::parse)?,
        language: parsed(row, "language", Language::parse)?,
        time_zone: TimeZoneName::from_stored(text(row, "time_zone")?),
        currency: parsed(row, "currency", Currency::parse)?,
    })
}

/// What the name's uniqueness and the search compare: the name lower-cased (Unicode-aware).
pub(crate) fn name_key(input: &ClientInput) -> String {
    input.name.to_lowercase()
}

/// What the search looks in.
pub(crate) fn search_text(input: &ClientInput) -> String {
    format!("{}\n{}\n{}", input.name, input.vat_number, input.address).to_lowercase()
}

/// A value to bind to a statement built at run time.
pub(crate) enum Bound {
    Int(i64),
    Text(String),
}

pub(crate) fn bind_all<'q>(
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

const CLIENTS: ClientTable = ClientTable {
    name: "clients",
    columns: CLIENT_COLUMNS,
    client_column: "id",
    entity: RecordKind::Client,
};

/// A client's fields and the time of the write, in the order the insert and the update list them.
fn bind_fields<'q>(query: AnyQuery<'q>, c: &'q ClientInput, now: Timestamp) -> AnyQuery<'q> {
    query
        .bind(&c.name)
        .bind(name_key(c))
        .bind(search_text(c))
        .bind(c.business_model.as_str())
        .bind(c.time_zone.as_str())
        .bind(c.language.as_str())
        .bind(c.currency.code())
        .bind(&c.address)
        .bind(&c.vat_number)
        .bind(i64::from(c.weekly_report.weekday))
        .bind(i64::from(c.weekly_report.minute_of_day))
        .bind(ts(now))
}

#[async_trait]
impl ClientTx for SqlTx {
    async fn insert_client(&mut self, agency: AgencyId, c: &ClientInput, now: Timestamp) -> Result<Client> {
        let sql = format!(
            "INSERT INTO clients (agency_id, name, name_key, search_text, business_model, time_zone, language, \
             currency, address, vat_number, weekly_report_weekday, weekly_report_minute, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING {CLIENT_COLUMNS}"
        );
        let row = bind_fields(sqlx::query(&sql).bind(agency.0), c, now)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db)?;
        client(&row)
    }

    async fn get_client(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: ClientId,
    ) -> Result<Client> {
        self.get_scoped(&CLIENTS, agency, scope, id.0, client).await
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
        row.as_ref().map(client).transpose()
    }

    async fn list_clients(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        q: &ClientListQuery,
    ) -> Result<(Vec<Client>, i64)> {
        self.page_of_clients(agency, scope, q, CLIENT_COLUMNS, client)
            .await
    }

    async fn list_client_summaries(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        q: &ClientListQuery,
    ) -> Result<(Vec<ClientSummary>, i64)> {
        self.page_of_clients(agency, scope, q, SUMMARY_COLUMNS, summary)
            .await
    }

    async fn update_client(
        &mut self,
        agency: AgencyId,
        id: ClientId,
        c: &ClientInput,
        now: Timestamp,
    ) -> Result<Client> {
        let sql = format!(
            "UPDATE clients SET name = $1, name_key = $2, search_text = $3, business_model = $4, time_zone = $5, \
             language = $6, currency = $7, address = $8, vat_number = $9, weekly_report_weekday = $10, \
             weekly_report_minute = $11, updated_at = $12 WHERE agency_id = $13 AND id = $14 RETURNING {CLIENT_COLUMNS}"
        );
        let row = bind_fields(sqlx::query(&sql), c, now)
            .bind(agency.0)
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
        one_or_not_found(row, client, RecordKind::Client)
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
        exactly_one(done.rows_affected(), RecordKind::Client)
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
