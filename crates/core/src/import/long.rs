//! The plain long format: a header naming `date`, `kpi` and `value` (and optionally `client`, for a file of many
//! clients of the agency), one value a line, a point as the decimal mark. A KPI's name the client does not have is
//! an error on its line unless the import may create KPIs.
//!
//! Read lean, because an agency's file can hold a million lines: one pass over the bytes with one reused record,
//! each client's and KPI's name kept once, and each line kept as a small fixed-size row pointing at them. Every
//! cell is still checked.

use super::ErrorList;
use super::text::{LineCounter, check_quotes, decode, problem};
use super::wording;
use jiff::civil::Date;
use std::collections::HashMap;

/// One value read from a long-format file, not yet tied to a KPI.
#[derive(Debug, Clone, PartialEq)]
pub struct LongRow {
    /// Its line in the file.
    pub line: u64,
    /// The day.
    pub date: Date,
    /// The KPI's name as written.
    pub kpi: String,
    /// The value.
    pub value: f64,
}

/// The rows of a long-format file and every error found in it.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The rows that parsed.
    pub rows: Vec<LongRow>,
    /// Every error, in file order.
    pub errors: ErrorList,
}

/// Which client each line of a long-format file names, when the file has a `client` column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientColumn {
    /// The distinct clients named, as written (an id or a name).
    pub names: Vec<String>,
    /// Each line that names a client, in file order, with the index of its name in `names`.
    pub lines: Vec<(u64, u32)>,
}

/// One line of a long-format file whose cells all parsed: its names as indexes into the table's lists.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Cell {
    /// Its line in the file.
    pub line: u64,
    /// The client named, an index into `LongTable::clients` (0 when the file has no client column).
    pub client: u32,
    /// The KPI named, an index into `LongTable::kpis`.
    pub kpi: u32,
    /// The day.
    pub date: Date,
    /// The value.
    pub value: f64,
}

/// A long-format file read into compact rows.
#[derive(Debug, Default)]
pub(super) struct LongTable {
    /// Whether the header names a `client` column.
    pub has_client: bool,
    /// The distinct client cells, as written.
    pub clients: Vec<String>,
    /// The distinct KPI names, as written.
    pub kpis: Vec<String>,
    /// The lines whose cells all parsed, in file order.
    pub rows: Vec<Cell>,
    /// The lines with a bad cell that still name a client, so a client's errors can name them too.
    pub bad_lines: Vec<(u64, u32)>,
    /// Every error, in file order.
    pub errors: ErrorList,
}

impl LongTable {
    /// Which client each line names, lines with bad cells included; `None` without a client column.
    pub fn client_column(&self) -> Option<ClientColumn> {
        if !self.has_client {
            return None;
        }
        let mut lines: Vec<(u64, u32)> = self
            .rows
            .iter()
            .map(|r| (r.line, r.client))
            .chain(self.bad_lines.iter().copied())
            .collect();
        lines.sort_unstable_by_key(|(line, _)| *line);
        Some(ClientColumn {
            names: self.clients.clone(),
            lines,
        })
    }
}

/// Whether a header line is the long format's: it names `date`, `kpi` and `value` (and optionally `client`).
pub fn is_long_header(first_line: &str) -> bool {
    let header: Vec<String> = first_line
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_lowercase())
        .collect();
    ["date", "kpi", "value"]
        .iter()
        .all(|c| header.iter().any(|h| h == c))
}

/// Whether a file is the plain long format.
pub fn is_long_format(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    is_long_header(text.lines().next().unwrap_or(""))
}

/// Parses a long-format file (UTF-8 or UTF-16, an optional BOM, CRLF or LF).
pub fn parse_long(file: &str, bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    match decode(file, bytes) {
        Ok(text) => parse_long_text(file, &text, &mut parsed),
        Err(e) => parsed.errors.push(e),
    }
    parsed
}

/// Parses the decoded text of a long-format file into rows that carry their KPI's name.
pub(super) fn parse_long_text(file: &str, text: &str, parsed: &mut Parsed) {
    let table = read_long(file, text);
    parsed.rows = table
        .rows
        .iter()
        .map(|r| LongRow {
            line: r.line,
            date: r.date,
            kpi: table.kpis.get(r.kpi as usize).cloned().unwrap_or_default(),
            value: r.value,
        })
        .collect();
    parsed.errors = table.errors;
}

/// The names of a column, each kept once: a name seen before costs a lookup, not an allocation.
#[derive(Default)]
struct Names {
    index: HashMap<String, u32>,
    last: Option<u32>,
}

