//! Dates as the exports write them: ISO days, GA4's `20250101`, and date ranges in words such as
//! "Mar 1, 2026-Mar 31, 2026", "1 Jan 2025-31 Dec 2025", "27 January 2026 - 23 February 2026",
//! "2026. márc. 1. – 2026. márc. 31.", "01.03.2026 - 31.03.2026" or "2026年3月1日 - 2026年3月31日".

use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Number { value: u32, digits: usize },
    Month(i8),
    Word,
}

/// Months by the first three letters of their English, Hungarian and German names (abbreviated or not).
const MONTHS: &[(&str, i8)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("mär", 3),
    ("már", 3),
    ("apr", 4),
    ("ápr", 4),
    ("may", 5),
    ("mai", 5),
    ("máj", 5),
    ("jun", 6),
    ("jún", 6),
    ("jul", 7),
    ("júl", 7),
    ("aug", 8),
    ("sep", 9),
    ("sze", 9),
    ("oct", 10),
    ("okt", 10),
    ("nov", 11),
    ("dec", 12),
    ("dez", 12),
];

/// Full month names longer than five letters, in English, Hungarian and German.
const FULL_NAMES: &[&str] = &[
    "january",
    "february",
    "august",
    "september",
    "october",
    "november",
    "december",
    "január",
    "február",
    "március",
    "április",
    "június",
    "július",
    "augusztus",
    "szeptember",
    "október",
    "januar",
    "februar",
    "oktober",
    "dezember",
];

fn tokens(raw: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = raw.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut s = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                s.push(d);
                chars.next();
            }
            out.push(Token::Number {
                value: s.parse().unwrap_or(u32::MAX),
                digits: s.len(),
            });
        } else if c.is_alphabetic() && !"年月日".contains(c) {
            let mut s = String::new();
            while let Some(&d) = chars
                .peek()
                .filter(|d| d.is_alphabetic() && !"年月日".contains(**d))
            {
                s.extend(d.to_lowercase());
                chars.next();
            }
            let prefix: String = s.chars().take(3).collect();
            // An abbreviation (at most five letters, such as "szept") or a month's full name: "marketing" is no
            // month.
            let len = s.chars().count();
            let month_like = (3..=5).contains(&len) || FULL_NAMES.contains(&s.as_str());
            match MONTHS.iter().find(|(p, _)| *p == prefix) {
                Some((_, m)) if month_like => out.push(Token::Month(*m)),
                _ => out.push(Token::Word),
            }
        } else {
            chars.next();
        }
    }
    out
}

fn date(year: u32, month: u32, day: u32) -> Option<Date> {
    let (y, m, d) = (
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    );
    Date::new(y, m, d).ok()
}

/// Every date written in `raw`, in order. `month_first` reads `3/1/2026` as March 1st (en-US), otherwise as the
/// 3rd of January.
pub(super) fn dates_in(raw: &str, month_first: bool) -> Vec<Date> {
    use Token::{Month, Number as N};
    let t = tokens(raw);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let rest = &t[i..];
        let found = match rest {
            [N { value, digits: 8 }, ..] => {
                date(value / 10000, value / 100 % 100, value % 100).map(|d| (d, 1))
            }
            [
                N { value: y, digits: 4 },
                N { value: m, .. },
                N { value: d, .. },
                ..,
            ] => date(*y, *m, *d).map(|x| (x, 3)),
            [N { value: y, digits: 4 }, Month(m), N { value: d, .. }, ..] => {
                date(*y, *m as u32, *d).map(|x| (x, 3))
            }
            [Month(m), N { value: d, .. }, N { value: y, digits: 4 }, ..] => {
                date(*y, *m as u32, *d).map(|x| (x, 3))
            }
            [N { value: d, .. }, Month(m), N { value: y, digits: 4 }, ..] => {
                date(*y, *m as u32, *d).map(|x| (x, 3))
            }
            [
                N { value: a, .. },
                N { value: b, .. },
                N { value: y, digits: 4 },
                ..,
            ] => {
                let (m, d) = if month_first { (a, b) } else { (b, a) };
                date(*y, *m, *d).map(|x| (x, 3))
            }
            _ => None,
        };
        match found {
            Some((d, used)) => {
                out.push(d);
                i += used;
            }
            None => i += 1,
        }
    }
    out
}

/// A range of two dates written in words or numbers, first day first.
pub(super) fn date_range(raw: &str, month_first: bool) -> Option<(Date, Date)> {
    match dates_in(raw, month_first).as_slice() {
        [a, b] if a <= b => Some((*a, *b)),
        [_] => chinese_range_sharing_a_year(raw),
        _ => None,
    }
}

