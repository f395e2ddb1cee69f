//! The storage traits the outside world implements (for SQLite and PostgreSQL, in the `store` crate).
//!
//! A use case opens one [`Tx`], does all its reads and writes through it, and commits; dropping a `Tx`
//! without committing rolls everything back. Every method that reads or writes agency data takes the agency,
//! and the client scope where a client contact may be asking: tenancy lives in the query itself.
//! `get_*` returns the record or `NotFound`; `find_*` returns an `Option`.

use crate::agency::Agency;
use crate::audit::{AuditEvent, NewAuditEvent};
use crate::client::{Client, ClientInput, ClientListQuery, ClientSummary, Contact, ContactInput};
use crate::document::{Document, DocumentId, NewDocument};
use crate::engagement::{Engagement, EngagementInput};
use crate::error::{Result, StoreError};
use crate::goal::{Goal, GoalId, GoalInput};
use crate::id::{AgencyId, ClientId, ContactId, EngagementId, InvitationId, UserId};
use crate::import::{ImportId, ImportRecord, NewImport};
use crate::job::{Job, JobId, JobState, NewJob};
use crate::kpi::{Kpi, KpiId, KpiInput, Measurement};
use crate::mail::{Attachment, NewMessage, OutboxId, OutboxMessage};
use crate::moves::{MonthTotal, Move};
use crate::session::{Session, SignInAttempt};
use crate::token::{ApiToken, NewToken, TokenId};
use crate::types::{Email, Language, Role};
use crate::user::{Invitation, NewInvitation, NewUser, User};
use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;

/// A database that hands out transactions.
#[async_trait]
pub trait Store: Send + Sync {
    /// Starts a transaction.
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError>;
    /// A connection without a transaction, for use cases that only read: each statement sees the latest
    /// committed data, and `commit` does nothing.
    async fn read(&self) -> Result<Box<dyn Tx>, StoreError>;
    /// Answers when the database answers: the readiness check.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Which database this is (`sqlite` or `postgres`), for logs and `config show`.
    fn backend(&self) -> &'static str;
}

/// The job queue's reads and writes (see [`crate::job`]).
#[async_trait]
pub trait JobTx: Send {
    /// Enqueues a job; `None` when a job with the same key exists already (constraint `jobs_job_key_key`).
    async fn enqueue_job(&mut self, job: &NewJob, now: Timestamp) -> Result<Option<JobId>>;
    /// Claims up to `limit` due jobs (pending and due, or running with an expired lease) for `worker` until
    /// `lease_until`, counting an attempt for each. Two workers never claim the same job.
    async fn claim_jobs(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        worker: &str,
        limit: i64,
    ) -> Result<Vec<Job>>;
    /// Marks a job done, if `worker` still holds it.
    async fn complete_job(&mut self, id: JobId, worker: &str, now: Timestamp) -> Result<bool>;
    /// Puts a job back to wait until `run_after`, with the error of the attempt, if `worker` still holds it.
    async fn reschedule_job(
        &mut self,
        id: JobId,
        worker: &str,
        error: &str,
        run_after: Timestamp,
        now: Timestamp,
    ) -> Result<bool>;
    /// Marks a job failed with its error, if `worker` still holds it.
    async fn fail_job(&mut self, id: JobId, worker: &str, error: &str, now: Timestamp) -> Result<bool>;
    /// Jobs of an agency (or all, for `None`), newest first, optionally of one state.
    async fn list_jobs(
        &mut self,
        agency: Option<AgencyId>,
        state: Option<JobState>,
        limit: i64,
    ) -> Result<Vec<Job>>;
    /// One job of an agency (or any, for `None`).
    async fn get_job(&mut self, agency: Option<AgencyId>, id: JobId) -> Result<Job>;
    /// Puts a failed job back in the queue with fresh attempts.
    async fn requeue_job(&mut self, agency: Option<AgencyId>, id: JobId, now: Timestamp) -> Result<()>;
    /// How many jobs there are of each kind and state.
    async fn job_counts(&mut self) -> Result<Vec<(String, JobState, i64)>>;
    /// When the longest-waiting due job became due.
    async fn oldest_due_job(&mut self, now: Timestamp) -> Result<Option<Timestamp>>;
}

