//! A client's goals and KPIs as a document (`accountable_documents::kpi`): the model assembled from `core`'s
//! records in the client's language, from the same use cases as the client's "KPIs and data" page. Used by the
//! page's "Download PDF" link, the API and the command line (`accountable kpis --format pdf`).

use crate::i18n::Tr;
use crate::pages::goals::pacing_view;
use crate::pages::kpis::{kpi_value, percent_change};
use accountable_core::actor::Actor;
use accountable_core::error::Error;
use accountable_core::id::ClientId;
use accountable_core::kpi::KpiKind;
use accountable_core::service::Services;
use accountable_documents::chart::{ChartBuilder, sparkline_svg};
use accountable_documents::kpi::{GoalBlock, KpiDocument, KpiLabels, KpiLine, MoveLine, font_families};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use jiff::civil::Date;

/// The document of `client`'s goals and KPIs on `day` (the client's today, in its time zone, when `None`), in the
/// client's language.
pub async fn build(
    services: &Services,
    actor: &Actor,
    client: ClientId,
    day: Option<Date>,
) -> Result<KpiDocument, Error> {
    let record = services.get_client(actor, client).await?;
    let day = day.unwrap_or_else(|| record.today(services.now()));
    let month = accountable_core::moves::last_full_month(day);
    // Independent reads run side by side (each its own read transaction): they are most of the time a document
    // takes.
    let (agency, kpis, pacing, all_moves) = tokio::try_join!(
        services.agency(actor),
        services.client_kpis(actor, client),
        services.client_pacing(actor, client, day),
        services.notable_moves(actor, client, month),
    )?;
    let tr = Tr::new(record.fields.language);
    let fmt = tr.fmt();
    let currency = record.fields.currency;
    // The sparklines' window: the 90 days up to the client's latest value, as on the page.
    let to = kpis
        .iter()
        .filter_map(|k| k.latest.map(|(d, _)| d))
        .max()
        .unwrap_or(day);
    let from = to.checked_sub(89.days()).unwrap_or(to);
    let details = futures_util::future::try_join_all(
        pacing
            .iter()
            .map(|g| services.goal_detail(actor, g.goal.id, Some(day))),
    );
    let (series, details) = tokio::try_join!(services.client_series(actor, client, from, to), details)?;
    let (mut business, mut leading) = (Vec::new(), Vec::new());
    for k in &kpis {
        let f = &k.kpi.fields;
        let values: Vec<f64> = series
            .iter()
            .filter(|m| m.kpi_id == k.kpi.id)
            .map(|m| m.value)
            .collect();
        let line = KpiLine {
            name: f.name.clone(),
            unit: tr.t(&format!("kpis.unit.{}", f.unit.as_str())).to_string(),
            latest: k
                .latest
                .map(|(_, v)| kpi_value(fmt, f.unit, currency, v))
                .unwrap_or_else(|| "—".into()),
            latest_day: match (k.latest_from, k.latest) {
                (Some(from), Some((to, _))) => tr.tf(
                    "kpis.period_total",
                    &[("from", &fmt.date(from)), ("to", &fmt.date(to))],
                ),
                (_, latest) => latest.map(|(d, _)| fmt.date(d)).unwrap_or_default(),
            },
            sparkline: sparkline_svg(&values),
        };
        match f.kind {
            KpiKind::Leading => leading.push(line),
            _ => business.push(line),
        }
    }
    let font = font_families(record.fields.language).join(", ");
    let mut goals = Vec::new();
    for (g, detail) in pacing.iter().zip(details) {
        let unit = g.kpi.fields.unit;
        let mut chart = ChartBuilder::new()
            .line("plan", detail.line.clone())
            .line("actual", detail.actual.clone());
        if let (Some(f), Some(last)) = (&detail.goal.pacing.forecast, detail.actual.last()) {
            let end = g.goal.fields.target_date;
            chart = chart
                .band(vec![(last.0, last.1, last.1), (end, f.low, f.high)])
                .line("forecast", vec![*last, (end, f.value)]);
        }
        let view = pacing_view(&tr, currency, g);
        let chart = chart
            .build(|v| kpi_value(fmt, unit, currency, v), |m| fmt.month(m))
            .map(|c| c.svg(&tr.tf("goals.chart_label", &[("kpi", &view.kpi)]), &font));
        goals.push(GoalBlock {
            statement: view.statement,
            kpi: view.kpi,
            leading: view.leading,
            standing: view.standing,
            standing_text: view.standing_text,
            expected: view.expected,
            actual: view.actual,
            gap: view.gap,
            forecast: view.forecast,
            baseline: view.baseline,
            target: view.target,
            chart,
            rule: view.rule,
        });
    }
    let moves = all_moves
        .iter()
        .filter(|m| m.is_notable())
        .filter_map(|m| {
            let k = kpis.iter().find(|k| k.kpi.id == m.kpi_id)?;
            let reading = if m.good {
                tr.t("moves.good")
            } else {
                tr.t("moves.bad")
            };
            Some(MoveLine {
                kpi: k.kpi.fields.name.clone(),
                leading: k.kpi.fields.kind == KpiKind::Leading,
                value: kpi_value(fmt, k.kpi.fields.unit, currency, m.value),
                mom: percent_change(fmt, m.mom_percent),
                yoy: percent_change(fmt, m.yoy_percent),
                good: m.good,
                reading: if m.seasonal {
                    format!("{reading} · {}", tr.t("moves.seasonal"))
                } else {
                    reading.to_string()
                },
            })
        })
        .collect();
    Ok(KpiDocument {
        language: record.fields.language,
        day,
        title: tr.t("document.kpi_title").to_string(),
        client: record.fields.name,
        date: tr.tf("document.as_of", &[("date", &fmt.date(day))]),
        prepared_by: tr.tf("document.prepared_by", &[("agency", &agency.name)]),
        labels: labels(&tr),
        goals,
        kpis: business,
        leading,
        moves_title: tr.tf("moves.title", &[("month", &fmt.month(month))]),
        moves,
    })
}

