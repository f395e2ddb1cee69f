//! Start-up: the application is a value that has bound its port before it runs, so tests start it on
//! `127.0.0.1:0` and wait on the bound listener, never on a sleep.

use crate::config::{Config, LogFormat};
use accountable_core::clock::Clock;
use accountable_core::service::{Services, Settings};
use accountable_store::{PoolSettings, SqlStore, migrate};
use accountable_web::{AppState, WebSettings, router};
use std::net::SocketAddr;
use std::sync::Arc;

/// Opens the database the configuration names and brings its schema up to date.
pub async fn open_store(config: &Config, clock: &dyn Clock) -> Result<SqlStore, String> {
    let settings = PoolSettings {
        documents_dir: config.documents_dir.clone(),
        ..PoolSettings::default()
    };
    let store = SqlStore::connect(&config.database_url, &settings)
        .await
        .map_err(|e| e.to_string())?;
    migrate(&store, clock.now()).await.map_err(|e| e.to_string())?;
    Ok(store)
}

/// A built application: the database is open and migrated and the port is bound.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: axum::Router,
    address: SocketAddr,
    public_url: String,
    store: SqlStore,
    services: Services,
}

impl Application {
    /// Opens the database, migrates it, and binds the listening address.
    pub async fn build(
        config: &Config,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Result<Application, String> {
        let store = open_store(config, clock.as_ref()).await?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        let settings = Settings {
            public_url: public_url.clone(),
            ..settings
        };
        let services = Services::new(Arc::new(store.clone()), clock, settings);
        let state = AppState {
            services: services.clone(),
            web: WebSettings {
                public_url: public_url.clone(),
            },
            metrics: Default::default(),
        };
        Ok(Application {
            listener,
            router: router(state),
            address,
            public_url,
            store,
            services,
        })
    }

    /// The address the application listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The address people use.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The store, for tests that reach under the use cases.
    pub fn store(&self) -> &SqlStore {
        &self.store
    }

    /// The use cases, for tests and the command line.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Serves requests until the process is asked to stop (Ctrl-C or SIGTERM).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Sets up logging: one line per event on standard error, JSON or text, filtered by the configured level.
pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        LogFormat::Text => builder.with_ansi(false).try_init(),
    };
}
