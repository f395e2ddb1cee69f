//! How list commands print their rows: aligned columns, CSV or JSON.

use clap::ValueEnum;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Output formats of list commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns.
    Table,
    /// Comma-separated values with a header line.
    Csv,
    /// A JSON array.
    Json,
}

/// Prints rows under their header in the format asked for; in JSON, an `id` column is a number.
pub(super) fn print_rows(format: Format, header: &[&str], rows: &[Vec<String>]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Table => {
            let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
            for row in rows {
                for (i, cell) in row.iter().enumerate() {
                    widths[i] = widths[i].max(cell.width());
                }
            }
            let line = |cells: Vec<&str>| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{c}{}", " ".repeat(widths[i].saturating_sub(c.width()))))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            writeln!(out, "{}", line(header.to_vec())).map_err(|e| e.to_string())?;
            for row in rows {
                writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))
                    .map_err(|e| e.to_string())?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header).map_err(|e| e.to_string())?;
            for row in rows {
                w.write_record(row).map_err(|e| e.to_string())?;
            }
            w.flush().map_err(|e| e.to_string())?;
        }
        Format::Json => {
            let items: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|row| {
                    header
                        .iter()
                        .zip(row)
                        .map(|(h, c)| {
                            let value = if *h == "id" {
                                c.parse::<i64>()
                                    .map(serde_json::Value::from)
                                    .unwrap_or_else(|_| c.clone().into())
                            } else {
                                c.clone().into()
                            };
                            (h.to_string(), value)
                        })
                        .collect()
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?
            )
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
