//! Constrained values parsed once at the edge: past the edge, code never checks them again.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An e-mail address, trimmed and lower-cased.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses an address with one `@`, a non-empty local part and a dotted domain.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(FieldError::new(
                field,
                "required",
                "an e-mail address is required",
            ));
        }
        let valid = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && s.len() <= 254
                    && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if valid {
            Ok(Email(s))
        } else {
            Err(FieldError::new(
                field,
                "invalid-email",
                format!("{raw:?} is not an e-mail address"),
            ))
        }
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps an address read back from storage, where it was stored already parsed.
    pub fn from_stored(s: String) -> Self {
        Email(s)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Refuses text with a NUL character: no person types one, and PostgreSQL cannot store it.
pub fn no_nul(field: &str, raw: &str) -> Result<(), FieldError> {
    if raw.contains('\0') {
        Err(FieldError::new(
            field,
            "invalid-character",
            "the text contains a NUL character",
        ))
    } else {
        Ok(())
    }
}

/// Trimmed text that must not be empty and has a maximum length in characters.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    no_nul(field, raw)?;
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required", "this field is required"));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too-long",
            format!("at most {max} characters"),
        ));
    }
    Ok(s.to_string())
}

/// Trimmed optional text with a maximum length; empty becomes an empty string.
pub fn optional_text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    no_nul(field, raw)?;
    let s = raw.trim();
    if s.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too-long",
            format!("at most {max} characters"),
        ));
    }
    Ok(s.to_string())
}

macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $word:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant),*
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable word stored in the database and used in forms and the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),* }
            }

            /// Parses the stable word.
            pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
                match raw.trim() {
                    $($word => Ok($name::$variant),)*
                    "" => Err(FieldError::new(field, "required", concat!("a ", $what, " is required"))),
                    other => Err(FieldError::new(
                        field,
                        "invalid-choice",
                        format!(concat!("{:?} is not a ", $what, "; one of: {}"), other,
                            [$($word),*].join(", ")),
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        // Written by hand: the derive cannot read `serde(rename)` values that come from this macro's arguments.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($word),*]))
                    .description(Some(concat!("A ", $what, ": one of the stable words.")))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

word_enum!(
    /// What a person may do is decided by their role.
    Role, "role" {
        /// Runs the agency: everything, including people.
        Owner = "owner",
        /// Looks after clients.
        AccountExecutive = "account-executive",
        /// Creative, media or research work on work orders.
        Specialist = "specialist",
        /// Job numbers, costs, invoices, payments.
        Finance = "finance",
        /// A person at a client, who sees only that client.
        ClientContact = "client-contact",
    }
);

word_enum!(
    /// The languages of the interface and of documents.
    Language, "language" {
        /// English.
        En = "en",
        /// Hungarian.
        Hu = "hu",
        /// Simplified Chinese.
        ZhHans = "zh-Hans",
        /// Traditional Chinese.
        ZhHant = "zh-Hant",
    }
);

impl Language {
    /// Picks the best language from an HTTP `Accept-Language` header, English when nothing fits.
    pub fn from_accept_language(header: &str) -> Language {
        for part in header.split(',') {
            let tag = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            let found = match tag.as_str() {
                t if t.starts_with("hu") => Some(Language::Hu),
                "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" => Some(Language::ZhHant),
                t if t.starts_with("zh-hant") => Some(Language::ZhHant),
                t if t.starts_with("zh") => Some(Language::ZhHans),
                t if t.starts_with("en") => Some(Language::En),
                _ => None,
            };
            if let Some(language) = found {
                return language;
            }
        }
        Language::En
    }
}

word_enum!(
    /// How a client makes money, which decides its KPI presets.
    BusinessModel, "business model" {
        /// Sells through leads and a sales team.
        LeadGeneration = "lead-generation",
        /// Sells online.
        Ecommerce = "e-commerce",
        /// Lives on readers and advertising.
        Publisher = "publisher",
        /// Builds a brand.
        Brand = "brand",
    }
);

/// An IANA time-zone name that the time-zone database knows, such as `Europe/Budapest`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    /// Parses a name the bundled time-zone database knows.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::new(field, "required", "a time zone is required"));
        }
        match jiff::tz::TimeZone::get(s) {
            Ok(tz) => Ok(TimeZoneName(tz.iana_name().unwrap_or(s).to_string())),
            Err(_) => Err(FieldError::new(
                field,
                "unknown-time-zone",
                format!("{s:?} is not an IANA time zone such as Europe/Budapest"),
            )),
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps a name read back from storage.
    pub fn from_stored(s: String) -> Self {
        TimeZoneName(s)
    }

    /// The zone itself (UTC for a stored name the bundled database no longer knows, which parsing prevents).
    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.0).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// The calendar day it is at `now` in this zone: at 07:30 in Taipei it is already the next day, while UTC
    /// is still on the day before. Every day, week or month chosen for a client is chosen by this.
    pub fn today(&self, now: jiff::Timestamp) -> jiff::civil::Date {
        now.to_zoned(self.zone()).date()
    }
}

/// An ISO 4217 currency code with its number of minor units.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Currency(&'static str);

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::parse("currency", &code).map_err(|e| serde::de::Error::custom(e.message))
    }
}

