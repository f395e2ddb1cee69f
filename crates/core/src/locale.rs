//! Numbers, money and dates as each interface language writes them, and which plural form a count takes, using
//! ICU4X with CLDR data.
//!
//! Grouping, decimal separators, date patterns and plural rules come from ICU4X (`icu_decimal`, `icu_datetime`,
//! `icu_plurals`) and its
//! compiled CLDR data. Currency symbols and their placement come from a small table in this file that follows
//! CLDR, because ICU4X 2 does not yet format currencies in its stable API. Nothing here panics: if ICU cannot
//! build or run a formatter, the value is written in a plain, unlocalized form instead.

use crate::types::{Currency, Language, Money};
use icu_datetime::DateTimeFormatter;
use icu_datetime::DateTimeFormatterPreferences;
use icu_datetime::fieldsets::{YM, YMD, YMDT};
use icu_datetime::input::{Date, DateTime, Time};
use icu_datetime::options::Length;
use icu_datetime::preferences::{CalendarAlgorithm, HourCycle};
use icu_decimal::input::Decimal;
use icu_decimal::{DecimalFormatter, DecimalFormatterPreferences};
use icu_locale_core::{Locale, locale};
use icu_plurals::{PluralCategory, PluralRules, PluralRulesPreferences};
use std::sync::OnceLock;

/// Formats numbers, money and dates for one interface language; build it once with [`Formatter::for_language`].
///
/// It is `Send + Sync` (the crate enables `icu_provider`'s `sync` feature, without which ICU4X data is held in
/// an `Rc`), so one instance per language, built on first use, is shared by every thread.
pub struct Formatter {
    language: Language,
    decimal: Option<DecimalFormatter>,
    date: Option<DateTimeFormatter<YMD>>,
    date_time: Option<DateTimeFormatter<YMDT>>,
    month: Option<DateTimeFormatter<YM>>,
    plural: Option<PluralRules>,
}

/// Where the currency symbol goes relative to the number in CLDR's standard currency pattern.
#[derive(Clone, Copy)]
enum Placement {
    /// `¤#,##0.00`: the symbol right before the number, separated by a no-break space when the symbol ends
    /// in a letter (CLDR currency spacing), as in `€1.00` and `HUF 1.00`.
    Before,
    /// `#,##0.00 ¤` with a no-break space, as in Hungarian `1,00 Ft`.
    After,
}

/// Currency symbols per language, following CLDR (`common/main/*.xml`, `<currency><symbol>`); a currency not
/// listed is written with its ISO code, which is also what CLDR does for these languages.
///
/// One deliberate departure: zh-Hant (Taiwan) writes TWD as plain `$` in CLDR; we use `NT$` so amounts are
/// unambiguous next to US dollars.
const SYMBOLS: &[(Language, &[(&str, &str)])] = &[
    (
        Language::En,
        &[
            ("EUR", "€"),
            ("USD", "$"),
            ("GBP", "£"),
            ("CNY", "CN¥"),
            ("TWD", "NT$"),
            ("JPY", "¥"),
            ("HKD", "HK$"),
            ("KRW", "₩"),
            ("AUD", "A$"),
            ("CAD", "CA$"),
        ],
    ),
    (Language::Hu, &[("HUF", "Ft"), ("JPY", "¥")]),
    (
        Language::ZhHans,
        &[
            ("EUR", "€"),
            ("USD", "US$"),
            ("GBP", "£"),
            ("CNY", "¥"),
            ("TWD", "NT$"),
            ("JPY", "JP¥"),
            ("HKD", "HK$"),
            ("KRW", "￦"),
            ("AUD", "AU$"),
            ("CAD", "CA$"),
        ],
    ),
    (
        Language::ZhHant,
        &[
            ("EUR", "€"),
            ("USD", "US$"),
            ("GBP", "£"),
            ("CNY", "CN¥"),
            ("TWD", "NT$"),
            ("JPY", "¥"),
            ("HKD", "HK$"),
            ("KRW", "￦"),
            ("AUD", "AU$"),
            ("CAD", "CA$"),
        ],
    ),
];

/// The no-break space CLDR puts between a number and a currency symbol.
const NBSP: char = '\u{a0}';

static EN: OnceLock<Formatter> = OnceLock::new();
static HU: OnceLock<Formatter> = OnceLock::new();
static ZH_HANS: OnceLock<Formatter> = OnceLock::new();
static ZH_HANT: OnceLock<Formatter> = OnceLock::new();

