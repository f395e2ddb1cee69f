//! Numbers and amounts of money typed by a person, read in the language of the page they typed them on — one
//! reader for every form and the command line. Nothing is guessed: a number that could mean two things in that
//! language (`1.500` on an English page: 1.5, or 1,500 typed the Hungarian way?) is refused with both readings
//! named, and a grouping separator in the wrong place (`1,50` in English) is refused saying where the decimal
//! separator goes. A currency symbol or code is accepted when it is the record's currency, `%` on a percentage.
//!
//! (Imported files are read by `import::number`, which knows each export's own locale.)

use crate::error::FieldError;
use crate::types::{Currency, Language, Money};

/// The separators of a language: the decimal one, and the one that groups thousands (besides spaces, which
/// group in every language).
fn separators(language: Language) -> (char, char) {
    match language {
        Language::Hu => (',', ' '),
        Language::En | Language::ZhHans | Language::ZhHant => ('.', ','),
    }
}

/// A number as typed, cut into its parts: the sign, the whole digits and the fraction digits.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Digits {
    negative: bool,
    whole: String,
    fraction: String,
}

impl Digits {
    fn value(&self) -> f64 {
        let text = format!(
            "{}{}.{}",
            if self.negative { "-" } else { "" },
            if self.whole.is_empty() { "0" } else { &self.whole },
            if self.fraction.is_empty() {
                "0"
            } else {
                &self.fraction
            }
        );
        text.parse().unwrap_or(f64::NAN)
    }
}

/// Writes a number the way `language` writes it, for messages that show a reading (`1,500`, `1 500`, `1,5`).
fn written(language: Language, whole: &str, fraction: &str) -> String {
    let (decimal, group) = separators(language);
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(c);
    }
    if fraction.is_empty() {
        grouped
    } else {
        format!("{grouped}{decimal}{fraction}")
    }
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::En => "English",
        Language::Hu => "Hungarian",
        Language::ZhHans => "Simplified Chinese",
        Language::ZhHant => "Traditional Chinese",
    }
}

fn invalid(field: &str, raw: &str, language: Language) -> FieldError {
    let example = written(language, "1250", "5");
    FieldError::new(
        field,
        "invalid-number",
        format!("{:?} is not a number, such as {example}", raw.trim()),
    )
    .with("typed", raw.trim())
    .with("example", &example)
}

/// Cuts `text` (signs and symbols removed) into digits, checking every separator.
fn digits(
    field: &str,
    raw: &str,
    text: &str,
    negative: bool,
    language: Language,
) -> Result<Digits, FieldError> {
    let (_, group) = separators(language);
    // Spaces and apostrophes group thousands in any language; normalise them to one space.
    let text: String = text
        .chars()
        .map(|c| match c {
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '\u{2019}' => ' ',
            other => other,
        })
        .collect();
    if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
    {
        return Err(invalid(field, raw, language));
    }
    let dots = text.matches('.').count();
    let commas = text.matches(',').count();
    // Which mark is the decimal separator, if any.
    let decimal_mark = match (dots, commas) {
        (0, 0) => None,
        // Both: the last is the decimal separator, the other groups (1,234.56 or 1.234,56).
        (_, _) if dots > 0 && commas > 0 => {
            let last = text.rfind(['.', ',']).and_then(|i| text[i..].chars().next());
            let other = if last == Some('.') { commas } else { dots };
            let repeated = if last == Some('.') { dots } else { commas };
            if repeated > 1 || other == 0 {
                return Err(invalid(field, raw, language));
            }
            last
        }
        // One mark, several times: it groups (1,500,000 or 1.500.000).
        (n, 0) if n > 1 => None,
        (0, n) if n > 1 => None,
        // One mark, once.
        _ => {
            let mark = if dots == 1 { '.' } else { ',' };
            let at = text.find(mark).unwrap_or(0);
            let after = &text[at + 1..];
            let before = text[..at].rsplit(' ').next().unwrap_or("");
            let could_group = after.len() == 3
                && after.chars().all(|c| c.is_ascii_digit())
                && !before.is_empty()
                && !before.starts_with('0')
                && before.len() <= 3;
            if could_group && mark == group {
                None
            } else if could_group {
                // 1.500 in English, 1,500 or 1.500 in Hungarian: a decimal or a grouped thousand.
                let whole: String = text[..at].chars().filter(char::is_ascii_digit).collect();
                let as_decimal = written(language, &whole, after.trim_end_matches('0'));
                let as_grouped = written(language, &format!("{whole}{after}"), "");
                return Err(FieldError::new(
                    field,
                    "ambiguous-number",
                    format!(
                        "{}: {as_decimal} or {as_grouped}? In {} write {as_decimal} or {as_grouped}",
                        raw.trim(),
                        language_name(language)
                    ),
                )
                .with("typed", raw.trim())
                .with("one", &as_decimal)
                .with("other", &as_grouped));
            } else if mark == group {
                // 1,50 in English: the comma groups thousands, so it cannot stand there.
                let whole: String = text[..at].chars().filter(char::is_ascii_digit).collect();
                let meant = written(language, &whole, after);
                return Err(FieldError::new(
                    field,
                    "misplaced-group",
                    format!(
                        "{}: {mark:?} groups thousands in {}; for a fraction write {meant}",
                        raw.trim(),
                        language_name(language)
                    ),
                )
                .with("typed", raw.trim())
                .with("meant", &meant));
            } else {
                Some(mark)
            }
        }
    };
    let (whole_part, fraction) = match decimal_mark.and_then(|m| text.rfind(m)) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text.as_str(), ""),
    };
    if fraction.contains(['.', ',', ' ']) {
        return Err(invalid(field, raw, language));
    }
    // Whatever groups the whole part must group it in threes: 1,500,000 or 1 500 000, not 15,00,000.
    let groups: Vec<&str> = whole_part.split(['.', ',', ' ']).collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(invalid(field, raw, language));
        }
    }
    let whole: String = groups.concat();
    if whole.is_empty() && fraction.is_empty() {
        return Err(invalid(field, raw, language));
    }
    Ok(Digits {
        negative,
        whole: whole.trim_start_matches('0').to_string(),
        fraction: fraction.to_string(),
    })
}

