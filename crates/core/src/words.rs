//! The words of pages, e-mails and documents in English, Hungarian, Simplified and Traditional Chinese: one
//! catalogue, each language one TOML file in `core/i18n/`, compiled into the binary, and [`Tr`] to look words
//! up and fill them in. Numbers, money and dates come from [`crate::locale`]; nothing here renders HTML or PDF.
//!
//! A key missing in a language falls back to English (tests make sure none is missing). A value is either a
//! string or a table of CLDR plural forms (`one`, `other`, …) chosen by a count with [`Tr::tn`]. Placeholders
//! (`{name}`) are filled in one pass, so a value that itself holds braces is never filled in turn.

use crate::locale::Formatter;
use crate::types::Language;
use icu_plurals::PluralCategory;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The four language files, compiled in.
pub const SOURCES: [(Language, &str); 4] = [
    (Language::En, include_str!("../i18n/en.toml")),
    (Language::Hu, include_str!("../i18n/hu.toml")),
    (Language::ZhHans, include_str!("../i18n/zh-Hans.toml")),
    (Language::ZhHant, include_str!("../i18n/zh-Hant.toml")),
];

/// One catalogue entry: plain words, or the forms of words that depend on a count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Words that do not depend on a count.
    Text(String),
    /// Words per CLDR plural category; `other` is always present.
    Plural(Vec<(PluralCategory, String)>),
}

impl Entry {
    /// The words for the category, or the `other` form when the entry has no such form (or is plain text).
    pub fn form(&self, category: PluralCategory) -> &str {
        match self {
            Entry::Text(s) => s,
            Entry::Plural(forms) => forms
                .iter()
                .find(|(c, _)| *c == category)
                .or_else(|| forms.iter().find(|(c, _)| *c == PluralCategory::Other))
                .map_or("", |(_, s)| s.as_str()),
        }
    }
}

/// One language's words by dotted key (`nav.clients`).
pub type Catalogue = HashMap<String, Entry>;

/// A TOML table of plural forms: every key a CLDR category and `other` among them.
fn plural_forms(table: &toml::Table) -> Option<Vec<(PluralCategory, String)>> {
    if !table.contains_key("other") {
        return None;
    }
    table
        .iter()
        .map(|(k, v)| Some((PluralCategory::get_for_cldr_string(k)?, v.as_str()?.to_string())))
        .collect()
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalogue) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => match plural_forms(t) {
                Some(forms) => {
                    out.insert(full, Entry::Plural(forms));
                }
                None => flatten(&full, t, out),
            },
            toml::Value::String(s) => {
                out.insert(full, Entry::Text(s.clone()));
            }
            other => {
                out.insert(full, Entry::Text(other.to_string()));
            }
        }
    }
}

/// Parses one language file into its catalogue.
pub fn parse(source: &str) -> Result<Catalogue, toml::de::Error> {
    let table = source.parse::<toml::Table>()?;
    let mut out = Catalogue::new();
    flatten("", &table, &mut out);
    Ok(out)
}

/// The catalogue of one language (empty if its file does not parse; a test parses every file).
pub fn catalogue(language: Language) -> &'static Catalogue {
    static CATALOGUES: OnceLock<Vec<(Language, Catalogue)>> = OnceLock::new();
    static EMPTY: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUES
        .get_or_init(|| {
            SOURCES
                .iter()
                .map(|(language, source)| (*language, parse(source).unwrap_or_default()))
                .collect()
        })
        .iter()
        .find(|(l, _)| *l == language)
        .map(|(_, c)| c)
        .unwrap_or_else(|| EMPTY.get_or_init(Catalogue::new))
}

/// Fills the `{name}` placeholders of `words` in one pass, so that a value holding braces (a cell, a client's
/// name can) is never filled in turn; a placeholder without a value stays as it is.
pub fn fill(words: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(words.len() + 32);
    let mut rest = words;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, value(&after[..close])?)))
        {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The words and formats of one language.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    /// The language.
    pub language: Language,
}

impl Tr {
    /// The words of `language`.
    pub fn new(language: Language) -> Self {
        Tr { language }
    }

    /// The entry for `key` in this language, or in English if this language lacks it.
    pub fn entry(&self, key: &str) -> Option<&'static Entry> {
        catalogue(self.language)
            .get(key)
            .or_else(|| catalogue(Language::En).get(key))
    }

    /// The words for `key` (of a plural entry, its `other` form), in English if this language lacks them, or
    /// `None` if English does too.
    pub fn find(&self, key: &str) -> Option<&'static str> {
        self.entry(key).map(|e| e.form(PluralCategory::Other))
    }

    /// The words for `key`, in English if this language lacks them, or the key itself if English does too.
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        self.find(key).unwrap_or(key)
    }

    /// The words for `key` with their `{name}` placeholders filled in one pass.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), |name| {
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        })
    }

    /// The form of `key` that the count `n` takes in this language's plural rules (CLDR, ICU4X), with `{count}`
    /// filled by `n` written in this language's digits and the other placeholders by `args`.
    pub fn tn(&self, key: &str, n: i64, args: &[(&str, &str)]) -> String {
        let Some(entry) = self.entry(key) else {
            return key.to_string();
        };
        let count = self.fmt().integer(n);
        fill(entry.form(self.fmt().plural(n)), |name| {
            args.iter()
                .find(|(a, _)| *a == name)
                .map(|(_, v)| v.to_string())
                .or_else(|| (name == "count").then(|| count.clone()))
        })
    }

    /// Number, money and date formats of this language.
    pub fn fmt(&self) -> &'static Formatter {
        Formatter::for_language(self.language)
    }

    /// The BCP 47 tag, as for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.language.as_str()
    }
}

/// Each language's name in that language, for a language switcher.
pub fn native_name(language: Language) -> &'static str {
    match language {
        Language::En => "English",
        Language::Hu => "Magyar",
        Language::ZhHans => "简体中文",
        Language::ZhHant => "繁體中文",
    }
}

#[cfg(test)]
mod tests;