impl Names {
    fn get(&mut self, list: &mut Vec<String>, name: &str) -> u32 {
        // Files list one client's lines together: the name of the line before is the likeliest.
        if let Some(last) = self.last
            && list.get(last as usize).is_some_and(|n| n == name)
        {
            return last;
        }
        let i = match self.index.get(name) {
            Some(i) => *i,
            None => {
                let i = list.len() as u32;
                list.push(name.to_string());
                self.index.insert(name.to_string(), i);
                i
            }
        };
        self.last = Some(i);
        i
    }
}

/// A day written as `YYYY-MM-DD`, read without the general parser (a million lines repeat a few hundred days);
/// any other spelling goes to jiff's parser, so what it accepts is still accepted.
fn day(cell: &str, last: &mut Option<([u8; 10], Date)>) -> Option<Date> {
    let b = cell.as_bytes();
    if let Ok(bytes) = <[u8; 10]>::try_from(b) {
        if let Some((seen, date)) = last
            && *seen == bytes
        {
            return Some(*date);
        }
        if bytes[4] == b'-' && bytes[7] == b'-' {
            let number = |from: usize, to: usize| {
                bytes[from..to].iter().try_fold(0i16, |n, c| {
                    c.is_ascii_digit().then(|| n * 10 + i16::from(c - b'0'))
                })
            };
            if let (Some(y), Some(m), Some(d)) = (number(0, 4), number(5, 7), number(8, 10)) {
                let date = Date::new(y, m as i8, d as i8).ok()?;
                *last = Some((bytes, date));
                return Some(date);
            }
        }
    }
    cell.parse::<Date>().ok()
}

/// A cell as text, trimmed. The text was decoded before and the reader splits only at ASCII, so a cell is
/// always UTF-8; should it not be, it reads as empty and is refused as missing.
fn text_of(cell: &[u8]) -> &str {
    std::str::from_utf8(cell).map(str::trim).unwrap_or("")
}

