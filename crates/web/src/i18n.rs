//! The interface's words in English, Hungarian, Simplified and Traditional Chinese. Each language is one TOML
//! file in `i18n/`, compiled into the binary; a key missing in a language falls back to English, and a test
//! makes sure no key is missing.

use accountable_core::locale::Formatter;
use accountable_core::types::Language;
use std::collections::HashMap;
use std::sync::OnceLock;

const SOURCES: [(Language, &str); 4] = [
    (Language::En, include_str!("../i18n/en.toml")),
    (Language::Hu, include_str!("../i18n/hu.toml")),
    (Language::ZhHans, include_str!("../i18n/zh-Hans.toml")),
    (Language::ZhHant, include_str!("../i18n/zh-Hant.toml")),
];

type Catalog = HashMap<String, String>;

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => flatten(&full, t, out),
            toml::Value::String(s) => {
                out.insert(full, s.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}

/// The catalog of one language (empty if its file does not parse; a test parses every file).
pub fn catalog(language: Language) -> &'static Catalog {
    static CATALOGS: OnceLock<Vec<(Language, Catalog)>> = OnceLock::new();
    let all = CATALOGS.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(lang, src)| {
                let mut out = Catalog::new();
                if let Ok(table) = src.parse::<toml::Table>() {
                    flatten("", &table, &mut out);
                }
                (*lang, out)
            })
            .collect()
    });
    static EMPTY: OnceLock<Catalog> = OnceLock::new();
    all.iter()
        .find(|(l, _)| *l == language)
        .map(|(_, c)| c)
        .unwrap_or_else(|| EMPTY.get_or_init(Catalog::new))
}

/// The words and formats of one language.
#[derive(Clone, Copy)]
pub struct Tr {
    /// The language.
    pub language: Language,
}

impl Tr {
    /// The words of `language`.
    pub fn new(language: Language) -> Self {
        Tr { language }
    }

    /// The text for `key`, in English if this language lacks it, or the key itself if English does too.
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        catalog(self.language)
            .get(key)
            .or_else(|| catalog(Language::En).get(key))
            .map(|s| s.as_str())
            .unwrap_or(key)
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// Number, money and date formats of this language.
    pub fn fmt(&self) -> &'static Formatter {
        Formatter::for_language(self.language)
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.language.as_str()
    }
}

/// Each language's name in that language, for the language switcher.
pub fn native_name(language: Language) -> &'static str {
    match language {
        Language::En => "English",
        Language::Hu => "Magyar",
        Language::ZhHans => "简体中文",
        Language::ZhHant => "繁體中文",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_parses_and_has_every_english_key() {
        for (lang, src) in SOURCES {
            assert!(src.parse::<toml::Table>().is_ok(), "{lang} does not parse");
            let missing: Vec<&String> = catalog(Language::En)
                .keys()
                .filter(|k| !catalog(lang).contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        }
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists_in_english() {
        let mut sources: Vec<String> = Vec::new();
        for dir in ["templates", "src/pages", "src"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(path).unwrap().flatten() {
                if entry.path().is_file() {
                    sources.push(std::fs::read_to_string(entry.path()).unwrap());
                }
            }
        }
        let mut unknown = Vec::new();
        for text in &sources {
            for part in text.split("t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                if key.contains('.') && !key.contains('{') && !catalog(Language::En).contains_key(key) {
                    unknown.push(key.to_string());
                }
            }
        }
        assert!(unknown.is_empty(), "keys used but not in en.toml: {unknown:?}");
    }

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
        let missing = "no.such.key";
        assert_eq!(
            hu.t(missing),
            missing,
            "a missing key shows itself rather than nothing"
        );
    }
}
