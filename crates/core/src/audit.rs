//! The append-only, hash-chained audit trail. Each agency has one chain (the system chain, number 0, holds
//! sign-in events of unknown accounts); each event stores the SHA-256 of the previous event and of its own
//! canonical content, so a changed, removed or inserted row breaks the chain at a link `verify` can name.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The chain of events that belong to no agency (sign-in attempts for unknown e-mail addresses).
pub const SYSTEM_CHAIN: i64 = 0;

/// The hash that stands before the first event of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event about to be appended: everything but its place in the chain.
#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    /// The agency's id, or [`SYSTEM_CHAIN`].
    pub chain: i64,
    /// When it happened.
    pub at: Timestamp,
    /// The person who acted, if a person did.
    pub actor_id: Option<i64>,
    /// How the actor is named (an e-mail address, `command line`, `anonymous`).
    pub actor_label: String,
    /// A stable verb such as `client.created` or `sign-in.failed`.
    pub action: String,
    /// The kind of record (`client`, `user`, …).
    pub entity: String,
    /// The record's id, if the event is about one record.
    pub entity_id: Option<i64>,
    /// The record's fields before the change (`null` for a creation).
    pub before: Value,
    /// The record's fields after the change (`null` for a removal).
    pub after: Value,
}

/// An event as stored: its place in the chain and both hashes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct AuditEvent {
    /// The position in its chain, from 1.
    pub seq: i64,
    /// The event's content.
    #[serde(flatten)]
    pub event: StoredContent,
    /// The previous event's hash, or [`GENESIS_HASH`].
    pub prev_hash: String,
    /// SHA-256 over the previous hash and this event's canonical content.
    pub hash: String,
}

/// The content of a stored event, in the exact text form that is hashed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct StoredContent {
    /// See [`NewAuditEvent::chain`].
    pub chain: i64,
    /// The instant in RFC 3339 with microseconds, as stored.
    pub at: String,
    /// See [`NewAuditEvent::actor_id`].
    pub actor_id: Option<i64>,
    /// See [`NewAuditEvent::actor_label`].
    pub actor_label: String,
    /// See [`NewAuditEvent::action`].
    pub action: String,
    /// See [`NewAuditEvent::entity`].
    pub entity: String,
    /// See [`NewAuditEvent::entity_id`].
    pub entity_id: Option<i64>,
    /// The `before` JSON as stored.
    pub before: String,
    /// The `after` JSON as stored.
    pub after: String,
}

/// Formats an instant the one way it is stored everywhere: UTC, microseconds, `Z`.
pub fn timestamp_text(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

impl NewAuditEvent {
    /// The content in its stored text form. JSON objects come out with sorted keys, so the text is canonical.
    pub fn content(&self) -> StoredContent {
        StoredContent {
            chain: self.chain,
            at: timestamp_text(self.at),
            actor_id: self.actor_id,
            actor_label: self.actor_label.clone(),
            action: self.action.clone(),
            entity: self.entity.clone(),
            entity_id: self.entity_id,
            before: canonical(&self.before),
            after: canonical(&self.after),
        }
    }
}

/// The hash of an event at `seq` following `prev_hash`.
pub fn event_hash(seq: i64, prev_hash: &str, content: &StoredContent) -> String {
    let canonical = serde_json::json!({
        "seq": seq,
        "chain": content.chain,
        "at": content.at,
        "actor_id": content.actor_id,
        "actor_label": content.actor_label,
        "action": content.action,
        "entity": content.entity,
        "entity_id": content.entity_id,
        "before": content.before,
        "after": content.after,
    });
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(self::canonical(&canonical).as_bytes());
    hex::encode(hasher.finalize())
}

/// JSON text with object keys sorted at every level, whatever order the value was built in.
pub fn canonical(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut out = serde_json::Map::new();
                for k in keys {
                    out.insert(k.clone(), sorted(&map[k]));
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

/// The first broken link of a chain: which event, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    /// The chain (agency id, or 0 for the system chain).
    pub chain: i64,
    /// The event's position.
    pub seq: i64,
    /// What does not match.
    pub reason: String,
}

/// Walks one chain's events in order and returns the first broken link, if any.
pub fn verify_chain<'a>(chain: i64, events: impl IntoIterator<Item = &'a AuditEvent>) -> Option<BrokenLink> {
    let mut cursor = ChainCursor::start();
    cursor.check(chain, events)
}

/// Where a chain walk stands: the position and hash the next event must follow.
#[derive(Debug, Clone)]
pub struct ChainCursor {
    next_seq: i64,
    prev_hash: String,
}

impl ChainCursor {
    /// Before the first event.
    pub fn start() -> Self {
        ChainCursor {
            next_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
        }
    }

    /// The position of the last event checked (0 before the first).
    pub fn last_seq(&self) -> i64 {
        self.next_seq - 1
    }

    /// Checks the next events of the chain, page by page, returning the first broken link.
    pub fn check<'a>(
        &mut self,
        chain: i64,
        events: impl IntoIterator<Item = &'a AuditEvent>,
    ) -> Option<BrokenLink> {
        for e in events {
            let broken = |reason: String| {
                Some(BrokenLink {
                    chain,
                    seq: e.seq,
                    reason,
                })
            };
            if e.seq != self.next_seq {
                return broken(format!(
                    "expected event {} but found {}: an event is missing",
                    self.next_seq, e.seq
                ));
            }
            if e.prev_hash != self.prev_hash {
                return broken("its previous-hash does not match the event before it".to_string());
            }
            if event_hash(e.seq, &e.prev_hash, &e.event) != e.hash {
                return broken("its content does not match its hash: the event was changed".to_string());
            }
            self.prev_hash = e.hash.clone();
            self.next_seq += 1;
        }
        None
    }
}

/// The JSON of a record's fields for the audit trail, `null` if it cannot be serialized.
pub fn snapshot<T: Serialize>(record: &T) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_of(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let event = NewAuditEvent {
                    chain: 3,
                    at: Timestamp::from_second(1_800_000_000 + seq).unwrap(),
                    actor_id: Some(1),
                    actor_label: "owner@example.com".into(),
                    action: "client.updated".into(),
                    entity: "client".into(),
                    entity_id: Some(seq),
                    before: serde_json::json!({"name": "A", "vat": seq}),
                    after: serde_json::json!({"vat": seq + 1, "name": "B"}),
                }
                .content();
                let hash = event_hash(seq, &prev, &event);
                let stored = AuditEvent {
                    seq,
                    event,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                stored
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify_chain(3, &chain_of(5)), None);
    }

    #[test]
    fn a_changed_event_is_named_as_the_broken_link() {
        let mut events = chain_of(5);
        events[2].event.after = r#"{"name":"C"}"#.into();
        let broken = verify_chain(3, &events).unwrap();
        assert_eq!(broken.seq, 3);
        assert!(broken.reason.contains("changed"));
    }

    #[test]
    fn a_removed_event_is_named_as_the_broken_link() {
        let mut events = chain_of(5);
        events.remove(1);
        assert_eq!(verify_chain(3, &events).unwrap().seq, 3);
    }

    #[test]
    fn a_rehashed_event_still_breaks_the_next_link() {
        let mut events = chain_of(4);
        events[1].event.actor_label = "intruder".into();
        events[1].hash = event_hash(2, &events[1].prev_hash, &events[1].event);
        assert_eq!(verify_chain(3, &events).unwrap().seq, 3);
    }

    #[test]
    fn json_keys_are_sorted_so_the_content_is_canonical() {
        let e = &chain_of(1)[0];
        assert!(e.event.after.starts_with(r#"{"name""#));
    }
}
