//! Everything an import of a client's files says, one function a code: the English the command line and the API
//! show, and the values a page needs to say the same in the person's language (the web's `[import_message]`
//! table has each code's words). Cells, headers, KPI names and file names are passed as the file writes them.

use super::errors::clip;
use super::said::Said;
use crate::kpi::Unit;
use jiff::civil::Date;

// Reading text and lines.

pub(super) fn not_text() -> Said {
    Said::new(
        "not-text",
        "the file is not UTF-8 or UTF-16 text (save it as CSV UTF-8, or download it again)".into(),
        [],
    )
}

pub(super) fn nul_character() -> Said {
    Said::new("nul-character", "the file contains a NUL character".into(), [])
}

pub(super) fn utf16_half_character() -> Said {
    Said::new(
        "utf16-half-character",
        "the UTF-16 file ends in half a character".into(),
        [],
    )
}

pub(super) fn not_utf16() -> Said {
    Said::new("not-utf16", "the file is not valid UTF-16 text".into(), [])
}

/// `cause` is the CSV reader's own (English) words.
pub(super) fn line_unreadable(cause: &dyn std::fmt::Display) -> Said {
    Said::new(
        "line-unreadable",
        format!("the line cannot be read: {cause}"),
        [("cause", cause.to_string().into())],
    )
}

pub(super) fn line_too_long(bytes: usize, limit: usize) -> Said {
    Said::new(
        "line-too-long",
        format!(
            "the line is {bytes} bytes long; a line may have at most {limit} bytes (is this an export of measurements?)"
        ),
        [("bytes", bytes.into()), ("limit", limit.into())],
    )
}

pub(super) fn cell_too_long(limit: usize) -> Said {
    Said::new(
        "cell-too-long",
        format!("a quoted cell starts here that is longer than {limit} bytes"),
        [("limit", limit.into())],
    )
}

pub(super) fn unterminated_quote() -> Said {
    Said::new(
        "unterminated-quote",
        "a quote opens a cell on this line and is never closed: the rest of the file would be one cell (close the quote, or remove it)".into(),
        [],
    )
}

pub(super) fn too_many_values(values: usize, columns: usize) -> Said {
    Said::new(
        "too-many-values",
        format!("the line has {values} values but the header names {columns} columns"),
        [("values", values.into()), ("columns", columns.into())],
    )
}

pub(super) fn not_a_date(value: &str) -> Said {
    let value = clip(value);
    Said::new(
        "not-a-date",
        format!("{value:?} is not a date as YYYY-MM-DD"),
        [("value", value.into())],
    )
}

pub(super) fn column_not_read(column: &str) -> Said {
    let column = clip(column);
    Said::new(
        "column-not-read",
        format!("column {column:?} not read"),
        [("column", column.into())],
    )
}

// The long format.

pub(super) fn header_unreadable(cause: &dyn std::fmt::Display) -> Said {
    Said::new(
        "header-unreadable",
        format!("the header cannot be read: {cause}"),
        [("cause", cause.to_string().into())],
    )
}

pub(super) fn long_header() -> Said {
    Said::new(
        "long-header",
        "the header must name the columns date, kpi and value".into(),
        [],
    )
}

pub(super) fn long_too_many_values(values: usize, columns: usize) -> Said {
    Said::new(
        "long-too-many-values",
        format!(
            "the line has {values} values but the header names {columns} columns (is a comma used as the decimal \
             mark?)"
        ),
        [("values", values.into()), ("columns", columns.into())],
    )
}

pub(super) fn client_missing() -> Said {
    Said::new(
        "client-missing",
        "the client is missing (its id or name)".into(),
        [],
    )
}

pub(super) fn kpi_missing() -> Said {
    Said::new("kpi-missing", "the KPI's name is missing".into(), [])
}

pub(super) fn long_not_a_number(value: &str) -> Said {
    let value = clip(value);
    Said::new(
        "long-not-a-number",
        format!("{value:?} is not a number with a point as the decimal mark, such as 1234.5"),
        [("value", value.into())],
    )
}

// Numbers in a locale.

