//! Reading columns back into `core` values. A value the database holds but `core` cannot parse is a storage
//! error naming the column, never a panic.

use accountable_core::error::{Error, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

fn bad(column: &str, detail: impl std::fmt::Display) -> Error {
    Error::Store(StoreError::Other(format!("column {column}: {detail}")))
}

/// A text column.
pub fn text(row: &AnyRow, column: &str) -> Result<String, Error> {
    row.try_get::<String, _>(column).map_err(|e| bad(column, e))
}

/// A nullable text column.
pub fn opt_text(row: &AnyRow, column: &str) -> Result<Option<String>, Error> {
    row.try_get::<Option<String>, _>(column)
        .map_err(|e| bad(column, e))
}

/// An integer column.
pub fn int(row: &AnyRow, column: &str) -> Result<i64, Error> {
    row.try_get::<i64, _>(column).map_err(|e| bad(column, e))
}

/// A nullable integer column.
pub fn opt_int(row: &AnyRow, column: &str) -> Result<Option<i64>, Error> {
    row.try_get::<Option<i64>, _>(column).map_err(|e| bad(column, e))
}

/// A 0/1 flag column.
pub fn flag(row: &AnyRow, column: &str) -> Result<bool, Error> {
    int(row, column).map(|v| v != 0)
}

/// A timestamp column.
pub fn timestamp(row: &AnyRow, column: &str) -> Result<Timestamp, Error> {
    text(row, column)?
        .parse::<Timestamp>()
        .map_err(|e| bad(column, e))
}

/// A nullable timestamp column.
pub fn opt_timestamp(row: &AnyRow, column: &str) -> Result<Option<Timestamp>, Error> {
    match opt_text(row, column)? {
        Some(s) => s.parse::<Timestamp>().map(Some).map_err(|e| bad(column, e)),
        None => Ok(None),
    }
}

/// A date column.
pub fn date(row: &AnyRow, column: &str) -> Result<Date, Error> {
    text(row, column)?.parse::<Date>().map_err(|e| bad(column, e))
}

/// A nullable date column (an aggregate over no rows is NULL).
pub fn opt_date(row: &AnyRow, column: &str) -> Result<Option<Date>, Error> {
    match opt_text(row, column)? {
        Some(s) => s.parse::<Date>().map(Some).map_err(|e| bad(column, e)),
        None => Ok(None),
    }
}

/// Parses a stored value with a `core` parser, reporting a mismatch as a storage error.
pub fn parsed<T>(
    row: &AnyRow,
    column: &str,
    parse: impl Fn(&str, &str) -> Result<T, accountable_core::FieldError>,
) -> Result<T, Error> {
    let raw = text(row, column)?;
    parse(column, &raw).map_err(|e| bad(column, e.message))
}

/// The text form in which every timestamp is stored.
pub fn ts(at: Timestamp) -> String {
    accountable_core::audit::timestamp_text(at)
}

/// A 0/1 flag to store.
pub fn flag_value(b: bool) -> i64 {
    i64::from(b)
}

/// Ids written into a statement as `1,2,3` for an `IN (…)` list: our own integers, never user text, so nothing
/// from outside reaches the statement's text.
pub fn id_list(ids: impl IntoIterator<Item = i64>) -> String {
    let mut out = String::new();
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&id.to_string());
    }
    out
}

/// A floating-point column.
pub fn float(row: &AnyRow, column: &str) -> Result<f64, Error> {
    row.try_get::<f64, _>(column).map_err(|e| bad(column, e))
}

/// A floating-point column that may be NULL.
pub fn opt_float(row: &AnyRow, column: &str) -> Result<Option<f64>, Error> {
    row.try_get::<Option<f64>, _>(column).map_err(|e| bad(column, e))
}
