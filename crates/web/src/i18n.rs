//! The pages' words: the one catalogue of `core` (`accountable_core::words`, shared with e-mails and documents),
//! re-exported so templates and pages keep calling `tr.t("…")`, `tr.tf(…)` and `tr.tn(…)`.

pub use accountable_core::words::{Tr, catalogue, native_name};

#[cfg(test)]
mod tests {
    use super::*;
    use accountable_core::types::Language;

    #[test]
    fn every_audit_action_has_words_in_every_language() {
        for action in accountable_core::record::AuditAction::ALL {
            let key = format!("action.{}", action.as_str());
            for (lang, _) in SOURCES {
                assert!(catalog(lang).contains_key(&key), "{key} is missing in {lang:?}");
            }
        }
    }

    #[test]
    fn every_conflict_has_a_title_and_message_in_every_language() {
        for conflict in accountable_core::error::Conflict::ALL {
            for part in ["title", "message"] {
                let key = format!("errors.{}.{part}", conflict.code());
                for (lang, _) in SOURCES {
                    assert!(catalog(lang).contains_key(&key), "{key} is missing in {lang:?}");
                }
            }
        }
    }

    #[test]
    fn a_hungarian_page_gets_hungarian_words() {
        let hu = Tr::new(Language::Hu);
        assert_ne!(hu.t("nav.clients"), Tr::new(Language::En).t("nav.clients"));
    }
}