pub(super) fn not_a_percentage(value: &str, locale: &str, example: &str) -> Said {
    let value = clip(value);
    let locale = clip(locale);
    let example = clip(example);
    Said::new(
        "not-a-percentage",
        format!("{value:?} is not a percentage in the {locale} format, such as {example}"),
        [
            ("value", value.into()),
            ("locale", locale.into()),
            ("example", example.into()),
        ],
    )
}

pub(super) fn not_a_number(value: &str, locale: &str, example: &str) -> Said {
    let value = clip(value);
    let locale = clip(locale);
    let example = clip(example);
    Said::new(
        "not-a-number",
        format!("{value:?} is not a number in the {locale} format, such as {example}"),
        [
            ("value", value.into()),
            ("locale", locale.into()),
            ("example", example.into()),
        ],
    )
}

// Zip files.

/// `cause` is the zip reader's own (English) words.
pub(super) fn zip_unreadable(cause: &dyn std::fmt::Display) -> Said {
    Said::new(
        "zip-unreadable",
        format!("the zip file cannot be read: {cause}"),
        [("cause", cause.to_string().into())],
    )
}

pub(super) fn zip_member_unreadable(name: &str, cause: &dyn std::fmt::Display) -> Said {
    let name = clip(name);
    Said::new(
        "zip-member-unreadable",
        format!("{name} in the zip file cannot be read: {cause}"),
        [("name", name.into()), ("cause", cause.to_string().into())],
    )
}

pub(super) fn zip_too_large(name: &str) -> Said {
    let name = clip(name);
    Said::new(
        "zip-too-large",
        format!("{name} in the zip file expands to more than 64 MiB (or all files to more than 256 MiB)"),
        [("name", name.into())],
    )
}

pub(super) fn zip_no_files() -> Said {
    Said::new("zip-no-files", "the zip file holds no files".into(), [])
}

/// `files`: each of the zip's files with why it holds nothing (`in_file`).
pub(super) fn zip_no_measurements(files: Vec<Said>) -> Said {
    let list: Vec<&str> = files.iter().map(|s| s.english.as_str()).collect();
    Said::new(
        "zip-no-measurements",
        format!("the zip file holds no measurements ({})", list.join("; ")),
        [("files", files.into())],
    )
}

/// What one file of a zip says, named by the file.
pub(super) fn in_file(file: &str, said: Said) -> Said {
    Said::new(
        "in-file",
        format!("{file}: {said}"),
        [("file", file.into()), ("said", said.into())],
    )
}

pub(super) fn zip_currency(code: &str, other: &str) -> Said {
    let code = clip(code);
    let other = clip(other);
    Said::new(
        "zip-currency",
        format!("{code} differs from the {other} of the other files: one import, one currency"),
        [("code", code.into()), ("other", other.into())],
    )
}

// Recognising a file.

pub(super) fn empty_file() -> Said {
    Said::new("empty-file", "the file is empty".into(), [])
}

pub(super) fn only_preamble(lines: usize, first: &str) -> Said {
    let first = clip(first);
    Said::new(
        "only-preamble",
        format!(
            "the file holds only a preamble ({lines} lines of text such as {first:?}) and no table of figures"
        ),
        [("lines", lines.into()), ("first", first.into())],
    )
}

/// `why`: what it looked like (`looks_like_*`, `no_known_columns`); `first`: its first line, shortened.
pub(super) fn unknown_format(why: Said, first: &str) -> Said {
    let first = clip(first);
    Said::new(
        "unknown-format",
        format!(
            "this is not a format Accountable reads: {why}; its first line is {first:?}. Known: the long format \
             (date,kpi,value), Search Console, Google Analytics 4, Google Ads, Meta Ads Manager and Business \
             Profile exports"
        ),
        [("why", why.into()), ("first", first.into())],
    )
}

pub(super) fn looks_like_ga4() -> Said {
    Said::new(
        "looks-like-ga4",
        "it starts with # comment lines like a Google Analytics 4 download, but not with GA4's \"# ----\" header \
         block (download the report again from GA4)"
            .into(),
        [],
    )
}

