//! What an import says — an error with its file, line and column, a "nothing to import" reason, a note — in the
//! page's language: each message's code has its words under `[import_message]` in the language files, filled with
//! the values the message names (cells, headers and KPI names stay as the file writes them). A code a language
//! lacks is said in English; a message without a code (or one no language file knows) in the import's own English.

use crate::i18n::Tr;
use accountable_core::import::{Arg, ImportError, Said};
use accountable_core::words::fill;

/// A message in the page's language.
pub(super) fn say(tr: &Tr, said: &Said) -> String {
    let key = format!("import_message.{}", said.code);
    let words = (!said.code.is_empty()).then(|| tr.find(&key)).flatten();
    let Some(words) = words else {
        return said.english.clone();
    };
    fill(words, |name| {
        let (_, arg) = said.args.iter().find(|(n, _)| *n == name)?;
        Some(match arg {
            Arg::Text(text) => text.clone(),
            Arg::Day(day) => tr.fmt().date(*day),
            Arg::Said(inner) => say(tr, inner),
            Arg::List(list) => list
                .iter()
                .map(|s| say(tr, s))
                .collect::<Vec<_>>()
                .join(tr.t("import_message.list_separator")),
        })
    })
}

/// A file's format in the page's language ("Search Console: queries"), or its code when no language knows it.
pub(crate) fn say_format(tr: &Tr, code: &str) -> String {
    tr.find(&format!("import_format.{code}"))
        .map(str::to_string)
        .unwrap_or_else(|| code.to_string())
}

/// An error with its place ("Queries.csv line 14, column "CTR": …") in the page's language.
pub(super) fn say_error(tr: &Tr, e: &ImportError) -> String {
    let message = say(tr, &e.said());
    let line = e.line.to_string();
    let key = if e.column.is_empty() {
        "import_message.at_line"
    } else {
        "import_message.at_column"
    };
    fill(tr.t(key), |name| match name {
        "file" => Some(e.file.clone()),
        "line" => Some(line.clone()),
        "column" => Some(e.column.clone()),
        "message" => Some(message.clone()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use accountable_core::import::CODES;
    use accountable_core::types::Language;
    use accountable_core::words::{Entry, catalogue};
    use std::collections::BTreeSet;

    const LANGUAGES: [Language; 4] = [Language::En, Language::Hu, Language::ZhHans, Language::ZhHant];

    #[test]
    fn every_code_an_import_says_has_words_in_every_language() {
        // That they name the same values as the English is checked for every key by `core::words`.
        for language in LANGUAGES {
            let words = catalogue(language);
            let missing: Vec<&&str> = CODES
                .iter()
                .filter(|c| !matches!(words.get(&format!("import_message.{c}")), Some(Entry::Text(_))))
                .collect();
            assert!(missing.is_empty(), "{language} lacks {missing:?}");
        }
        let known: BTreeSet<&str> = CODES.iter().copied().collect();
        let unused: Vec<&str> = catalogue(Language::En)
            .keys()
            .filter_map(|k| k.strip_prefix("import_message."))
            .filter(|k| !known.contains(k) && !k.contains('_'))
            .collect();
        assert!(unused.is_empty(), "words for codes no import says: {unused:?}");
    }

    #[test]
    fn every_format_an_import_names_has_words_in_every_language() {
        use accountable_core::import::FORMATS;
        for language in LANGUAGES {
            let words = catalogue(language);
            let missing: Vec<&&str> = FORMATS
                .iter()
                .filter(|c| !matches!(words.get(&format!("import_format.{c}")), Some(Entry::Text(_))))
                .collect();
            assert!(missing.is_empty(), "{language} lacks {missing:?}");
        }
        let hu = Tr::new(Language::Hu);
        assert_eq!(
            say_format(&hu, "search-console-query"),
            "Search Console: keresések"
        );
    }

    fn said(code: &'static str, args: Vec<(&'static str, Arg)>) -> Said {
        Said {
            code,
            args,
            english: format!("English of {code}"),
        }
    }

    #[test]
    fn a_message_is_said_in_the_pages_language_with_the_files_own_values() {
        let hu = Tr::new(Language::Hu);
        let e = ImportError {
            file: "Leads.csv".into(),
            line: 3,
            column: "value".into(),
            message: String::new(),
            code: "long-not-a-number",
            args: vec![("value", Arg::from("4,5"))],
        };
        let text = say_error(&hu, &e);
        assert!(text.starts_with("Leads.csv, 3. sor, „value” oszlop: "), "{text}");
        assert!(text.contains("„4,5”"), "{text}");
        assert!(!text.contains("{value}"), "{text}");
    }

    #[test]
    fn messages_inside_messages_are_said_in_the_same_language() {
        let zh = Tr::new(Language::ZhHans);
        let zip = said(
            "zip-no-measurements",
            vec![(
                "files",
                Arg::List(vec![
                    said(
                        "in-file",
                        vec![
                            ("file", Arg::from("a.csv")),
                            ("said", Arg::Said(said("empty-file", vec![]))),
                        ],
                    ),
                    said(
                        "in-file",
                        vec![
                            ("file", Arg::from("b.csv")),
                            ("said", Arg::Said(said("no-rows", vec![]))),
                        ],
                    ),
                ]),
            )],
        );
        let text = say(&zh, &zip);
        let empty = say(&zh, &said("empty-file", vec![]));
        let no_rows = say(&zh, &said("no-rows", vec![]));
        assert!(
            text.contains(&format!("a.csv：{empty}；b.csv：{no_rows}")),
            "{text}"
        );
        assert!(!text.contains("English"), "{text}");
    }

    #[test]
    fn an_unknown_code_or_none_is_said_in_english_and_braces_in_a_value_stay() {
        let hu = Tr::new(Language::Hu);
        assert_eq!(say(&hu, &said("no-such-code", vec![])), "English of no-such-code");
        assert_eq!(say(&hu, &Said::english_only("as it was")), "as it was");
        let text = say(&hu, &said("not-a-date", vec![("value", Arg::from("{value}"))]));
        assert_eq!(text.matches("{value}").count(), 1, "{text}");
        assert_eq!(
            fill("{a} {b}", |n| (n == "a").then(|| "{b}".to_string())),
            "{b} {b}"
        );
    }
}