/// The mail outbox's reads and writes (see [`crate::mail`]).
#[async_trait]
pub trait OutboxTx: Send {
    /// Stores a message with its Message-ID (constraint `outbox_message_id_key`).
    async fn insert_message(
        &mut self,
        message: &NewMessage,
        message_id: &str,
        now: Timestamp,
    ) -> Result<OutboxId>;
    /// Stores an attachment of a message.
    async fn insert_attachment(&mut self, message: OutboxId, attachment: &Attachment) -> Result<()>;
    /// One message.
    async fn get_message(&mut self, id: OutboxId) -> Result<OutboxMessage>;
    /// A message's attachments, in the order they were added.
    async fn list_attachments(&mut self, id: OutboxId) -> Result<Vec<Attachment>>;
    /// Marks a message sent.
    async fn mark_message_sent(&mut self, id: OutboxId, now: Timestamp) -> Result<()>;
    /// Counts a failed attempt that may pass later.
    async fn note_message_attempt(&mut self, id: OutboxId, error: &str) -> Result<()>;
    /// Marks a message failed for good.
    async fn mark_message_failed(&mut self, id: OutboxId, error: &str) -> Result<()>;
    /// Messages of an agency (or all, for `None`), newest first.
    async fn list_messages(&mut self, agency: Option<AgencyId>, limit: i64) -> Result<Vec<OutboxMessage>>;
    /// How many messages wait to be sent.
    async fn outbox_depth(&mut self) -> Result<i64>;
}

/// The document archive's reads and writes (see [`crate::document`]). There is no update and no delete.
#[async_trait]
pub trait DocumentTx: Send {
    /// Archives a document's bytes (SQLite: a file in the documents folder, named by its SHA-256; PostgreSQL: a
    /// `bytea` column) and its row.
    async fn insert_document(
        &mut self,
        agency: AgencyId,
        doc: &NewDocument,
        sha256: &str,
        issued_by: &str,
        now: Timestamp,
    ) -> Result<Document>;
    /// One document of an agency.
    async fn get_document(&mut self, agency: AgencyId, id: DocumentId) -> Result<Document>;
    /// An agency's documents about one record, newest first.
    async fn list_documents(
        &mut self,
        agency: AgencyId,
        entity: &str,
        entity_id: i64,
    ) -> Result<Vec<Document>>;
    /// Every document with an id above `after`, in id order, at most `limit` (for verification).
    async fn list_all_documents(&mut self, after: i64, limit: i64) -> Result<Vec<Document>>;
    /// A document's bytes as stored (not checked: the caller compares the checksum).
    async fn read_document(&mut self, doc: &Document) -> Result<Vec<u8>>;
}

/// API tokens' reads and writes (see [`crate::token`]).
#[async_trait]
pub trait TokenTx: Send {
    /// Stores a token (only the hash of its secret).
    async fn insert_token(&mut self, token: &NewToken, now: Timestamp) -> Result<ApiToken>;
    /// One token of the agency.
    async fn get_token(&mut self, agency: AgencyId, id: TokenId) -> Result<ApiToken>;
    /// A person's tokens, newest first.
    async fn list_tokens(&mut self, agency: AgencyId, user: UserId) -> Result<Vec<ApiToken>>;
    /// Revokes a token.
    async fn revoke_token(&mut self, agency: AgencyId, id: TokenId, now: Timestamp) -> Result<()>;
    /// A token by the hash of its secret, with its person and agency, in any agency (authentication only).
    async fn find_token(&mut self, token_hash: &str) -> Result<Option<(ApiToken, User, Agency)>>;
}