/// Takes a leading minus (or the typographic one) off.
fn sign(text: &str) -> (bool, &str) {
    match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    }
}

/// A number typed on a page in `language`.
pub fn number(field: &str, raw: &str, language: Language) -> Result<f64, FieldError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "required", "a number is required"));
    }
    if trimmed.contains('%') {
        return Err(invalid(field, raw, language));
    }
    let (negative, rest) = sign(trimmed);
    let value = digits(field, raw, rest, negative, language)?.value();
    if value.is_finite() {
        Ok(value)
    } else {
        Err(invalid(field, raw, language))
    }
}

/// A number typed on a page in `language` for a percentage: `4.54` or `4.54 %` mean the same.
pub fn percent(field: &str, raw: &str, language: Language) -> Result<f64, FieldError> {
    let trimmed = raw.trim();
    let bare = trimmed
        .strip_suffix(['%', '％'])
        .map(str::trim_end)
        .unwrap_or(trimmed);
    number(field, bare, language).map_err(|mut e| {
        e.message = e.message.replace(&format!("{bare:?}"), &format!("{trimmed:?}"));
        e
    })
}

/// The symbols a currency is written with besides its code.
fn symbols(currency: Currency) -> &'static [&'static str] {
    match currency.code() {
        "EUR" => &["€"],
        "HUF" => &["Ft"],
        "CNY" => &["¥", "CN¥", "元", "RMB"],
        "TWD" => &["NT$", "元"],
        "USD" => &["$", "US$"],
        "GBP" => &["£"],
        "JPY" => &["¥", "JP¥", "円"],
        "KRW" => &["₩"],
        "CHF" => &["Fr."],
        "CZK" => &["Kč"],
        "PLN" => &["zł"],
        "RON" => &["lei"],
        "SEK" | "NOK" | "DKK" => &["kr"],
        "HKD" => &["HK$"],
        "SGD" => &["S$"],
        "AUD" => &["A$"],
        "CAD" => &["CA$"],
        _ => &[],
    }
}

