//! Applies the migrations of `migrations/<database>/` in file-name order, each once, all in one transaction.
//! A migration that was changed after it was applied is refused by its SHA-256.

use crate::{Backend, SqlStore, error::store_error};
use accountable_core::error::StoreError;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Each migration's name with its SQLite and its PostgreSQL text; the two folders hold the same names.
const MIGRATIONS: &[(&str, &str, &str)] = &[
    (
        "0001_house",
        include_str!("../migrations/sqlite/0001_house.sql"),
        include_str!("../migrations/postgres/0001_house.sql"),
    ),
    (
        "0002_jobs",
        include_str!("../migrations/sqlite/0002_jobs.sql"),
        include_str!("../migrations/postgres/0002_jobs.sql"),
    ),
    (
        "0003_outbox",
        include_str!("../migrations/sqlite/0003_outbox.sql"),
        include_str!("../migrations/postgres/0003_outbox.sql"),
    ),
    (
        "0004_documents",
        include_str!("../migrations/sqlite/0004_documents.sql"),
        include_str!("../migrations/postgres/0004_documents.sql"),
    ),
    (
        "0005_api_tokens",
        include_str!("../migrations/sqlite/0005_api_tokens.sql"),
        include_str!("../migrations/postgres/0005_api_tokens.sql"),
    ),
    (
        "0006_kpis",
        include_str!("../migrations/sqlite/0006_kpis.sql"),
        include_str!("../migrations/postgres/0006_kpis.sql"),
    ),
    (
        "0007_goals",
        include_str!("../migrations/sqlite/0007_goals.sql"),
        include_str!("../migrations/postgres/0007_goals.sql"),
    ),
    (
        "0008_lean_measurements",
        include_str!("../migrations/sqlite/0008_lean_measurements.sql"),
        include_str!("../migrations/postgres/0008_lean_measurements.sql"),
    ),
    (
        "0009_kpi_months",
        include_str!("../migrations/sqlite/0009_kpi_months.sql"),
        include_str!("../migrations/postgres/0009_kpi_months.sql"),
    ),
    (
        "0010_replaced_values",
        include_str!("../migrations/sqlite/0010_replaced_values.sql"),
        include_str!("../migrations/postgres/0010_replaced_values.sql"),
    ),
    (
        "0011_home",
        include_str!("../migrations/sqlite/0011_home.sql"),
        include_str!("../migrations/postgres/0011_home.sql"),
    ),
    (
        "0012_form_nonces",
        include_str!("../migrations/sqlite/0012_form_nonces.sql"),
        include_str!("../migrations/postgres/0012_form_nonces.sql"),
    ),
];

/// What `migrate` did.
#[derive(Debug, Clone, Default)]
pub struct MigrationReport {
    /// Migrations applied now.
    pub applied: Vec<String>,
    /// Migrations that were there already.
    pub already: usize,
}

/// Brings the database's schema up to date.
pub async fn migrate(store: &SqlStore, now: jiff::Timestamp) -> Result<MigrationReport, StoreError> {
    let mut tx = store.pool.begin().await.map_err(store_error)?;
    if store.backend == Backend::Postgres {
        // Two instances starting at once: the second waits here until the first has migrated.
        sqlx::query("SELECT pg_advisory_xact_lock(4242001)")
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
    }
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .map_err(store_error)?;
    let rows = sqlx::query("SELECT version, checksum FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await
        .map_err(store_error)?;
    let mut applied = Vec::new();
    for row in rows {
        let version: String = row.try_get("version").map_err(store_error)?;
        let checksum: String = row.try_get("checksum").map_err(store_error)?;
        applied.push((version, checksum));
    }
    let mut report = MigrationReport::default();
    for (name, sqlite, postgres) in MIGRATIONS {
        let sql = match store.backend {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        };
        let checksum = hex::encode(Sha256::digest(sql.as_bytes()));
        match applied.iter().find(|(v, _)| v == name) {
            Some((_, c)) if *c == checksum => report.already += 1,
            Some(_) => {
                return Err(StoreError::Other(format!(
                    "migration {name} was changed after it was applied; add a new migration instead"
                )));
            }
            None => {
                sqlx::raw_sql(sql)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::Other(format!("migration {name} failed: {}", store_error(e))))?;
                sqlx::query(
                    "INSERT INTO schema_migrations (version, checksum, applied_at) VALUES ($1, $2, $3)",
                )
                .bind(*name)
                .bind(&checksum)
                .bind(accountable_core::audit::timestamp_text(now))
                .execute(&mut *tx)
                .await
                .map_err(store_error)?;
                report.applied.push(name.to_string());
            }
        }
    }
    tx.commit().await.map_err(store_error)?;
    Ok(report)
}
