//! Each person's home page (`/`): what needs them first across their clients (see `core::home`). A client
//! contact is sent to their client's page instead.

use super::{Page, Viewer, html};
use crate::AppState;
use crate::error::WebError;
use crate::i18n::Tr;
use accountable_core::home::{Home, HomeClient};
use askama::Template;
use axum::response::Response;

struct GoalLine {
    id: i64,
    statement: String,
    kpi: String,
    /// `ahead`, `on-track`, `behind` or `unknown`, for the badge's colour.
    class: &'static str,
    standing: String,
    /// "judged on …" when not judged on the client's today.
    judged: String,
}

struct ClientLine {
    id: i64,
    name: String,
    attention: bool,
    goals: Vec<GoalLine>,
    moves: String,
    stale: Vec<String>,
}

struct GroupBlock {
    title: String,
    clients: Vec<ClientLine>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeTemplate {
    page: Page,
    intro: String,
    summary: Vec<String>,
    groups: Vec<GroupBlock>,
    everyone: bool,
}

fn client_line(tr: &Tr, c: &HomeClient) -> ClientLine {
    let fmt = tr.fmt();
    let goals = c
        .goals
        .iter()
        .map(|g| {
            let (class, word) = match g.standing {
                Some(s) => (
                    s.as_str(),
                    tr.t(&format!("goals.standing.{}", s.as_str())).to_string(),
                ),
                None => ("unknown", tr.t("home.not_judged").to_string()),
            };
            GoalLine {
                id: g.id.0,
                statement: g.statement.clone(),
                kpi: g.kpi_name.clone(),
                class,
                standing: word,
                judged: g
                    .judged_on
                    .map(|d| tr.tf("home.judged_on", &[("day", &fmt.date(d))]))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let stale = c
        .stale
        .iter()
        .map(|s| {
            tr.tn(
                "home.stale_kpi",
                s.days,
                &[("kpi", &s.name), ("day", &fmt.date(s.last_value_on))],
            )
        })
        .collect();
    ClientLine {
        id: c.id.0,
        name: c.name.clone(),
        attention: c.needs_attention(),
        goals,
        moves: if c.moves_to_explain > 0 {
            tr.tn(
                "home.moves_to_explain",
                c.moves_to_explain,
                &[("month", &fmt.month(c.month))],
            )
        } else {
            String::new()
        },
        stale,
    }
}

fn summary(tr: &Tr, home: &Home) -> Vec<String> {
    let clients: Vec<&HomeClient> = home.clients().collect();
    let behind: usize = clients.iter().map(|c| c.behind()).sum();
    let moves: i64 = clients.iter().map(|c| c.moves_to_explain).sum();
    let stale: usize = clients.iter().map(|c| c.stale.len()).sum();
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    vec![
        tr.tn("home.summary.clients", count(clients.len()), &[]),
        tr.tn("home.summary.behind", count(behind), &[]),
        tr.tn("home.summary.moves", moves, &[]),
        tr.tn("home.summary.stale", count(stale), &[]),
    ]
}

/// The home page of a staff member.
pub async fn show(state: &AppState, viewer: &Viewer) -> Result<Response, WebError> {
    let home = state.services.home(viewer.actor()).await?;
    let tr = viewer.ctx.tr();
    let groups = home
        .groups
        .iter()
        .map(|g| GroupBlock {
            title: match &g.account_executive {
                Some((_, name)) => name.clone(),
                None => tr.t("home.no_engagement").to_string(),
            },
            clients: g.clients.iter().map(|c| client_line(&tr, c)).collect(),
        })
        .collect();
    let template = HomeTemplate {
        page: viewer.page(state, tr.t("home.title"), "home").await?,
        intro: tr
            .t(if home.everyone {
                "home.intro_everyone"
            } else {
                "home.intro_mine"
            })
            .to_string(),
        summary: summary(&tr, &home),
        groups,
        everyone: home.everyone,
    };
    Ok(html(&template))
}

#[cfg(test)]
mod tests {
    use super::*;
    use accountable_core::goal::GoalId;
    use accountable_core::home::{HomeGoal, StaleKpi};
    use accountable_core::id::ClientId;
    use accountable_core::pacing::Standing;
    use accountable_core::types::Language;
    use jiff::civil::date;

    #[test]
    fn a_client_line_says_the_standing_the_moves_and_the_stale_data_in_words() {
        let tr = Tr::new(Language::En);
        let client = HomeClient {
            id: ClientId(7),
            name: "Ledgerline Software".into(),
            goals: vec![HomeGoal {
                id: GoalId(3),
                statement: "Double the demos".into(),
                kpi_name: "Qualified demos".into(),
                standing: Some(Standing::Behind),
                judged_on: Some(date(2026, 12, 2)),
            }],
            month: date(2026, 11, 1),
            moves_to_explain: 2,
            stale: vec![StaleKpi {
                name: "Sessions".into(),
                last_value_on: date(2026, 11, 20),
                days: 13,
            }],
        };
        let line = client_line(&tr, &client);
        assert!(line.attention);
        assert_eq!(line.goals[0].class, "behind");
        assert_eq!(line.goals[0].standing, "Behind");
        assert_eq!(line.goals[0].judged, "judged on Dec 2, 2026");
        assert_eq!(line.moves, "2 notable moves of Nov 2026 to explain");
        assert_eq!(
            line.stale,
            vec!["Sessions: no value for 13 days (last Nov 20, 2026)"]
        );
    }
}
