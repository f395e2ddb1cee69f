//! The use cases of KPIs and their values: lists with the latest values, series for charts, reads by range,
//! writes (typed, from the API, or demo data) and the preset KPIs added to a client.

use super::*;
use crate::actor::{Actor, Permission};
use crate::audit::snapshot;
use crate::error::{Error, Result};
use crate::id::ClientId;
use crate::record::AuditAction;
use crate::service::{Change, Services, record};
use jiff::civil::Date;

/// The longest range of days one read of a client's values may span: three years and a little, so that a
/// request's answer stays bounded.
pub const MAX_READ_DAYS: i32 = 1100;

impl Services {
    /// A client's KPIs with their latest values.
    pub async fn client_kpis(&self, actor: &Actor, client: ClientId) -> Result<Vec<KpiLatest>> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        let kpis = tx.list_kpis(actor.agency_id, client).await?;
        let latest = tx.latest_measurements(actor.agency_id, client).await?;
        Ok(kpis
            .into_iter()
            .map(|kpi| {
                let found = latest.iter().find(|(id, _, _, _)| *id == kpi.id);
                KpiLatest {
                    kpi,
                    latest: found.map(|(_, _, end, v)| (*end, *v)),
                    latest_from: found.and_then(|(_, start, end, _)| (start != end).then_some(*start)),
                }
            })
            .collect())
    }

    /// The daily whole values (no period totals, no dimensions) of all of a client's KPIs between two days, for
    /// charts.
    pub async fn client_series(
        &self,
        actor: &Actor,
        client: ClientId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Measurement>> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        let all = tx.list_measurements(actor.agency_id, client, from, to).await?;
        Ok(all
            .into_iter()
            .filter(|m| !m.is_period_total() && m.dimension.is_empty())
            .collect())
    }

    /// Every value of a client's KPIs whose period lies between two days: daily values, period totals and
    /// breakdowns, by KPI and period.
    pub async fn client_measurements(
        &self,
        actor: &Actor,
        client: ClientId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Measurement>> {
        actor.require(Permission::ViewClients)?;
        let mut tx = self.read().await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        let days = from.until(to).map(|s| s.get_days()).unwrap_or(-1);
        if !(0..=MAX_READ_DAYS).contains(&days) {
            return Err(Error::field(
                "to",
                "invalid-period",
                "the range must run forward and span at most 3 years",
            ));
        }
        tx.list_measurements(actor.agency_id, client, from, to).await
    }

    /// Writes values for a client's KPIs (typed, from the API, or demo data) in one transaction; a value for a
    /// KPI, period and dimension that exists is replaced. Every KPI must be the client's.
    pub async fn write_measurements(
        &self,
        actor: &Actor,
        client: ClientId,
        values: &[Measurement],
    ) -> Result<u64> {
        let mut tx = self.write_client(actor.agency_id, client).await?;
        let client_record = tx
            .get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let kpis: Vec<KpiId> = tx
            .list_kpis(actor.agency_id, client)
            .await?
            .into_iter()
            .map(|k| k.id)
            .collect();
        if let Some(stray) = values.iter().find(|v| !kpis.contains(&v.kpi_id)) {
            return Err(Error::field(
                "kpi_id",
                "not-found",
                format!("KPI {} is not this client's", stray.kpi_id),
            ));
        }
        if let Some(bad) = values
            .iter()
            .find(|v| v.dimension.contains('\0') || v.dimension.chars().count() > 500)
        {
            return Err(Error::field(
                "dimension",
                "invalid-character",
                format!(
                    "the value for KPI {} has a dimension with a control character or over 500 characters",
                    bad.kpi_id
                ),
            ));
        }
        if let Some(bad) = values
            .iter()
            .find(|v| v.period_end < v.period_start || !v.value.is_finite())
        {
            return Err(Error::field(
                "period_end",
                "invalid-period",
                format!("the value for KPI {} has no valid period or value", bad.kpi_id),
            ));
        }
        let written = tx
            .upsert_measurements(actor.agency_id, client, None, values)
            .await?;
        let now = self.now();
        let today = client_record.today(now);
        crate::moves::record_moves_in(
            tx.as_mut(),
            actor.agency_id,
            client,
            crate::moves::last_full_month(today),
            now,
        )
        .await?;
        crate::home::refresh(tx.as_mut(), actor.agency_id, &[client], now).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// Adds a KPI to a client.
    pub async fn add_kpi(&self, actor: &Actor, client: ClientId, form: &KpiForm) -> Result<Kpi> {
        let mut tx = self.write_client(actor.agency_id, client).await?;
        tx.get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let input = form.parse().map_err(Error::Validation)?;
        let now = self.now();
        let kpi = tx.insert_kpi(actor.agency_id, client, &input, now).await?;
        let change = Change::created(AuditAction::KpiCreated, kpi.id.0, snapshot(&kpi.fields));
        record(tx.as_mut(), actor, now, change).await?;
        tx.commit().await?;
        Ok(kpi)
    }

    /// Adds the presets of the client's business model that the client does not have yet (by name), in the
    /// client's language. Returns the KPIs added.
    pub async fn add_preset_kpis(&self, actor: &Actor, client: ClientId) -> Result<Vec<Kpi>> {
        let mut tx = self.write_client(actor.agency_id, client).await?;
        let c = tx
            .get_client(actor.agency_id, actor.client_scope(), client)
            .await?;
        actor.require(Permission::ManageClients)?;
        let existing: Vec<String> = tx
            .list_kpis(actor.agency_id, client)
            .await?
            .into_iter()
            .map(|k| k.fields.name.to_lowercase())
            .collect();
        let now = self.now();
        let mut added = Vec::new();
        for input in presets(c.fields.business_model, c.fields.language) {
            if existing.contains(&input.name.to_lowercase()) {
                continue;
            }
            let kpi = tx.insert_kpi(actor.agency_id, client, &input, now).await?;
            let change = Change::created(AuditAction::KpiCreated, kpi.id.0, snapshot(&kpi.fields));
            record(tx.as_mut(), actor, now, change).await?;
            added.push(kpi);
        }
        tx.commit().await?;
        Ok(added)
    }
}