pub(super) fn looks_like_comparison() -> Said {
    Said::new(
        "looks-like-comparison",
        "it looks like a Search Console comparison export (two date ranges side by side), which is not read: \
         export one date range"
            .into(),
        [],
    )
}

pub(super) fn looks_like_ads() -> Said {
    Said::new(
        "looks-like-ads",
        "it has columns of an ads or search report, but not those of a Google Ads download (Campaign or Currency \
         code with Clicks, Impr., Cost…), a Search Console table (a first column such as Top queries, then Clicks, \
         Impressions, CTR, Position) or a Meta export (Reporting starts, Reporting ends)"
            .into(),
        [],
    )
}

pub(super) fn no_known_columns() -> Said {
    Said::new(
        "no-known-columns",
        "its first line names none of the columns of the formats Accountable knows".into(),
        [],
    )
}

pub(super) fn not_a_format() -> Said {
    Said::new(
        "not-a-format",
        "this is not a format Accountable reads".into(),
        [],
    )
}

pub(super) fn not_a_format_because(why: Said) -> Said {
    Said::new(
        "not-a-format-because",
        format!("this is not a format Accountable reads: {why}"),
        [("why", why.into())],
    )
}

pub(super) fn no_rows() -> Said {
    Said::new("no-rows", "the file has a header and no rows".into(), [])
}

// Search Console.

pub(super) fn several_filters(count: usize) -> Said {
    Said::new(
        "several-filters",
        format!(
            "this import holds {count} Filters.csv files: import each Search Console export on its own (or as its \
             zip)"
        ),
        [("count", count.into())],
    )
}

pub(super) fn no_filters() -> Said {
    Said::new(
        "no-filters",
        "a Search Console table holds totals for the export's date range, which only its Filters.csv names: \
         import it together with Filters.csv (name both files in one import) or import the zip as downloaded"
            .into(),
        [],
    )
}

pub(super) fn filters_gave_period(start: Date, end: Date) -> Said {
    Said::new(
        "filters-gave-period",
        format!(
            "Filters.csv holds no measurements; it gave the Search Console files imported with it their period, \
             {start} to {end}"
        ),
        [("start", start.into()), ("end", end.into())],
    )
}

pub(super) fn filters_alone() -> Said {
    Said::new(
        "filters-alone",
        "a Search Console Filters.csv lists the export's filters and date range; it holds no measurements \
         (import it together with the other files of its export)"
            .into(),
        [],
    )
}

pub(super) fn filters_no_range(file: &str) -> Said {
    let file = clip(file);
    Said::new(
        "filters-no-range",
        format!(
            "{file} names no date range: import the Search Console files with the Filters.csv of the same export"
        ),
        [("file", file.into())],
    )
}

pub(super) fn filters_bad_range(file: &str, line: u64, value: &str) -> Said {
    let file = clip(file);
    let value = clip(value);
    Said::new(
        "filters-bad-range",
        format!(
            "{file} line {line}: the date range {value:?} is not two dates (a comparison of two ranges, or a range \
             in words, cannot be read: export one fixed date range)"
        ),
        [
            ("file", file.into()),
            ("line", line.into()),
            ("value", value.into()),
        ],
    )
}

pub(super) fn gsc_column_missing(column: &str) -> Said {
    let column = clip(column);
    Said::new(
        "gsc-column-missing",
        format!(
            "the column {column:?} is missing: a Search Console export has the columns Clicks, Impressions, CTR \
             and Position (in the interface's language)"
        ),
        [("column", column.into())],
    )
}

// Google Analytics 4.

pub(super) fn ga4_no_rows() -> Said {
    Said::new(
        "ga4-no-rows",
        "the download holds its header block and no rows of figures".into(),
        [],
    )
}

pub(super) fn not_a_compact_date(value: &str) -> Said {
    let value = clip(value);
    Said::new(
        "not-a-compact-date",
        format!("{value:?} is not a date as YYYYMMDD"),
        [("value", value.into())],
    )
}

