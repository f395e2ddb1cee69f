//! The agency: the tenant that owns every other record.

use crate::actor::Actor;
use crate::audit::{BrokenLink, ChainCursor, snapshot};
use crate::error::{Error, Result};
use crate::id::AgencyId;
use crate::record::AuditAction;
use crate::service::{Change, Services, record};
use crate::types::required_text;
use jiff::Timestamp;
use serde::Serialize;

/// An agency.
#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    /// Its id.
    pub id: AgencyId,
    /// Its name, unique among agencies.
    pub name: String,
    /// When it was created.
    pub created_at: Timestamp,
}

/// The result of walking one audit chain.
#[derive(Debug, Clone, Serialize)]
pub struct ChainReport {
    /// The chain: the agency's id, or 0 for the system chain.
    pub chain: i64,
    /// The agency's name, or `system`.
    pub name: String,
    /// How many events were checked.
    pub events: i64,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
}

impl Services {
    /// Creates an agency, or returns the one with that exact name (so demo data can be loaded twice).
    pub async fn ensure_agency(&self, raw_name: &str) -> Result<(Agency, bool)> {
        let name = required_text("name", raw_name, 200).map_err(|e| Error::Validation(vec![e]))?;
        let mut tx = self.write(crate::audit::SYSTEM_CHAIN).await?;
        if let Some(existing) = tx.find_agency_by_name(&name).await? {
            return Ok((existing, false));
        }
        let now = self.now();
        let agency = tx.insert_agency(&name, now).await?;
        let actor = Actor::operator(agency.id);
        let change = Change::created(AuditAction::AgencyCreated, agency.id.0, snapshot(&agency));
        record(tx.as_mut(), &actor, now, change).await?;
        tx.commit().await?;
        Ok((agency, true))
    }

    /// The agency of the actor.
    pub async fn agency(&self, actor: &Actor) -> Result<Agency> {
        let mut tx = self.read().await?;
        tx.get_agency(actor.agency_id).await
    }

    /// An agency by exact name, for the command line.
    pub async fn find_agency(&self, name: &str) -> Result<Option<Agency>> {
        let mut tx = self.read().await?;
        tx.find_agency_by_name(name.trim()).await
    }

    /// Walks every audit chain and reports the first broken link of each.
    pub async fn verify_audit(&self) -> Result<Vec<ChainReport>> {
        let mut tx = self.read().await?;
        let mut reports = Vec::new();
        for chain in tx.list_chains().await? {
            let name = if chain == crate::audit::SYSTEM_CHAIN {
                "system".to_string()
            } else {
                match tx.get_agency(AgencyId(chain)).await {
                    Ok(a) => a.name,
                    Err(Error::NotFound { .. }) => format!("agency {chain} (missing)"),
                    Err(e) => return Err(e),
                }
            };
            let mut cursor = ChainCursor::start();
            let mut broken = None;
            loop {
                let page = tx.list_chain(chain, cursor.last_seq(), 2000).await?;
                if page.is_empty() {
                    break;
                }
                if let Some(b) = cursor.check(chain, &page) {
                    broken = Some(b);
                    break;
                }
            }
            let events = cursor.last_seq();
            reports.push(ChainReport {
                chain,
                name,
                events,
                broken,
            });
        }
        Ok(reports)
    }
}

impl Services {
    /// Every agency, for the command line's `--agency` choice (the operator's view; never for a person).
    pub async fn list_agencies(&self) -> Result<Vec<Agency>> {
        let mut tx = self.read().await?;
        tx.list_agencies().await
    }
}
