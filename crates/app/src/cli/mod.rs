//! The command line: `accountable --help`. Each subcommand builds the configuration, opens the store and calls
//! the same use cases as the pages and the API, acting as the operator of one agency. One module per command
//! area; this one parses, dispatches and holds what they share.

mod audit;
mod clients;
mod import;
mod kpis;
mod output;
mod serve;
mod users;

pub use audit::AuditCommand;
pub use clients::ClientsCommand;
pub use import::ImportArgs;
pub use kpis::{KpisArgs, KpisFormat};
pub use output::Format;
pub use users::UsersCommand;

use crate::config::{Config, Layer};
use crate::startup::{init_logging, open_store};
use accountable_core::agency::Agency;
use accountable_core::clock::{Clock, SystemClock};
use accountable_core::error::Error;
use accountable_core::service::{Services, Settings};
use clap::{Args, Parser, Subcommand};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Accountable: the workbench of an agency's account executive.
#[derive(Debug, Parser)]
#[command(
    name = "accountable",
    version,
    about = "Accountable: the workbench of an agency's account executive",
    long_about = "Accountable, the workbench of an agency's account executive, keeps every promise between an agency \
                  and its clients written, scheduled, signed, \
                  reported on and paid for: clients and their contacts, engagements, goals and the KPIs behind them, \
                  imports of analytics and ads exports, an audit trail of every change.\n\n\
                  Start with `accountable serve --demo` and open the address it prints; the commands below act on \
                  the same database from the command line, as the operator of one agency.",
    after_help = "Configuration: --config FILE (or accountable.toml), ACCOUNTABLE_* variables, then flags; \
                  `accountable config show` prints what is in force."
)]
pub struct Cli {
    /// A TOML configuration file (default: accountable.toml in the working directory, if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The database: sqlite:FILE or postgres://… [env: ACCOUNTABLE_DATABASE_URL] [default: sqlite:accountable.db]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where `serve` listens, and the address people use to reach it.
#[derive(Debug, Args)]
pub struct Serving {
    /// The address to listen on [env: ACCOUNTABLE_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// The address people use to reach Accountable, which links in e-mails start with [env: ACCOUNTABLE_PUBLIC_URL]
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web interface and the API (migrates the database first).
    Serve {
        /// Load the demo data first (adds only what is missing).
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        serving: Serving,
    },
    /// Run background jobs only (e-mail, reports, upkeep), without serving pages: for extra instances.
    Worker {
        /// The address people use to reach Accountable, which links in e-mails start with [env: ACCOUNTABLE_PUBLIC_URL]
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
    },
    /// Bring the database's schema up to date.
    Migrate,
    /// Load the demo data (adds only what is missing).
    Demo,
    /// People: create, list, invite, reset passwords, deactivate.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Clients.
    #[command(subcommand)]
    Clients(ClientsCommand),
    /// Import measurements from files (all or nothing per file; a file imported twice changes nothing).
    Import(ImportArgs),
    /// A client's KPIs with their latest values.
    Kpis(KpisArgs),
    /// The configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
}

/// Which agency a command acts in.
#[derive(Debug, Args)]
pub struct AgencyArg {
    /// The agency's id or exact name [env: ACCOUNTABLE_AGENCY; config: agency] (may be left out when there is
    /// only one agency).
    #[arg(long)]
    pub agency: Option<String>,
}

/// `accountable config …`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration, secrets hidden.
    Show,
}

/// Parses the process's arguments and environment and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let vars: BTreeMap<String, String> = std::env::vars().collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, &vars)) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn config_of(cli: &Cli, vars: &BTreeMap<String, String>) -> Result<Config, String> {
    let (listen, public_url) = match &cli.command {
        Command::Serve { serving, .. } => (serving.listen.clone(), serving.public_url.clone()),
        Command::Worker { public_url } => (None, public_url.clone()),
        _ => (None, None),
    };
    let flags = Layer {
        database_url: cli.database_url.clone(),
        listen,
        public_url,
        ..Layer::default()
    };
    Config::load(flags, cli.config.clone(), vars)
}

