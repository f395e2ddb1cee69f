//! From a file's bytes to text and rows: the byte-order marks and the UTF-16 of Excel-flavoured downloads, Windows
//! line ends, the delimiter each table uses, and rows that keep their line number in the file.

use super::errors::clip;
use super::said::Said;
use super::{ErrorList, ImportError, wording};

/// What is wrong at one place of a file: its English and its code, for the command line, the API and the pages.
pub(super) fn problem(file: &str, line: u64, column: &str, said: Said) -> ImportError {
    ImportError {
        file: file.to_string(),
        line,
        column: clip(column),
        message: said.english,
        code: said.code,
        args: said.args,
    }
}

/// An error at one place of a file, said in English only: the agency-wide import's own, which only the command
/// line and the API show. A client's import says everything with `problem`.
pub(super) fn error(file: &str, line: u64, column: &str, message: impl Into<String>) -> ImportError {
    problem(file, line, column, Said::english_only(message))
}

/// Decodes a file as UTF-8 (with or without a byte-order mark) or UTF-16 (with one, as Google Ads writes its "Excel
/// .csv"), and turns CR LF and lone CR into LF: the csv reader counts lines one short on CR LF, and every error
/// must name the file's own line. A NUL character is refused (PostgreSQL cannot store it in text).
pub(super) fn decode(file: &str, bytes: &[u8]) -> Result<String, ImportError> {
    let text = if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(file, body, u16::from_le_bytes)?
    } else if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(file, body, u16::from_be_bytes)?
    } else {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        // UTF-16 without a byte-order mark: ASCII text then shows a NUL after every character.
        if body.len() >= 4 && body[1] == 0 && body[3] == 0 && body[0] != 0 {
            utf16(file, body, u16::from_le_bytes)?
        } else {
            match std::str::from_utf8(body) {
                Ok(s) => s.to_string(),
                Err(e) => {
                    let line = 1 + body[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64;
                    return Err(problem(file, line, "", wording::not_text()));
                }
            }
        }
    };
    if let Some(at) = text.find('\0') {
        let line = 1 + text[..at].matches('\n').count() as u64;
        return Err(problem(file, line, "", wording::nul_character()));
    }
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    // Before anything splits a line into cells: a 20 MB header of ten million columns is refused here.
    for (i, line) in text.split('\n').enumerate() {
        if line.len() > MAX_LINE_BYTES {
            return Err(problem(
                file,
                i as u64 + 1,
                "",
                wording::line_too_long(line.len(), MAX_LINE_BYTES),
            ));
        }
    }
    Ok(text)
}

/// The longest line, and the longest cell (a quoted cell may run over several lines), a file may have, in bytes.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// What the quotes of a table's text say before it is split into rows: the text to split (up to the row in which
/// a quote opens and never closes), and the problem found, if any.
pub(super) struct Quotes {
    /// How much of the text to read as rows.
    pub read_to: usize,
    /// A quote never closed (the rest of the file would be one cell), or a quoted cell past [`MAX_LINE_BYTES`].
    pub problem: Option<ImportError>,
}

/// Follows the quotes of `text` (whose first line is `first_line` of the file) as a CSV reader does: a quote
/// opens a cell only at its start, `""` inside is a quote, and a quoted cell may hold line breaks. A quote left
/// open is named at the line where it opened, and the table is read up to the row it stands in; a quoted cell
/// longer than [`MAX_LINE_BYTES`] is named at its first line and nothing of the table is read.
pub(super) fn check_quotes(file: &str, text: &str, first_line: u64, delimiter: u8) -> Quotes {
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let bytes = text.as_bytes();
    let line_of = |at: usize| first_line + bytes[..at].iter().filter(|c| **c == b'\n').count() as u64;
    let (mut at, mut row_start, mut opened) = (At::FieldStart, 0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        at = match (at, b) {
            (At::FieldStart, b'"') => {
                opened = i;
                At::Quoted
            }
            (At::Quoted, b'"') => At::QuoteInQuoted,
            (At::Quoted, _) => {
                if i - opened > MAX_LINE_BYTES {
                    let line = line_of(opened);
                    return Quotes {
                        read_to: 0,
                        problem: Some(problem(file, line, "", wording::cell_too_long(MAX_LINE_BYTES))),
                    };
                }
                At::Quoted
            }
            (At::QuoteInQuoted, b'"') => At::Quoted,
            (_, b'\n') => {
                row_start = i + 1;
                At::FieldStart
            }
            (_, c) if c == delimiter => At::FieldStart,
            _ => At::Unquoted,
        };
    }
    if at == At::Quoted {
        let line = line_of(opened);
        return Quotes {
            read_to: row_start.min(opened),
            problem: Some(problem(file, line, "", wording::unterminated_quote())),
        };
    }
    Quotes {
        read_to: text.len(),
        problem: None,
    }
}