impl Formatter {
    /// The shared formatter for a language, built on first use.
    pub fn for_language(lang: Language) -> &'static Formatter {
        let cell = match lang {
            Language::En => &EN,
            Language::Hu => &HU,
            Language::ZhHans => &ZH_HANS,
            Language::ZhHant => &ZH_HANT,
        };
        cell.get_or_init(|| Formatter::new(lang))
    }

    /// Builds the ICU formatters for a language; a formatter ICU cannot build is left out and its values are
    /// written plainly.
    fn new(language: Language) -> Formatter {
        let locale: Locale = match language {
            Language::En => locale!("en"),
            Language::Hu => locale!("hu"),
            Language::ZhHans => locale!("zh-Hans"),
            Language::ZhHant => locale!("zh-Hant"),
        };
        let decimal =
            DecimalFormatter::try_new(DecimalFormatterPreferences::from(&locale), Default::default()).ok();
        let mut prefs = DateTimeFormatterPreferences::from(&locale);
        prefs.calendar_algorithm = Some(CalendarAlgorithm::Gregory);
        prefs.hour_cycle = Some(HourCycle::H23);
        // CLDR's medium date is "Nov 23, 2026" in English and "2026年11月23日" in Chinese; Hungarian needs the
        // short one for the all-numeric "2026. 11. 23." (its medium is "2026. nov. 23.").
        let length = match language {
            Language::Hu => Length::Short,
            _ => Length::Medium,
        };
        let date = DateTimeFormatter::try_new(prefs, YMD::for_length(length)).ok();
        let date_time = DateTimeFormatter::try_new(prefs, YMD::for_length(length).with_time_hm()).ok();
        let month = DateTimeFormatter::try_new(prefs, YM::medium()).ok();
        let plural = PluralRules::try_new_cardinal(PluralRulesPreferences::from(&locale)).ok();
        Formatter {
            language,
            decimal,
            date,
            date_time,
            month,
            plural,
        }
    }

    /// The CLDR plural category of the count `n` in this language (English and Hungarian: `one` for 1, `other`
    /// for the rest; Chinese: always `other`); `other` if ICU could not build the rules.
    pub fn plural(&self, n: i64) -> PluralCategory {
        self.plural
            .as_ref()
            .map_or(PluralCategory::Other, |rules| rules.category_for(n))
    }

    /// The plural categories this language distinguishes for whole counts, `other` always among them.
    pub fn plural_categories(&self) -> Vec<PluralCategory> {
        let mut all: Vec<PluralCategory> = self
            .plural
            .as_ref()
            .map(|rules| rules.categories().collect())
            .unwrap_or_default();
        if !all.contains(&PluralCategory::Other) {
            all.push(PluralCategory::Other);
        }
        all
    }

    /// A whole number with the language's digit grouping, such as `1,234,567` or `1 234 567`.
    pub fn integer(&self, n: i64) -> String {
        self.decimal(n, 0)
    }

    /// The fixed-point value `minor / 10^scale` with exactly `scale` fraction digits, grouped per language.
    pub fn decimal(&self, minor: i64, scale: u8) -> String {
        let Some(formatter) = &self.decimal else {
            return plain_decimal(minor, scale);
        };
        let mut value = Decimal::from(minor);
        let shift = i16::from(scale);
        value.multiply_pow10(-shift);
        value.absolute.pad_end(-shift);
        formatter.format(&value).to_string()
    }

    /// An amount of money with its currency symbol placed as CLDR's standard currency pattern does, with the
    /// decimals people write for that currency: `1 500 000 Ft`, `NT$1,500`, but `€1,500.00`. An amount with a
    /// fraction those digits cannot show keeps every digit, so nothing typed is hidden (`1 500,50 Ft`).
    pub fn money(&self, m: Money) -> String {
        let kept = m.currency.minor_digits();
        let written = m.currency.written_digits().min(kept);
        let unit = 10_i64.pow(u32::from(kept - written));
        let number = if m.minor % unit == 0 {
            self.decimal(m.minor / unit, written)
        } else {
            self.decimal(m.minor, kept)
        };
        let symbol = symbol(self.language, m.currency);
        match placement(self.language) {
            Placement::After => format!("{number}{NBSP}{symbol}"),
            Placement::Before => {
                let (sign, digits) = split_sign(&number);
                let mut out = String::with_capacity(number.len() + symbol.len() + 2);
                out.push_str(sign);
                out.push_str(symbol);
                // CLDR currency spacing: a symbol whose last character is not itself a symbol (a letter, as
                // in `HUF`) gets a no-break space before the digits; `€`, `$` and `¥` do not.
                if symbol.chars().last().is_some_and(char::is_alphabetic) {
                    out.push(NBSP);
                }
                out.push_str(digits);
                out
            }
        }
    }

    /// A calendar date, such as `Nov 23, 2026`, `2026. 11. 23.` or `2026年11月23日`.
    pub fn date(&self, d: jiff::civil::Date) -> String {
        let icu = Date::try_new_iso(
            i32::from(d.year()),
            d.month().unsigned_abs(),
            d.day().unsigned_abs(),
        )
        .ok();
        match (&self.date, icu) {
            (Some(formatter), Some(date)) => formatter.format(&date).to_string(),
            _ => d.to_string(),
        }
    }

    /// A month and year, such as `Nov 2026`, `2026. nov.` or `2026年11月`, for chart axes.
    pub fn month(&self, d: jiff::civil::Date) -> String {
        let icu = Date::try_new_iso(i32::from(d.year()), d.month().unsigned_abs(), 1).ok();
        match (&self.month, icu) {
            (Some(formatter), Some(date)) => formatter.format(&date).to_string(),
            _ => format!("{}-{:02}", d.year(), d.month()),
        }
    }

    /// An instant as a date and 24-hour `HH:MM` time in the named IANA time zone (UTC when the name is
    /// unknown), such as `Nov 23, 2026, 14:05`.
    pub fn date_time(&self, at: jiff::Timestamp, time_zone: &str) -> String {
        let zone = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let local = at.to_zoned(zone).datetime();
        let icu = Date::try_new_iso(
            i32::from(local.year()),
            local.month().unsigned_abs(),
            local.day().unsigned_abs(),
        )
        .ok()
        .zip(Time::try_new(local.hour().unsigned_abs(), local.minute().unsigned_abs(), 0, 0).ok());
        match (&self.date_time, icu) {
            (Some(formatter), Some((date, time))) => formatter.format(&DateTime { date, time }).to_string(),
            _ => format!(
                "{} {:02}:{:02}",
                self.date(local.date()),
                local.hour(),
                local.minute()
            ),
        }
    }
}

