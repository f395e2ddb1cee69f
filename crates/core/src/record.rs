//! The names the code and the audit trail give to records and to what happens to them, as enums the compiler
//! checks: which kind of record an audit event is about, what "not found" says, which records have a History
//! page (and where), and every audit action with its word. A new kind of record or action is a new variant;
//! every `match` on them then asks where it belongs.

/// A kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// An agency, the tenant.
    Agency,
    /// A person of an agency.
    User,
    /// An invitation to join an agency.
    Invitation,
    /// A client of the agency.
    Client,
    /// A client's contact.
    Contact,
    /// An engagement with a client.
    Engagement,
    /// A KPI of a client.
    Kpi,
    /// A goal of an engagement.
    Goal,
    /// An import of files.
    Import,
    /// An API token.
    Token,
    /// An archived document.
    Document,
    /// A background job.
    Job,
    /// A message in the outbox.
    Message,
    /// A page or API route that does not exist.
    Route,
}

impl RecordKind {
    /// Every kind, for tests that walk them all.
    pub const ALL: [RecordKind; 14] = [
        RecordKind::Agency,
        RecordKind::User,
        RecordKind::Invitation,
        RecordKind::Client,
        RecordKind::Contact,
        RecordKind::Engagement,
        RecordKind::Kpi,
        RecordKind::Goal,
        RecordKind::Import,
        RecordKind::Token,
        RecordKind::Document,
        RecordKind::Job,
        RecordKind::Message,
        RecordKind::Route,
    ];

    /// The word the audit trail stores (`entity`), the API's history path uses, and messages say.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Agency => "agency",
            RecordKind::User => "user",
            RecordKind::Invitation => "invitation",
            RecordKind::Client => "client",
            RecordKind::Contact => "contact",
            RecordKind::Engagement => "engagement",
            RecordKind::Kpi => "kpi",
            RecordKind::Goal => "goal",
            RecordKind::Import => "import",
            RecordKind::Token => "token",
            RecordKind::Document => "document",
            RecordKind::Job => "job",
            RecordKind::Message => "message",
            RecordKind::Route => "route",
        }
    }

    /// The kind a word names, if any.
    pub fn parse(word: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// The stable error code of "not found" for this kind.
    pub fn not_found_code(self) -> &'static str {
        match self {
            RecordKind::Agency => "agency-not-found",
            RecordKind::User => "user-not-found",
            RecordKind::Invitation => "invitation-not-found",
            RecordKind::Client => "client-not-found",
            RecordKind::Contact => "contact-not-found",
            RecordKind::Engagement => "engagement-not-found",
            RecordKind::Kpi => "kpi-not-found",
            RecordKind::Goal => "goal-not-found",
            RecordKind::Import => "import-not-found",
            RecordKind::Token => "token-not-found",
            RecordKind::Document => "document-not-found",
            RecordKind::Job => "job-not-found",
            RecordKind::Message => "message-not-found",
            RecordKind::Route => "route-not-found",
        }
    }

    /// The page that shows a record's history, for the kinds that have one (their events can be read by
    /// [`crate::service::Services::history`] and at `/api/v1/history/{kind}/{id}`).
    pub fn history_page(self, id: i64) -> Option<String> {
        let folder = match self {
            RecordKind::Client => "clients",
            RecordKind::Contact => "contacts",
            RecordKind::Engagement => "engagements",
            RecordKind::User => "people",
            RecordKind::Goal => "goals",
            RecordKind::Agency
            | RecordKind::Invitation
            | RecordKind::Kpi
            | RecordKind::Import
            | RecordKind::Token
            | RecordKind::Document
            | RecordKind::Job
            | RecordKind::Message
            | RecordKind::Route => return None,
        };
        Some(format!("/{folder}/{id}/history"))
    }

    /// Whether this kind of record has a History page.
    pub fn has_history(self) -> bool {
        self.history_page(0).is_some()
    }
}

