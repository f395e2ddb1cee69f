//! Documents frozen when issued: the exact bytes of what was sent or signed (HTML, PDF, iCalendar, XML), with
//! their content type and SHA-256, who issued them and when, in an append-only archive. No use case changes or
//! deletes an archived document; `audit verify` recomputes every checksum.

use crate::actor::{Actor, Permission};
use crate::error::Conflict;
use crate::error::{Error, Result};
use crate::id::AgencyId;
use crate::record::{AuditAction, RecordKind};
use crate::service::{Change, Services, record};
use crate::store::Tx;
use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// A document's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct DocumentId(pub i64);

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A document to archive.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// What it is: `report`, `minutes`, `invoice`, `signed-version`, `invitation`, …
    pub kind: String,
    /// A title for lists, such as "Monthly report, November 2026".
    pub title: String,
    /// Such as `application/pdf`.
    pub content_type: String,
    /// The exact bytes.
    pub content: Vec<u8>,
    /// The record it belongs to, such as (`client`, 7).
    pub entity: Option<(String, i64)>,
}

/// An archived document's description (the bytes are read separately).
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Its id.
    pub id: DocumentId,
    /// The agency.
    pub agency_id: AgencyId,
    /// What it is.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its content type.
    pub content_type: String,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// The record it belongs to.
    pub entity: Option<String>,
    /// The record's id.
    pub entity_id: Option<i64>,
    /// Who issued it (an e-mail address, or `command line`).
    pub issued_by: String,
    /// When.
    pub issued_at: Timestamp,
}

/// The SHA-256 of bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// An archived document whose bytes no longer match its checksum, or cannot be read.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentProblem {
    /// The document.
    pub id: DocumentId,
    /// The agency.
    pub agency_id: AgencyId,
    /// What is wrong.
    pub problem: String,
}

/// Archives a document inside the caller's transaction and records the issue in the audit trail.
pub async fn issue(tx: &mut dyn Tx, actor: &Actor, doc: &NewDocument, now: Timestamp) -> Result<Document> {
    let sha = sha256_hex(&doc.content);
    let stored = tx
        .insert_document(actor.agency_id, doc, &sha, &actor.label, now)
        .await?;
    let change = Change::created(
        AuditAction::DocumentIssued,
        stored.id.0,
        serde_json::json!({ "kind": stored.kind, "title": stored.title, "sha256": stored.sha256, "size": stored.size }),
    );
    record(tx, actor, now, change).await?;
    Ok(stored)
}

impl Services {
    /// Archives one document in its own transaction (agency staff only; client contacts never issue).
    pub async fn issue_document(&self, actor: &Actor, doc: &NewDocument) -> Result<Document> {
        actor.require(Permission::ViewHistory)?;
        let mut tx = self.write(actor.agency_id.0).await?;
        let stored = issue(tx.as_mut(), actor, doc, self.now()).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// A document of the actor's agency with its exact bytes; the bytes are checked against the checksum, and a
    /// mismatch is an error rather than a silently served file.
    pub async fn document(&self, actor: &Actor, id: DocumentId) -> Result<(Document, Vec<u8>)> {
        let mut tx = self.read().await?;
        let doc = tx.get_document(actor.agency_id, id).await?;
        if let (Some(scope), Some(("client", entity_id))) =
            (actor.client_scope(), doc.entity.as_deref().zip(doc.entity_id))
        {
            if scope.0 != entity_id {
                return Err(Error::NotFound {
                    entity: RecordKind::Document,
                });
            }
        } else if actor.client_scope().is_some() {
            return Err(Error::NotFound {
                entity: RecordKind::Document,
            });
        }
        let bytes = tx.read_document(&doc).await?;
        if sha256_hex(&bytes) != doc.sha256 {
            return Err(Error::Conflict {
                code: Conflict::DocumentAltered,
                message: format!(
                    "document {} no longer matches its SHA-256; it is not served",
                    doc.id
                ),
            });
        }
        Ok((doc, bytes))
    }

    /// Recomputes the SHA-256 of every archived document and names those that no longer match or are missing.
    pub async fn verify_documents(&self) -> Result<(i64, Vec<DocumentProblem>)> {
        let mut tx = self.read().await?;
        let mut after = 0;
        let mut checked = 0;
        let mut problems = Vec::new();
        loop {
            let page = tx.list_all_documents(after, 500).await?;
            let Some(last) = page.last() else { break };
            after = last.id.0;
            for doc in page {
                checked += 1;
                match tx.read_document(&doc).await {
                    Ok(bytes) if sha256_hex(&bytes) == doc.sha256 => {}
                    Ok(_) => problems.push(DocumentProblem {
                        id: doc.id,
                        agency_id: doc.agency_id,
                        problem: "its bytes no longer match its SHA-256".into(),
                    }),
                    Err(e) => problems.push(DocumentProblem {
                        id: doc.id,
                        agency_id: doc.agency_id,
                        problem: format!("cannot be read: {e}"),
                    }),
                }
            }
        }
        Ok((checked, problems))
    }
}
