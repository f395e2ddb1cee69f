use super::*;
use std::collections::BTreeSet;

const LANGUAGES: [Language; 4] = [Language::En, Language::Hu, Language::ZhHans, Language::ZhHant];

/// The `{name}` placeholders of some words.
fn placeholders(words: &str) -> BTreeSet<String> {
    words
        .match_indices('{')
        .filter_map(|(at, _)| words[at + 1..].split_once('}'))
        .map(|(name, _)| name)
        .filter(|name| !name.contains('{'))
        .map(str::to_string)
        .collect()
}

fn all_words(entry: &Entry) -> Vec<&str> {
    match entry {
        Entry::Text(s) => vec![s.as_str()],
        Entry::Plural(forms) => forms.iter().map(|(_, s)| s.as_str()).collect(),
    }
}

#[test]
fn every_language_file_parses_and_has_every_english_key_with_the_same_placeholders() {
    let english = catalogue(Language::En);
    assert!(english.len() > 400, "en.toml parses");
    for (language, source) in SOURCES {
        assert!(parse(source).is_ok(), "{language} does not parse");
        let words = catalogue(language);
        let missing: Vec<&String> = english.keys().filter(|k| !words.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{language} lacks {missing:?}");
        let extra: Vec<&String> = words.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(extra.is_empty(), "{language} has keys English lacks: {extra:?}");
        for (key, entry) in words {
            let expected: BTreeSet<String> = all_words(&english[key])
                .iter()
                .flat_map(|w| placeholders(w))
                .collect();
            for w in all_words(entry) {
                // A plural form may leave the count out ("one more KPI"); every other value must be named.
                let mut named = placeholders(w);
                named.insert("count".into());
                let mut wanted = expected.clone();
                wanted.insert("count".into());
                assert_eq!(
                    named, wanted,
                    "{language}'s {key} names other values than the English: {w:?}"
                );
            }
        }
    }
}

#[test]
fn every_plural_entry_has_exactly_the_forms_its_language_distinguishes() {
    for language in LANGUAGES {
        let wanted: BTreeSet<&str> = Formatter::for_language(language)
            .plural_categories()
            .iter()
            .map(|c| c.cldr_name())
            .collect();
        for (key, entry) in catalogue(language) {
            if let Entry::Plural(forms) = entry {
                let has: BTreeSet<&str> = forms.iter().map(|(c, _)| c.cldr_name()).collect();
                assert_eq!(has, wanted, "{language}'s {key}");
            }
            let english_is_plural = matches!(catalogue(Language::En).get(key), Some(Entry::Plural(_)));
            assert_eq!(
                matches!(entry, Entry::Plural(_)),
                english_is_plural,
                "{language}'s {key} is plural where English is not, or the other way round"
            );
        }
    }
}

/// CLDR's name of a category, as the language files write it.
trait CldrName {
    fn cldr_name(&self) -> &'static str;
}

impl CldrName for PluralCategory {
    fn cldr_name(&self) -> &'static str {
        match self {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }
}

#[test]
fn placeholders_are_filled_in_one_pass_so_a_value_with_braces_stays_as_it_is() {
    let en = Tr::new(Language::En);
    // Filled one after another, "{pages}" inside the first value would be replaced by the second.
    assert_eq!(
        en.tf("pager.page_of", &[("page", "{pages}"), ("pages", "3")]),
        "Page {pages} of 3"
    );
    assert_eq!(
        en.tf("clients.edit_title", &[("name", "{name} {x}")]),
        "Edit {name} {x}"
    );
    assert_eq!(
        fill("{a} {b} {c", |n| (n == "a").then(|| "{b}".into())),
        "{b} {b} {c"
    );
}

#[test]
fn english_says_one_client_and_two_clients() {
    let en = Tr::new(Language::En);
    assert_eq!(en.fmt().plural(1), PluralCategory::One);
    assert_eq!(en.fmt().plural(0), PluralCategory::Other);
    assert_eq!(en.tn("clients.count", 1, &[]), "1 client");
    assert_eq!(en.tn("clients.count", 2, &[]), "2 clients");
    assert_eq!(en.tn("clients.count", 0, &[]), "0 clients");
    assert_eq!(en.tn("clients.count", 1234, &[]), "1,234 clients");
    assert_eq!(
        en.tn("moves.quiet", 1, &[]),
        "1 more KPI moved within its normal range."
    );
}

#[test]
fn hungarian_follows_its_own_rules_and_chinese_has_one_form() {
    let hu = Tr::new(Language::Hu);
    assert_eq!(hu.fmt().plural(1), PluralCategory::One);
    assert_eq!(hu.fmt().plural(5), PluralCategory::Other);
    // Hungarian keeps the noun singular after a number: "1 ügyfél", "5 ügyfél".
    assert_eq!(hu.tn("clients.count", 1, &[]), "1 ügyfél");
    assert_eq!(hu.tn("clients.count", 12345, &[]), "12\u{a0}345 ügyfél");
    for language in [Language::ZhHans, Language::ZhHant] {
        let zh = Tr::new(language);
        assert_eq!(zh.fmt().plural(1), PluralCategory::Other);
        assert_eq!(zh.fmt().plural_categories(), [PluralCategory::Other]);
    }
    assert_eq!(Tr::new(Language::ZhHans).tn("clients.count", 1, &[]), "1 个客户");
}

#[test]
fn a_missing_key_falls_back_to_english_then_to_itself() {
    let hu = Tr::new(Language::Hu);
    assert_ne!(hu.t("nav.clients"), Tr::new(Language::En).t("nav.clients"));
    assert_eq!(hu.t("no.such.key"), "no.such.key");
    assert_eq!(hu.find("no.such.key"), None);
    assert_eq!(hu.tn("no.such.key", 2, &[]), "no.such.key");
}

#[test]
fn every_audit_action_has_words_in_every_language() {
    for action in crate::record::AuditAction::ALL {
        let key = format!("action.{}", action.as_str());
        for language in LANGUAGES {
            assert!(
                catalogue(language).contains_key(&key),
                "{key} is missing in {language}"
            );
        }
    }
}

#[test]
fn every_conflict_has_a_title_and_message_in_every_language() {
    for conflict in crate::error::Conflict::ALL {
        for part in ["title", "message"] {
            let key = format!("errors.{}.{part}", conflict.code());
            for language in LANGUAGES {
                assert!(
                    catalogue(language).contains_key(&key),
                    "{key} is missing in {language}"
                );
            }
        }
    }
}

#[test]
fn every_job_kind_has_words_in_every_language() {
    use crate::job::JobKind;
    let kinds = [
        JobKind::CleanUp,
        JobKind::RefreshStandings,
        JobKind::SendMail {
            outbox_id: crate::mail::OutboxId(1),
        },
    ];
    for kind in kinds {
        let key = format!("job_kind.{}", kind.name());
        for language in LANGUAGES {
            assert!(
                catalogue(language).contains_key(&key),
                "{key} is missing in {language}"
            );
        }
    }
}