/// An amount of money typed on a page in `language`, in `currency`: the currency's code or symbol may stand
/// before or after it; another currency's is refused, and so are more decimals than the currency has.
pub fn money(field: &str, raw: &str, language: Language, currency: Currency) -> Result<Money, FieldError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "required", "an amount is required"));
    }
    let (negative, rest) = sign(trimmed);
    // The affix: letters and symbols before or after the digits.
    let start = rest
        .find(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
        .unwrap_or(rest.len());
    let end = rest
        .rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
        .map_or(0, |i| i + 1);
    if start >= end {
        return Err(invalid(field, raw, language));
    }
    let (before, body, after) = (rest[..start].trim(), &rest[start..end], rest[end..].trim());
    for affix in [before, after] {
        if affix.is_empty() {
            continue;
        }
        let ours = affix.eq_ignore_ascii_case(currency.code()) || symbols(currency).contains(&affix);
        if !ours {
            return Err(FieldError::new(
                field,
                "wrong-currency",
                format!("{:?}: this amount is in {}", trimmed, currency.code()),
            )
            .with("typed", trimmed)
            .with("currency", currency.code()));
        }
    }
    if !before.is_empty() && !after.is_empty() {
        return Err(invalid(field, raw, language));
    }
    let d = digits(field, raw, body, negative, language)?;
    let places = currency.minor_digits() as usize;
    if d.fraction.len() > places {
        return Err(FieldError::new(
            field,
            "too-many-decimals",
            format!("{:?}: {} has {places} decimal places", trimmed, currency.code()),
        )
        .with("typed", trimmed)
        .with("currency", currency.code())
        .with("places", &places.to_string()));
    }
    let too_large = || {
        FieldError::new(
            field,
            "invalid-amount",
            format!("{trimmed:?} is too large an amount"),
        )
    };
    let whole: i64 = if d.whole.is_empty() {
        0
    } else {
        d.whole.parse().map_err(|_| too_large())?
    };
    let fraction = format!("{:0<places$}", d.fraction);
    let fraction: i64 = if places == 0 {
        0
    } else {
        fraction.parse().map_err(|_| too_large())?
    };
    let minor = whole
        .checked_mul(10_i64.pow(places as u32))
        .and_then(|w| w.checked_add(fraction))
        .ok_or_else(too_large)?;
    Ok(Money {
        minor: if negative { -minor } else { minor },
        currency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{En, Hu, ZhHans};

    fn eur() -> Currency {
        Currency::parse("c", "EUR").unwrap()
    }

    #[test]
    fn plain_and_grouped_numbers_read_the_same_in_every_language() {
        for lang in [En, Hu, ZhHans] {
            assert_eq!(number("v", "1250", lang).unwrap(), 1250.0);
            assert_eq!(number("v", "1 250 000", lang).unwrap(), 1_250_000.0);
            assert_eq!(number("v", "-3", lang).unwrap(), -3.0);
        }
        assert_eq!(number("v", "1,250,000", En).unwrap(), 1_250_000.0);
        assert_eq!(number("v", "1,250.5", En).unwrap(), 1250.5);
        assert_eq!(number("v", "12.5", En).unwrap(), 12.5);
        assert_eq!(number("v", "0.001", En).unwrap(), 0.001);
        assert_eq!(number("v", "1,500", En).unwrap(), 1500.0);
        assert_eq!(number("v", "1 250,5", Hu).unwrap(), 1250.5);
        assert_eq!(number("v", "1.250.000", Hu).unwrap(), 1_250_000.0);
        assert_eq!(number("v", "1.250,5", Hu).unwrap(), 1250.5);
        assert_eq!(number("v", "12,5", Hu).unwrap(), 12.5);
        assert_eq!(number("v", "0,001", Hu).unwrap(), 0.001);
    }

    #[test]
    fn a_number_that_could_mean_two_things_is_refused_with_both_readings() {
        let e = number("v", "1.500", En).unwrap_err();
        assert_eq!(e.code, "ambiguous-number");
        assert_eq!(e.message, "1.500: 1.5 or 1,500? In English write 1.5 or 1,500");
        let e = number("v", "1,500", Hu).unwrap_err();
        assert_eq!(e.code, "ambiguous-number");
        assert!(e.message.contains("1,5 or 1 500"), "{}", e.message);
        assert_eq!(number("v", "1.500", Hu).unwrap_err().code, "ambiguous-number");
    }

    #[test]
    fn a_grouping_separator_in_the_wrong_place_is_refused() {
        let e = number("v", "1,50", En).unwrap_err();
        assert_eq!(e.code, "misplaced-group");
        assert!(e.message.contains("write 1.50"), "{}", e.message);
        assert_eq!(number("v", "15,00,000", En).unwrap_err().code, "invalid-number");
        assert_eq!(number("v", "1.2.3,4,5", Hu).unwrap_err().code, "invalid-number");
        assert_eq!(number("v", "twelve", En).unwrap_err().code, "invalid-number");
    }

    #[test]
    fn percent_fields_take_a_percent_sign_and_others_do_not() {
        assert_eq!(percent("v", "4.54%", En).unwrap(), 4.54);
        assert_eq!(percent("v", "4,54 %", Hu).unwrap(), 4.54);
        assert_eq!(number("v", "4.54%", En).unwrap_err().code, "invalid-number");
    }

    #[test]
    fn money_takes_its_own_currency_and_refuses_another_or_too_many_decimals() {
        assert_eq!(money("b", "€5000", En, eur()).unwrap().minor, 500_000);
        assert_eq!(money("b", "5000 EUR", En, eur()).unwrap().minor, 500_000);
        assert_eq!(money("b", "5 000,50 €", Hu, eur()).unwrap().minor, 500_050);
        assert_eq!(money("b", "1,500", En, eur()).unwrap().minor, 150_000);
        assert_eq!(
            money("b", "1.500", En, eur()).unwrap_err().code,
            "ambiguous-number"
        );
        assert_eq!(
            money("b", "0.001", En, eur()).unwrap_err().code,
            "too-many-decimals"
        );
        assert_eq!(money("b", "$5000", En, eur()).unwrap_err().code, "wrong-currency");
        let huf = Currency::parse("c", "HUF").unwrap();
        assert_eq!(money("b", "1 500 000 Ft", Hu, huf).unwrap().minor, 150_000_000);
        let jpy = Currency::parse("c", "JPY").unwrap();
        assert_eq!(money("b", "¥1,500", En, jpy).unwrap().minor, 1500);
        assert_eq!(
            money("b", "1500.5", En, jpy).unwrap_err().code,
            "too-many-decimals"
        );
    }
}