/// A Chinese range whose end leaves out the year it shares with the start, as Google Ads' date picker writes
/// it in Chinese: "2026年 3月 13日 - 4月 9日". The end is in the start's year, or the next one when it would
/// otherwise come before the start.
fn chinese_range_sharing_a_year(raw: &str) -> Option<(Date, Date)> {
    use Token::Number as N;
    let (from, to) = raw.split_once(['-', '–', '—', '~', '～', '至'])?;
    if !from.contains('年') || to.contains('年') || !to.contains('月') {
        return None;
    }
    let [start] = dates_in(from, false)[..] else {
        return None;
    };
    let [N { value: m, .. }, N { value: d, .. }] = tokens(to)[..] else {
        return None;
    };
    let year = u32::try_from(start.year()).ok()?;
    let end = date(year, m, d)?;
    let end = if end < start { date(year + 1, m, d)? } else { end };
    Some((start, end))
}

/// The one month a name such as "Performance Report 2026-1" names (a year then a month, no day after it), as its
/// first and last day.
pub(super) fn month_in(raw: &str) -> Option<(Date, Date)> {
    use Token::Number as N;
    let t = tokens(raw);
    let mut found = None;
    for (i, pair) in t.windows(2).enumerate() {
        if let [
            N { value: y, digits: 4 },
            N {
                value: m,
                digits: 1..=2,
            },
        ] = pair
            && !matches!(t.get(i + 2), Some(N { .. }))
            && !matches!(i.checked_sub(1).and_then(|p| t.get(p)), Some(N { .. }))
            && let Some(first) = date(*y, *m, 1)
        {
            if found.is_some() {
                return None;
            }
            found = Some((first, first.last_of_month()));
        }
    }
    found
}

/// One day: `2026-03-01`, or GA4's `20260301`.
pub(super) fn day(raw: &str) -> Option<Date> {
    let s = raw.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let v: u32 = s.parse().ok()?;
        return date(v / 10000, v / 100 % 100, v % 100);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_in_the_ways_the_exports_write_them() {
        let march = Some((d("2026-03-01"), d("2026-03-31")));
        assert_eq!(date_range("Mar 1, 2026-Mar 31, 2026", true), march);
        assert_eq!(date_range("1 Mar 2026-31 Mar 2026", false), march);
        assert_eq!(date_range("2026-03-01 - 2026-03-31", true), march);
        assert_eq!(date_range("2026. márc. 1. – 2026. márc. 31.", false), march);
        assert_eq!(date_range("01.03.2026 - 31.03.2026", false), march);
        assert_eq!(date_range("1. März 2026 – 31. März 2026", false), march);
        assert_eq!(date_range("2026年3月1日 - 2026年3月31日", false), march);
        assert_eq!(date_range("20260301-20260331", true), march);
        assert_eq!(date_range("March 1, 2026 - March 31, 2026", true), march);
        assert_eq!(
            date_range("27 January 2026 - 23 February 2026", true),
            Some((d("2026-01-27"), d("2026-02-23")))
        );
        assert_eq!(
            date_range("2026. június 1. – 2026. június 30.", false),
            Some((d("2026-06-01"), d("2026-06-30"))),
            "a Hungarian month's full name longer than five letters"
        );
        assert_eq!(
            date_range("1. September 2026 - 30. September 2026", false),
            Some((d("2026-09-01"), d("2026-09-30")))
        );
        assert_eq!(
            date_range("2026年 3月 13日 - 4月 9日", false),
            Some((d("2026-03-13"), d("2026-04-09"))),
            "the end shares the start's year"
        );
        assert_eq!(
            date_range("2025年12月15日 - 1月14日", false),
            Some((d("2025-12-15"), d("2026-01-14"))),
            "an end before the start is in the next year"
        );
        assert_eq!(date_range("2026年3月13日", false), None, "one day is no range");
        assert_eq!(date_range("Last 28 days", true), None);
        assert_eq!(
            date_range("Marketing 1 2026 - 2026-03-31", true),
            None,
            "no month in a longer word"
        );
        assert_eq!(date_range("Mar 31, 2026-Mar 1, 2026", true), None, "backwards");
        assert_eq!(date_range("Feb 30, 2026-Mar 1, 2026", true), None);
    }

    #[test]
    fn a_day_is_iso_or_compact() {
        assert_eq!(day("2026-03-01"), Some(d("2026-03-01")));
        assert_eq!(day("20251015"), Some(d("2025-10-15")));
        assert_eq!(day("2026-13-01"), None);
        assert_eq!(day("0003"), None);
    }

    #[test]
    fn dates_in_a_file_name() {
        let name = "GMB insights (Performance Report) - 2026-1-1 - 2026-1-31 - b33f0a.csv";
        assert_eq!(dates_in(name, false), [d("2026-01-01"), d("2026-01-31")]);
        assert_eq!(
            month_in("GMB_insights_Performance_Report_2026-2.csv"),
            Some((d("2026-02-01"), d("2026-02-28")))
        );
        assert_eq!(month_in("report 2026-1-15.csv"), None, "a day is not a month");
        assert_eq!(
            month_in("2025-12 vs 2026-01.csv"),
            None,
            "two months are no period"
        );
    }
}
