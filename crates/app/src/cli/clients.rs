//! `accountable clients …`: listing and showing clients.

use super::output::{Format, print_rows};
use super::{AgencyArg, agency_of, client_of, explain, services};
use crate::config::Config;
use accountable_core::actor::Actor;
use accountable_core::client::ClientListQuery;
use accountable_core::clock::Clock;
use clap::Subcommand;
use std::process::ExitCode;
use std::sync::Arc;

/// `accountable clients …`
#[derive(Debug, Subcommand)]
pub enum ClientsCommand {
    /// List clients with their ids.
    List {
        #[command(flatten)]
        agency: AgencyArg,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Only clients whose name, VAT number or address contains this.
        #[arg(long, default_value = "")]
        search: String,
        /// Archived clients instead of active ones.
        #[arg(long)]
        archived: bool,
    },
    /// Show one client by id or exact name.
    Show {
        #[command(flatten)]
        agency: AgencyArg,
        /// The client's id or exact name.
        client: String,
    },
}

pub(super) async fn run(
    config: &Config,
    clock: Arc<dyn Clock>,
    cmd: ClientsCommand,
) -> Result<ExitCode, String> {
    let services = services(config, clock).await?;
    match cmd {
        ClientsCommand::List {
            agency,
            format,
            search,
            archived,
        } => {
            let agency = agency_of(&services, &agency, config).await?;
            let operator = Actor::operator(agency.id);
            let mut rows = Vec::new();
            let mut offset = 0;
            loop {
                let query = ClientListQuery {
                    search: search.clone(),
                    archived,
                    offset,
                    limit: 500,
                };
                let (page, total) = services.list_clients(&operator, &query).await.map_err(explain)?;
                for c in &page {
                    let f = &c.fields;
                    rows.push(vec![
                        c.id.to_string(),
                        f.name.clone(),
                        f.business_model.to_string(),
                        f.language.to_string(),
                        f.time_zone.as_str().to_string(),
                        f.currency.to_string(),
                    ]);
                }
                offset += page.len() as i64;
                if page.is_empty() || offset >= total {
                    break;
                }
            }
            print_rows(
                format,
                &[
                    "id",
                    "name",
                    "business_model",
                    "language",
                    "time_zone",
                    "currency",
                ],
                &rows,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        ClientsCommand::Show { agency, client } => {
            let agency = agency_of(&services, &agency, config).await?;
            let operator = Actor::operator(agency.id);
            let c = client_of(&services, &operator, &agency, &client).await?;
            let overview = services.client_overview(&operator, c.id).await.map_err(explain)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&overview).map_err(|e| e.to_string())?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
