//! KPIs and their values as rows (values are written in bulk by `bulk.rs`).

use crate::error::db;
use crate::row::{date, float, id_list, int, parsed, text, timestamp, ts};
use crate::tx::{ClientTable, SqlTx};
use accountable_core::error::Result;
use accountable_core::id::{AgencyId, ClientId};
use accountable_core::import::ImportId;
use accountable_core::kpi::{Aggregation, Direction, Kpi, KpiId, KpiInput, KpiKind, Measurement, Unit};
use accountable_core::record::RecordKind;
use accountable_core::store::KpiTx;
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::any::AnyRow;

pub(crate) const KPI_COLUMNS: &str =
    "id, agency_id, client_id, name, unit, direction, aggregation, kind, source, created_at";

pub(crate) fn kpi(row: &AnyRow) -> Result<Kpi> {
    Ok(Kpi {
        id: KpiId(int(row, "id")?),
        agency_id: AgencyId(int(row, "agency_id")?),
        client_id: ClientId(int(row, "client_id")?),
        fields: KpiInput {
            name: text(row, "name")?,
            unit: parsed(row, "unit", Unit::parse)?,
            direction: parsed(row, "direction", Direction::parse)?,
            aggregation: parsed(row, "aggregation", Aggregation::parse)?,
            kind: parsed(row, "kind", KpiKind::parse)?,
            source: text(row, "source")?,
        },
        created_at: timestamp(row, "created_at")?,
    })
}

const KPIS: ClientTable = ClientTable {
    name: "kpis",
    columns: KPI_COLUMNS,
    client_column: "client_id",
    entity: RecordKind::Kpi,
};