fn explain(e: Error) -> String {
    match e {
        Error::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

/// Runs one command; `Err` carries the message for standard error.
pub async fn run(cli: Cli, vars: &BTreeMap<String, String>) -> Result<ExitCode, String> {
    let config = config_of(&cli, vars)?;
    init_logging(&config);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let uses_database = !matches!(cli.command, Command::Config(_));
    let outcome = dispatch(cli.command, &config, clock).await;
    if uses_database {
        checkpoint(&config).await;
    }
    outcome
}

/// Runs the command.
async fn dispatch(command: Command, config: &Config, clock: Arc<dyn Clock>) -> Result<ExitCode, String> {
    match command {
        Command::Config(ConfigCommand::Show) => {
            print!("{}", config.show());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { demo, .. } => serve::serve(config, clock, demo).await,
        Command::Worker { .. } => serve::worker(config, clock).await,
        Command::Migrate => serve::migrate(config, clock).await,
        Command::Demo => serve::demo(config, clock).await,
        Command::Users(cmd) => users::run(config, clock, cmd).await,
        Command::Clients(cmd) => clients::run(config, clock, cmd).await,
        Command::Import(args) => import::run(config, clock, args).await,
        Command::Kpis(args) => kpis::run(config, clock, args).await,
        Command::Audit(cmd) => audit::run(config, clock, cmd).await,
    }
}

/// On SQLite, copies the write-ahead log into the database file before the process exits, so that the file
/// alone holds everything written (a copy of it right after is a whole backup); a running server keeps its own
/// log, which is why a live instance is backed up with `.backup` or `VACUUM INTO` (README).
async fn checkpoint(config: &Config) {
    if !config.database_url.starts_with("sqlite:") {
        return;
    }
    let settings = accountable_store::PoolSettings {
        max_connections: 1,
        ..Default::default()
    };
    match accountable_store::SqlStore::connect(&config.database_url, &settings).await {
        Ok(store) => {
            match store.checkpoint().await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::info!("the write-ahead log is in use by another process; it is copied later")
                }
                Err(e) => tracing::warn!("cannot checkpoint the write-ahead log: {e}"),
            }
            store.close().await;
        }
        Err(e) => tracing::warn!("cannot checkpoint the write-ahead log: {e}"),
    }
}

/// The use cases over the configured store, acting at the configured public address.
async fn services(config: &Config, clock: Arc<dyn Clock>) -> Result<Services, String> {
    let store = open_store(config, clock.as_ref()).await?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    Ok(Services::new(
        Arc::new(store),
        clock,
        Settings {
            public_url,
            ..Settings::default()
        },
    ))
}

/// The agency a command acts in: the one named (`--agency`, else `agency` in the configuration or
/// `ACCOUNTABLE_AGENCY`), or the only one there is.
async fn agency_of(services: &Services, arg: &AgencyArg, config: &Config) -> Result<Agency, String> {
    let Some(wanted) = arg.agency.as_ref().or(config.agency.as_ref()) else {
        return match services.list_agencies().await.map_err(explain)?.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err("there is no agency yet: create one with `accountable users create --agency NAME --role owner …`".into()),
            many => Err(format!(
                "there are {} agencies: name one with --agency, or set a default with `agency` in the configuration \
                 file or ACCOUNTABLE_AGENCY ({})",
                many.len(),
                many.iter().map(|a| format!("{:?}", a.name)).collect::<Vec<_>>().join(", ")
            )),
        };
    };
    let agencies = services.list_agencies().await.map_err(explain)?;
    agencies
        .into_iter()
        .find(|a| a.id.to_string() == *wanted || a.name == *wanted)
        .ok_or_else(|| format!("no agency with the id or name {wanted:?}"))
}

/// A client of the agency by its id or exact name; one that is not there is named, with where to look.
async fn client_of(
    services: &Services,
    operator: &accountable_core::actor::Actor,
    agency: &Agency,
    wanted: &str,
) -> Result<accountable_core::client::Client, String> {
    match services.resolve_client(operator, wanted).await {
        Ok(c) => Ok(c),
        Err(Error::NotFound { .. }) => Err(format!(
            "{} has no client with the id or name {wanted:?}: `accountable clients list` shows their ids and names",
            agency.name
        )),
        Err(e) => Err(explain(e)),
    }
}