pub(super) fn ga4_no_range() -> Said {
    Said::new(
        "ga4-no-range",
        "the header block names no date range (# Start date and # End date): download the report again with its \
         header block"
            .into(),
        [],
    )
}

// Google Ads.

pub(super) fn ads_no_rows() -> Said {
    Said::new("ads-no-rows", "the report has its header and no rows".into(), [])
}

pub(super) fn ads_no_range(shown: &str) -> Said {
    let shown = clip(shown);
    Said::new(
        "ads-no-range",
        format!(
            "the date range above the header ({shown:?}) is not two dates: download the report with a fixed date \
             range (and its title and date range lines)"
        ),
        [("line", shown.into())],
    )
}

pub(super) fn currency_differs(code: &str, other: &str, line: u64) -> Said {
    let code = clip(code);
    let other = clip(other);
    Said::new(
        "currency-differs",
        format!("{code} differs from {other} on line {line}: one file must hold one currency"),
        [
            ("code", code.into()),
            ("other", other.into()),
            ("line", line.into()),
        ],
    )
}

pub(super) fn whole_row(line: u64, label: &str) -> Said {
    let label = clip(label);
    Said::new(
        "whole-row",
        format!("the whole for the period is line {line}: {label:?}"),
        [("line", line.into()), ("label", label.into())],
    )
}

// Meta Ads Manager.

pub(super) fn meta_no_data() -> Said {
    Said::new(
        "meta-no-data",
        "the Meta export says \"No data available.\": it holds no rows for its period".into(),
        [],
    )
}

pub(super) fn ends_before_start() -> Said {
    Said::new(
        "ends-before-start",
        "the reporting period ends before it starts".into(),
        [],
    )
}

// Business Profile.

pub(super) fn period_from_name(start: Date, end: Date) -> Said {
    Said::new(
        "period-from-name",
        format!("the period {start} to {end} comes from the file's name"),
        [("start", start.into()), ("end", end.into())],
    )
}

pub(super) fn period_from_options(start: Date, end: Date) -> Said {
    Said::new(
        "period-from-options",
        format!("the period {start} to {end} comes from the import's options"),
        [("start", start.into()), ("end", end.into())],
    )
}

pub(super) fn gbp_no_period() -> Said {
    Said::new(
        "gbp-no-period",
        "a Business Profile export states its period only in the name Google gives the download (\"… - 2026-1-1 \
         - 2026-1-31 - ….csv\"), and this file's name does not: keep that name, or give the period (--period \
         2026-01-01..2026-01-31)"
            .into(),
        [],
    )
}

// The client's KPIs.

pub(super) fn no_such_kpi(kpi: &str) -> Said {
    let kpi = clip(kpi);
    Said::new(
        "no-such-kpi",
        format!("the client has no KPI named {kpi:?} (add it, or import with --create-kpis)"),
        [("kpi", kpi.into())],
    )
}

pub(super) fn preset_name_taken(kpi: &str, source: &str, its_source: &str) -> Said {
    let kpi = clip(kpi);
    let source = clip(source);
    let its_source = clip(its_source);
    Said::new(
        "preset-name-taken",
        format!(
            "this column feeds the KPI {kpi:?}, but the client's KPI of that name is not mapped to {source} (its \
             source is {its_source:?}): give it that source, or rename it"
        ),
        [
            ("kpi", kpi.into()),
            ("source", source.into()),
            ("its_source", its_source.into()),
        ],
    )
}

pub(super) fn unknown_source(source: &str) -> Said {
    let source = clip(source);
    Said::new(
        "unknown-source",
        format!("no KPI is known for the source {source}"),
        [("source", source.into())],
    )
}

pub(super) fn chosen_kpi_unknown() -> Said {
    Said::new(
        "chosen-kpi-unknown",
        "the KPI chosen for this column is not one of the client's (choose again on the preview)".into(),
        [],
    )
}

