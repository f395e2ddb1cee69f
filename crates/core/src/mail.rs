//! Mail through an outbox: a message is written in the same transaction as the change that causes it, with a
//! stable Message-ID, and a `send-mail` job delivers it. A message that was sent is never sent again; a server
//! that is down or answers 4xx is tried again later; a 5xx refusal fails the message with the server's answer.

use crate::actor::{Actor, Permission};
use crate::error::{FieldError, Result};
use crate::id::AgencyId;
use crate::job::{JobKind, NewJob, Outcome};
use crate::service::Services;
use crate::store::Tx;
use crate::types::Email;
use jiff::Timestamp;
use serde::Serialize;

/// A stored message's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct OutboxId(pub i64);

/// A file sent with a message.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The name the recipient sees.
    pub filename: String,
    /// Such as `application/pdf`.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// A message to send.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// The agency it is sent for, if any.
    pub agency_id: Option<AgencyId>,
    /// Recipients.
    pub to: Vec<Email>,
    /// Copies.
    pub cc: Vec<Email>,
    /// Where replies go (the agency's or the person's address).
    pub reply_to: Option<Email>,
    /// The subject.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body, if any.
    pub html: Option<String>,
    /// Files.
    pub attachments: Vec<Attachment>,
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MailState {
    /// Waiting to be sent (or for a retry).
    #[serde(rename = "pending")]
    Pending,
    /// Accepted by the mail server.
    #[serde(rename = "sent")]
    Sent,
    /// Refused for good; `last_error` says why.
    #[serde(rename = "failed")]
    Failed,
}

impl MailState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            MailState::Pending => "pending",
            MailState::Sent => "sent",
            MailState::Failed => "failed",
        }
    }

    /// Parses the stored word.
    pub fn parse(field: &str, raw: &str) -> std::result::Result<Self, FieldError> {
        match raw {
            "pending" => Ok(MailState::Pending),
            "sent" => Ok(MailState::Sent),
            "failed" => Ok(MailState::Failed),
            other => Err(FieldError::new(
                field,
                "invalid-choice",
                format!("{other:?} is not a mail state"),
            )),
        }
    }
}

/// A message in the outbox.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxMessage {
    /// Its row id.
    pub id: OutboxId,
    /// The agency, if any.
    pub agency_id: Option<AgencyId>,
    /// The `Message-ID` header, the same on every attempt.
    pub message_id: String,
    /// Recipients.
    pub to: Vec<Email>,
    /// Copies.
    pub cc: Vec<Email>,
    /// Where replies go.
    pub reply_to: Option<Email>,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML.
    pub html: Option<String>,
    /// Where it stands.
    pub state: MailState,
    /// How many times sending was tried.
    pub attempts: i64,
    /// The last error.
    pub last_error: Option<String>,
    /// When the server accepted it.
    pub sent_at: Option<Timestamp>,
    /// When it was written.
    pub created_at: Timestamp,
}

/// Why a message could not be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// May pass later: the server is down, or answered 4xx.
    Transient(String),
    /// Will not pass: the server refused with 5xx, or the message cannot be built.
    Permanent(String),
}

/// Delivers messages: SMTP, or `.eml` files on a laptop. Implemented by the binary.
#[async_trait::async_trait]
pub trait MailSender: Send + Sync {
    /// Sends one message with its attachments.
    async fn send(
        &self,
        message: &OutboxMessage,
        attachments: &[Attachment],
    ) -> std::result::Result<(), SendError>;
}

/// A fresh, globally unique `Message-ID` for this instance's domain.
pub fn new_message_id(domain: &str) -> String {
    format!(
        "<{}@{}>",
        crate::password::random_token().get(..32).unwrap_or("0"),
        domain
    )
}

/// Writes `message` to the outbox and enqueues its delivery, inside the caller's transaction.
pub async fn queue(tx: &mut dyn Tx, message: &NewMessage, domain: &str, now: Timestamp) -> Result<OutboxId> {
    let message_id = new_message_id(domain);
    let id = tx.insert_message(message, &message_id, now).await?;
    for a in &message.attachments {
        tx.insert_attachment(id, a).await?;
    }
    let mut job =
        NewJob::now(&JobKind::SendMail { outbox_id: id }, now).keyed(format!("send-mail:{message_id}"));
    job.agency_id = message.agency_id;
    tx.enqueue_job(&job, now).await?;
    Ok(id)
}

impl Services {
    /// Delivers one outbox message: the `send-mail` job's work. A message sent already is not sent again.
    pub async fn deliver_mail(&self, sender: &dyn MailSender, id: OutboxId) -> Outcome {
        let loaded = async {
            let mut tx = self.store.begin().await?;
            let message = tx.get_message(id).await?;
            let attachments = tx.list_attachments(id).await?;
            Ok::<_, crate::Error>((message, attachments))
        }
        .await;
        let (message, attachments) = match loaded {
            Ok(found) => found,
            Err(crate::Error::NotFound { .. }) => {
                return Outcome::GiveUp(format!("outbox message {} does not exist", id.0));
            }
            Err(e) => return Outcome::Retry(e.to_string()),
        };
        if message.state != MailState::Pending {
            return Outcome::Done;
        }
        let result = sender.send(&message, &attachments).await;
        let now = self.now();
        let recorded = async {
            let mut tx = self.store.begin().await?;
            match &result {
                Ok(()) => tx.mark_message_sent(id, now).await?,
                Err(SendError::Transient(e)) => tx.note_message_attempt(id, e).await?,
                Err(SendError::Permanent(e)) => tx.mark_message_failed(id, e).await?,
            }
            tx.commit().await?;
            Ok::<_, crate::Error>(())
        }
        .await;
        match (result, recorded) {
            (Ok(()), Ok(())) => Outcome::Done,
            // Sent but not recorded: the next attempt would send it again, so say so loudly and stop here.
            (Ok(()), Err(e)) => Outcome::GiveUp(format!("sent, but recording it failed: {e}")),
            (Err(SendError::Transient(e)), _) => Outcome::Retry(e),
            (Err(SendError::Permanent(e)), _) => Outcome::GiveUp(e),
        }
    }

    /// The agency's outbox, newest first (owners only).
    pub async fn outbox(&self, actor: &Actor) -> Result<Vec<OutboxMessage>> {
        actor.require(Permission::ManagePeople)?;
        let mut tx = self.read().await?;
        tx.list_messages(Some(actor.agency_id), 200).await
    }
}