/// What happened to a record, as the audit trail says it: each action belongs to one kind of record, and its
/// word (`client.created`) is what the chain stores and what the pages translate (`action.client.created`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// An agency was created.
    AgencyCreated,
    /// A person was added.
    UserCreated,
    /// A person's role changed.
    UserRoleChanged,
    /// A person was deactivated.
    UserDeactivated,
    /// A person was reactivated.
    UserReactivated,
    /// A person's password was reset.
    UserPasswordReset,
    /// A person changed their interface language.
    UserLanguageChanged,
    /// Someone signed in.
    SignInSucceeded,
    /// A sign-in failed.
    SignInFailed,
    /// A sign-in was refused (too many attempts).
    SignInRefused,
    /// An invitation was sent.
    InvitationCreated,
    /// An invitation was accepted.
    InvitationAccepted,
    /// A client was created.
    ClientCreated,
    /// A client was edited.
    ClientUpdated,
    /// A client was archived.
    ClientArchived,
    /// A client was restored.
    ClientRestored,
    /// A contact was added.
    ContactCreated,
    /// A contact was edited.
    ContactUpdated,
    /// A contact was removed.
    ContactRemoved,
    /// A contact was linked to the person who signs in for it.
    ContactLinked,
    /// An engagement was created.
    EngagementCreated,
    /// An engagement was edited.
    EngagementUpdated,
    /// A KPI was added.
    KpiCreated,
    /// A goal was added.
    GoalCreated,
    /// A goal was edited.
    GoalUpdated,
    /// A goal was removed.
    GoalDeleted,
    /// Files were imported.
    ImportCommitted,
    /// An import was undone.
    ImportUndone,
    /// An API token was created.
    TokenCreated,
    /// An API token was revoked.
    TokenRevoked,
    /// A document was issued into the archive.
    DocumentIssued,
}

impl AuditAction {
    /// Every action, for the test that each has words in every language.
    pub const ALL: [AuditAction; 31] = [
        AuditAction::AgencyCreated,
        AuditAction::UserCreated,
        AuditAction::UserRoleChanged,
        AuditAction::UserDeactivated,
        AuditAction::UserReactivated,
        AuditAction::UserPasswordReset,
        AuditAction::UserLanguageChanged,
        AuditAction::SignInSucceeded,
        AuditAction::SignInFailed,
        AuditAction::SignInRefused,
        AuditAction::InvitationCreated,
        AuditAction::InvitationAccepted,
        AuditAction::ClientCreated,
        AuditAction::ClientUpdated,
        AuditAction::ClientArchived,
        AuditAction::ClientRestored,
        AuditAction::ContactCreated,
        AuditAction::ContactUpdated,
        AuditAction::ContactRemoved,
        AuditAction::ContactLinked,
        AuditAction::EngagementCreated,
        AuditAction::EngagementUpdated,
        AuditAction::KpiCreated,
        AuditAction::GoalCreated,
        AuditAction::GoalUpdated,
        AuditAction::GoalDeleted,
        AuditAction::ImportCommitted,
        AuditAction::ImportUndone,
        AuditAction::TokenCreated,
        AuditAction::TokenRevoked,
        AuditAction::DocumentIssued,
    ];