fn utf16(file: &str, body: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ImportError> {
    if !body.len().is_multiple_of(2) {
        return Err(problem(file, 1, "", wording::utf16_half_character()));
    }
    let units: Vec<u16> = body.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| problem(file, 1, "", wording::not_utf16()))
}

/// The delimiter of a header line: a tab, a semicolon or a comma, whichever it holds most of outside quotes.
pub(super) fn delimiter(line: &str) -> u8 {
    let (mut tabs, mut semis, mut commas, mut quoted) = (0, 0, 0, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '\t' if !quoted => tabs += 1,
            ';' if !quoted => semis += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if tabs > 0 && tabs >= commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

/// The cells of one line, trimmed and unquoted.
pub(super) fn cells(line: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(line.as_bytes());
    reader
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// One row of a table with its line in the file.
#[derive(Debug, Clone)]
pub(super) struct Row {
    /// The line it starts on, from 1.
    pub line: u64,
    /// Its cells, trimmed and unquoted.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell at `i`, or empty.
    pub fn get(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }
}

/// The rows of `text`, whose first line is line `first_line` of the file. Blank rows are left out; a row the
/// reader cannot read is an error.
pub(super) fn rows(
    file: &str,
    text: &str,
    first_line: u64,
    delimiter: u8,
    errors: &mut ErrorList,
) -> Vec<Row> {
    let quotes = check_quotes(file, text, first_line, delimiter);
    if let Some(p) = quotes.problem {
        errors.push(p);
    }
    let text = &text[..quotes.read_to];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut lines = LineCounter::new(text, first_line);
    for record in reader.records() {
        match record {
            Ok(r) => {
                if r.iter().all(str::is_empty) {
                    continue;
                }
                out.push(Row {
                    line: lines.line_at(r.position().map_or(0, |p| p.byte())),
                    cells: r.iter().map(str::to_string).collect(),
                });
            }
            Err(e) => {
                let line = lines.line_at(e.position().map_or(0, |p| p.byte()));
                errors.push(problem(file, line, "", wording::line_unreadable(&e)));
            }
        }
    }
    out
}

/// The file's line of a byte offset, for records read in order. The csv reader's own line count leaves out
/// blank lines, so an error after one would name the wrong line: lines are counted from the bytes instead.
pub(super) struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    /// Counts lines of `text`, whose first line is `first_line` of the file.
    pub fn new(text: &'a str, first_line: u64) -> Self {
        LineCounter {
            text: text.as_bytes(),
            at: 0,
            line: first_line,
        }
    }

    /// The line on which byte `byte` stands (offsets must not go backwards).
    pub fn line_at(&mut self, byte: u64) -> u64 {
        let mut to = (byte as usize).min(self.text.len());
        // A record after blank lines is reported where the blank lines start.
        while self.text.get(to) == Some(&b'\n') {
            to += 1;
        }
        if to > self.at {
            self.line += self.text[self.at..to].iter().filter(|b| **b == b'\n').count() as u64;
            self.at = to;
        }
        self.line
    }
}

/// The text from line `from` (counted from 1) to the end.
pub(super) fn from_line(text: &str, from: u64) -> &str {
    let mut at = 0;
    for _ in 1..from {
        match text[at..].find('\n') {
            Some(i) => at += i + 1,
            None => return "",
        }
    }
    &text[at..]
}

/// A header cell as compared with the known names: trimmed, lower-cased.
pub(super) fn key(cell: &str) -> String {
    cell.trim().trim_matches('"').trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_bom_and_crlf_become_plain_lines() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "a\tb\r\n1\t2\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode("x", &bytes).unwrap(), "a\tb\n1\t2\n");
        assert_eq!(decode("x", b"\xEF\xBB\xBFa,b\r\n").unwrap(), "a,b\n");
    }

    #[test]
    fn bad_bytes_and_nul_are_refused_with_their_line() {
        let e = decode("x", b"a,b\n1,\xFF\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = decode("x", b"a,b\n1,2\n3,\0\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (3, "the file contains a NUL character")
        );
    }

    #[test]
    fn rows_keep_the_files_line_numbers_and_the_delimiter_is_found() {
        let text = "Title\n\nA,B\n1,\"2,000\"\n\n3,4\n";
        assert_eq!(delimiter("A\tB,C\tD"), b'\t');
        assert_eq!(delimiter("A;B;\"C,D\""), b';');
        let mut errors = ErrorList::default();
        let rows = rows("x", from_line(text, 3), 3, b',', &mut errors);
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4, 6]);
        assert_eq!(rows[1].get(1), "2,000");
        assert!(errors.is_empty());
    }
}
