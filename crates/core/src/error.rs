//! The one error type of the domain. Each variant has a stable machine code; the web layer maps them to HTTP
//! in one exhaustive table.

use crate::record::RecordKind;
use serde::Serialize;
use std::fmt;

/// The result of every use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with one input field: which field, a stable code, and a message in English for logs and the API.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as the form and the API spell it.
    pub field: String,
    /// A stable machine word, such as `required` or `taken`.
    pub code: &'static str,
    /// A sentence for a person reading the API response.
    pub message: String,
    /// The values the message names (`typed`, `one`, `other`…), for the pages to say it in the person's language.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub values: Vec<(&'static str, String)>,
}

impl FieldError {
    /// A field error with its code and message.
    pub fn new(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            code,
            message: message.into(),
            values: Vec::new(),
        }
    }

    /// The same error naming a value its message uses.
    pub fn with(mut self, name: &'static str, value: &str) -> Self {
        self.values.push((name, value.to_string()));
        self
    }
}

/// What the storage layer can report.
#[derive(Debug)]
pub enum StoreError {
    /// A unique constraint refused a write; the constraint's name says which field.
    Unique { constraint: String },
    /// A foreign key refused a write: a record it names is missing (`still_referenced` false: an insert or update
    /// naming a record that is gone) or a record it deletes is still named by another (`still_referenced` true).
    /// The constraint's name, when the database gives one (PostgreSQL always; SQLite never, so the store names it
    /// where it can, see `store::error`).
    ForeignKey {
        constraint: Option<String>,
        still_referenced: bool,
    },
    /// Anything else the database said; never shown to a person.
    Other(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unique { constraint } => write!(f, "unique constraint {constraint} violated"),
            StoreError::ForeignKey {
                constraint,
                still_referenced,
            } => write!(
                f,
                "foreign key {} violated ({})",
                constraint.as_deref().unwrap_or("(unnamed)"),
                if *still_referenced {
                    "the record is still referenced"
                } else {
                    "the referenced record is missing"
                }
            ),
            StoreError::Other(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Why a change conflicts with a record's current state: each has a stable code, which the pages translate
/// (`errors.<code>`; a test checks every language has it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// Archiving a client that is archived already.
    ClientAlreadyArchived,
    /// Restoring a client that is not archived.
    ClientNotArchived,
    /// A person deactivating themselves.
    CannotDeactivateSelf,
    /// An archived document no longer matches its checksum.
    DocumentAltered,
    /// Retrying a job that has not failed.
    JobNotFailed,
    /// Undoing an import that was undone already.
    ImportUndone,
    /// Removing a record that another record still names (a foreign key refused the delete).
    InUse,
    /// Opening or accepting an invitation whose link was used already.
    InvitationUsed,
    /// Opening or accepting an invitation past its expiry.
    InvitationExpired,
}

impl Conflict {
    /// Every conflict, for the test that each has words in every language.
    pub const ALL: [Conflict; 9] = [
        Conflict::ClientAlreadyArchived,
        Conflict::ClientNotArchived,
        Conflict::CannotDeactivateSelf,
        Conflict::DocumentAltered,
        Conflict::JobNotFailed,
        Conflict::ImportUndone,
        Conflict::InUse,
        Conflict::InvitationUsed,
        Conflict::InvitationExpired,
    ];

    /// The stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            Conflict::ClientAlreadyArchived => "client-already-archived",
            Conflict::ClientNotArchived => "client-not-archived",
            Conflict::CannotDeactivateSelf => "cannot-deactivate-self",
            Conflict::DocumentAltered => "document-altered",
            Conflict::JobNotFailed => "job-not-failed",
            Conflict::ImportUndone => "import-undone",
            Conflict::InUse => "in-use",
            Conflict::InvitationUsed => "invitation-used",
            Conflict::InvitationExpired => "invitation-expired",
        }
    }
}

