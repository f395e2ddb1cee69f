//! The storage trait of KPIs and their values, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::error::Result;
use crate::id::{AgencyId, ClientId};
use crate::import::ImportId;
use crate::kpi::{Kpi, KpiId, KpiInput, Measurement};
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;

/// The reads and writes of KPIs and their values (see [`crate::kpi`]).
#[async_trait]
pub trait KpiTx: Send {
    /// Holds a client's values lock until the transaction ends. Every use case that writes a client's KPIs,
    /// values or notable moves takes it before the agency's audit-chain lock (always in that order); an import
    /// holds it while it writes and takes the chain lock only to append its audit event, so a large import
    /// stalls neither the agency's other writes nor its sign-ins. A no-op on SQLite, which runs one writer at
    /// a time.
    async fn lock_client_values(&mut self, agency: AgencyId, client: ClientId) -> Result<()>;

    /// Adds a KPI to a client (constraint `kpis_client_name_key`: names are unique per client, case-insensitive).
    async fn insert_kpi(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        kpi: &KpiInput,
        now: Timestamp,
    ) -> Result<Kpi>;

    /// Gives a client's KPI the export column that feeds it (`source`, such as `gsc:clicks`): the mapping an AE
    /// chose on an import's preview, remembered for the next import.
    async fn set_kpi_source(&mut self, agency: AgencyId, kpi: KpiId, source: &str) -> Result<()>;

    /// A client's KPIs: business results first, then leading indicators, by name.
    async fn list_kpis(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Kpi>>;

    /// The KPIs of several clients of an agency, in one query, in the same order per client.
    async fn list_kpis_of(&mut self, agency: AgencyId, clients: &[ClientId]) -> Result<Vec<Kpi>>;

    /// Each of a client's KPIs' latest whole value (no dimension): the KPI, the period's first and last day (the
    /// same day for a daily value), the value; in one query. A daily value wins over a period total ending the same
    /// day.
    async fn latest_measurements(
        &mut self,
        agency: AgencyId,
        client: ClientId,
    ) -> Result<Vec<(KpiId, Date, Date, f64)>>;

    /// Writes values; a value for the same KPI, period and dimension replaces the one there (constraint
    /// `measurements_key`). Returns how many were written.
    async fn upsert_measurements(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        import: Option<ImportId>,
        values: &[Measurement],
    ) -> Result<u64>;

    /// A client's values (all KPIs) whose period lies within `from..=to`, by KPI and period, in one query.
    async fn list_measurements(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Measurement>>;

    /// The daily whole values (no period totals, no breakdowns) of a client's KPIs, or of one KPI, on the days
    /// of `ranges` (first and last day each, not overlapping), in no particular order, in one query: the lean
    /// read that pacing stands on.
    async fn list_daily_values(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        kpi: Option<KpiId>,
        ranges: &[(Date, Date)],
    ) -> Result<Vec<(KpiId, Date, f64)>>;
}