fn labels(tr: &Tr) -> KpiLabels {
    let t = |key: &str| tr.t(key).to_string();
    KpiLabels {
        goals: t("document.our_goals"),
        no_goals: t("document.no_goals"),
        kpis: t("document.business_kpis"),
        no_kpis: t("document.no_kpis"),
        leading: t("document.leading_heading"),
        leading_note: t("document.leading_note"),
        no_moves: t("moves.none"),
        kpi: t("goals.kpi"),
        unit: t("kpis.unit_label"),
        latest: t("kpis.latest"),
        trend: t("kpis.trend"),
        expected: t("goals.expected"),
        actual: t("goals.actual"),
        gap: t("goals.gap"),
        forecast: t("goals.forecast"),
        baseline: t("goals.baseline"),
        target: t("goals.target"),
        value: t("moves.value"),
        mom: t("moves.mom"),
        yoy: t("moves.yoy"),
        reading: t("moves.reading"),
        key_actual: t("goals.key_actual"),
        key_plan: t("goals.key_plan"),
        key_forecast: t("goals.key_forecast"),
        no_chart: t("goals.no_chart"),
    }
}

/// The document as PDF bytes, with the client's name for the file. Laying out takes a few tens of milliseconds of CPU, so it runs beside the async
/// workers rather than on one.
pub async fn pdf(
    services: &Services,
    actor: &Actor,
    client: ClientId,
    day: Option<Date>,
) -> Result<(String, Vec<u8>), Error> {
    let doc = build(services, actor, client, day).await?;
    let name = doc.client.clone();
    let bytes = tokio::task::spawn_blocking(move || accountable_documents::kpi::pdf(&doc))
        .await
        .map_err(|e| internal(format!("document task: {e}")))?
        .map_err(|e| internal(e.to_string()))?;
    Ok((name, bytes))
}

/// A PDF download: `application/pdf`, saved under the client's name (RFC 6266, with the UTF-8 name for
/// non-ASCII names), never cached.
pub fn download(client: &str, bytes: Vec<u8>) -> Response {
    let file = file_name(client);
    let ascii: String = file
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// A document that cannot be laid out is an internal failure like a storage one: a 500 with the request id for
/// the person, the cause in the log. (`core::Error` has no variant of its own for it yet.)
fn internal(message: String) -> Error {
    Error::Store(accountable_core::error::StoreError::Other(message))
}

/// The file name a download gets: the client's name, kept to letters, digits and dashes.
pub fn file_name(client: &str) -> String {
    let mut name: String = client
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    name = name.trim_matches('-').to_string();
    if name.is_empty() {
        name = "client".into();
    }
    format!("{name}-kpis.pdf")
}
