//! What an import says to the person — every error, "nothing to import" reason and note — kept as a stable code
//! with its arguments, so that a page can say it in the person's language, together with the English the command
//! line and the API show. The English of every code is written once, in `wording.rs`; a page's words for each
//! code are in the web's language files (`[import_message]`), and tests keep `CODES` and those files complete.

use super::{ImportError, ImportOptions, ImportOutcome, ReadResult, read_files, wording};
use crate::actor::Actor;
use crate::error::Result;
use crate::id::ClientId;
use crate::service::Services;
use jiff::civil::Date;

/// One thing an import says: its code, the values it names and its English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// The stable code, such as `not-a-date` (one of `CODES`); empty for text said in English only (the
    /// agency-wide import's own errors, which only the command line and the API show).
    pub code: &'static str,
    /// The values it names, by placeholder: cells, column headers and KPI names as the file writes them.
    pub args: Vec<(&'static str, Arg)>,
    /// The English, as the command line and the API say it.
    pub english: String,
}

/// A value a message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Said as it is, in every language: a cell, a column's header, a number, a date, a file's name.
    Text(String),
    /// A message inside this one (what an unknown file looked like, a unit, what a zip's file holds).
    Said(Said),
    /// Messages one after another (each file of a zip that holds nothing).
    List(Vec<Said>),
    /// A day, said as the person's locale writes dates (its English is `YYYY-MM-DD`).
    Day(Date),
}

