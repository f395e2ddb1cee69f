//! The pages' words: the one catalogue of `core` (`accountable_core::words`, shared with e-mails and documents),
//! re-exported so templates and pages keep calling `tr.t("…")`, `tr.tf(…)` and `tr.tn(…)`.

pub use accountable_core::words::{Tr, catalogue, native_name};

#[cfg(test)]
mod tests {
    use super::*;
    use accountable_core::types::Language;

    #[test]
    fn a_hungarian_page_gets_hungarian_words() {
        let hu = Tr::new(Language::Hu);
        assert_ne!(hu.t("nav.clients"), Tr::new(Language::En).t("nav.clients"));
    }
}