/// KPIs, measurements and imports (see [`crate::kpi`] and [`crate::import`]).
#[async_trait]
pub trait GoalTx: Send {
    /// Adds a goal to an engagement.
    async fn insert_goal(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        engagement: EngagementId,
        goal: &GoalInput,
        now: Timestamp,
    ) -> Result<Goal>;
    /// One goal of the agency, within the client scope.
    async fn get_goal(&mut self, agency: AgencyId, scope: Option<ClientId>, id: GoalId) -> Result<Goal>;
    /// A client's goals, by target date.
    async fn list_goals(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Goal>>;
    /// Replaces a goal's fields.
    async fn update_goal(
        &mut self,
        agency: AgencyId,
        id: GoalId,
        goal: &GoalInput,
        now: Timestamp,
    ) -> Result<Goal>;
    /// Removes a goal.
    async fn delete_goal(&mut self, agency: AgencyId, id: GoalId) -> Result<()>;
    /// Keeps a client's notable-move records of a month equal to `moves`: new ones are added, changed figures
    /// are updated, and records no longer notable are removed unless they carry an explanation.
    async fn replace_notable_moves(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        month: Date,
        moves: &[Move],
        now: Timestamp,
    ) -> Result<()>;
    /// Each of the clients' KPIs' daily whole values in the months from `from`'s to `to`'s, summed up per
    /// calendar month (total, number of days, the last day's value) as the store keeps them on every write and
    /// undo, so notable moves read 26 rows a KPI, not 760 days; any number of clients in one query.
    async fn month_totals(
        &mut self,
        agency: AgencyId,
        clients: &[ClientId],
        from: Date,
        to: Date,
    ) -> Result<Vec<MonthTotal>>;
    /// Removes the clients' notable-move records of a month except those of `keep` and those that carry an
    /// explanation, in one statement (what [`GoalTx::replace_notable_moves`] does first, for many clients).
    async fn clear_notable_moves(
        &mut self,
        agency: AgencyId,
        clients: &[ClientId],
        month: Date,
        keep: &[KpiId],
    ) -> Result<()>;
    /// A client's notable-move records of a month.
    async fn list_notable_moves(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        month: Date,
    ) -> Result<Vec<Move>>;
}

#[async_trait]
pub trait KpiTx: Send {
    /// Adds a KPI to a client (constraint `kpis_client_name_key`: names are unique per client, case-insensitive).
    async fn insert_kpi(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        kpi: &KpiInput,
        now: Timestamp,
    ) -> Result<Kpi>;
    /// Gives a client's KPI the export column that feeds it (`source`, such as `gsc:clicks`): the mapping an AE
    /// chose on an import's preview, remembered for the next import.
    async fn set_kpi_source(&mut self, agency: AgencyId, kpi: KpiId, source: &str) -> Result<()>;
    /// A client's KPIs: business results first, then leading indicators, by name.
    async fn list_kpis(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Kpi>>;
    /// The KPIs of several clients of an agency, in one query, in the same order per client.
    async fn list_kpis_of(&mut self, agency: AgencyId, clients: &[ClientId]) -> Result<Vec<Kpi>>;
    /// Each of a client's KPIs' latest whole value (no dimension): the KPI, the period's first and last day (the
    /// same day for a daily value), the value; in one query. A daily value wins over a period total ending the same
    /// day.
    async fn latest_measurements(
        &mut self,
        agency: AgencyId,
        client: ClientId,
    ) -> Result<Vec<(KpiId, Date, Date, f64)>>;
    /// Writes values; a value for the same KPI, period and dimension replaces the one there (constraint
    /// `measurements_key`). Returns how many were written.
    async fn upsert_measurements(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        import: Option<ImportId>,
        values: &[Measurement],
    ) -> Result<u64>;
    /// A client's values (all KPIs) whose period lies within `from..=to`, by KPI and period, in one query.
    async fn list_measurements(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Measurement>>;
    /// The daily whole values (no period totals, no breakdowns) of a client's KPIs, or of one KPI, on the days
    /// of `ranges` (first and last day each, not overlapping), in no particular order, in one query: the lean
    /// read that pacing stands on.
    async fn list_daily_values(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        kpi: Option<KpiId>,
        ranges: &[(Date, Date)],
    ) -> Result<Vec<(KpiId, Date, f64)>>;
    /// Records an import.
    async fn insert_import(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        import: &NewImport,
        now: Timestamp,
    ) -> Result<ImportId>;
    /// One import of the agency.
    async fn get_import(&mut self, agency: AgencyId, id: ImportId) -> Result<ImportRecord>;
    /// The import of a client with this file checksum that was not undone, if any.
    async fn find_import_by_sha(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        sha256: &str,
    ) -> Result<Option<ImportRecord>>;
    /// Every client's imports of the agency with this file checksum that were not undone, newest first, in one
    /// query (an agency-wide file has one import per client).
    async fn find_imports_by_sha(&mut self, agency: AgencyId, sha256: &str) -> Result<Vec<ImportRecord>>;
    /// A client's imports, newest first.
    async fn list_imports(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<ImportRecord>>;
    /// Removes the values an import wrote and marks it undone; returns how many values were removed.
    async fn undo_import(&mut self, agency: AgencyId, id: ImportId, now: Timestamp) -> Result<u64>;
}

/// One transaction, with every read and write a use case may need.
#[async_trait]
pub trait Tx: JobTx + OutboxTx + DocumentTx + TokenTx + KpiTx + GoalTx + Send {
    /// Makes every write of this transaction permanent.
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;

    // --- the audit chain ---
    /// Takes the write lock on an audit chain: called first in every writing use case, so writers of one
    /// agency queue instead of forking the chain (and SQLite takes its write lock before any read).
    async fn lock_chain(&mut self, chain: i64) -> Result<(), StoreError>;
    /// Appends an event after the chain's current head, returning its position and hash.
    async fn append_audit(&mut self, event: &NewAuditEvent) -> Result<(i64, String), StoreError>;
    /// A record's history, newest first.
    async fn list_history(&mut self, chain: i64, entity: &str, entity_id: i64) -> Result<Vec<AuditEvent>>;
    /// A chain's events in order, from position `after_seq + 1`, at most `limit`.
    async fn list_chain(&mut self, chain: i64, after_seq: i64, limit: i64) -> Result<Vec<AuditEvent>>;
    /// Every chain that has events.
    async fn list_chains(&mut self) -> Result<Vec<i64>>;

    // --- agencies ---
    /// Creates an agency and its audit chain.
    async fn insert_agency(&mut self, name: &str, now: Timestamp) -> Result<Agency>;
    /// One agency.
    async fn get_agency(&mut self, id: AgencyId) -> Result<Agency>;
    /// Every agency, by name.
    async fn list_agencies(&mut self) -> Result<Vec<Agency>>;
    /// An agency by its exact name.
    async fn find_agency_by_name(&mut self, name: &str) -> Result<Option<Agency>>;

    // --- people ---
    /// Creates a person; the e-mail is unique across all agencies (constraint `users_email_key`).
    async fn insert_user(&mut self, user: &NewUser, now: Timestamp) -> Result<User>;
    /// One person of the agency.
    async fn get_user(&mut self, agency: AgencyId, id: UserId) -> Result<User>;
    /// A person by e-mail, in any agency: only sign-in and invitations use this.
    async fn find_user_by_email(&mut self, email: &Email) -> Result<Option<User>>;
    /// The agency's people, by name.
    async fn list_users(&mut self, agency: AgencyId) -> Result<Vec<User>>;
    /// Changes a person's role (and client, for a client contact).
    async fn update_user_role(
        &mut self,
        agency: AgencyId,
        id: UserId,
        role: Role,
        client: Option<ClientId>,
    ) -> Result<()>;
    /// Activates or deactivates a person.
    async fn set_user_active(&mut self, agency: AgencyId, id: UserId, active: bool) -> Result<()>;
    /// Replaces a person's password hash.
    async fn set_user_password(&mut self, agency: AgencyId, id: UserId, password_hash: &str) -> Result<()>;
    /// Changes a person's interface language.
    async fn set_user_language(&mut self, agency: AgencyId, id: UserId, language: Language) -> Result<()>;

    // --- invitations ---
    /// Stores an invitation (its token only as a hash).
    async fn insert_invitation(&mut self, invitation: &NewInvitation, now: Timestamp) -> Result<Invitation>;
    /// An invitation by the hash of its token, in any agency.
    async fn find_invitation_by_token_hash(&mut self, token_hash: &str) -> Result<Option<Invitation>>;
    /// The agency's invitations not yet accepted.
    async fn list_open_invitations(&mut self, agency: AgencyId) -> Result<Vec<Invitation>>;
    /// Marks an invitation accepted.
    async fn mark_invitation_accepted(&mut self, id: InvitationId, now: Timestamp) -> Result<()>;

    // --- sessions and sign-in attempts ---
    /// Stores a session (its token only as a hash).
    async fn insert_session(&mut self, session: &Session) -> Result<()>;
    /// A session by token hash, if it has not expired.
    async fn find_session(&mut self, token_hash: &str, now: Timestamp) -> Result<Option<Session>>;
    /// A session by token hash with its person and agency, in one query: what every request needs.
    async fn find_signed_in(
        &mut self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(Session, User, Agency)>>;
    /// Ends one session.
    async fn delete_session(&mut self, token_hash: &str) -> Result<()>;
    /// Ends every session of a person.
    async fn delete_sessions_of_user(&mut self, user: UserId) -> Result<()>;
    /// Removes sessions that have expired; returns how many.
    async fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64>;
    /// Removes sign-in attempts older than `before`; returns how many.
    async fn delete_sign_in_attempts_before(&mut self, before: Timestamp) -> Result<u64>;
    /// Records a sign-in attempt.
    async fn insert_sign_in_attempt(&mut self, attempt: &SignInAttempt) -> Result<()>;
    /// The times of failed attempts since `since` for an e-mail address, oldest first.
    async fn failed_sign_ins_for_email(&mut self, email: &str, since: Timestamp) -> Result<Vec<Timestamp>>;
    /// The times of failed attempts since `since` from a network address, oldest first.
    async fn failed_sign_ins_for_address(
        &mut self,
        address: &str,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>>;

    // --- clients ---
    /// Creates a client (constraint `clients_agency_name_key` keeps names unique in an agency).
    async fn insert_client(
        &mut self,
        agency: AgencyId,
        input: &ClientInput,
        now: Timestamp,
    ) -> Result<Client>;
    /// One client of the agency, within the client scope.
    async fn get_client(&mut self, agency: AgencyId, scope: Option<ClientId>, id: ClientId)
    -> Result<Client>;
    /// A client by exact name (case-insensitive).
    async fn find_client_by_name(&mut self, agency: AgencyId, name: &str) -> Result<Option<Client>>;
    /// A page of clients and the total that match.
    async fn list_clients(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        query: &ClientListQuery,
    ) -> Result<(Vec<Client>, i64)>;
    /// A page of client summaries (what lists show) and the total that match.
    async fn list_client_summaries(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        query: &ClientListQuery,
    ) -> Result<(Vec<ClientSummary>, i64)>;
    /// Replaces a client's fields.
    async fn update_client(
        &mut self,
        agency: AgencyId,
        id: ClientId,
        input: &ClientInput,
        now: Timestamp,
    ) -> Result<Client>;
    /// Archives (`Some`) or restores (`None`) a client.
    async fn set_client_archived(
        &mut self,
        agency: AgencyId,
        id: ClientId,
        archived_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<()>;

    // --- contacts ---
    /// Adds a contact to a client.
    async fn insert_contact(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        input: &ContactInput,
    ) -> Result<Contact>;
    /// One contact of the agency, within the client scope.
    async fn get_contact(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: ContactId,
    ) -> Result<Contact>;
    /// A client's contacts, primary first.
    async fn list_contacts(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Contact>>;
    /// Replaces a contact's fields.
    async fn update_contact(
        &mut self,
        agency: AgencyId,
        id: ContactId,
        input: &ContactInput,
    ) -> Result<Contact>;
    /// Links a contact to the person who signs in for it.
    async fn set_contact_user(&mut self, agency: AgencyId, id: ContactId, user: Option<UserId>)
    -> Result<()>;
    /// Clears the primary mark on every contact of a client except `keep`.
    async fn clear_primary_contacts(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        keep: ContactId,
    ) -> Result<()>;
    /// Removes a contact.
    async fn delete_contact(&mut self, agency: AgencyId, id: ContactId) -> Result<()>;

    // --- engagements ---
    /// Creates an engagement.
    async fn insert_engagement(
        &mut self,
        agency: AgencyId,
        client: ClientId,
        input: &EngagementInput,
        now: Timestamp,
    ) -> Result<Engagement>;
    /// One engagement of the agency, within the client scope.
    async fn get_engagement(
        &mut self,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: EngagementId,
    ) -> Result<Engagement>;
    /// A client's engagements, newest first.
    async fn list_engagements(&mut self, agency: AgencyId, client: ClientId) -> Result<Vec<Engagement>>;
    /// Replaces an engagement's fields.
    async fn update_engagement(
        &mut self,
        agency: AgencyId,
        id: EngagementId,
        input: &EngagementInput,
        now: Timestamp,
    ) -> Result<Engagement>;
}
