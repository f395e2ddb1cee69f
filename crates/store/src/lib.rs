//! Accountable's storage: the `core` storage traits implemented once in SQL that runs on both SQLite and
//! PostgreSQL (sqlx's `Any` driver, `$n` placeholders), with one migrations folder per database.
//!
//! Which database is chosen once, from the URL's scheme; anything but `sqlite:` and `postgres:` is refused.
//! Nothing here decides a rule: that is `core`'s job.

mod agencies;
mod audit;
mod bulk;
mod clients;
mod contacts;
mod documents;
mod engagements;
mod error;
mod goals;
mod home;
mod imports;
mod invitations;
mod jobs;
mod kpis;
mod migrate;
mod moves;
mod outbox;
mod people;
mod row;
mod sessions;
mod tokens;
mod tx;

use accountable_core::error::StoreError;
use accountable_core::store::{Store, Tx};
use async_trait::async_trait;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub use error::{SQLITE_UNIQUE, store_error};
pub use migrate::{MigrationReport, migrate};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One file on one machine.
    Sqlite,
    /// A server shared by several instances.
    Postgres,
}

impl Backend {
    /// The backend a URL's scheme names, or an error that names the scheme.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        let scheme = url.split(':').next().unwrap_or("");
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            other => Err(StoreError::Other(format!(
                "the database URL's scheme {other:?} is not supported: use sqlite: or postgres:"
            ))),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The SQL store over a pool of connections.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    documents_dir: Option<std::sync::Arc<std::path::PathBuf>>,
}

/// How to open the pool.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// The most connections the pool opens.
    pub max_connections: u32,
    /// Where SQLite keeps archived documents' bytes; by default a folder beside the database file
    /// (`accountable.db` → `accountable-documents/`).
    pub documents_dir: Option<std::path::PathBuf>,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 8,
            documents_dir: None,
        }
    }
}

/// The documents folder beside a SQLite database file.
pub fn default_documents_dir(url: &str) -> std::path::PathBuf {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    let file = std::path::Path::new(path);
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("accountable");
    file.with_file_name(format!("{stem}-documents"))
}

impl SqlStore {
    /// Connects to the database a URL names. A SQLite file is created if missing (`mode=rwc`).
    pub async fn connect(url: &str, settings: &PoolSettings) -> Result<SqlStore, StoreError> {
        let backend = Backend::from_url(url)?;
        sqlx::any::install_default_drivers();
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        // A root certificate that is not there would fail as a bare "No such file or directory": name it.
        if let Some(root) = url
            .split_once('?')
            .and_then(|(_, q)| q.split('&').find_map(|p| p.strip_prefix("sslrootcert=")))
            && !std::path::Path::new(root).exists()
        {
            return Err(StoreError::Other(format!(
                "cannot open the database: the sslrootcert file {root} does not exist"
            )));
        }
        let pool = AnyPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside one writer; a writer waits up to 5 s for the lock. A page
                        // cache of up to 64 MiB (SQLite's default is 2 MiB) keeps a large import's pages in memory
                        // until its commit instead of spilling them into the WAL half-way.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536;").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| {
                // sqlx reports a refused certificate as a TLS error or, from the handshake, as an I/O error that
                // names it: either way the person is told what verify-full checks.
                let text = e.to_string();
                if matches!(e, sqlx::Error::Tls(_)) || text.contains("certificate") {
                    StoreError::Other(format!(
                        "cannot open the database: the TLS connection was refused ({text}); with \
                         sslmode=verify-full the server's certificate must be signed by the sslrootcert file and \
                         name the host in the URL"
                    ))
                } else {
                    StoreError::Other(format!("cannot open the database: {text}"))
                }
            })?;
        let documents_dir = match backend {
            Backend::Sqlite => Some(std::sync::Arc::new(
                settings
                    .documents_dir
                    .clone()
                    .unwrap_or_else(|| default_documents_dir(&url)),
            )),
            Backend::Postgres => None,
        };
        Ok(SqlStore {
            pool,
            backend,
            documents_dir,
        })
    }

    /// Which database this is.
    pub fn backend_kind(&self) -> Backend {
        self.backend
    }

    /// The pool, for tests that must reach under the store (to tamper with the audit trail, say).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Copies every committed change in SQLite's write-ahead log into the database file and empties the log, so
    /// that a copy of the file alone holds everything; `false` when another connection's reading kept part of the
    /// log (it is copied at a later checkpoint). Nothing to do on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<bool, StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(true);
        }
        let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        let busy: i64 = sqlx::Row::try_get(&row, 0).map_err(store_error)?;
        Ok(busy == 0)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError> {
        // On SQLite a writing transaction takes the write lock when it begins (waiting up to the busy timeout):
        // one that read first and wrote later would fail at once ("database is locked", SQLITE_BUSY_SNAPSHOT)
        // whenever another writer committed in between. PostgreSQL's writers lock what they write.
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .map_err(store_error)?;
        Ok(Box::new(tx::SqlTx::new(
            tx,
            self.backend,
            self.documents_dir.clone(),
        )))
    }

    async fn read(&self) -> Result<Box<dyn Tx>, StoreError> {
        let conn = self.pool.acquire().await.map_err(store_error)?;
        Ok(Box::new(tx::SqlTx::plain(
            conn,
            self.backend,
            self.documents_dir.clone(),
        )))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        self.backend.name()
    }
}
