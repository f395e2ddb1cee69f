//! `accountable serve`, `worker`, `migrate` and `demo`: running the product and preparing its database.

use super::{explain, services};
use crate::config::{Config, MailTransport, redact_url};
use crate::demo;
use crate::mailer;
use crate::startup::{Application, open_store};
use crate::worker;
use accountable_core::clock::Clock;
use accountable_core::job::WorkerSettings;
use accountable_core::service::Settings;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

/// Serves the pages and the API with a worker beside them, until Ctrl-C.
pub(super) async fn serve(
    config: &Config,
    clock: Arc<dyn Clock>,
    with_demo: bool,
) -> Result<ExitCode, String> {
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
    if let MailTransport::Files(dir) = &config.mail.transport {
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

/// Runs background jobs only, until Ctrl-C.
pub(super) async fn worker(config: &Config, clock: Arc<dyn Clock>) -> Result<ExitCode, String> {
    let services = services(config, clock).await?;
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

/// Brings the schema up to date.
pub(super) async fn migrate(config: &Config, clock: Arc<dyn Clock>) -> Result<ExitCode, String> {
    let store = open_store(config, clock.as_ref()).await?;
    println!(
        "The database is up to date ({}).",
        redact_url(&config.database_url)
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Loads the demo data (adds only what is missing) and prints its sign-ins.
pub(super) async fn demo(config: &Config, clock: Arc<dyn Clock>) -> Result<ExitCode, String> {
    let services = services(config, clock).await?;
    let sign_ins = demo::load_with(&services, demo::Measurements::Included)
        .await
        .map_err(explain)?;
    print_sign_ins(&sign_ins);
    let address = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    println!("Start the server with `accountable serve` and open {address} in a browser.");
    Ok(ExitCode::SUCCESS)
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