/// Every way a use case can fail.
#[derive(Debug)]
pub enum Error {
    /// The record does not exist, or belongs to another tenant: the two are never told apart.
    NotFound { entity: RecordKind },
    /// The person is signed in but their role does not allow this.
    Forbidden,
    /// No valid session or credentials.
    Unauthenticated,
    /// Wrong e-mail or password.
    InvalidCredentials,
    /// Too many failed sign-ins; try again after this many seconds.
    RateLimited { retry_after_secs: u64 },
    /// One or more fields are wrong.
    Validation(Vec<FieldError>),
    /// The change conflicts with the record's current state (for example, restoring a client that is not archived).
    Conflict { code: Conflict, message: String },
    /// The storage failed; the cause goes to the log only.
    Store(StoreError),
}

impl Error {
    /// The stable machine code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { entity } => entity.not_found_code(),
            Error::Forbidden => "forbidden",
            Error::Unauthenticated => "unauthenticated",
            Error::InvalidCredentials => "invalid-credentials",
            Error::RateLimited { .. } => "rate-limited",
            Error::Validation(_) => "validation-failed",
            Error::Conflict { code, .. } => code.code(),
            Error::Store(_) => "internal",
        }
    }

    /// A single-field validation error.
    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, code, message)])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound { entity } => write!(f, "{} not found", entity.as_str()),
            Error::Forbidden => write!(f, "not allowed for this role"),
            Error::Unauthenticated => write!(f, "not signed in"),
            Error::InvalidCredentials => write!(f, "wrong e-mail or password"),
            Error::RateLimited { retry_after_secs } => {
                write!(f, "too many attempts; try again in {retry_after_secs} s")
            }
            Error::Validation(fields) => {
                let names: Vec<&str> = fields.iter().map(|e| e.field.as_str()).collect();
                write!(f, "invalid fields: {}", names.join(", "))
            }
            Error::Conflict { message, .. } => write!(f, "{message}"),
            Error::Store(e) => write!(f, "storage: {e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Which field each unique constraint guards, by the constraint's name (the same on both databases): a write
/// refused by one of these is a `taken` error on that field. A test reads every constraint of both schemas and
/// fails on one that is in neither this table nor [`INTERNAL_CONSTRAINTS`].
pub const UNIQUE_FIELDS: &[(&str, &str, &str)] = &[
    (
        "clients_agency_name_key",
        "name",
        "a client with this name exists already",
    ),
    (
        "users_email_key",
        "email",
        "someone with this e-mail already has an account",
    ),
    (
        "contacts_client_email_key",
        "email",
        "this client has a contact with this e-mail already",
    ),
    (
        "agencies_name_key",
        "name",
        "an agency with this name exists already",
    ),
    (
        "kpis_client_name_key",
        "name",
        "this client has a KPI with this name already",
    ),
];

/// The constraints that no input can break, each with the reason: unique and primary keys the use cases never
/// duplicate on purpose (keys they make themselves, or writes that replace instead of adding), and foreign keys
/// to records the use case reads, scoped to the agency, in the same transaction and that are never deleted (or
/// deleted only under a lock every writer of the naming record holds). A violation is a defect and stays an
/// internal error.
pub const INTERNAL_CONSTRAINTS: &[(&str, &str)] = &[
    (
        "audit_events_pkey",
        "the chain's next position is read under the chain's lock",
    ),
    ("audit_chains_pkey", "one chain per agency, made with the agency"),
    ("invitations_token_hash_key", "256 random bits"),
    ("sessions_pkey", "the hash of 256 random bits"),
    (
        "form_nonces_pkey",
        "a nonce is claimed with ON CONFLICT DO NOTHING: a second sending is told, never raised",
    ),
    (
        "goal_standings_pkey",
        "a client's standings are replaced as a whole: deleted, then written",
    ),
    ("api_tokens_token_hash_key", "the hash of 256 random bits"),
    (
        "jobs_job_key_key",
        "enqueueing a job whose key exists is a no-op by design",
    ),
    (
        "outbox_message_id_key",
        "Message-IDs are made from the outbox row's own id",
    ),
    (
        "measurements_key",
        "values are written as replacements of the same key",
    ),
    (
        "notable_moves_key",
        "moves are written as replacements of the same key",
    ),
    (
        "kpi_months_key",
        "month totals are summed up again, never added twice",
    ),
    (
        "replaced_values_key",
        "a value kept goes on top of its key's chain (the largest depth + 1)",
    ),
    ("api_tokens_user_id_fkey", USERS_KEPT),
    ("contacts_user_id_fkey", USERS_KEPT),
    ("imports_created_by_fkey", USERS_KEPT),
    ("invitations_invited_by_fkey", USERS_KEPT),
    ("sessions_user_id_fkey", USERS_KEPT),
    ("contacts_client_id_fkey", CLIENTS_KEPT),
    ("engagements_client_id_fkey", CLIENTS_KEPT),
    ("goals_client_id_fkey", CLIENTS_KEPT),
    ("imports_client_id_fkey", CLIENTS_KEPT),
    ("kpis_client_id_fkey", CLIENTS_KEPT),
    ("notable_moves_client_id_fkey", CLIENTS_KEPT),
    (
        "goals_engagement_id_fkey",
        "the engagement is read in the same transaction; engagements are never deleted",
    ),
    (
        "kpis_import_id_fkey",
        "the import's row is written in the same transaction; an undone import keeps its row",
    ),
    (
        "notable_moves_kpi_id_fkey",
        "KPIs are deleted only by an import's undo, under the client's values lock every writer of moves holds",
    ),
    (
        "goal_standings_goal_id_fkey",
        "a standing is written for a goal read in the same transaction and removed with its goal",
    ),
    ("goal_standings_client_id_fkey", CLIENTS_KEPT),
    (
        "outbox_attachments_outbox_id_fkey",
        "written with its message in one transaction; messages are never deleted",
    ),
];

const USERS_KEPT: &str = "the person is read in the same transaction; people are deactivated, never deleted";
const CLIENTS_KEPT: &str =
    "the client is read, scoped to the agency, in the same transaction; clients are archived, never deleted";

/// Which form field chose the record each foreign key names, for the keys whose record a person picks from a
/// list (a KPI, an account executive, a client): an insert or update refused because that record is gone (removed
/// between showing the form and saving it) is a `gone` error on that field. Every other foreign key is in
/// [`INTERNAL_CONSTRAINTS`] or is an agency's (see [`internal_reason`]); a test reads every foreign key of the
/// migrated schema and fails on one that is in neither.
pub const FOREIGN_FIELDS: &[(&str, &str)] = &[
    ("goals_kpi_id_fkey", "kpi_id"),
    ("engagements_account_executive_id_fkey", "account_executive_id"),
    ("invitations_client_id_fkey", "client_id"),
    ("users_client_id_fkey", "client_id"),
];

/// Why no input can break a constraint that is neither in [`UNIQUE_FIELDS`] nor [`FOREIGN_FIELDS`], if none can:
/// the reason [`INTERNAL_CONSTRAINTS`] gives, or, for the `agency_id` key every agency record has, that the agency
/// is always the signed-in person's own and agencies are never deleted.
pub fn internal_reason(constraint: &str) -> Option<&'static str> {
    INTERNAL_CONSTRAINTS
        .iter()
        .find(|(c, _)| *c == constraint)
        .map(|(_, reason)| *reason)
        .or_else(|| {
            constraint
                .ends_with("_agency_id_fkey")
                .then_some("the agency is the signed-in person's own; agencies are never deleted")
        })
}

impl From<StoreError> for Error {
    /// A unique violation of a known constraint becomes a `taken` error on its field, a foreign key naming a
    /// record a person chose that is gone a `gone` error on its field, and a delete refused because another record
    /// still names the one deleted an `in-use` conflict; anything else stays a storage error.
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::Unique { constraint } => {
                if let Some((_, field, message)) = UNIQUE_FIELDS.iter().find(|(c, _, _)| c == constraint) {
                    return Error::field(field, "taken", *message);
                }
            }
            StoreError::ForeignKey {
                still_referenced: true,
                ..
            } => {
                return Error::Conflict {
                    code: Conflict::InUse,
                    message: "another record still refers to this one".into(),
                };
            }
            StoreError::ForeignKey {
                constraint: Some(constraint),
                still_referenced: false,
            } => {
                if let Some((_, field)) = FOREIGN_FIELDS.iter().find(|(c, _)| c == constraint) {
                    return Error::field(
                        field,
                        "gone",
                        "the record chosen here was removed meanwhile: choose another",
                    );
                }
            }
            _ => {}
        }
        Error::Store(e)
    }
}