/// Reads the decoded text of a long-format file: every line whose cells parse becomes a row, every bad cell an
/// error naming its line and column.
pub(super) fn read_long(file: &str, text: &str) -> LongTable {
    let mut table = LongTable::default();
    let quotes = check_quotes(file, text, 1, b',');
    if let Some(p) = quotes.problem {
        table.errors.push(p);
        if quotes.read_to == 0 {
            return table;
        }
    }
    let text = &text[..quotes.read_to];
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    // One record for every line: no allocation per line.
    let mut record = csv::ByteRecord::new();
    let header: Vec<String> = match reader.read_byte_record(&mut record) {
        Ok(_) => record.iter().map(|c| text_of(c).to_lowercase()).collect(),
        Err(e) => {
            table
                .errors
                .push(problem(file, 1, "", wording::header_unreadable(&e)));
            return table;
        }
    };
    let position = |name: &str| header.iter().position(|h| h == name);
    let (Some(date_at), Some(kpi_at), Some(value_at)) =
        (position("date"), position("kpi"), position("value"))
    else {
        table.errors.push(problem(file, 1, "", wording::long_header()));
        return table;
    };
    let client_at = position("client");
    table.has_client = client_at.is_some();
    let (mut clients, mut kpis) = (Names::default(), Names::default());
    let mut last_day = None;
    let mut lines = LineCounter::new(text, 1);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = lines.line_at(e.position().map_or(0, |p| p.byte()));
                table
                    .errors
                    .push(problem(file, line, "", wording::line_unreadable(&e)));
                continue;
            }
        }
        let line = lines.line_at(record.position().map_or(0, |p| p.byte()));
        if record.iter().all(|c| text_of(c).is_empty()) {
            continue;
        }
        if record.len() > header.len() {
            table.errors.push(problem(
                file,
                line,
                "",
                wording::long_too_many_values(record.len(), header.len()),
            ));
            continue;
        }
        let cell = |i: usize| record.get(i).map(text_of).unwrap_or("");
        let errors_before = table.errors.len();
        let client = match client_at.map(cell) {
            Some("") => {
                table
                    .errors
                    .push(problem(file, line, "client", wording::client_missing()));
                None
            }
            Some(name) => Some(clients.get(&mut table.clients, name)),
            None => Some(0),
        };
        let date = day(cell(date_at), &mut last_day);
        if date.is_none() {
            table
                .errors
                .push(problem(file, line, "date", wording::not_a_date(cell(date_at))));
        }
        let kpi = match cell(kpi_at) {
            "" => {
                table
                    .errors
                    .push(problem(file, line, "kpi", wording::kpi_missing()));
                None
            }
            name => Some(kpis.get(&mut table.kpis, name)),
        };
        let value = match cell(value_at).parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                table.errors.push(problem(
                    file,
                    line,
                    "value",
                    wording::long_not_a_number(cell(value_at)),
                ));
                None
            }
        };
        match (client, date, kpi, value) {
            (Some(client), Some(date), Some(kpi), Some(value)) => table.rows.push(Cell {
                line,
                client,
                kpi,
                date,
                value,
            }),
            (Some(client), ..) if table.has_client && table.errors.len() > errors_before => {
                table.bad_lines.push((line, client));
            }
            _ => {}
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_format_reads_bom_crlf_and_names_every_bad_cell() {
        let file = "\u{feff}date,kpi,value\r\n2026-11-01,Leads,12\r\n2026-11-02,Leads,12,5\r\n2026-13-01,Leads,3\r\n2026-11-03,,x\r\n";
        let parsed = parse_long("leads.csv", file.as_bytes());
        assert_eq!(parsed.rows.len(), 1, "{parsed:?}");
        assert_eq!(parsed.rows[0].value, 12.0);
        let places: Vec<(u64, &str)> = parsed
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(
            places,
            [(3, ""), (4, "date"), (5, "kpi"), (5, "value")],
            "{:?}",
            parsed.errors
        );
        assert!(parsed.errors[0].message.contains("decimal mark"));
        assert_eq!(
            parsed.errors[1].to_string(),
            r#"leads.csv line 4, column "date": "2026-13-01" is not a date as YYYY-MM-DD"#
        );
    }

    #[test]
    fn a_comma_decimal_is_refused_with_what_was_expected() {
        let parsed = parse_long("x.csv", b"date,kpi,value\n2026-11-01,Revenue,\"12,5\"\n");
        assert!(parsed.errors[0].message.contains("point as the decimal mark"));
    }

    #[test]
    fn an_error_on_the_last_line_is_found_and_a_nul_names_its_line() {
        let parsed = parse_long(
            "x.csv",
            b"date,kpi,value\n2026-11-01,Leads,1\n2026-11-02,Leads,2\n2026-11-03,Leads,x",
        );
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.errors[0].line, 4);
        let parsed = parse_long(
            "x.csv",
            b"date,kpi,value\n\n2026-11-01,Leads,1\n\n\n2026-11-02,Leads,?\n",
        );
        assert_eq!(parsed.errors[0].line, 6, "blank lines count");
        let parsed = parse_long("x.csv", b"date,kpi,value\n2026-11-01,Le\0ads,1\n");
        assert_eq!((parsed.errors[0].line, parsed.rows.len()), (2, 0));
    }

    #[test]
    fn the_format_is_recognised_from_the_content() {
        assert!(is_long_format(b"Date,KPI,Value\n"));
        assert!(is_long_format(b"client,date,kpi,value\n"));
        assert!(!is_long_format(b"# Google Analytics\nDate,Sessions\n"));
    }

    #[test]
    fn days_are_read_by_the_fast_path_and_the_general_parser_alike() {
        let mut last = None;
        for text in ["2026-02-28", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(day(text, &mut last), Some(text.parse().unwrap()), "{text}");
        }
        assert_eq!(day("2026-02-28", &mut last), Some("2026-02-28".parse().unwrap()));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "2026-01-0x",
            "+2026-01-01",
            "",
            "01.02.2026",
        ] {
            assert_eq!(day(bad, &mut last), None, "{bad}");
            assert!(bad.parse::<Date>().is_err(), "jiff reads {bad} too");
        }
    }

    #[test]
    fn a_client_column_keeps_each_name_once_and_names_the_lines_of_bad_cells() {
        let text = "client,date,kpi,value\nAcme,2026-11-01,Leads,1\n\"Smith, Jones\",2026-11-01,Leads,2\n\
                    Acme,2026-11-02,Calls,x\n,2026-11-02,Calls,3\n12,2026-11-02, Leads ,4\n";
        let table = read_long("agency.csv", text);
        assert!(table.has_client);
        assert_eq!(table.clients, ["Acme", "Smith, Jones", "12"]);
        assert_eq!(table.kpis, ["Leads", "Calls"]);
        let rows: Vec<(u64, u32, u32)> = table.rows.iter().map(|r| (r.line, r.client, r.kpi)).collect();
        assert_eq!(rows, [(2, 0, 0), (3, 1, 0), (6, 2, 0)]);
        assert_eq!(table.bad_lines, [(4, 0)]);
        let places: Vec<(u64, &str)> = table.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(places, [(4, "value"), (5, "client")]);
        let column = table.client_column().unwrap();
        assert_eq!(column.lines, [(2, 0), (3, 1), (4, 0), (6, 2)]);
        assert!(
            read_long("x.csv", "date,kpi,value\n2026-11-01,Leads,1\n")
                .client_column()
                .is_none()
        );
    }
}
