//! `accountable kpis …`: a client's KPIs with their latest values, pacing and moves, or its goals-and-KPIs PDF.

use super::output::{Format, print_rows};
use super::{AgencyArg, agency_of, client_of, explain, services};
use crate::config::Config;
use accountable_core::actor::Actor;
use accountable_core::clock::Clock;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// `accountable kpis …`
#[derive(Debug, Args)]
pub struct KpisArgs {
    #[command(flatten)]
    agency: AgencyArg,
    /// The client's id or exact name.
    #[arg(long)]
    client: String,
    /// Add the presets of the client's business model that it does not have yet.
    #[arg(long)]
    add_presets: bool,
    /// Output format; `pdf` writes the client's goals-and-KPIs document, in the client's language, to --out.
    #[arg(long, value_enum, default_value = "table")]
    format: KpisFormat,
    /// The file the PDF is written to (with --format pdf).
    #[arg(long, required_if_eq("format", "pdf"))]
    out: Option<PathBuf>,
}

/// Output formats of `accountable kpis`: the list formats, or the PDF document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KpisFormat {
    /// Aligned columns.
    Table,
    /// Comma-separated values with a header line.
    Csv,
    /// A JSON array.
    Json,
    /// The client's goals and KPIs as a PDF document (to --out).
    Pdf,
}

/// Prints the client's KPIs (adding its presets first when asked), or writes its PDF document.
pub(super) async fn run(config: &Config, clock: Arc<dyn Clock>, args: KpisArgs) -> Result<ExitCode, String> {
    let KpisArgs {
        agency,
        client,
        add_presets,
        format,
        out,
    } = args;
    let services = services(config, clock).await?;
    let agency = agency_of(&services, &agency, config).await?;
    let operator = Actor::operator(agency.id);
    let client = client_of(&services, &operator, &agency, &client).await?;
    if add_presets {
        let added = services
            .add_preset_kpis(&operator, client.id)
            .await
            .map_err(explain)?;
        eprintln!("Added {} preset KPIs to {}.", added.len(), client.fields.name);
    }
    let format = match format {
        KpisFormat::Table => Format::Table,
        KpisFormat::Csv => Format::Csv,
        KpisFormat::Json => Format::Json,
        KpisFormat::Pdf => {
            let out = out.ok_or("--format pdf needs --out FILE")?;
            let (_, pdf) = accountable_web::kpi_document::pdf(&services, &operator, client.id, None)
                .await
                .map_err(explain)?;
            std::fs::write(&out, &pdf).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            eprintln!("Wrote {} ({} bytes).", out.display(), pdf.len());
            return Ok(ExitCode::SUCCESS);
        }
    };
    let kpis = services
        .client_kpis(&operator, client.id)
        .await
        .map_err(explain)?;
    let today = client.today(services.now());
    let goals = services
        .client_pacing(&operator, client.id, today)
        .await
        .map_err(explain)?;
    let month = accountable_core::moves::last_full_month(today);
    let moves = services
        .notable_moves(&operator, client.id, month)
        .await
        .map_err(explain)?;
    let figure = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    let rows: Vec<Vec<String>> = kpis
        .iter()
        .map(|k| {
            let f = &k.kpi.fields;
            // A KPI's first goal; the others are on the client's KPI page and in the API.
            let goal = goals.iter().find(|g| g.kpi.id == k.kpi.id);
            let pacing = goal.map(|g| &g.pacing);
            let forecast = pacing.and_then(|p| p.forecast);
            let m = moves.iter().find(|m| m.kpi_id == k.kpi.id);
            let reading = match m {
                Some(m) if m.is_notable() && m.seasonal => "notable, seasonal",
                Some(m) if m.is_notable() => "notable",
                _ => "",
            };
            vec![
                k.kpi.id.to_string(),
                f.name.clone(),
                f.kind.as_str().to_string(),
                f.unit.as_str().to_string(),
                f.direction.as_str().to_string(),
                k.latest.map(|(d, _)| d.to_string()).unwrap_or_default(),
                k.latest_from.map(|d| d.to_string()).unwrap_or_default(),
                k.latest.map(|(_, v)| v.to_string()).unwrap_or_default(),
                goal.map(|g| g.goal.fields.statement.clone()).unwrap_or_default(),
                pacing
                    .and_then(|p| p.standing)
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                figure(pacing.map(|p| p.expected)),
                figure(pacing.and_then(|p| p.actual)),
                figure(pacing.and_then(|p| p.gap_percent)),
                figure(forecast.map(|f| f.value)),
                figure(forecast.map(|f| f.low)),
                figure(forecast.map(|f| f.high)),
                m.map(|_| month.to_string()).unwrap_or_default(),
                figure(m.and_then(|m| m.mom_percent)),
                figure(m.and_then(|m| m.yoy_percent)),
                reading.to_string(),
            ]
        })
        .collect();
    print_rows(
        format,
        &[
            "id",
            "name",
            "kind",
            "unit",
            "better",
            "latest_day",
            "latest_from",
            "latest_value",
            "goal",
            "pacing",
            "expected",
            "actual",
            "gap_percent",
            "forecast",
            "forecast_low",
            "forecast_high",
            "month",
            "mom_percent",
            "yoy_percent",
            "move",
        ],
        &rows,
    )?;
    if format == Format::Table && !goals.is_empty() {
        eprintln!("Pacing: {}", goals[0].pacing.explain());
        eprintln!("Moves: {}", accountable_core::moves::RULE);
    }
    Ok(ExitCode::SUCCESS)
}
