//! Asking once before a step a person may regret: removing a goal or a contact, undoing an import, deactivating
//! a person, archiving a client. The button on the record's page is a link to the step's own address; a GET
//! there answers this page (no JavaScript needed), whose form POSTs to the same address. So the address a
//! person lands on after a refused step, or types again, shows the question rather than an empty 405.

use super::{Page, Viewer, html};
use crate::AppState;
use crate::error::WebError;
use askama::Template;
use axum::response::Response;

/// Each step that asks first; its words are `confirm.<key>.question`, `.consequence` and `.button`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Removing a goal from an engagement.
    GoalDelete,
    /// Removing a client's contact.
    ContactRemove,
    /// Undoing an import.
    ImportUndo,
    /// Deactivating a person.
    PersonDeactivate,
    /// Archiving a client.
    ClientArchive,
}

impl Ask {
    /// Every step that asks first, for the test that each has its words in every language.
    pub const ALL: [Ask; 5] = [
        Ask::GoalDelete,
        Ask::ContactRemove,
        Ask::ImportUndo,
        Ask::PersonDeactivate,
        Ask::ClientArchive,
    ];

    /// The key of its words.
    pub fn key(self) -> &'static str {
        match self {
            Ask::GoalDelete => "goal-delete",
            Ask::ContactRemove => "contact-remove",
            Ask::ImportUndo => "import-undo",
            Ask::PersonDeactivate => "person-deactivate",
            Ask::ClientArchive => "client-archive",
        }
    }

    fn nav(self) -> &'static str {
        match self {
            Ask::PersonDeactivate => "people",
            _ => "clients",
        }
    }
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmTemplate {
    page: Page,
    subject: String,
    consequence: String,
    action: String,
    button: String,
    back: String,
}

/// The question before `ask`, naming `subject` (the goal, person, file or client), whose form posts to
/// `action`; `back` is where "Cancel" goes.
pub async fn confirm(
    state: &AppState,
    viewer: &Viewer,
    ask: Ask,
    subject: &str,
    action: String,
    back: String,
) -> Result<Response, WebError> {
    let tr = viewer.ctx.tr();
    let key = ask.key();
    let page = viewer
        .page(state, tr.t(&format!("confirm.{key}.question")), ask.nav())
        .await?;
    Ok(html(&ConfirmTemplate {
        page,
        subject: subject.to_string(),
        consequence: tr.t(&format!("confirm.{key}.consequence")).to_string(),
        action,
        button: tr.t(&format!("confirm.{key}.button")).to_string(),
        back,
    }))
}

#[cfg(test)]
mod tests {
    use super::Ask;
    use crate::i18n::catalogue;
    use accountable_core::types::Language;

    #[test]
    fn every_question_has_its_words_in_every_language() {
        for language in [Language::En, Language::Hu, Language::ZhHans, Language::ZhHant] {
            let words = catalogue(language);
            for ask in Ask::ALL {
                for part in ["question", "consequence", "button"] {
                    let key = format!("confirm.{}.{part}", ask.key());
                    assert!(words.get(key.as_str()).is_some(), "{language:?} lacks {key}");
                }
            }
            assert!(
                words.get("confirm.cancel").is_some(),
                "{language:?} lacks confirm.cancel"
            );
        }
    }
}
