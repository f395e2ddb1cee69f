//! The storage trait of notable moves: their records and the month totals they are computed from, implemented for SQLite and PostgreSQL in the `store` crate.

use crate::error::Result;
use crate::id::{AgencyId, ClientId};
use crate::kpi::KpiId;
use crate::moves::{MonthTotal, Move};
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;

/// The reads and writes of notable moves: their records and the month totals they are computed from (see [`crate::moves`]).
#[async_trait]
pub trait MoveTx: Send {
    /// Keeps a client's notable-move records of a month equal to `moves`: new ones are added, changed figures
    /// are updated, and records no longer notable are removed unless they carry an explanation.
    async fn replace_notable_moves(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        month: Date,
        moves: &[Move],
        now: Timestamp,
    ) -> Result<()>;

    /// Each of the clients' KPIs' daily whole values in the months from `from`'s to `to`'s, summed up per
    /// calendar month (total, number of days, the last day's value) as the store keeps them on every write and
    /// undo, so notable moves read 26 rows a KPI, not 760 days; any number of clients in one query.
    async fn month_totals(
        &mut self,
        agency: AgencyId,
        clients: &[ClientId],
        from: Date,
        to: Date,
    ) -> Result<Vec<MonthTotal>>;

    /// Removes the clients' notable-move records of a month except those of `keep` and those that carry an
    /// explanation, in one statement (what [`MoveTx::replace_notable_moves`] does first, for many clients).
    async fn clear_notable_moves(
        &mut self,
        agency: AgencyId,
        clients: &[ClientId],
        month: Date,
        keep: &[KpiId],
    ) -> Result<()>;

    /// A client's notable-move records of a month.
    async fn list_notable_moves(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        month: Date,
    ) -> Result<Vec<Move>>;
}
