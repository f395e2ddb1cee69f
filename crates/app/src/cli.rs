//! The command line: `accountable --help`. Each subcommand builds the configuration, opens the store and calls
//! the same use cases as the pages and the API, acting as the operator of one agency.

use crate::config::{Config, Layer};
use crate::demo;
use crate::mailer;
use crate::startup::{Application, init_logging, open_store};
use crate::worker;
use accountable_core::actor::Actor;
use accountable_core::agency::Agency;
use accountable_core::client::ClientListQuery;
use accountable_core::clock::{Clock, SystemClock};
use accountable_core::error::Error;
use accountable_core::job::WorkerSettings;
use accountable_core::service::{Services, Settings};
use accountable_core::user::PersonForm;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Accountable: the workbench of an agency's account executive.
#[derive(Debug, Parser)]
#[command(name = "accountable", version, about, long_about = None)]
pub struct Cli {
    /// A TOML configuration file (default: accountable.toml in the working directory, if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The database: sqlite:FILE or postgres://… [env: ACCOUNTABLE_DATABASE_URL] [default: sqlite:accountable.db]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// The address to listen on [env: ACCOUNTABLE_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long, global = true, value_name = "ADDR")]
    pub listen: Option<String>,
    /// The address people use to reach Accountable [env: ACCOUNTABLE_PUBLIC_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub public_url: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web interface and the API (migrates the database first).
    Serve {
        /// Load the demo data first (adds only what is missing).
        #[arg(long)]
        demo: bool,
    },
    /// Run background jobs only (e-mail, reports, upkeep), without serving pages: for extra instances.
    Worker,
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
    Import {
        #[command(flatten)]
        agency: AgencyArg,
        /// The client's id or exact name. Without it, a long-format file with a client column
        /// (client,date,kpi,value) is imported for every client of the agency it names, all or nothing.
        #[arg(long)]
        client: Option<String>,
        /// Show what would be imported, and import nothing.
        #[arg(long)]
        dry_run: bool,
        /// Create KPIs the client does not have, instead of refusing their lines.
        #[arg(long)]
        create_kpis: bool,
        /// The period of a file that states none in its content or name (a renamed Business Profile export),
        /// as FIRST..LAST, such as 2026-01-01..2026-01-31.
        #[arg(long, value_name = "FIRST..LAST")]
        period: Option<String>,
        /// The files, imported as one set (the files of one Search Console export give each other their period);
        /// each file, or zip, is imported all or nothing.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// A client's KPIs with their latest values.
    Kpis {
        #[command(flatten)]
        agency: AgencyArg,
        /// The client's id or exact name.
        #[arg(long)]
        client: String,
        /// Add the presets of the client's business model that it does not have yet.
        #[arg(long)]
        add_presets: bool,
        /// Output format; `pdf` writes the client's goals-and-KPIs document, in the client's language, to --out.
        #[arg(long, value_enum, default_value = "table")]
        format: KpisFormat,
        /// The file the PDF is written to (with --format pdf).
        #[arg(long, required_if_eq("format", "pdf"))]
        out: Option<PathBuf>,
    },
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
    /// The agency's id or exact name (may be left out when there is only one agency).
    #[arg(long)]
    pub agency: Option<String>,
}

/// Output formats of list commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns.
    Table,
    /// Comma-separated values with a header line.
    Csv,
    /// A JSON array.
    Json,
}

/// Output formats of `accountable kpis`: the list formats, or the PDF document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KpisFormat {
    /// Aligned columns.
    Table,
    /// Comma-separated values with a header line.
    Csv,
    /// A JSON array.
    Json,
    /// The client's goals and KPIs as a PDF document (to --out).
    Pdf,
}

