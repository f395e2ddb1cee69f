//! `accountable import …`: measurements from files, all or nothing per file.

use super::{AgencyArg, agency_of, client_of, explain, services};
use crate::config::Config;
use accountable_core::actor::Actor;
use accountable_core::clock::Clock;
use accountable_core::import::{
    AgencyImportOutcome, AgencyImportReport, ImportOptions, ImportOutcome, ImportReport, ProgressHook,
    has_client_column,
};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// `accountable import …`
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    agency: AgencyArg,
    /// The client's id or exact name. Without it, a long-format file with a client column
    /// (client,date,kpi,value) is imported for every client of the agency it names, all or nothing.
    #[arg(long)]
    client: Option<String>,
    /// Show what would be imported, and import nothing.
    #[arg(long)]
    dry_run: bool,
    /// Create KPIs the client does not have, instead of refusing their lines.
    #[arg(long)]
    create_kpis: bool,
    /// The period of a file that states none in its content or name (a renamed Business Profile export),
    /// as FIRST..LAST, such as 2026-01-01..2026-01-31.
    #[arg(long, value_name = "FIRST..LAST")]
    period: Option<String>,
    /// The files, imported as one set (the files of one Search Console export give each other their period);
    /// each file, or zip, is imported all or nothing.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Imports the files; exits 1 when a file was refused.
