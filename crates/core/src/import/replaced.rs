//! What a file would replace: the stored values of the KPIs it feeds that have the same key (KPI, period,
//! dimension) as one of its values, counted per KPI and per writer (an earlier import, or typed / the API / the
//! demo), for the preview to say ("replaces 31 values of Organic search clicks, imported on 12 Nov from
//! Chart.csv"). The values themselves are kept by the store when they are replaced and come back when the import
//! is undone (docs/decisions/0013-replaced-values-kept.md).

use super::said::Said;
use super::store::ImportTx;
use super::{ImportId, ReadValue, plan, wording};
use crate::client::Client;
use crate::error::Result;
use crate::id::AgencyId;
use crate::kpi::KpiId;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Stored values a file replaces, of one KPI and one writer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replaced {
    /// The KPI.
    pub kpi_id: KpiId,
    /// Its name.
    pub kpi: String,
    /// How many of its stored values the file replaces.
    pub values: usize,
    /// The import that wrote them; `None` when they were typed, written through the API or by the demo.
    pub import_id: Option<ImportId>,
    /// That import's file.
    pub file: Option<String>,
    /// The day it was imported, in the client's time zone.
    pub imported_on: Option<Date>,
}

impl Replaced {
    /// What the preview says of it.
    pub fn said(&self) -> Said {
        match (&self.file, self.imported_on) {
            (Some(file), Some(on)) => wording::replaces_imported(self.values, &self.kpi, on, file),
            _ => wording::replaces_typed(self.values, &self.kpi),
        }
    }
}

impl std::fmt::Display for Replaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said().english)
    }
}

/// The stored values the kept values of a file (those of a column left out are not) replace, by KPI in the
/// order the file feeds them, then by writer: imports oldest first, then typed values.
pub(super) async fn replaced<T: ImportTx + ?Sized>(
    tx: &mut T,
    agency: AgencyId,
    client: &Client,
    values: &[ReadValue],
    plan: &plan::Plan,
) -> Result<Vec<Replaced>> {
    // Only KPIs the client has can hold values; a KPI the import creates replaces nothing.
    let existing: Vec<(usize, KpiId)> = plan
        .targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t.how {
            plan::How::Existing(id) => Some((i, id)),
            plan::How::New(_) => None,
        })
        .collect();
    let kpi_of = |target: usize| existing.iter().find(|(i, _)| *i == target).map(|(_, k)| *k);
    let mut keys: HashSet<(KpiId, Date, Date, &str)> = HashSet::new();
    let (mut first, mut last) = (None::<Date>, None::<Date>);
    for (v, target) in values.iter().zip(&plan.target_of) {
        let Some(kpi) = kpi_of(*target) else {
            continue;
        };
        keys.insert((kpi, v.start, v.end, v.dimension.as_str()));
        first = Some(first.map_or(v.start, |d| d.min(v.start)));
        last = Some(last.map_or(v.start, |d| d.max(v.start)));
    }
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Vec::new());
    };
    let kpis: Vec<KpiId> = existing.iter().map(|(_, k)| *k).collect();
    let stored = tx
        .list_values_with_writer(agency, client.id, &kpis, first, last)
        .await?;
    // (KPI, writer) → how many.
    let mut counts: HashMap<(KpiId, Option<ImportId>), usize> = HashMap::new();
    for (m, writer) in &stored {
        if keys.contains(&(m.kpi_id, m.period_start, m.period_end, m.dimension.as_str())) {
            *counts.entry((m.kpi_id, *writer)).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return Ok(Vec::new());
    }
    let imports: HashMap<ImportId, super::ImportRecord> = tx
        .list_imports(agency, client.id)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let name = |kpi: KpiId| {
        existing
            .iter()
            .find(|(_, k)| *k == kpi)
            .and_then(|(i, _)| plan.targets.get(*i))
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let order = |kpi: KpiId| existing.iter().position(|(_, k)| *k == kpi);
    let mut out: Vec<Replaced> = counts
        .into_iter()
        .map(|((kpi, writer), n)| {
            let import = writer.and_then(|w| imports.get(&w));
            Replaced {
                kpi_id: kpi,
                kpi: name(kpi),
                values: n,
                import_id: writer,
                file: import.map(|i| i.file_name.clone()),
                imported_on: import.map(|i| client.today(i.created_at)),
            }
        })
        .collect();
    // By KPI as the file feeds them, then imports oldest first, then typed values.
    out.sort_by_key(|r| (order(r.kpi_id), r.import_id.is_none(), r.import_id.map(|i| i.0)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_says_whose_values_are_replaced_and_how_many() {
        let mut r = Replaced {
            kpi_id: KpiId(1),
            kpi: "Organic search clicks".into(),
            values: 31,
            import_id: Some(ImportId(4)),
            file: Some("Chart.csv".into()),
            imported_on: Some(jiff::civil::date(2026, 11, 12)),
        };
        assert_eq!(
            r.to_string(),
            "replaces 31 values of Organic search clicks, imported on 2026-11-12 from Chart.csv"
        );
        assert_eq!(r.said().code, "replaces-imported");
        r.values = 1;
        assert_eq!(r.said().code, "replaces-imported-one");
        assert_eq!(
            r.to_string(),
            "replaces 1 value of Organic search clicks, imported on 2026-11-12 from Chart.csv"
        );
        let typed = Replaced {
            import_id: None,
            file: None,
            imported_on: None,
            values: 3,
            ..r
        };
        assert_eq!(
            typed.to_string(),
            "replaces 3 values of Organic search clicks, typed or written through the API"
        );
    }
}
