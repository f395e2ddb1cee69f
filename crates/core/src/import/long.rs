//! The plain long format: a header naming `date`, `kpi` and `value` (and optionally `client`), one value a line,
//! a point as the decimal mark. A KPI's name the client does not have is an error on its line unless the import
//! may create KPIs.

use super::ImportError;
use super::text::{LineCounter, decode, error};
use jiff::civil::Date;

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
    pub errors: Vec<ImportError>,
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

/// Parses the decoded text of a long-format file.
pub(super) fn parse_long_text(file: &str, text: &str, parsed: &mut Parsed) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(e) => {
            parsed
                .errors
                .push(error(file, 1, "", format!("the header cannot be read: {e}")));
            return;
        }
    };
    let position = |name: &str| header.iter().position(|h| h == name);
    let (Some(date_at), Some(kpi_at), Some(value_at)) =
        (position("date"), position("kpi"), position("value"))
    else {
        parsed.errors.push(error(
            file,
            1,
            "",
            "the header must name the columns date, kpi and value",
        ));
        return;
    };
    let mut lines = LineCounter::new(text, 1);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = lines.line_at(e.position().map_or(0, |p| p.byte()));
                parsed
                    .errors
                    .push(error(file, line, "", format!("the line cannot be read: {e}")));
                continue;
            }
        };
        let line = lines.line_at(record.position().map_or(0, |p| p.byte()));
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        if record.len() > header.len() {
            parsed.errors.push(error(
                file,
                line,
                "",
                format!(
                    "the line has {} values but the header names {} columns (is a comma used as the decimal mark?)",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        let date = match cell(date_at).parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                parsed.errors.push(error(
                    file,
                    line,
                    "date",
                    format!("{:?} is not a date as YYYY-MM-DD", cell(date_at)),
                ));
                None
            }
        };
        let kpi = cell(kpi_at).to_string();
        if kpi.is_empty() {
            parsed
                .errors
                .push(error(file, line, "kpi", "the KPI's name is missing"));
        }
        let value = match cell(value_at).parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                parsed.errors.push(error(
                    file,
                    line,
                    "value",
                    format!(
                        "{:?} is not a number with a point as the decimal mark, such as 1234.5",
                        cell(value_at)
                    ),
                ));
                None
            }
        };
        if let (Some(date), Some(value), false) = (date, value, kpi.is_empty()) {
            parsed.rows.push(LongRow {
                line,
                date,
                kpi,
                value,
            });
        }
    }
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
}
