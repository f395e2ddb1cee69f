//! sqlx errors become `core` store errors; a unique violation keeps its constraint's name.

use accountable_core::error::{Error, StoreError};

/// SQLite names no constraint, only its columns: this table gives the name PostgreSQL would report, for every
/// unique index of the schema (a test in `testkit/tests/it/constraints.rs` reads them from a migrated database).
pub const SQLITE_UNIQUE: &[(&str, &str)] = &[
    ("agencies.name", "agencies_name_key"),
    ("users.email", "users_email_key"),
    ("clients.agency_id, clients.name_key", "clients_agency_name_key"),
    ("contacts.client_id, contacts.email", "contacts_client_email_key"),
    ("invitations.token_hash", "invitations_token_hash_key"),
    ("audit_events.chain, audit_events.seq", "audit_events_pkey"),
    ("kpis.client_id, kpis.name_key", "kpis_client_name_key"),
    ("sessions.token_hash", "sessions_pkey"),
    ("form_nonces.session_hash, form_nonces.nonce", "form_nonces_pkey"),
    ("api_tokens.token_hash", "api_tokens_token_hash_key"),
    ("jobs.job_key", "jobs_job_key_key"),
    ("outbox.message_id", "outbox_message_id_key"),
    ("notable_moves.kpi_id, notable_moves.month", "notable_moves_key"),
    ("kpi_months.kpi_id, kpi_months.month", "kpi_months_key"),
    (
        "measurements.kpi_id, measurements.period_start, measurements.period_end, measurements.dimension",
        "measurements_key",
    ),
    (
        "replaced_values.kpi_id, replaced_values.period_start, replaced_values.period_end, \
         replaced_values.dimension, replaced_values.depth",
        "replaced_values_key",
    ),
];

/// Maps a sqlx error to a store error.
pub fn store_error(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && db.is_foreign_key_violation()
    {
        // PostgreSQL names the constraint and says which side broke it ("insert or update on table …" or
        // "update or delete on table …"); SQLite says only "FOREIGN KEY constraint failed".
        return StoreError::ForeignKey {
            constraint: db.constraint().map(str::to_string),
            still_referenced: db.message().starts_with("update or delete on table"),
        };
    }
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        if let Some(name) = db.constraint() {
            return StoreError::Unique {
                constraint: name.to_string(),
            };
        }
        let message = db.message();
        if let Some(columns) = message.strip_prefix("UNIQUE constraint failed: ") {
            if let Some((_, name)) = SQLITE_UNIQUE.iter().find(|(cols, _)| *cols == columns.trim()) {
                return StoreError::Unique {
                    constraint: name.to_string(),
                };
            }
            return StoreError::Unique {
                constraint: columns.trim().to_string(),
            };
        }
    }
    StoreError::Other(e.to_string())
}

/// Maps a sqlx error to a use-case error.
pub(crate) fn db(e: sqlx::Error) -> Error {
    Error::from(store_error(e))
}

/// Maps the error of a DELETE: a foreign key that refuses it means another record still names the one deleted,
/// which SQLite does not say (it reports every foreign key failure alike).
pub(crate) fn db_delete(e: sqlx::Error) -> Error {
    match store_error(e) {
        StoreError::ForeignKey { constraint, .. } => Error::from(StoreError::ForeignKey {
            constraint,
            still_referenced: true,
        }),
        other => Error::from(other),
    }
}