/// The currencies Accountable knows: the minor-unit digits amounts are kept and typed with (ISO 4217, CLDR's
/// `digits`) and the digits people write in practice (CLDR's `cashDigits`, from `supplemental/currencyData`:
/// forints, New Taiwan dollars, koruna and Scandinavian crowns are written without decimals although their
/// ISO minor unit is 2). See docs/decisions/0015.
const CURRENCIES: &[(&str, u8, u8)] = &[
    ("EUR", 2, 2),
    ("HUF", 2, 0),
    ("CNY", 2, 2),
    ("TWD", 2, 0),
    ("USD", 2, 2),
    ("GBP", 2, 2),
    ("CHF", 2, 2),
    ("CZK", 2, 0),
    ("PLN", 2, 2),
    ("RON", 2, 2),
    ("SEK", 2, 0),
    ("NOK", 2, 0),
    ("DKK", 2, 2),
    ("HKD", 2, 2),
    ("SGD", 2, 2),
    ("JPY", 0, 0),
    ("KRW", 0, 0),
    ("AUD", 2, 2),
    ("CAD", 2, 2),
];

impl Currency {
    /// Parses a known three-letter code, in any case.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(FieldError::new(field, "required", "a currency is required"));
        }
        CURRENCIES
            .iter()
            .find(|(code, _, _)| *code == s)
            .map(|(code, _, _)| Currency(code))
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    "unknown-currency",
                    format!("{s:?} is not an ISO 4217 currency we support"),
                )
            })
    }

    /// The three-letter code.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// How many digits follow the decimal point.
    pub fn minor_digits(self) -> u8 {
        CURRENCIES
            .iter()
            .find(|(code, _, _)| *code == self.0)
            .map(|(_, d, _)| *d)
            .unwrap_or(2)
    }

    /// How many digits people write after the decimal point in practice (CLDR's `cashDigits`): 0 for HUF and
    /// TWD, as for JPY; otherwise the same as [`Currency::minor_digits`].
    pub fn written_digits(self) -> u8 {
        CURRENCIES
            .iter()
            .find(|(code, _, _)| *code == self.0)
            .map(|(_, _, d)| *d)
            .unwrap_or(2)
    }

    /// Every supported currency code.
    pub fn all_codes() -> impl Iterator<Item = &'static str> {
        CURRENCIES.iter().map(|(code, _, _)| *code)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// An amount of money in integer minor units (cents, fillér) with its currency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// The amount in minor units.
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// The amount as plain decimal text without grouping, such as `12000.50`, or `1500000` for whole forints
    /// (written without decimals, as [`Currency::written_digits`] says).
    pub fn plain(&self) -> String {
        let digits = self.currency.minor_digits() as u32;
        if digits == 0 {
            return self.minor.to_string();
        }
        if self.currency.written_digits() == 0 && self.minor % 10_i64.pow(digits) == 0 {
            return (self.minor / 10_i64.pow(digits)).to_string();
        }
        let scale = 10_i64.pow(digits);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        format!(
            "{sign}{}.{:0width$}",
            abs / scale as u64,
            abs % scale as u64,
            width = digits as usize
        )
    }
}

/// When the weekly status report goes out: a weekday and a time of day in the client's time zone.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyReportTime {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i8,
    /// Minutes after midnight.
    pub minute_of_day: i16,
}

