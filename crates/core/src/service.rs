//! The use cases' common ground: the storage, the clock and the settings they share, and the one way every
//! use case opens its transaction and writes to the audit trail. The use cases themselves live in the module
//! of their record (`client`, `user`, …) as `impl Services` blocks.

use crate::actor::Actor;
use crate::audit::NewAuditEvent;
use crate::clock::Clock;
use crate::error::Result;
use crate::id::{AgencyId, ClientId};
use crate::record::AuditAction;
use crate::store::{Store, Tx};
use serde_json::Value;
use std::sync::Arc;

/// Limits and lifetimes the use cases enforce.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Failed sign-ins allowed per account within the window.
    pub sign_in_failures_per_account: usize,
    /// Failed sign-ins allowed per network address within the window.
    pub sign_in_failures_per_address: usize,
    /// The rate-limit window in seconds.
    pub sign_in_window_secs: i64,
    /// How long a session lasts, in seconds.
    pub session_lifetime_secs: i64,
    /// How long an invitation link is valid, in seconds.
    pub invitation_lifetime_secs: i64,
    /// The address people use, such as `https://accountable.example`: links in e-mails start with it.
    pub public_url: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            sign_in_failures_per_account: 10,
            sign_in_failures_per_address: 20,
            sign_in_window_secs: 15 * 60,
            session_lifetime_secs: 14 * 24 * 3600,
            invitation_lifetime_secs: 7 * 24 * 3600,
            public_url: "http://127.0.0.1:8080".to_string(),
        }
    }
}

/// Every use case of Accountable, over one store and one clock.
#[derive(Clone)]
pub struct Services {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) settings: Settings,
}

impl Services {
    /// The use cases over `store`, reading time from `clock`.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, settings: Settings) -> Self {
        Services {
            store,
            clock,
            settings,
        }
    }

    /// The store, for readiness checks.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The current time from the clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// The host name of the public URL: the domain of Message-IDs.
    pub fn mail_domain(&self) -> String {
        let rest = self
            .settings
            .public_url
            .split("://")
            .nth(1)
            .unwrap_or("localhost");
        let host = rest.split(['/', ':']).next().unwrap_or("localhost");
        if host.is_empty() {
            "localhost".to_string()
        } else {
            host.to_string()
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// A transaction for a use case that only reads.
    pub(crate) async fn read(&self) -> Result<Box<dyn Tx>> {
        Ok(self.store.read().await?)
    }

    /// A transaction for a use case that writes to `chain`'s records, holding that chain's write lock.
    pub(crate) async fn write(&self, chain: i64) -> Result<Box<dyn Tx>> {
        let mut tx = self.store.begin().await?;
        tx.lock_chain(chain).await?;
        Ok(tx)
    }

    /// A transaction for a use case that writes a client's KPIs, values or notable moves: the client's values
    /// lock, then the agency's chain lock (the order every such use case keeps).
    pub(crate) async fn write_client(&self, agency: AgencyId, client: ClientId) -> Result<Box<dyn Tx>> {
        let mut tx = self.values_of(agency, &[client]).await?;
        tx.lock_chain(agency.0).await?;
        Ok(tx)
    }

    /// A transaction for an import: the values locks of its clients (in id order) and not yet the chain lock,
    /// which the import takes with `lock_chain` just before it appends its audit events and commits.
    pub(crate) async fn values_of(&self, agency: AgencyId, clients: &[ClientId]) -> Result<Box<dyn Tx>> {
        let mut tx = self.store.begin().await?;
        let mut clients = clients.to_vec();
        clients.sort_by_key(|c| c.0);
        clients.dedup();
        for client in clients {
            tx.lock_client_values(agency, client).await?;
        }
        Ok(tx)
    }
}

/// Runs CPU-bound work (reading a large file) without holding up the other tasks of the runtime's worker it runs
/// on: on a multi-threaded runtime the worker hands its queue to another thread first (`block_in_place`); on a
/// single-threaded one (some tests) it simply runs.
pub(crate) fn cpu_bound<R>(work: impl FnOnce() -> R) -> R {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}

/// What one audit event says about one record.
pub(crate) struct Change {
    pub action: AuditAction,
    pub entity_id: Option<i64>,
    pub before: Value,
    pub after: Value,
}

impl Change {
    /// A record came to be: nothing before, `after` after.
    pub fn created(action: AuditAction, id: i64, after: Value) -> Change {
        Change {
            action,
            entity_id: Some(id),
            before: Value::Null,
            after,
        }
    }

    /// A record changed from `before` to `after`.
    pub fn updated(action: AuditAction, id: i64, before: Value, after: Value) -> Change {
        Change {
            action,
            entity_id: Some(id),
            before,
            after,
        }
    }

    /// A record went away: `before` before, nothing after.
    pub fn deleted(action: AuditAction, id: i64, before: Value) -> Change {
        Change {
            action,
            entity_id: Some(id),
            before,
            after: Value::Null,
        }
    }
}

/// Appends `change`, made by `actor`, to the actor's agency chain inside `tx`.
pub(crate) async fn record(
    tx: &mut dyn Tx,
    actor: &Actor,
    at: jiff::Timestamp,
    change: Change,
) -> Result<()> {
    let event = NewAuditEvent {
        chain: actor.agency_id.0,
        at,
        actor_id: actor.user_id.map(|u| u.0),
        actor_label: actor.label.clone(),
        action: change.action.as_str().to_string(),
        entity: change.action.record().as_str().to_string(),
        entity_id: change.entity_id,
        before: change.before,
        after: change.after,
    };
    tx.append_audit(&event).await?;
    Ok(())
}