    /// The word the audit trail stores.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::AgencyCreated => "agency.created",
            AuditAction::UserCreated => "user.created",
            AuditAction::UserRoleChanged => "user.role-changed",
            AuditAction::UserDeactivated => "user.deactivated",
            AuditAction::UserReactivated => "user.reactivated",
            AuditAction::UserPasswordReset => "user.password-reset",
            AuditAction::UserLanguageChanged => "user.language-changed",
            AuditAction::SignInSucceeded => "sign-in.succeeded",
            AuditAction::SignInFailed => "sign-in.failed",
            AuditAction::SignInRefused => "sign-in.refused",
            AuditAction::InvitationCreated => "invitation.created",
            AuditAction::InvitationAccepted => "invitation.accepted",
            AuditAction::ClientCreated => "client.created",
            AuditAction::ClientUpdated => "client.updated",
            AuditAction::ClientArchived => "client.archived",
            AuditAction::ClientRestored => "client.restored",
            AuditAction::ContactCreated => "contact.created",
            AuditAction::ContactUpdated => "contact.updated",
            AuditAction::ContactRemoved => "contact.removed",
            AuditAction::ContactLinked => "contact.linked",
            AuditAction::EngagementCreated => "engagement.created",
            AuditAction::EngagementUpdated => "engagement.updated",
            AuditAction::KpiCreated => "kpi.created",
            AuditAction::GoalCreated => "goal.created",
            AuditAction::GoalUpdated => "goal.updated",
            AuditAction::GoalDeleted => "goal.deleted",
            AuditAction::ImportCommitted => "import.committed",
            AuditAction::ImportUndone => "import.undone",
            AuditAction::TokenCreated => "token.created",
            AuditAction::TokenRevoked => "token.revoked",
            AuditAction::DocumentIssued => "document.issued",
        }
    }

    /// The kind of record whose history the event joins: usually the record the action is about, but an import
    /// belongs to its client's history, and a person's tokens and accepted invitation to that person's.
    pub fn record(self) -> RecordKind {
        match self {
            AuditAction::AgencyCreated => RecordKind::Agency,
            AuditAction::UserCreated
            | AuditAction::UserRoleChanged
            | AuditAction::UserDeactivated
            | AuditAction::UserReactivated
            | AuditAction::UserPasswordReset
            | AuditAction::UserLanguageChanged
            | AuditAction::SignInSucceeded
            | AuditAction::SignInFailed
            | AuditAction::SignInRefused
            | AuditAction::InvitationAccepted
            | AuditAction::TokenCreated
            | AuditAction::TokenRevoked => RecordKind::User,
            AuditAction::InvitationCreated => RecordKind::Invitation,
            AuditAction::ClientCreated
            | AuditAction::ClientUpdated
            | AuditAction::ClientArchived
            | AuditAction::ClientRestored => RecordKind::Client,
            AuditAction::ContactCreated
            | AuditAction::ContactUpdated
            | AuditAction::ContactRemoved
            | AuditAction::ContactLinked => RecordKind::Contact,
            AuditAction::EngagementCreated | AuditAction::EngagementUpdated => RecordKind::Engagement,
            AuditAction::KpiCreated => RecordKind::Kpi,
            AuditAction::GoalCreated | AuditAction::GoalUpdated | AuditAction::GoalDeleted => {
                RecordKind::Goal
            }
            AuditAction::ImportCommitted | AuditAction::ImportUndone => RecordKind::Client,
            AuditAction::DocumentIssued => RecordKind::Document,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_word_and_has_its_own_not_found_code() {
        let mut codes = std::collections::HashSet::new();
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
            assert!(codes.insert(kind.not_found_code()), "{kind:?} shares its code");
            assert_eq!(kind.not_found_code(), format!("{}-not-found", kind.as_str()));
        }
        assert_eq!(RecordKind::parse("record"), None);
    }

    #[test]
    fn imports_join_their_clients_history_and_tokens_their_persons() {
        assert_eq!(AuditAction::ImportCommitted.record(), RecordKind::Client);
        assert_eq!(AuditAction::ImportUndone.record(), RecordKind::Client);
        assert_eq!(AuditAction::TokenRevoked.record(), RecordKind::User);
        assert_eq!(AuditAction::InvitationAccepted.record(), RecordKind::User);
        assert_eq!(AuditAction::GoalCreated.record(), RecordKind::Goal);
    }

    #[test]
    fn goals_have_a_history_page_and_kpis_do_not() {
        assert_eq!(
            RecordKind::Goal.history_page(7).as_deref(),
            Some("/goals/7/history")
        );
        assert!(RecordKind::Client.has_history());
        assert!(!RecordKind::Kpi.has_history());
    }
}
