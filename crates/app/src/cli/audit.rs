//! `accountable audit …`: checks of the audit chains and the archived documents.

use super::{explain, services};
use crate::config::Config;
use accountable_core::clock::Clock;
use clap::Subcommand;
use std::process::ExitCode;
use std::sync::Arc;

/// `accountable audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk every agency's audit chain and name the first broken link.
    Verify,
}

pub(super) async fn run(
    config: &Config,
    clock: Arc<dyn Clock>,
    cmd: AuditCommand,
) -> Result<ExitCode, String> {
    match cmd {
        AuditCommand::Verify => verify(config, clock).await,
    }
}

/// Walks every chain and every archived document; exits 2 when anything is broken.
async fn verify(config: &Config, clock: Arc<dyn Clock>) -> Result<ExitCode, String> {
    let services = services(config, clock).await?;
    let reports = services.verify_audit().await.map_err(explain)?;
    let mut broken = false;
    for r in &reports {
        match &r.broken {
            None => println!(
                "ok      chain {} ({}): {} events, intact",
                r.chain, r.name, r.events
            ),
            Some(b) => {
                broken = true;
                println!(
                    "BROKEN  chain {} ({}): event {} — {} ({} events verified before it)",
                    r.chain, r.name, b.seq, b.reason, r.events
                );
            }
        }
    }
    if reports.is_empty() {
        println!("No audit events yet.");
    }
    let (checked, problems) = services.verify_documents().await.map_err(explain)?;
    for p in &problems {
        broken = true;
        println!(
            "BROKEN  document {} (agency {}): {}",
            p.id, p.agency_id, p.problem
        );
    }
    if problems.is_empty() {
        println!("ok      documents: {checked} archived documents match their SHA-256");
    }
    Ok(if broken {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
