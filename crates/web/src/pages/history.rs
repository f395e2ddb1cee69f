//! A record's history: every audit event about it, newest first, with the fields that changed.

use super::{Page, Viewer, html};
use crate::AppState;
use crate::error::WebError;
use crate::i18n::{Tr, native_name};
use accountable_core::record::RecordKind;
use accountable_core::types::{Currency, Language, Money};
use askama::Template;
use axum::response::Response;
use serde_json::Value;

/// Which record's history to show.
pub struct HistoryOf<'a> {
    /// The kind of record (one that has a History page).
    pub entity: RecordKind,
    /// Its id.
    pub id: i64,
    /// Its name, for the title.
    pub name: &'a str,
    /// The record's page.
    pub back: String,
}

struct EventRow {
    action: String,
    at: String,
    actor: String,
    changes: Vec<(String, String, String)>,
    hash: String,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryTemplate {
    page: Page,
    back: String,
    events: Vec<EventRow>,
}

fn show_value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "—".to_string(),
        Some(Value::String(s)) if s.is_empty() => "—".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// A field's name in the page's language, or the name itself when the catalog has no label for it.
fn field_label(tr: Tr, field: &str) -> String {
    let key = format!("field.{field}");
    let label = tr.t(&key);
    if label == key {
        field.to_string()
    } else {
        label.to_string()
    }
}

/// A stored value as a person reads it: words for codes, formatted money and times.
fn describe(tr: Tr, field: &str, raw: &str) -> String {
    let value: Value = serde_json::from_str(raw).unwrap_or(Value::String(raw.to_string()));
    let word = |prefix: &str, w: &str| {
        let key = format!("{prefix}.{w}");
        if tr.t(&key) == key {
            w.to_string()
        } else {
            tr.t(&key).to_string()
        }
    };
    match (field, &value) {
        ("business_model" | "role", Value::String(w)) => word(field, w),
        ("language", Value::String(w)) => Language::parse("language", w)
            .map(native_name)
            .unwrap_or(w)
            .to_string(),
        ("weekly_report", Value::Object(o)) => {
            let day = o.get("weekday").and_then(Value::as_i64).unwrap_or(1);
            let minute = o.get("minute_of_day").and_then(Value::as_i64).unwrap_or(0);
            format!(
                "{} {:02}:{:02}",
                tr.t(&format!("weekday.{day}")),
                minute / 60,
                minute % 60
            )
        }
        ("budget", Value::Object(o)) => {
            let minor = o.get("minor").and_then(Value::as_i64).unwrap_or(0);
            let currency = o.get("currency").and_then(Value::as_str).unwrap_or("");
            match Currency::parse("currency", currency) {
                Ok(c) => tr.fmt().money(Money { minor, currency: c }),
                Err(_) => value.to_string(),
            }
        }
        (_, Value::Bool(b)) => tr.t(if *b { "history.yes" } else { "history.no" }).to_string(),
        _ => raw.to_string(),
    }
}

/// The fields that differ between two JSON objects, as (field, before, after).
pub fn changed_fields(before: &str, after: &str) -> Vec<(String, String, String)> {
    let before: Value = serde_json::from_str(before).unwrap_or(Value::Null);
    let after: Value = serde_json::from_str(after).unwrap_or(Value::Null);
    let empty = serde_json::Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| (k.clone(), show_value(b.get(k)), show_value(a.get(k))))
        .collect()
}

/// Renders the history of one record the viewer may see.
pub async fn history_page(
    state: &AppState,
    viewer: &Viewer,
    of: HistoryOf<'_>,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let events = state.services.history(viewer.actor(), of.entity, of.id).await?;
    let rows = events
        .into_iter()
        .map(|e| {
            let key = format!("action.{}", e.event.action);
            let action = if tr.t(&key) == key {
                e.event.action.clone()
            } else {
                tr.t(&key).to_string()
            };
            let at = e
                .event
                .at
                .parse::<jiff::Timestamp>()
                .map(|t| format!("{} UTC", tr.fmt().date_time(t, "UTC")))
                .unwrap_or(e.event.at.clone());
            EventRow {
                action,
                at,
                actor: e.event.actor_label.clone(),
                changes: changed_fields(&e.event.before, &e.event.after)
                    .into_iter()
                    .map(|(f, b, a)| {
                        let before = if b == "—" { b } else { describe(tr, &f, &b) };
                        let after = if a == "—" { a } else { describe(tr, &f, &a) };
                        (field_label(tr, &f), before, after)
                    })
                    .collect(),
                hash: e.hash,
            }
        })
        .collect();
    let title = tr.tf("history.title", &[("name", of.name)]);
    let template = HistoryTemplate {
        page: viewer.page(state, &title, "clients").await?,
        back: of.back,
        events: rows,
    };
    Ok(html(&template))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_listed() {
        let changes = changed_fields(r#"{"name":"A","vat":"1"}"#, r#"{"name":"B","vat":"1"}"#);
        assert_eq!(
            changes,
            vec![("name".to_string(), "A".to_string(), "B".to_string())]
        );
        let created = changed_fields("null", r#"{"name":"A"}"#);
        assert_eq!(
            created,
            vec![("name".to_string(), "—".to_string(), "A".to_string())]
        );
    }
}