pub(super) fn chosen_kpi_unit(unit: Unit, kpi: &str, kpi_unit: Unit) -> Said {
    let kpi = clip(kpi);
    let (unit, kpi_unit) = (unit_word(unit), unit_word(kpi_unit));
    Said::new(
        "chosen-kpi-unit",
        format!(
            "this column gives {unit}, but the KPI {kpi:?} chosen for it is {kpi_unit}: choose a KPI of the same unit"
        ),
        [
            ("unit", unit.into()),
            ("kpi", kpi.into()),
            ("kpi_unit", kpi_unit.into()),
        ],
    )
}

/// A unit's name with its article ("a count"), as a message names it.
fn unit_word(unit: Unit) -> Said {
    let english = format!("a {}", unit.as_str());
    match unit {
        Unit::Count => Said::new("unit-count", english, []),
        Unit::Money => Said::new("unit-money", english, []),
        Unit::Percent => Said::new("unit-percent", english, []),
        Unit::Ratio => Said::new("unit-ratio", english, []),
        Unit::Seconds => Said::new("unit-seconds", english, []),
        Unit::Position => Said::new("unit-position", english, []),
    }
}

pub(super) fn currency_not_clients(code: &str, ours: &str) -> Said {
    let code = clip(code);
    let ours = clip(ours);
    Said::new(
        "currency-not-clients",
        format!(
            "the amounts are in {code}, but the client's currency is {ours}: Accountable does not convert \
             currencies (download the report in {ours}, or change the client's currency)"
        ),
        [("code", code.into()), ("ours", ours.into())],
    )
}

pub(super) fn other_clients_line(named: &str, client: &str) -> Said {
    let named = clip(named);
    let client = clip(client);
    Said::new(
        "other-clients-line",
        format!(
            "this line is for {named:?}, but the file is imported for {client:?}: import it for the whole agency \
             (without a client), or leave out the other clients' lines"
        ),
        [("named", named.into()), ("client", client.into())],
    )
}

/// The same KPI, period and dimension given again: `dimension` is empty for the whole.
pub(super) fn value_repeated(first: u64, kpi: &str, dimension: &str, start: Date, end: Date) -> Said {
    let kpi = clip(kpi);
    let dimension = clip(dimension);
    if dimension.is_empty() {
        return Said::new(
            "value-repeated",
            format!(
                "line {first} already gives {kpi} from {start} to {end}: a file may give each value once"
            ),
            [
                ("first", first.into()),
                ("kpi", kpi.into()),
                ("start", start.into()),
                ("end", end.into()),
            ],
        );
    }
    Said::new(
        "value-repeated-for",
        format!(
            "line {first} already gives {kpi} for {dimension:?} from {start} to {end}: a file may give each value \
             once"
        ),
        [
            ("first", first.into()),
            ("kpi", kpi.into()),
            ("dimension", dimension.into()),
            ("start", start.into()),
            ("end", end.into()),
        ],
    )
}

// The import itself.

pub(super) fn no_file_given() -> Said {
    Said::new("no-file-given", "no file was given".into(), [])
}

pub(super) fn all_left_out() -> Said {
    Said::new(
        "all-left-out",
        "every column was left out of the import".into(),
        [],
    )
}

// What a preview says a file replaces (see `replaced.rs`): the count is said with the word for one value apart,
// as English needs.

pub(super) fn replaces_imported(values: usize, kpi: &str, on: Date, file: &str) -> Said {
    let args = [
        ("count", values.into()),
        ("kpi", kpi.into()),
        ("day", super::said::Arg::Day(on)),
        ("file", file.into()),
    ];
    if values == 1 {
        return Said::new(
            "replaces-imported-one",
            format!("replaces 1 value of {kpi}, imported on {on} from {file}"),
            args,
        );
    }
    Said::new(
        "replaces-imported",
        format!("replaces {values} values of {kpi}, imported on {on} from {file}"),
        args,
    )
}

pub(super) fn replaces_typed(values: usize, kpi: &str) -> Said {
    let args = [("count", values.into()), ("kpi", kpi.into())];
    if values == 1 {
        return Said::new(
            "replaces-typed-one",
            format!("replaces 1 value of {kpi}, typed or written through the API"),
            args,
        );
    }
    Said::new(
        "replaces-typed",
        format!("replaces {values} values of {kpi}, typed or written through the API"),
        args,
    )
}