/// `accountable users …`
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a person with a password (the agency is created when it does not exist; its first person must be
    /// an owner).
    Create {
        #[command(flatten)]
        agency: AgencyArg,
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// owner, account-executive, specialist, finance or client-contact.
        #[arg(long, default_value = "account-executive")]
        role: String,
        /// For a client contact: the client's id or exact name.
        #[arg(long)]
        client: Option<String>,
        /// Interface language: en, hu, zh-Hans or zh-Hant.
        #[arg(long, default_value = "en")]
        language: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the agency's people.
    List {
        #[command(flatten)]
        agency: AgencyArg,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Invite a person by e-mail and print the invitation link.
    Invite {
        #[command(flatten)]
        agency: AgencyArg,
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// The role they will have.
        #[arg(long, default_value = "account-executive")]
        role: String,
        /// For a client contact: the client's id or exact name.
        #[arg(long)]
        client: Option<String>,
    },
    /// Set a new password (read from standard input) and end the person's sessions.
    ResetPassword {
        #[command(flatten)]
        agency: AgencyArg,
        /// The person's id or e-mail address.
        user: String,
    },
    /// Create an API token for a person and print it (shown once).
    Token {
        #[command(flatten)]
        agency: AgencyArg,
        /// The person's id or e-mail address.
        user: String,
        /// A name to recognise the token by.
        #[arg(long)]
        name: String,
        /// `read` or `read-write`.
        #[arg(long, default_value = "read")]
        scope: String,
        /// Days until it expires (1–365).
        #[arg(long, default_value = "90")]
        days: String,
    },
    /// Deactivate a person: they cannot sign in and their sessions end at once.
    Deactivate {
        #[command(flatten)]
        agency: AgencyArg,
        /// The person's id or e-mail address.
        user: String,
    },
}

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

/// `accountable config …`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration, secrets hidden.
    Show,
}

/// `accountable audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk every agency's audit chain and name the first broken link.
    Verify,
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
    let flags = Layer {
        database_url: cli.database_url.clone(),
        listen: cli.listen.clone(),
        public_url: cli.public_url.clone(),
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
    match cli.command {
        Command::Config(ConfigCommand::Show) => {
            print!("{}", config.show());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { demo } => serve(&config, clock, demo).await,
        Command::Worker => {
            let services = services(&config, clock).await?;
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let settings = WorkerSettings {
                name: worker::worker_name(),
                ..WorkerSettings::default()
            };
            println!(
                "Accountable's worker {} is running; stop it with Ctrl-C.",
                settings.name
            );
            let runner = worker::Runner::new(services.clone(), mailer::sender(&config.mail)?);
            let task = tokio::spawn(worker::run(services, runner, settings, stopped));
            let _ = tokio::signal::ctrl_c().await;
            let _ = stop.send(true);
            let _ = task.await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let store = open_store(&config, clock.as_ref()).await?;
            println!(
                "The database is up to date ({}).",
                crate::config::redact_url(&config.database_url)
            );
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => {
            let services = services(&config, clock).await?;
            let sign_ins = demo::load_with(&services, demo::Measurements::Included)
                .await
                .map_err(explain)?;
            print_sign_ins(&sign_ins);
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCommand::Verify) => {
            let services = services(&config, clock).await?;
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
        Command::Users(cmd) => users(&config, clock, cmd).await,
        Command::Import {
            agency,
            client,
            dry_run,
            create_kpis,
            period,
            files,
        } => {
            use accountable_core::import::{ImportOptions, ProgressHook};
            let period = match period {
                Some(p) => Some(parse_period(&p)?),
                None => None,
            };
            let services = services(&config, clock).await?;
            let agency = agency_of(&services, &agency).await?;
            let operator = Actor::operator(agency.id);
            let client = match client {
                Some(c) => Some(services.resolve_client(&operator, &c).await.map_err(explain)?),
                None => None,
            };
            // A progress line on stderr, only where a person watches it (a terminal), for files long enough to
            // take a moment.
            let progress = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
                ProgressHook(Arc::new(|file: &str, written: usize, total: usize| {
                    if total >= 20_000 {
                        let end = if written == total { "\n" } else { "" };
                        eprint!("\r{file}: {written} of {total} values written{end}");
                    }
                }))
            });
            let options = ImportOptions {
                dry_run,
                create_kpis,
                period,
                progress,
                // The command line uses the automatic mapping; the preview page lets a person change it.
                mapping: Default::default(),
            };
            let mut named = Vec::with_capacity(files.len());
            for path in files {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                let bytes =
                    std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                named.push((name, bytes));
            }
            let mut refused = false;
            if let Some(client) = client {
                let outcomes = services
                    .import_files(&operator, client.id, &named, &options)
                    .await
                    .map_err(explain)?;
                for outcome in &outcomes {
                    refused |= print_import(outcome);
                }
            } else {
                // Without a client, each file must say whose lines it holds: one transaction a file.
                use accountable_core::import::has_client_column;
                if let Some((name, _)) = named.iter().find(|(_, b)| !has_client_column(b)) {
                    return Err(format!(
                        "{name} has no client column: name the client with --client, or give a long-format file \
                         whose header names a client column (client,date,kpi,value)"
                    ));
                }
                for (name, bytes) in &named {
                    let outcome = services
                        .import_agency_file(&operator, name, bytes, &options)
                        .await
                        .map_err(explain)?;
                    refused |= print_agency_import(&outcome);
                }
            }
            Ok(if refused {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Kpis {
            agency,
            client,
            add_presets,
            format,
            out,
        } => {
            let services = services(&config, clock).await?;
            let agency = agency_of(&services, &agency).await?;
            let operator = Actor::operator(agency.id);
            let client = services
                .resolve_client(&operator, &client)
                .await
                .map_err(explain)?;
            if add_presets {
                let added = services
                    .add_preset_kpis(&operator, client.id)
                    .await
                    .map_err(explain)?;
                eprintln!("Added {} preset KPIs to {}.", added.len(), client.fields.name);
            }
            let format = match format {
                KpisFormat::Table => Format::Table,
                KpisFormat::Csv => Format::Csv,
                KpisFormat::Json => Format::Json,
                KpisFormat::Pdf => {
                    let out = out.ok_or("--format pdf needs --out FILE")?;
                    let (_, pdf) = accountable_web::kpi_document::pdf(&services, &operator, client.id, None)
                        .await
                        .map_err(explain)?;
                    std::fs::write(&out, &pdf).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
                    eprintln!("Wrote {} ({} bytes).", out.display(), pdf.len());
                    return Ok(ExitCode::SUCCESS);
                }
            };
            let kpis = services
                .client_kpis(&operator, client.id)
                .await
                .map_err(explain)?;
            let today = client.today(services.now());
            let goals = services
                .client_pacing(&operator, client.id, today)
                .await
                .map_err(explain)?;
            let month = accountable_core::moves::last_full_month(today);
            let moves = services
                .notable_moves(&operator, client.id, month)
                .await
                .map_err(explain)?;
            let figure = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
            let rows: Vec<Vec<String>> = kpis
                .iter()
                .map(|k| {
                    let f = &k.kpi.fields;
                    // A KPI's first goal; the others are on the client's KPI page and in the API.
                    let goal = goals.iter().find(|g| g.kpi.id == k.kpi.id);
                    let pacing = goal.map(|g| &g.pacing);
                    let forecast = pacing.and_then(|p| p.forecast);
                    let m = moves.iter().find(|m| m.kpi_id == k.kpi.id);
                    let reading = match m {
                        Some(m) if m.is_notable() && m.seasonal => "notable, seasonal",
                        Some(m) if m.is_notable() => "notable",
                        _ => "",
                    };
                    vec![
                        k.kpi.id.to_string(),
                        f.name.clone(),
                        f.kind.as_str().to_string(),
                        f.unit.as_str().to_string(),
                        f.direction.as_str().to_string(),
                        k.latest.map(|(d, _)| d.to_string()).unwrap_or_default(),
                        k.latest_from.map(|d| d.to_string()).unwrap_or_default(),
                        k.latest.map(|(_, v)| v.to_string()).unwrap_or_default(),
                        goal.map(|g| g.goal.fields.statement.clone()).unwrap_or_default(),
                        pacing
                            .and_then(|p| p.standing)
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                        figure(pacing.map(|p| p.expected)),
                        figure(pacing.and_then(|p| p.actual)),
                        figure(pacing.and_then(|p| p.gap_percent)),
                        figure(forecast.map(|f| f.value)),
                        figure(forecast.map(|f| f.low)),
                        figure(forecast.map(|f| f.high)),
                        m.map(|_| month.to_string()).unwrap_or_default(),
                        figure(m.and_then(|m| m.mom_percent)),
                        figure(m.and_then(|m| m.yoy_percent)),
                        reading.to_string(),
                    ]
                })
                .collect();
            print_rows(
                format,
                &[
                    "id",
                    "name",
                    "kind",
                    "unit",
                    "better",
                    "latest_day",
                    "latest_from",
                    "latest_value",
                    "goal",
                    "pacing",
                    "expected",
                    "actual",
                    "gap_percent",
                    "forecast",
                    "forecast_low",
                    "forecast_high",
                    "month",
                    "mom_percent",
                    "yoy_percent",
                    "move",
                ],
                &rows,
            )?;
            if format == Format::Table && !goals.is_empty() {
                eprintln!("Pacing: {}", goals[0].pacing.explain());
                eprintln!("Moves: {}", accountable_core::moves::RULE);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Clients(cmd) => clients(&config, clock, cmd).await,
    }
}

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

fn print_sign_ins(sign_ins: &demo::SignIns) {
    println!(
        "Demo sign-ins (password for every one: {}; for the demo only):",
        demo::DEMO_PASSWORD
    );
    for (email, role, agency) in sign_ins {
        println!("  {email:<40} {role:<18} {agency}");
    }
}

async fn serve(config: &Config, clock: Arc<dyn Clock>, with_demo: bool) -> Result<ExitCode, String> {
    let app = Application::build(config, clock, Settings::default()).await?;
    if with_demo {
        let sign_ins = demo::load_with(app.services(), demo::Measurements::Included)
            .await
            .map_err(explain)?;
        print_sign_ins(&sign_ins);
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let settings = WorkerSettings {
        name: worker::worker_name(),
        ..WorkerSettings::default()
    };
    let services = app.services().clone();
    let runner = worker::Runner::new(services.clone(), mailer::sender(&config.mail)?);
    let worker_task = tokio::spawn(worker::run(services, runner, settings, stopped));
    if let crate::config::MailTransport::Files(dir) = &config.mail.transport {
        println!(
            "No SMTP server is configured: e-mail is written to {} as .eml files.",
            dir.display()
        );
    }
    println!(
        "Accountable is listening on {} — open {} in a browser.",
        app.address(),
        app.public_url()
    );
    let _ = std::io::stdout().flush();
    let served = app.run_until_stopped().await.map_err(|e| e.to_string());
    let _ = stop.send(true);
    let _ = worker_task.await;
    served?;
    Ok(ExitCode::SUCCESS)
}

async fn agency_of(services: &Services, arg: &AgencyArg) -> Result<Agency, String> {
    let Some(wanted) = &arg.agency else {
        return match services.list_agencies().await.map_err(explain)?.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err("there is no agency yet: create one with `accountable users create --agency NAME --role owner …`".into()),
            many => Err(format!(
                "there are {} agencies: name one with --agency ({})",
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

fn read_password(prompt: bool) -> Result<String, String> {
    if prompt {
        eprint!("New password (at least 10 characters): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

async fn users(config: &Config, clock: Arc<dyn Clock>, cmd: UsersCommand) -> Result<ExitCode, String> {
    let services = services(config, clock).await?;
    match cmd {
        UsersCommand::Create {
            agency,
            email,
            name,
            role,
            client,
            language,
            password_stdin,
        } => {
            let agency = match &agency.agency {
                Some(name_or_id) if role == "owner" => match agency_of(
                    &services,
                    &AgencyArg {
                        agency: Some(name_or_id.clone()),
                    },
                )
                .await
                {
                    Ok(a) => a,
                    Err(_) => services.ensure_agency(name_or_id).await.map_err(explain)?.0,
                },
                _ => agency_of(&services, &agency).await?,
            };
            let operator = Actor::operator(agency.id);
            let client_id = match client {
                Some(c) => services
                    .resolve_client(&operator, &c)
                    .await
                    .map_err(explain)?
                    .id
                    .to_string(),
                None => String::new(),
            };
            let password = read_password(!password_stdin)?;
            let form = PersonForm {
                email,
                name,
                role,
                client_id,
                language,
                password,
            };
            let user = services.create_person(&operator, &form).await.map_err(explain)?;
            println!(
                "Created {} ({}) in {} with id {}.",
                user.email, user.role, agency.name, user.id
            );
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::List { agency, format } => {
            let agency = agency_of(&services, &agency).await?;
            let people = services
                .list_people(&Actor::operator(agency.id))
                .await
                .map_err(explain)?;
            let rows: Vec<Vec<String>> = people
                .iter()
                .map(|u| {
                    vec![
                        u.id.to_string(),
                        u.email.to_string(),
                        u.name.clone(),
                        u.role.to_string(),
                        if u.active {
                            "active".into()
                        } else {
                            "deactivated".into()
                        },
                    ]
                })
                .collect();
            print_rows(format, &["id", "email", "name", "role", "status"], &rows)?;
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::Invite {
            agency,
            email,
            role,
            client,
        } => {
            let agency = agency_of(&services, &agency).await?;
            let operator = Actor::operator(agency.id);
            let client_id = match client {
                Some(c) => services
                    .resolve_client(&operator, &c)
                    .await
                    .map_err(explain)?
                    .id
                    .to_string(),
                None => String::new(),
            };
            let form = PersonForm {
                email,
                role,
                client_id,
                ..Default::default()
            };
            let issued = services.invite(&operator, &form).await.map_err(explain)?;
            let base = config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.listen));
            println!(
                "Invitation for {} ({}) — valid until {}:",
                issued.invitation.email, issued.invitation.role, issued.invitation.expires_at
            );
            println!("{}/invitations/{}", base.trim_end_matches('/'), issued.token);
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::ResetPassword { agency, user } => {
            let agency = agency_of(&services, &agency).await?;
            let operator = Actor::operator(agency.id);
            let person = services.resolve_person(&operator, &user).await.map_err(explain)?;
            let password = read_password(true)?;
            services
                .reset_password(&operator, person.id, &password)
                .await
                .map_err(explain)?;
            println!(
                "The password of {} was reset and their sessions ended.",
                person.email
            );
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::Token {
            agency,
            user,
            name,
            scope,
            days,
        } => {
            let agency = agency_of(&services, &agency).await?;
            let operator = Actor::operator(agency.id);
            let person = services.resolve_person(&operator, &user).await.map_err(explain)?;
            let form = accountable_core::token::TokenForm { name, scope, days };
            let issued = services
                .create_token(&operator, person.id, &form)
                .await
                .map_err(explain)?;
            eprintln!(
                "API token {:?} for {} ({}), valid until {}. It is shown only once:",
                issued.token.name,
                person.email,
                issued.token.scope.as_str(),
                issued.token.expires_at
            );
            println!("{}", issued.secret);
            Ok(ExitCode::SUCCESS)
        }
        UsersCommand::Deactivate { agency, user } => {
            let agency = agency_of(&services, &agency).await?;
            let operator = Actor::operator(agency.id);
            let person = services.resolve_person(&operator, &user).await.map_err(explain)?;
            services
                .set_active(&operator, person.id, false)
                .await
                .map_err(explain)?;
            println!("{} is deactivated and signed out everywhere.", person.email);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn clients(config: &Config, clock: Arc<dyn Clock>, cmd: ClientsCommand) -> Result<ExitCode, String> {
    let services = services(config, clock).await?;
    match cmd {
        ClientsCommand::List {
            agency,
            format,
            search,
            archived,
        } => {
            let agency = agency_of(&services, &agency).await?;
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
            let agency = agency_of(&services, &agency).await?;
            let operator = Actor::operator(agency.id);
            let c = services
                .resolve_client(&operator, &client)
                .await
                .map_err(explain)?;
            let overview = services.client_overview(&operator, c.id).await.map_err(explain)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&overview).map_err(|e| e.to_string())?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `FIRST..LAST` as two days.
fn parse_period(raw: &str) -> Result<(jiff::civil::Date, jiff::civil::Date), String> {
    let bad = || format!("--period {raw:?}: expected FIRST..LAST, such as 2026-01-01..2026-01-31");
    let (a, b) = raw.split_once("..").ok_or_else(bad)?;
    let (a, b) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if b < a {
        return Err(bad());
    }
    Ok((a, b))
}

/// Prints what an import did; returns whether the file was refused.
fn print_import(outcome: &accountable_core::import::ImportOutcome) -> bool {
    use accountable_core::import::ImportOutcome;
    let describe = |r: &accountable_core::import::ImportReport| {
        let period = r.period.map(|(a, b)| format!("{a} to {b}")).unwrap_or_default();
        let kpis = r
            .kpis
            .iter()
            .map(|(n, new)| if *new { format!("{n} (new)") } else { n.clone() })
            .collect::<Vec<_>>()
            .join(", ");
        // Period totals and breakdowns are said plainly: they are not daily values of the whole.
        let mut parts = vec![format!("{} values", r.values)];
        if r.period_totals > 0 {
            parts.push(format!("{} of them period totals", r.period_totals));
        }
        if r.with_dimension > 0 {
            parts.push(format!(
                "{} by campaign, query, page or the like",
                r.with_dimension
            ));
        }
        let mut line = format!(
            "{}: {} format, {}, {period}, KPIs: {kpis}",
            r.file,
            r.format,
            parts.join(", ")
        );
        for replaced in &r.replaces {
            line.push_str(&format!("\n          {replaced}"));
        }
        for note in &r.notes {
            line.push_str(&format!("\n          note: {note}"));
        }
        line
    };
    match outcome {
        ImportOutcome::Committed(r) => {
            println!("imported  {}", describe(r));
            false
        }
        ImportOutcome::Preview(r) => {
            println!("would import  {} (dry run: nothing was imported)", describe(r));
            false
        }
        ImportOutcome::AlreadyImported {
            report,
            import_id,
            at,
        } => {
            println!(
                "unchanged {}: this file was imported already (import {import_id}, {at}); nothing changed",
                report.file
            );
            false
        }
        ImportOutcome::Nothing { file, reason } => {
            println!("nothing   {file}: nothing to import ({reason})");
            false
        }
        ImportOutcome::Refused { file, errors } => {
            let problems = if errors.len() == 1 { "problem" } else { "problems" };
            println!(
                "REFUSED   {file}: nothing was imported; {} {problems}:",
                errors.len()
            );
            for e in errors {
                println!("  {e}");
            }
            true
        }
    }
}

/// Prints what an agency-wide import did, client by client; returns whether the file was refused.
fn print_agency_import(outcome: &accountable_core::import::AgencyImportOutcome) -> bool {
    use accountable_core::import::{AgencyImportOutcome, ImportOutcome};
    let clients = |r: &accountable_core::import::AgencyImportReport| {
        let period = r.period.map(|(a, b)| format!("{a} to {b}")).unwrap_or_default();
        let mut lines = format!(
            "{}: {} format, {} values for {} clients, {period}",
            r.file,
            r.format,
            r.values,
            r.clients.len()
        );
        for c in &r.clients {
            let kpis: Vec<String> = c
                .kpis
                .iter()
                .map(|(n, new)| if *new { format!("{n} (new)") } else { n.clone() })
                .collect();
            let state = match (c.import_id, c.imported_before) {
                (_, Some(before)) => format!(", unchanged (imported before: import {before})"),
                (Some(id), None) => format!(", import {id}"),
                (None, None) => String::new(),
            };
            lines.push_str(&format!(
                "\n          {} (client {}): {} values, KPIs: {}{state}",
                c.client,
                c.client_id,
                c.values,
                kpis.join(", ")
            ));
        }
        lines
    };
    match outcome {
        AgencyImportOutcome::Committed(r) => {
            println!("imported  {}", clients(r));
            false
        }
        AgencyImportOutcome::Preview(r) => {
            println!("would import  {} (dry run: nothing was imported)", clients(r));
            false
        }
        AgencyImportOutcome::AlreadyImported(r) => {
            println!(
                "unchanged {}: this file was imported already for each of its {} clients; nothing changed",
                r.file,
                r.clients.len()
            );
            false
        }
        AgencyImportOutcome::Nothing { file, reason } => print_import(&ImportOutcome::Nothing {
            file: file.clone(),
            reason: reason.clone(),
        }),
        AgencyImportOutcome::Refused { file, errors } => print_import(&ImportOutcome::Refused {
            file: file.clone(),
            errors: errors.to_vec(),
        }),
    }
}

fn print_rows(format: Format, header: &[&str], rows: &[Vec<String>]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Table => {
            let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
            for row in rows {
                for (i, cell) in row.iter().enumerate() {
                    widths[i] = widths[i].max(display_width(cell));
                }
            }
            let line = |cells: Vec<&str>| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{c}{}", " ".repeat(widths[i].saturating_sub(display_width(c)))))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            writeln!(out, "{}", line(header.to_vec())).map_err(|e| e.to_string())?;
            for row in rows {
                writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))
                    .map_err(|e| e.to_string())?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header).map_err(|e| e.to_string())?;
            for row in rows {
                w.write_record(row).map_err(|e| e.to_string())?;
            }
            w.flush().map_err(|e| e.to_string())?;
        }
        Format::Json => {
            let items: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|row| {
                    header
                        .iter()
                        .zip(row)
                        .map(|(h, c)| {
                            let value = if *h == "id" {
                                c.parse::<i64>()
                                    .map(serde_json::Value::from)
                                    .unwrap_or_else(|_| c.clone().into())
                            } else {
                                c.clone().into()
                            };
                            (h.to_string(), value)
                        })
                        .collect()
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?
            )
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Columns a cell takes in a terminal: CJK characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}
