//! Numbers as the exports write them, told the file's locale: `1,234.5` in en-US, `1 234,5` in Hungarian,
//! `1.234,5` in German. The locale comes from the file itself (its header's language); a number that does not fit
//! it is refused with the column and the locale named, never guessed — `12,5` read as 125 would be silently wrong.

use super::said::Said;
use super::wording;

/// How one locale writes numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    /// The locale's name as an error message shows it, such as `en-US`.
    pub name: &'static str,
    decimal: char,
    groups: &'static [char],
    example: &'static str,
    example_percent: &'static str,
}

/// A point as the decimal mark, commas grouping thousands (English exports).
pub const EN_US: NumberFormat = NumberFormat {
    name: "en-US",
    decimal: '.',
    groups: &[','],
    example: "1,234.5",
    example_percent: "0.85%",
};

/// A comma as the decimal mark, a space (or no-break space, or a point) grouping thousands (Hungarian exports).
pub const HU: NumberFormat = NumberFormat {
    name: "hu-HU",
    decimal: ',',
    groups: &[' ', '\u{a0}', '\u{202f}', '.'],
    example: "1 234,5",
    example_percent: "0,85%",
};

/// A comma as the decimal mark, a point (or a space) grouping thousands (German exports).
pub const DE: NumberFormat = NumberFormat {
    name: "de-DE",
    decimal: ',',
    groups: &['.', ' ', '\u{a0}', '\u{202f}'],
    example: "1.234,5",
    example_percent: "0,85 %",
};

/// Simplified Chinese exports write numbers as en-US does.
pub const ZH_CN: NumberFormat = NumberFormat {
    name: "zh-CN",
    decimal: '.',
    groups: &[','],
    example: "1,234.5",
    example_percent: "0.85%",
};

/// Traditional Chinese exports write numbers as en-US does.
pub const ZH_TW: NumberFormat = NumberFormat {
    name: "zh-TW",
    decimal: '.',
    groups: &[','],
    example: "1,234.5",
    example_percent: "0.85%",
};

/// Whether a cell holds nothing: empty, or the ` --` that Google Ads writes for "no value".
pub fn is_empty_cell(raw: &str) -> bool {
    let s = raw.trim_matches(|c: char| c.is_whitespace());
    s.is_empty() || s == "--" || s == "—"
}

impl NumberFormat {
    /// Parses a number (`percent`: a percentage with its `%` sign, returned in percent points). An empty cell is
    /// `Ok(None)`; anything else that does not fit this locale is an error saying what was expected.
    pub fn parse(&self, raw: &str, percent: bool) -> Result<Option<f64>, Said> {
        if is_empty_cell(raw) {
            return Ok(None);
        }
        let bad = || {
            if percent {
                wording::not_a_percentage(raw, self.name, self.example_percent)
            } else {
                wording::not_a_number(raw, self.name, self.example)
            }
        };
        let mut s = raw.trim_matches(|c: char| c.is_whitespace());
        if percent {
            s = s
                .strip_suffix('%')
                .ok_or_else(bad)?
                .trim_end_matches(|c: char| c.is_whitespace());
        }
        let (negative, digits) = match s.chars().next() {
            Some('-' | '\u{2212}') => (true, &s[s.chars().next().map_or(0, char::len_utf8)..]),
            Some('+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (whole, fraction) = match digits.split_once(self.decimal) {
            Some((w, f)) => (w, Some(f)),
            None => (digits, None),
        };
        let mut plain = String::with_capacity(s.len() + 1);
        if negative {
            plain.push('-');
        }
        // The whole part: digits, optionally grouped in threes after the first group.
        let mut group_len = 0usize;
        let mut grouped = false;
        let mut first_group = 0usize;
        for c in whole.chars() {
            if c.is_ascii_digit() {
                plain.push(c);
                group_len += 1;
            } else if self.groups.contains(&c) {
                if group_len == 0 || (grouped && group_len != 3) || (!grouped && group_len > 3) {
                    return Err(bad());
                }
                if !grouped {
                    first_group = group_len;
                }
                grouped = true;
                group_len = 0;
            } else {
                return Err(bad());
            }
        }
        if (grouped && group_len != 3) || (whole.is_empty() && fraction.is_none()) || first_group > 3 {
            return Err(bad());
        }
        if let Some(f) = fraction {
            if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            if whole.is_empty() {
                plain.push('0');
            }
            plain.push('.');
            plain.push_str(f);
        }
        plain
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_locale_reads_its_own_marks() {
        assert_eq!(EN_US.parse("31,193", false), Ok(Some(31193.0)));
        assert_eq!(EN_US.parse("1,286.58", false), Ok(Some(1286.58)));
        assert_eq!(EN_US.parse("0.85%", true), Ok(Some(0.85)));
        assert_eq!(EN_US.parse("-3.5", false), Ok(Some(-3.5)));
        assert_eq!(HU.parse("1 234,5", false), Ok(Some(1234.5)));
        assert_eq!(HU.parse("1\u{a0}234\u{a0}567", false), Ok(Some(1234567.0)));
        assert_eq!(HU.parse("12,5 %", true), Ok(Some(12.5)));
        assert_eq!(DE.parse("1.234,56", false), Ok(Some(1234.56)));
        assert_eq!(DE.parse("0,47 %", true), Ok(Some(0.47)));
        assert_eq!(ZH_CN.parse("2,157,938", false), Ok(Some(2157938.0)));
    }

    #[test]
    fn empty_cells_and_the_ads_dashes_are_no_value() {
        assert_eq!(EN_US.parse("", false), Ok(None));
        assert_eq!(EN_US.parse(" --", false), Ok(None));
        assert_eq!(EN_US.parse(" --", true), Ok(None));
    }

    #[test]
    fn a_number_of_another_locale_is_refused_naming_the_locale() {
        assert_eq!(
            EN_US.parse("12,5 %", true).map_err(|e| e.english),
            Err(r#""12,5 %" is not a percentage in the en-US format, such as 0.85%"#.into())
        );
        assert!(
            EN_US.parse("12,5", false).is_err(),
            "a comma decimal is not read as 125"
        );
        assert!(EN_US.parse("1,23", false).is_err());
        assert!(
            HU.parse("1.5", false).is_err(),
            "a point is a group mark in Hungarian"
        );
        assert!(
            HU.parse("12.5%", true)
                .unwrap_err()
                .english
                .contains("in the hu-HU format")
        );
        assert!(EN_US.parse("0.85", true).is_err(), "a percentage needs its sign");
        assert!(EN_US.parse("1e5", false).is_err());
        assert!(EN_US.parse("NaN", false).is_err());
        assert!(EN_US.parse("< 10%", true).is_err());
        assert!(EN_US.parse("1234,567", false).is_err());
    }
}