impl Said {
    /// A message with its code, English and arguments (the constructors are in `wording.rs`).
    pub(super) fn new<const N: usize>(
        code: &'static str,
        english: String,
        args: [(&'static str, Arg); N],
    ) -> Said {
        Said {
            code,
            args: args.into(),
            english,
        }
    }

    /// Text said in English only, without a code.
    pub fn english_only(english: impl Into<String>) -> Said {
        Said {
            code: "",
            args: Vec::new(),
            english: english.into(),
        }
    }
}

impl ImportError {
    /// What is wrong, as its `Said` (without the file, line and column).
    pub fn said(&self) -> Said {
        Said {
            code: self.code,
            args: self.args.clone(),
            english: self.message.clone(),
        }
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Text(n.to_string())
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Text(n.to_string())
    }
}

impl From<Date> for Arg {
    fn from(d: Date) -> Arg {
        Arg::Text(d.to_string())
    }
}

impl From<Said> for Arg {
    fn from(s: Said) -> Arg {
        Arg::Said(s)
    }
}

impl From<Vec<Said>> for Arg {
    fn from(list: Vec<Said>) -> Arg {
        Arg::List(list)
    }
}

/// Every code an import of a client's files says (the agency-wide import's own errors have none). Each has its
/// words in every language file of the web, under `[import_message]`.
pub const CODES: &[&str] = &[
    "not-text",
    "nul-character",
    "utf16-half-character",
    "not-utf16",
    "line-unreadable",
    "line-too-long",
    "cell-too-long",
    "unterminated-quote",
    "header-unreadable",
    "long-header",
    "long-too-many-values",
    "client-missing",
    "not-a-date",
    "kpi-missing",
    "long-not-a-number",
    "not-a-percentage",
    "not-a-number",
    "zip-unreadable",
    "zip-member-unreadable",
    "zip-too-large",
    "empty-file",
    "only-preamble",
    "unknown-format",
    "looks-like-ga4",
    "looks-like-comparison",
    "looks-like-ads",
    "no-known-columns",
    "not-a-format",
    "not-a-format-because",
    "zip-no-files",
    "zip-no-measurements",
    "in-file",
    "zip-currency",
    "several-filters",
    "no-filters",
    "filters-gave-period",
    "filters-alone",
    "no-rows",
    "ga4-no-rows",
    "ads-no-rows",
    "meta-no-data",
    "period-from-name",
    "period-from-options",
    "filters-no-range",
    "filters-bad-range",
    "gsc-column-missing",
    "column-not-read",
    "too-many-values",
    "not-a-compact-date",
    "ga4-no-range",
    "ads-no-range",
    "currency-differs",
    "whole-row",
    "ends-before-start",
    "gbp-no-period",
    "no-such-kpi",
    "preset-name-taken",
    "unknown-source",
    "chosen-kpi-unknown",
    "chosen-kpi-unit",
    "unit-count",
    "unit-money",
    "unit-percent",
    "unit-ratio",
    "unit-seconds",
    "unit-position",
    "currency-not-clients",
    "other-clients-line",
    "value-repeated",
    "value-repeated-for",
    "no-file-given",
    "all-left-out",
    "replaces-imported",
    "replaces-imported-one",
    "replaces-typed",
    "replaces-typed-one",
];

/// One file's outcome with what it says kept as `Said`s, for a page to say them in the person's language (the
/// outcome itself carries the English).
#[derive(Debug, Clone)]
pub struct ImportSaid {
    /// The outcome, as `import_files` gives it.
    pub outcome: ImportOutcome,
    /// Why there is nothing to import, when there is nothing.
    pub reason: Option<Said>,
    /// What the reader noticed, in the order of the report's notes.
    pub notes: Vec<Said>,
}

impl Services {
    /// `import_files`, with each outcome's reason and notes kept as `Said`s (the preview page's way in).
    pub async fn import_files_said(
        &self,
        actor: &Actor,
        client: ClientId,
        files: &[(String, Vec<u8>)],
        options: &ImportOptions,
    ) -> Result<Vec<ImportSaid>> {
        self.check_import(actor, client).await?;
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        let mut out = Vec::with_capacity(files.len());
        for read in read_files(&refs, options.period) {
            let (nothing, notes) = match &read.result {
                ReadResult::Nothing(reason) => (Some(reason.clone()), Vec::new()),
                ReadResult::Values(r) => (None, r.notes.clone()),
                ReadResult::Refused(_) => (None, Vec::new()),
            };
            let outcome = self.import_read(actor, client, read, options).await?;
            // The reason is the reader's, or the import's own; one whose English matches neither is shown in
            // English.
            let reason = match &outcome {
                ImportOutcome::Nothing { reason, .. } => nothing
                    .into_iter()
                    .chain([wording::all_left_out()])
                    .find(|s| s.english == *reason),
                _ => None,
            };
            out.push(ImportSaid {
                outcome,
                reason,
                notes,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::Unit;

    /// The sources of the import of a client's files, whose every message has a code.
    const SOURCES: &[(&str, &str)] = &[
        ("wording.rs", include_str!("wording.rs")),
        ("read.rs", include_str!("read.rs")),
        ("text.rs", include_str!("text.rs")),
        ("number.rs", include_str!("number.rs")),
        ("dates.rs", include_str!("dates.rs")),
        ("long.rs", include_str!("long.rs")),
        ("ga4.rs", include_str!("ga4.rs")),
        ("search_console.rs", include_str!("search_console.rs")),
        ("google_ads.rs", include_str!("google_ads.rs")),
        ("meta.rs", include_str!("meta.rs")),
        ("business_profile.rs", include_str!("business_profile.rs")),
        ("archive.rs", include_str!("archive.rs")),
        ("plan.rs", include_str!("plan.rs")),
        ("replaced.rs", include_str!("replaced.rs")),
        ("mod.rs", include_str!("mod.rs")),
    ];

    /// The codes `wording.rs` gives its messages (`Said::new("code", …)`).
    fn codes_in_wording() -> Vec<String> {
        let (_, wording) = SOURCES[0];
        const CALL: &str = "Said::new(";
        wording
            .match_indices(CALL)
            .filter_map(|(at, _)| {
                let rest = wording[at + CALL.len()..].trim_start().strip_prefix('"')?;
                Some(rest[..rest.find('"')?].to_string())
            })
            .collect()
    }

    #[test]
    fn codes_lists_every_code_the_wording_gives_once_and_no_other() {
        let mut used = codes_in_wording();
        assert!(used.len() > 50, "the wording's codes were not found: {used:?}");
        used.sort();
        let before = used.len();
        used.dedup();
        assert_eq!(used.len(), before, "a code is given to two messages");
        let mut listed: Vec<String> = CODES.iter().map(|c| c.to_string()).collect();
        listed.sort();
        assert_eq!(used, listed, "CODES and wording.rs differ");
        assert!(
            CODES.iter().all(|c| c
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')),
            "a code is a bare TOML key of lower-case words"
        );
    }

    #[test]
    fn every_message_of_a_clients_import_has_a_code() {
        // `text::error` says English only, for the agency-wide import: no file of a client's import calls it, and
        // no message is built anywhere but in `wording.rs`.
        for (name, source) in SOURCES {
            let code = source.split("#[cfg(test)]").next().unwrap_or(source);
            for (at, _) in code.match_indices("error(") {
                let before = code[..at].chars().next_back();
                let call = !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
                let definition = code[..at].ends_with("fn ");
                assert!(!call || definition, "{name} calls the English-only text::error");
            }
            if *name != "wording.rs" {
                assert!(
                    !code.contains("Said::new("),
                    "{name} builds a message outside wording.rs"
                );
            }
            if *name != "text.rs" {
                assert!(
                    !code.contains("english_only("),
                    "{name} says something in English only"
                );
            }
        }
    }

    #[test]
    fn the_english_is_the_command_lines_and_the_arguments_are_the_files_own() {
        let said = wording::not_a_date("2026-13-01");
        assert_eq!(said.code, "not-a-date");
        assert_eq!(said.english, r#""2026-13-01" is not a date as YYYY-MM-DD"#);
        assert_eq!(said.args, [("value", Arg::from("2026-13-01"))]);
        let nested = wording::in_file("Chart.csv", wording::column_not_read("Views per user"));
        assert_eq!(
            nested.to_string(),
            r#"Chart.csv: column "Views per user" not read"#
        );
        let units = wording::chosen_kpi_unit(Unit::Percent, "Website clicks", Unit::Count);
        assert_eq!(
            units.english,
            r#"this column gives a percent, but the KPI "Website clicks" chosen for it is a count: choose a KPI of the same unit"#
        );
        assert_eq!(
            units.args[0],
            (
                "unit",
                Arg::Said(Said::new("unit-percent", "a percent".into(), []))
            )
        );
    }
}