pub(super) async fn run(
    config: &Config,
    clock: Arc<dyn Clock>,
    args: ImportArgs,
) -> Result<ExitCode, String> {
    let ImportArgs {
        agency,
        client,
        dry_run,
        create_kpis,
        period,
        files,
    } = args;
    let period = match period {
        Some(p) => Some(parse_period(&p)?),
        None => None,
    };
    // The command's own errors first: the files are read before the agency and client are looked up.
    let mut named = Vec::with_capacity(files.len());
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        named.push((name, bytes));
    }
    let services = services(config, clock).await?;
    let agency = agency_of(&services, &agency, config).await?;
    let operator = Actor::operator(agency.id);
    let client = match client {
        Some(c) => Some(client_of(&services, &operator, &agency, &c).await?),
        None => None,
    };
    // A progress line on stderr, only where a person watches it (a terminal), for files long enough to
    // take a moment.
    let progress = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
        ProgressHook(Arc::new(|file: &str, written: usize, total: usize| {
            if total >= 20_000 {
                let end = if written == total { "\n" } else { "" };
                eprint!("\r{file}: {written} of {total} values written{end}");
            }
        }))
    });
    let options = ImportOptions {
        dry_run,
        create_kpis,
        period,
        progress,
        // The command line uses the automatic mapping; the preview page lets a person change it.
        mapping: Default::default(),
    };
    let mut refused = false;
    if let Some(client) = client {
        let outcomes = services
            .import_files(&operator, client.id, &named, &options)
            .await
            .map_err(explain)?;
        for outcome in &outcomes {
            refused |= print_import(outcome);
        }
    } else {
        // Without a client, each file must say whose lines it holds: one transaction a file.
        if let Some((name, _)) = named.iter().find(|(_, b)| !has_client_column(b)) {
            return Err(format!(
                "{name} has no client column: name the client with --client, or give a long-format file \
                 whose header names a client column (client,date,kpi,value)"
            ));
        }
        for (name, bytes) in &named {
            let outcome = services
                .import_agency_file(&operator, name, bytes, &options)
                .await
                .map_err(explain)?;
            refused |= print_agency_import(&outcome);
        }
    }
    Ok(if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `FIRST..LAST` as two days: a wrong form, a day that does not exist and a period that ends before it starts are
/// each said as what they are.
fn parse_period(raw: &str) -> Result<(jiff::civil::Date, jiff::civil::Date), String> {
    let form = || format!("--period {raw:?}: expected FIRST..LAST, such as 2026-01-01..2026-01-31");
    let (a, b) = raw.split_once("..").ok_or_else(form)?;
    let day = |text: &str| -> Result<jiff::civil::Date, String> {
        let text = text.trim();
        let shaped = text.len() == 10
            && text.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !shaped {
            return Err(form());
        }
        text.parse()
            .map_err(|_| format!("--period {raw:?}: {text} is not a day of the calendar"))
    };
    let (a, b) = (day(a)?, day(b)?);
    if b < a {
        return Err(format!(
            "--period {raw:?}: the period ends ({b}) before it starts ({a})"
        ));
    }
    Ok((a, b))
}

/// Prints what an import did; returns whether the file was refused.
fn print_import(outcome: &ImportOutcome) -> bool {
    let describe = |r: &ImportReport| {
        let period = r.period.map(|(a, b)| format!("{a} to {b}")).unwrap_or_default();
        let kpis = r
            .kpis
            .iter()
            .map(|(n, new)| if *new { format!("{n} (new)") } else { n.clone() })
            .collect::<Vec<_>>()
            .join(", ");
        // Period totals and breakdowns are said plainly: they are not daily values of the whole.
        let mut parts = vec![format!("{} values", r.values)];
        if r.period_totals > 0 {
            parts.push(format!("{} of them period totals", r.period_totals));
        }
        if r.with_dimension > 0 {
            parts.push(format!(
                "{} by campaign, query, page or the like",
                r.with_dimension
            ));
        }
        let mut line = format!(
            "{}: {} format, {}, {period}, KPIs: {kpis}",
            r.file,
            r.format,
            parts.join(", ")
        );
        for replaced in &r.replaces {
            line.push_str(&format!("\n          {replaced}"));
        }
        for note in &r.notes {
            line.push_str(&format!("\n          note: {note}"));
        }
        line
    };
    match outcome {
        ImportOutcome::Committed(r) => {
            println!("imported  {}", describe(r));
            false
        }
        ImportOutcome::Preview(r) => {
            println!("would import  {} (dry run: nothing was imported)", describe(r));
            false
        }
        ImportOutcome::AlreadyImported {
            report,
            import_id,
            at,
        } => {
            println!(
                "unchanged {}: this file was imported already (import {import_id}, {at}); nothing changed",
                report.file
            );
            false
        }
        ImportOutcome::Nothing { file, reason } => {
            println!("nothing   {file}: nothing to import ({reason})");
            false
        }
        ImportOutcome::Refused { file, errors } => {
            let problems = if errors.len() == 1 { "problem" } else { "problems" };
            println!(
                "REFUSED   {file}: nothing was imported; {} {problems}:",
                errors.len()
            );
            for e in errors {
                println!("  {e}");
            }
            if errors.more() > 0 {
                println!(
                    "  … and {} more after these: only the first {} are listed; fix them and import again",
                    errors.more(),
                    errors.shown().len()
                );
            }
            true
        }
    }
}

/// Prints what an agency-wide import did, client by client; returns whether the file was refused.
fn print_agency_import(outcome: &AgencyImportOutcome) -> bool {
    let clients = |r: &AgencyImportReport| {
        let period = r.period.map(|(a, b)| format!("{a} to {b}")).unwrap_or_default();
        let mut lines = format!(
            "{}: {} format, {} values for {} clients, {period}",
            r.file,
            r.format,
            r.values,
            r.clients.len()
        );
        for c in &r.clients {
            let kpis: Vec<String> = c
                .kpis
                .iter()
                .map(|(n, new)| if *new { format!("{n} (new)") } else { n.clone() })
                .collect();
            let state = match (c.import_id, c.imported_before) {
                (_, Some(before)) => format!(", unchanged (imported before: import {before})"),
                (Some(id), None) => format!(", import {id}"),
                (None, None) => String::new(),
            };
            lines.push_str(&format!(
                "\n          {} (client {}): {} values, KPIs: {}{state}",
                c.client,
                c.client_id,
                c.values,
                kpis.join(", ")
            ));
        }
        lines
    };
    match outcome {
        AgencyImportOutcome::Committed(r) => {
            println!("imported  {}", clients(r));
            false
        }
        AgencyImportOutcome::Preview(r) => {
            println!("would import  {} (dry run: nothing was imported)", clients(r));
            false
        }
        AgencyImportOutcome::AlreadyImported(r) => {
            println!(
                "unchanged {}: this file was imported already for each of its {} clients; nothing changed",
                r.file,
                r.clients.len()
            );
            false
        }
        AgencyImportOutcome::Nothing { file, reason } => print_import(&ImportOutcome::Nothing {
            file: file.clone(),
            reason: reason.clone(),
        }),
        AgencyImportOutcome::Refused { file, errors } => print_import(&ImportOutcome::Refused {
            file: file.clone(),
            errors: errors.clone(),
        }),
    }
}