impl Default for WeeklyReportTime {
    fn default() -> Self {
        WeeklyReportTime {
            weekday: 1,
            minute_of_day: 12 * 60,
        }
    }
}

impl WeeklyReportTime {
    /// Parses a weekday number (1–7) and a `HH:MM` time.
    pub fn parse(
        weekday_field: &str,
        weekday: &str,
        time_field: &str,
        time: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let day = match weekday.trim().parse::<i8>() {
            Ok(d) if (1..=7).contains(&d) => d,
            _ => {
                errors.push(FieldError::new(
                    weekday_field,
                    "invalid-weekday",
                    "a weekday from 1 (Monday) to 7",
                ));
                1
            }
        };
        let minute = match jiff::civil::Time::strptime("%H:%M", time.trim()) {
            Ok(t) => t.hour() as i16 * 60 + t.minute() as i16,
            Err(_) => {
                errors.push(FieldError::new(
                    time_field,
                    "invalid-time",
                    format!("{time:?} is not a time as HH:MM"),
                ));
                0
            }
        };
        if errors.is_empty() {
            Ok(WeeklyReportTime {
                weekday: day,
                minute_of_day: minute,
            })
        } else {
            Err(errors)
        }
    }

    /// The time of day as `HH:MM`.
    pub fn time_text(&self) -> String {
        format!("{:02}:{:02}", self.minute_of_day / 60, self.minute_of_day % 60)
    }
}

/// Parses an ISO date `YYYY-MM-DD`.
pub fn parse_date(field: &str, raw: &str) -> Result<jiff::civil::Date, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required", "a date is required"));
    }
    s.parse::<jiff::civil::Date>().map_err(|_| {
        FieldError::new(
            field,
            "invalid-date",
            format!("{s:?} is not a date as YYYY-MM-DD"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lowercased_and_rejects_garbage() {
        assert_eq!(
            Email::parse("email", "  Anna@Example.COM ").unwrap().as_str(),
            "anna@example.com"
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.com",
            "anna@example",
            "a b@example.com",
            "a@b@example.com",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn money_is_written_plainly_without_grouping() {
        let huf = Currency::parse("c", "huf").unwrap();
        assert_eq!(
            Money {
                minor: 1_200_050,
                currency: huf
            }
            .plain(),
            "12000.50"
        );
        // Whole forints are written without decimals; euros keep theirs.
        let whole = Money {
            minor: 150_000_000,
            currency: huf,
        };
        assert_eq!(whole.plain(), "1500000");
        let euros = Money {
            minor: 150_000,
            currency: Currency::parse("c", "EUR").unwrap(),
        };
        assert_eq!(euros.plain(), "1500.00");
    }

    #[test]
    fn unknown_currency_and_time_zone_are_field_errors() {
        assert_eq!(
            Currency::parse("currency", "XYZ").unwrap_err().code,
            "unknown-currency"
        );
        assert_eq!(
            TimeZoneName::parse("time_zone", "Mars/Olympus").unwrap_err().code,
            "unknown-time-zone"
        );
        assert_eq!(
            TimeZoneName::parse("time_zone", "Asia/Taipei").unwrap().as_str(),
            "Asia/Taipei"
        );
    }

    #[test]
    fn accept_language_picks_traditional_chinese_for_taiwan() {
        assert_eq!(Language::from_accept_language("zh-TW,zh;q=0.9"), Language::ZhHant);
        assert_eq!(Language::from_accept_language("zh-CN,zh;q=0.9"), Language::ZhHans);
        assert_eq!(
            Language::from_accept_language("hu-HU,hu;q=0.9,en;q=0.8"),
            Language::Hu
        );
        assert_eq!(Language::from_accept_language("de-DE"), Language::En);
    }

    #[test]
    fn weekly_report_time_defaults_to_monday_noon_and_rejects_bad_times() {
        assert_eq!(WeeklyReportTime::default().time_text(), "12:00");
        assert!(WeeklyReportTime::parse("d", "8", "t", "25:00").unwrap_err().len() == 2);
        assert_eq!(
            WeeklyReportTime::parse("d", "3", "t", "09:30")
                .unwrap()
                .minute_of_day,
            570
        );
    }
}
