//! Which KPI each value read feeds: the client's KPI with that name (long format) or source mapping, or a new one
//! from the presets, named in the client's language; plus the checks that need the client: a currency other than
//! the client's, a preset name already taken by an unmapped KPI, the same KPI, period and dimension twice.

use super::text::problem;
use super::{ErrorList, KpiRef, MapTo, ReadFile, new_kpi, wording};
use crate::client::Client;
use crate::kpi::{Kpi, KpiId, KpiInput, Unit};
use jiff::civil::Date;
use std::collections::HashMap;

/// The KPI a kind of value feeds.
#[derive(Debug)]
pub(super) enum How {
    /// The client's KPI.
    Existing(KpiId),
    /// A KPI to create.
    New(KpiInput),
}

/// One KPI the import feeds.
#[derive(Debug)]
pub(super) struct Target {
    /// Its name.
    pub name: String,
    /// The client's, or to create.
    pub how: How,
    /// Its unit.
    pub unit: Unit,
}

/// The KPIs of an import and which one each value feeds.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// The KPIs fed.
    pub targets: Vec<Target>,
    /// For each value read, its index in `targets` (`usize::MAX` where an error was found).
    pub target_of: Vec<usize>,
    /// What stands in the way.
    pub errors: ErrorList,
    /// For each export column (source) met, its index in `targets`, or `None` when it is left out (or wrong: an
    /// error says why).
    pub by_source: Vec<(&'static str, Option<usize>)>,
    /// The sources whose KPI the person chose, for the import to remember on a KPI that has no source yet.
    pub chosen: Vec<(&'static str, KpiId)>,
}

impl Plan {
    /// Maps every value of `read` to a KPI of the client, or to one to create.
    /// `mapping` overrides the automatic choice for the sources it names.
    pub fn make(
        file: &str,
        read: &ReadFile,
        existing: &[Kpi],
        client: &Client,
        create_kpis: bool,
        mapping: &HashMap<String, MapTo>,
    ) -> Plan {
        let mut plan = Plan {
            target_of: Vec::with_capacity(read.values.len()),
            ..Plan::default()
        };
        // Another client's lines (in a file with a client column) are named as such, not as KPIs this one lacks.
        let foreign = foreign_lines(read, client);
        let mut by_ref: HashMap<KpiRef, Option<usize>> = HashMap::new();
        // Long files repeat a KPI's name line after line: the last one looked up is kept at hand.
        let mut last: Option<(&KpiRef, Option<usize>)> = None;
        for v in &read.values {
            let found = match last {
                Some((k, t)) if *k == v.kpi => t,
                _ => {
                    let key = match &v.kpi {
                        KpiRef::Name(n) => KpiRef::Name(n.to_lowercase()),
                        s => s.clone(),
                    };
                    let t = match by_ref.get(&key) {
                        Some(t) => *t,
                        None => {
                            let t = plan.target(file, read, &v.kpi, existing, client, create_kpis, mapping);
                            if let KpiRef::Source(s) = &v.kpi {
                                plan.by_source.push((s, t));
                            }
                            by_ref.insert(key, t);
                            t
                        }
                    };
                    last = Some((&v.kpi, t));
                    t
                }
            };
            match (found, &v.kpi) {
                (Some(t), _) => plan.target_of.push(t),
                (None, KpiRef::Name(name)) => {
                    plan.target_of.push(usize::MAX);
                    if foreign.binary_search(&v.line).is_err() {
                        plan.errors
                            .push(problem(file, v.line, "kpi", wording::no_such_kpi(name)));
                    }
                }
                (None, KpiRef::Source(_)) => plan.target_of.push(usize::MAX),
            }
        }
        plan.check_currency(file, read, client);
        plan.check_clients(file, read, client, &foreign);
        plan.check_repeats(file, read);
        plan
    }

    /// The target for a reference, added on first sight (two references fed into one KPI share its target);
    /// `None` when there is none (an error says why for a source, unless the person left it out; a name's error
    /// goes on each of its lines).
    #[allow(clippy::too_many_arguments)]
    fn target(
        &mut self,
        file: &str,
        read: &ReadFile,
        kpi: &KpiRef,
        existing: &[Kpi],
        client: &Client,
        create_kpis: bool,
        mapping: &HashMap<String, MapTo>,
    ) -> Option<usize> {
        let named = |name: &str| {
            existing
                .iter()
                .find(|k| k.fields.name.to_lowercase() == name.to_lowercase())
        };
        let target = match kpi {
            KpiRef::Name(name) => match named(name) {
                Some(k) => existing_target(k),
                None if create_kpis => Target {
                    name: name.clone(),
                    how: How::New(new_kpi(name)),
                    unit: Unit::Count,
                },
                None => return None,
            },
            KpiRef::Source(source) => {
                let column = read
                    .columns
                    .iter()
                    .find(|(s, _)| s == source)
                    .map(|(_, c)| c.as_str())
                    .unwrap_or("");
                if let Some(choice) = mapping.get(*source) {
                    return self.chosen_target(file, column, source, *choice, existing, client);
                }
                if let Some(k) = existing.iter().find(|k| k.fields.source == *source) {
                    existing_target(k)
                } else if let Some(input) = crate::kpi::preset_for_source(source, client.fields.language) {
                    if let Some(taken) = named(&input.name) {
                        self.errors.push(problem(
                            file,
                            1,
                            column,
                            wording::preset_name_taken(&input.name, source, &taken.fields.source),
                        ));
                        return None;
                    }
                    Target {
                        name: input.name.clone(),
                        unit: input.unit,
                        how: How::New(input),
                    }
                } else {
                    self.errors
                        .push(problem(file, 1, column, wording::unknown_source(source)));
                    return None;
                }
            }
        };
        Some(self.push(target))
    }

    /// Adds a target, or finds the one feeding the same existing KPI.
    fn push(&mut self, target: Target) -> usize {
        if let How::Existing(id) = target.how
            && let Some(i) = self
                .targets
                .iter()
                .position(|t| matches!(t.how, How::Existing(other) if other == id))
        {
            return i;
        }
        self.targets.push(target);
        self.targets.len() - 1
    }

    /// The target the person chose for a source: one of the client's KPIs of the same unit, or none.
    fn chosen_target(
        &mut self,
        file: &str,
        column: &str,
        source: &'static str,
        choice: MapTo,
        existing: &[Kpi],
        client: &Client,
    ) -> Option<usize> {
        let MapTo::Kpi(id) = choice else {
            return None;
        };
        let Some(k) = existing.iter().find(|k| k.id == id) else {
            self.errors
                .push(problem(file, 1, column, wording::chosen_kpi_unknown()));
            return None;
        };
        let unit = crate::kpi::preset_for_source(source, client.fields.language).map(|p| p.unit);
        if let Some(unit) = unit.filter(|u| *u != k.fields.unit) {
            self.errors.push(problem(
                file,
                1,
                column,
                wording::chosen_kpi_unit(unit, &k.fields.name, k.fields.unit),
            ));
            return None;
        }
        self.chosen.push((source, id));
        Some(self.push(existing_target(k)))
    }

    /// Amounts in another currency than the client's are refused: a money KPI is in the client's currency, and
    /// Accountable does not convert.
    fn check_currency(&mut self, file: &str, read: &ReadFile, client: &Client) {
        let Some(currency) = &read.currency else {
            return;
        };
        let ours = client.fields.currency.code();
        let feeds_money = self.targets.iter().any(|t| t.unit == Unit::Money);
        if feeds_money && !currency.code.eq_ignore_ascii_case(ours) {
            self.errors.push(problem(
                file,
                currency.line,
                &currency.column,
                wording::currency_not_clients(&currency.code, ours),
            ));
        }
    }

    /// A long-format file with a client column imported for one client: a line for another client is an error,
    /// never imported into this one.
    fn check_clients(&mut self, file: &str, read: &ReadFile, client: &Client, foreign: &[u64]) {
        let Some(column) = &read.clients else {
            return;
        };
        if foreign.is_empty() {
            return;
        }
        // Another client's line feeds nothing here: it is not also a repeat of this client's value, nor a KPI
        // this client lacks.
        for (v, target) in read.values.iter().zip(self.target_of.iter_mut()) {
            if foreign.binary_search(&v.line).is_ok() {
                *target = usize::MAX;
            }
        }
        for (line, i) in &column.lines {
            if foreign.binary_search(line).is_ok() {
                let named = column.names.get(*i as usize).map(String::as_str).unwrap_or("");
                self.errors.push(problem(
                    file,
                    *line,
                    "client",
                    wording::other_clients_line(named, &client.fields.name),
                ));
            }
        }
    }

    /// The same KPI, period and dimension twice in one file would leave one of the two silently: refused.
    fn check_repeats(&mut self, file: &str, read: &ReadFile) {
        let mut seen: HashMap<(usize, Date, Date, &str), u64> = HashMap::with_capacity(read.values.len());
        for (v, t) in read.values.iter().zip(&self.target_of) {
            if *t == usize::MAX {
                continue;
            }
            let entry = seen.entry((*t, v.start, v.end, v.dimension.as_str()));
            if let std::collections::hash_map::Entry::Occupied(first) = &entry {
                let first = *first.get();
                let name = self.targets.get(*t).map(|t| t.name.as_str()).unwrap_or("");
                self.errors.push(problem(
                    file,
                    v.line,
                    "",
                    wording::value_repeated(first, name, &v.dimension, v.start, v.end),
                ));
            } else {
                entry.or_insert(v.line);
            }
        }
    }
}

/// The lines of a file's client column that name another client than this one, in file order (none without a
/// client column).
fn foreign_lines(read: &ReadFile, client: &Client) -> Vec<u64> {
    let Some(column) = &read.clients else {
        return Vec::new();
    };
    let ours: Vec<bool> = column.names.iter().map(|n| names_client(n, client)).collect();
    column
        .lines
        .iter()
        .filter(|(_, i)| !ours.get(*i as usize).copied().unwrap_or(false))
        .map(|(line, _)| *line)
        .collect()
}

/// Whether a client cell names this client: its id, or its name (case-insensitive, as the command line's
/// `--client` finds a client).
pub(super) fn names_client(cell: &str, client: &Client) -> bool {
    cell.parse::<i64>().is_ok_and(|id| id == client.id.0)
        || cell.to_lowercase() == client.fields.name.to_lowercase()
}

fn existing_target(k: &Kpi) -> Target {
    Target {
        name: k.fields.name.clone(),
        how: How::Existing(k.id),
        unit: k.fields.unit,
    }
}