#[async_trait]
impl KpiTx for SqlTx {
    async fn lock_client_values(&mut self, agency: AgencyId, client: ClientId) -> Result<()> {
        if self.backend == crate::Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7262)) IS NULL AS locked")
                .bind(format!("client-values:{}:{}", agency.0, client.0))
                .fetch_one(&mut *self.tx)
                .await
                .map_err(db)?;
        }
        Ok(())
    }

    async fn insert_kpi(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        k: &KpiInput,
        now: Timestamp,
    ) -> Result<Kpi> {
        let row = sqlx::query(&format!(
            "INSERT INTO kpis (agency_id, client_id, name, name_key, unit, direction, aggregation, kind, source, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {KPI_COLUMNS}"
        ))
        .bind(agency.0)
        .bind(client.0)
        .bind(&k.name)
        .bind(k.name.to_lowercase())
        .bind(k.unit.as_str())
        .bind(k.direction.as_str())
        .bind(k.aggregation.as_str())
        .bind(k.kind.as_str())
        .bind(&k.source)
        .bind(ts(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        kpi(&row)
    }

    async fn set_kpi_source(&mut self, agency: AgencyId, kpi: KpiId, source: &str) -> Result<()> {
        sqlx::query("UPDATE kpis SET source = $1 WHERE agency_id = $2 AND id = $3")
            .bind(source)
            .bind(agency.0)
            .bind(kpi.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn list_kpis(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Kpi>> {
        self.list_of_client(&KPIS, agency, client, "kind, id", kpi).await
    }

    async fn list_kpis_of(&mut self, agency: AgencyId, clients: &[ClientId]) -> Result<Vec<Kpi>> {
        if clients.is_empty() {
            return Ok(Vec::new());
        }
        let list = id_list(clients.iter().map(|c| c.0));
        let rows = sqlx::query(&format!(
            "SELECT {KPI_COLUMNS} FROM kpis WHERE agency_id = $1 AND client_id IN ({list}) \
             ORDER BY client_id, kind, id"
        ))
        .bind(agency.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter().map(kpi).collect()
    }

    async fn latest_measurements(
        &mut self,
        agency: AgencyId,
        client: ClientId,
    ) -> Result<Vec<(KpiId, Date, Date, f64)>> {
        let rows = sqlx::query(
            // Each KPI's last day first, in one grouped pass, then its values on that day: a correlated MAX per
            // row read every KPI's history once per value.
            // A client's values are reached through its KPIs (measurements carry no agency or client).
            "SELECT m.kpi_id, m.period_start, m.period_end, m.value FROM measurements m \
             JOIN (SELECT kpi_id, MAX(period_end) AS last_day FROM measurements \
                   WHERE kpi_id IN (SELECT id FROM kpis WHERE agency_id = $1 AND client_id = $2) \
                     AND dimension = '' GROUP BY kpi_id) l \
               ON l.kpi_id = m.kpi_id AND l.last_day = m.period_end \
             WHERE m.dimension = '' \
             ORDER BY m.kpi_id, m.period_start DESC",
        )
        .bind(agency.0)
        .bind(client.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        let mut latest: Vec<(KpiId, Date, Date, f64)> = Vec::new();
        for r in &rows {
            let id = KpiId(int(r, "kpi_id")?);
            // A day's value and a period total may end on the same day: the first, the shorter, wins.
            if latest.last().is_none_or(|(last, _, _, _)| *last != id) {
                latest.push((
                    id,
                    date(r, "period_start")?,
                    date(r, "period_end")?,
                    float(r, "value")?,
                ));
            }
        }
        Ok(latest)
    }

    async fn upsert_measurements(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        import_id: Option<ImportId>,
        values: &[Measurement],
    ) -> Result<u64> {
        // The fastest way each database offers: see bulk.rs.
        crate::bulk::upsert(self, agency, client, import_id, values).await
    }

    async fn list_measurements(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Measurement>> {
        let rows = sqlx::query(
            "SELECT kpi_id, period_start, period_end, dimension, value FROM measurements \
             WHERE kpi_id IN (SELECT id FROM kpis WHERE agency_id = $1 AND client_id = $2) \
               AND period_start >= $3 AND period_end <= $4 \
             ORDER BY kpi_id, period_start, period_end, dimension",
        )
        .bind(agency.0)
        .bind(client.0)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Measurement {
                    kpi_id: KpiId(int(r, "kpi_id")?),
                    period_start: date(r, "period_start")?,
                    period_end: date(r, "period_end")?,
                    dimension: text(r, "dimension")?,
                    value: float(r, "value")?,
                })
            })
            .collect()
    }

    async fn list_daily_values(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        kpi: Option<KpiId>,
        ranges: &[(Date, Date)],
    ) -> Result<Vec<(KpiId, Date, f64)>> {
        if ranges.is_empty() {
            return Ok(Vec::new());
        }
        // Three columns and no sort: the reader puts the days in order itself. Days are found KPI by KPI through
        // the key (kpi, period…), whose rows for one KPI lie together; every range in one query. The KPI (or the
        // client's KPIs) is looked up under the agency and client: another tenant's gives nothing.
        let one = if kpi.is_some() { " AND id = $3" } else { "" };
        let first = if kpi.is_some() { 4 } else { 3 };
        // One SELECT a range, joined by UNION ALL: each finds its days through the key's range (an OR of ranges
        // would make SQLite read every day of the KPI).
        let sql = (0..ranges.len())
            .map(|i| {
                let n = first + 2 * i;
                format!(
                    "SELECT kpi_id, period_start, value FROM measurements \
                     WHERE kpi_id IN (SELECT id FROM kpis WHERE agency_id = $1 AND client_id = $2{one}) \
                     AND period_start >= ${n} AND period_start <= ${} AND period_end = period_start \
                     AND dimension = ''",
                    n + 1
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let mut query = sqlx::query(&sql).bind(agency.0).bind(client.0);
        if let Some(k) = kpi {
            query = query.bind(k.0);
        }
        for (from, to) in ranges {
            query = query.bind(from.to_string()).bind(to.to_string());
        }
        let rows = query.fetch_all(&mut *self.tx).await.map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok((
                    KpiId(int(r, "kpi_id")?),
                    date(r, "period_start")?,
                    float(r, "value")?,
                ))
            })
            .collect()
    }
}