/// The currency's symbol in a language, or its ISO code when CLDR has none.
fn symbol(language: Language, currency: Currency) -> &'static str {
    SYMBOLS
        .iter()
        .find(|(lang, _)| *lang == language)
        .and_then(|(_, table)| table.iter().find(|(code, _)| *code == currency.code()))
        .map_or(currency.code(), |(_, symbol)| *symbol)
}

/// Where a language's standard currency pattern puts the symbol.
fn placement(language: Language) -> Placement {
    match language {
        Language::Hu => Placement::After,
        Language::En | Language::ZhHans | Language::ZhHant => Placement::Before,
    }
}

/// Splits a leading minus sign (ASCII or U+2212) off formatted digits.
fn split_sign(number: &str) -> (&str, &str) {
    match number.chars().next() {
        Some(c @ ('-' | '\u{2212}')) => number.split_at(c.len_utf8()),
        _ => ("", number),
    }
}

/// `minor / 10^scale` without grouping, for when ICU is unavailable.
fn plain_decimal(minor: i64, scale: u8) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    match 10_u64.checked_pow(u32::from(scale)) {
        Some(_) if scale == 0 => format!("{sign}{abs}"),
        Some(div) => format!(
            "{sign}{}.{:0width$}",
            abs / div,
            abs % div,
            width = usize::from(scale)
        ),
        None => format!("{sign}{abs}e-{scale}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Language; 4] = [Language::En, Language::Hu, Language::ZhHans, Language::ZhHant];

    fn f(lang: Language) -> &'static Formatter {
        Formatter::for_language(lang)
    }

    fn money(minor: i64, code: &str) -> Money {
        Money {
            minor,
            currency: Currency::parse("currency", code).unwrap(),
        }
    }

    #[test]
    fn formatter_is_shareable_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Formatter>();
        assert!(std::ptr::eq(f(Language::Hu), f(Language::Hu)));
    }

    #[test]
    fn every_language_builds_its_icu_formatters() {
        for lang in ALL {
            let fmt = f(lang);
            assert!(
                fmt.decimal.is_some() && fmt.date.is_some() && fmt.date_time.is_some(),
                "{lang:?}"
            );
        }
    }

    #[test]
    fn integers_are_grouped_per_language() {
        assert_eq!(f(Language::En).integer(1_234_567), "1,234,567");
        assert_eq!(f(Language::Hu).integer(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(f(Language::ZhHans).integer(1_234_567), "1,234,567");
        assert_eq!(f(Language::ZhHant).integer(1_234_567), "1,234,567");
        assert_eq!(f(Language::En).integer(-1_000), "-1,000");
        // CLDR gives Hungarian a minimum grouping of two digits: four-digit numbers stay ungrouped.
        assert_eq!(f(Language::Hu).integer(1_234), "1234");
        assert_eq!(f(Language::Hu).integer(12_345), "12\u{a0}345");
        assert_eq!(f(Language::En).integer(1_234), "1,234");
        assert_eq!(f(Language::En).integer(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn decimals_keep_their_scale_and_use_the_language_separator() {
        assert_eq!(f(Language::En).decimal(123_456_789, 2), "1,234,567.89");
        assert_eq!(f(Language::Hu).decimal(123_456_789, 2), "1\u{a0}234\u{a0}567,89");
        assert_eq!(f(Language::ZhHans).decimal(123_456_789, 2), "1,234,567.89");
        assert_eq!(f(Language::ZhHant).decimal(123_456_789, 2), "1,234,567.89");
        assert_eq!(f(Language::En).decimal(100, 2), "1.00");
        assert_eq!(f(Language::En).decimal(5, 3), "0.005");
        assert_eq!(f(Language::Hu).decimal(-5, 2), "-0,05");
    }

    #[test]
    fn euros_follow_each_language_currency_pattern() {
        let m = money(123_456_789, "EUR");
        assert_eq!(f(Language::En).money(m), "€1,234,567.89");
        assert_eq!(f(Language::Hu).money(m), "1\u{a0}234\u{a0}567,89\u{a0}EUR");
        assert_eq!(f(Language::ZhHans).money(m), "€1,234,567.89");
        assert_eq!(f(Language::ZhHant).money(m), "€1,234,567.89");
    }

    #[test]
    fn forints_are_ft_in_hungarian_and_the_code_elsewhere() {
        let m = money(123_456_789, "HUF");
        assert_eq!(f(Language::En).money(m), "HUF\u{a0}1,234,567.89");
        assert_eq!(f(Language::Hu).money(m), "1\u{a0}234\u{a0}567,89\u{a0}Ft");
        assert_eq!(f(Language::ZhHans).money(m), "HUF\u{a0}1,234,567.89");
        assert_eq!(f(Language::ZhHant).money(m), "HUF\u{a0}1,234,567.89");
    }

    #[test]
    fn forints_taiwan_dollars_and_crowns_are_written_without_decimals_when_whole() {
        let forints = money(150_000_000, "HUF");
        assert_eq!(f(Language::Hu).money(forints), "1\u{a0}500\u{a0}000\u{a0}Ft");
        assert_eq!(f(Language::En).money(forints), "HUF\u{a0}1,500,000");
        let dollars = money(150_000, "TWD");
        assert_eq!(f(Language::ZhHant).money(dollars), "NT$1,500");
        assert_eq!(f(Language::En).money(money(-150_000, "TWD")), "-NT$1,500");
        assert_eq!(f(Language::En).money(money(250_000, "CZK")), "CZK\u{a0}2,500");
        // Euros keep their cents, whole or not.
        assert_eq!(f(Language::En).money(money(150_000, "EUR")), "€1,500.00");
        // A fraction the written digits cannot show is kept rather than hidden.
        assert_eq!(f(Language::Hu).money(money(150_050, "HUF")), "1500,50\u{a0}Ft");
    }

    #[test]
    fn yuan_is_plain_yen_sign_only_in_simplified_chinese() {
        let m = money(123_456_789, "CNY");
        assert_eq!(f(Language::En).money(m), "CN¥1,234,567.89");
        assert_eq!(f(Language::Hu).money(m), "1\u{a0}234\u{a0}567,89\u{a0}CNY");
        assert_eq!(f(Language::ZhHans).money(m), "¥1,234,567.89");
        assert_eq!(f(Language::ZhHant).money(m), "CN¥1,234,567.89");
    }

    #[test]
    fn taiwan_dollars_are_nt_dollars() {
        let m = money(123_456_789, "TWD");
        assert_eq!(f(Language::En).money(m), "NT$1,234,567.89");
        assert_eq!(f(Language::Hu).money(m), "1\u{a0}234\u{a0}567,89\u{a0}TWD");
        assert_eq!(f(Language::ZhHans).money(m), "NT$1,234,567.89");
        assert_eq!(f(Language::ZhHant).money(m), "NT$1,234,567.89");
    }

    #[test]
    fn negative_money_has_a_leading_minus_before_the_symbol() {
        assert_eq!(f(Language::En).money(money(-123_456, "EUR")), "-€1,234.56");
        assert_eq!(
            f(Language::En).money(money(-123_456, "HUF")),
            "-HUF\u{a0}1,234.56"
        );
        assert_eq!(
            f(Language::Hu).money(money(-12_345_678, "HUF")),
            "-123\u{a0}456,78\u{a0}Ft"
        );
        assert_eq!(f(Language::ZhHans).money(money(-123_456, "CNY")), "-¥1,234.56");
        assert_eq!(f(Language::ZhHant).money(money(-123_456, "TWD")), "-NT$1,234.56");
    }

    #[test]
    fn yen_has_no_fraction_digits() {
        let m = money(1_234_567, "JPY");
        assert_eq!(f(Language::En).money(m), "¥1,234,567");
        assert_eq!(f(Language::Hu).money(m), "1\u{a0}234\u{a0}567\u{a0}¥");
        assert_eq!(f(Language::ZhHans).money(m), "JP¥1,234,567");
        assert_eq!(f(Language::ZhHant).money(m), "¥1,234,567");
    }

    #[test]
    fn dates_use_each_language_pattern() {
        let d = jiff::civil::date(2026, 11, 23);
        assert_eq!(f(Language::En).date(d), "Nov 23, 2026");
        assert_eq!(f(Language::Hu).date(d), "2026. 11. 23.");
        assert_eq!(f(Language::ZhHans).date(d), "2026年11月23日");
        assert_eq!(f(Language::ZhHant).date(d), "2026年11月23日");
    }

    #[test]
    fn date_times_are_shown_in_the_given_zone_on_a_24_hour_clock() {
        // 13:05 UTC is 14:05 in Budapest (CET, UTC+1) on 23 November 2026.
        let at: jiff::Timestamp = "2026-11-23T13:05:00Z".parse().unwrap();
        assert_eq!(
            f(Language::En).date_time(at, "Europe/Budapest"),
            "Nov 23, 2026, 14:05"
        );
        assert_eq!(
            f(Language::Hu).date_time(at, "Europe/Budapest"),
            "2026. 11. 23. 14:05"
        );
        assert_eq!(
            f(Language::ZhHans).date_time(at, "Europe/Budapest"),
            "2026年11月23日 14:05"
        );
        assert_eq!(
            f(Language::ZhHant).date_time(at, "Europe/Budapest"),
            "2026年11月23日 14:05"
        );
    }

    #[test]
    fn date_times_cross_midnight_into_the_local_date() {
        // 20:30 UTC is 04:30 the next day in Shanghai (UTC+8).
        let at: jiff::Timestamp = "2026-11-22T20:30:00Z".parse().unwrap();
        assert_eq!(
            f(Language::ZhHans).date_time(at, "Asia/Shanghai"),
            "2026年11月23日 04:30"
        );
        assert_eq!(
            f(Language::En).date_time(at, "America/New_York"),
            "Nov 22, 2026, 15:30"
        );
    }

    #[test]
    fn an_unknown_time_zone_falls_back_to_utc() {
        let at: jiff::Timestamp = "2026-11-23T13:05:00Z".parse().unwrap();
        assert_eq!(
            f(Language::En).date_time(at, "Mars/Olympus_Mons"),
            "Nov 23, 2026, 13:05"
        );
    }

    #[test]
    fn plain_fallback_matches_the_icu_digits() {
        assert_eq!(plain_decimal(123_456_789, 2), "1234567.89");
        assert_eq!(plain_decimal(-5, 2), "-0.05");
        assert_eq!(plain_decimal(42, 0), "42");
    }
}
