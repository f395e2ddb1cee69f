//! A refused file's errors, bounded: the first [`MAX_ERRORS`] by place in the file are kept, the rest only
//! counted, so a file of a million bad lines costs as little memory as one of a hundred. Every message quotes at
//! most [`QUOTE_CHARS`] characters of a cell ([`clip`]).

use super::ImportError;
use serde::Serialize;

/// At most this many errors of one file are kept, shown and sent; the rest are counted.
pub const MAX_ERRORS: usize = 100;

/// At most this many characters of a cell, a header or a name are quoted in a message.
pub const QUOTE_CHARS: usize = 80;

/// A cell as a message quotes it: its first [`QUOTE_CHARS`] characters, and `…` when there were more.
pub fn clip(cell: &str) -> String {
    match cell.char_indices().nth(QUOTE_CHARS) {
        None => cell.to_string(),
        Some((end, _)) => format!("{}…", &cell[..end]),
    }
}

/// The errors found in a file: the first [`MAX_ERRORS`] by file and line, and how many more there were.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErrorList {
    /// The errors kept, in file order once [`ErrorList::finish`]ed (at most twice [`MAX_ERRORS`] before).
    kept: Vec<ImportError>,
    /// How many were found beyond those kept.
    more: usize,
}

impl ErrorList {
    /// A list of one error.
    pub fn one(error: ImportError) -> ErrorList {
        ErrorList {
            kept: vec![error],
            more: 0,
        }
    }

    /// Adds an error; beyond the bound, only the first by place in the file are kept.
    pub fn push(&mut self, error: ImportError) {
        self.kept.push(error);
        if self.kept.len() >= 2 * MAX_ERRORS {
            self.trim();
        }
    }

    /// Adds every error of another list (its count of those not kept too).
    pub fn append(&mut self, other: ErrorList) {
        self.more += other.more;
        for e in other.kept {
            self.push(e);
        }
    }

    /// Adds every error of another list, each changed by `f` (a zip's files: the zip's name before theirs).
    pub fn append_with(&mut self, other: ErrorList, f: impl Fn(ImportError) -> ImportError) {
        self.more += other.more;
        for e in other.kept {
            self.push(f(e));
        }
    }

    /// Whether there is no error at all.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty() && self.more == 0
    }

    /// How many errors were found, kept or not.
    pub fn len(&self) -> usize {
        self.kept.len() + self.more
    }

    /// The errors kept, in file order once finished: those to show.
    pub fn shown(&self) -> &[ImportError] {
        &self.kept
    }

    /// How many errors were found beyond those shown.
    pub fn more(&self) -> usize {
        self.more
    }

    /// The list in file order, cut to [`MAX_ERRORS`].
    pub fn finish(mut self) -> ErrorList {
        self.trim();
        self
    }

    fn trim(&mut self) {
        // Stable: errors of one line keep the order they were found in.
        self.kept
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        if self.kept.len() > MAX_ERRORS {
            self.more += self.kept.len() - MAX_ERRORS;
            self.kept.truncate(MAX_ERRORS);
        }
    }
}

impl std::ops::Index<usize> for ErrorList {
    type Output = ImportError;

    fn index(&self, i: usize) -> &ImportError {
        &self.kept[i]
    }
}

impl<'a> IntoIterator for &'a ErrorList {
    type Item = &'a ImportError;
    type IntoIter = std::slice::Iter<'a, ImportError>;

    fn into_iter(self) -> Self::IntoIter {
        self.kept.iter()
    }
}

impl ErrorList {
    /// The errors kept.
    pub fn iter(&self) -> std::slice::Iter<'_, ImportError> {
        self.kept.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u64) -> ImportError {
        ImportError {
            file: "f.csv".into(),
            line,
            column: String::new(),
            message: format!("bad {line}"),
            code: "",
            args: Vec::new(),
        }
    }

    #[test]
    fn a_million_errors_keep_the_first_hundred_by_line_and_count_the_rest() {
        let mut list = ErrorList::default();
        // Out of order, as a file's reading and its KPI checks add them.
        for line in (1..=500_000u64).rev().chain(500_001..=1_000_000) {
            list.push(at(line));
        }
        let list = list.finish();
        assert_eq!(list.len(), 1_000_000);
        assert_eq!(list.shown().len(), MAX_ERRORS);
        assert_eq!(list.more(), 1_000_000 - MAX_ERRORS);
        let lines: Vec<u64> = list.iter().map(|e| e.line).collect();
        assert_eq!(lines, (1..=100).collect::<Vec<u64>>());
    }

    #[test]
    fn appending_keeps_the_other_lists_uncounted_rest() {
        let mut a = ErrorList::default();
        for line in 1..=150 {
            a.push(at(line));
        }
        let mut b = ErrorList::one(at(7));
        b.append(a.finish());
        let b = b.finish();
        assert_eq!((b.len(), b.shown().len(), b.more()), (151, 100, 51));
    }

    #[test]
    fn a_long_cell_is_quoted_by_its_first_eighty_characters() {
        assert_eq!(clip("short"), "short");
        let long = "é".repeat(1000);
        let quoted = clip(&long);
        assert_eq!(quoted.chars().count(), QUOTE_CHARS + 1);
        assert!(quoted.ends_with('…'));
        assert_eq!(clip(&"x".repeat(QUOTE_CHARS)), "x".repeat(QUOTE_CHARS));
    }
}
