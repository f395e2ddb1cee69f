//! The agency-wide plan on hand-made files: clients and KPIs found, every error listed, rows in key order.

use super::*;
use crate::client::ClientForm;
use crate::id::AgencyId;

fn client(id: i64, name: &str) -> Client {
    let form = ClientForm {
        name: name.into(),
        business_model: "e-commerce".into(),
        time_zone: "Europe/Budapest".into(),
        language: "en".into(),
        currency: "EUR".into(),
        weekly_report_weekday: "1".into(),
        weekly_report_time: "12:00".into(),
        ..Default::default()
    };
    let at = "2026-11-23T09:00:00Z".parse().unwrap();
    Client {
        id: ClientId(id),
        agency_id: AgencyId(1),
        fields: form.parse().unwrap(),
        archived_at: None,
        created_at: at,
        updated_at: at,
    }
}

/// Plans `text` against two clients, Acme (id 7: Leads = KPI 70, Calls = KPI 71) and Bolt (id 8: Leads = KPI 80),
/// finding a client cell as the use case does: by id, else by name.
fn plan(text: &str, create_kpis: bool) -> Plan {
    let table = long::read_long("agency.csv", text);
    let known = [
        (client(7, "Acme"), vec![("leads", 70), ("calls", 71)]),
        (client(8, "Bolt"), vec![("leads", 80)]),
    ];
    let mut parts: Vec<Part> = Vec::new();
    let mut part_of = Vec::new();
    for cell in &table.clients {
        let found = known
            .iter()
            .find(|(c, _)| cell.parse::<i64>() == Ok(c.id.0) || c.fields.name.eq_ignore_ascii_case(cell));
        part_of.push(found.map(|(c, kpis)| {
            parts.iter().position(|p| p.client.id == c.id).unwrap_or_else(|| {
                parts.push(Part {
                    client: c.clone(),
                    kpis: kpis.iter().map(|(n, id)| (n.to_string(), KpiId(*id))).collect(),
                });
                parts.len() - 1
            })
        }));
    }
    Plan::make("agency.csv", table, parts, &part_of, create_kpis)
}

fn places(plan: &Plan) -> Vec<(u64, &str)> {
    plan.errors.iter().map(|e| (e.line, e.column.as_str())).collect()
}

#[test]
fn rows_are_ordered_by_client_kpi_and_day_whatever_the_files_order() {
    let plan = plan(
        "client,date,kpi,value\nBolt,2026-11-02,Leads,4\nAcme,2026-11-02,Calls,3\nAcme,2026-11-01,leads,1\n\
         7,2026-11-02,Leads,2\nBolt,2026-11-01,Leads,5\n",
        false,
    );
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    // Bolt first (the file names it first), its Leads by day; then Acme's Calls, and its Leads, found by name
    // and by id (7) alike.
    let lines: Vec<u64> = plan.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [6, 2, 3, 4, 5]);
    let parts = plan.parts();
    let summary: Vec<String> = parts
        .iter()
        .map(|(p, _)| {
            let kpis: Vec<&str> = p.kpis.iter().map(|k| k.0.as_str()).collect();
            format!(
                "{} {} {:?} {}..{}",
                p.client_id, p.values, kpis, p.period.0, p.period.1
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            r#"8 2 ["Leads"] 2026-11-01..2026-11-02"#,
            r#"7 3 ["Calls", "leads"] 2026-11-01..2026-11-02"#
        ]
    );
    assert_eq!((parts[0].1.clone(), parts[1].1.clone()), (0..2, 2..5));
}

#[test]
fn every_unknown_client_and_kpi_is_an_error_on_its_line_and_column() {
    let plan = plan(
        "client,date,kpi,value\nAcme,2026-11-01,Leads,1\nNobody,2026-11-01,Leads,2\nBolt,2026-11-01,Calls,3\n\
         Nobody,2026-11-02,Leads,x\n99,2026-11-01,Leads,4\nAcme,2026-11-02,Leads,5\n",
        false,
    );
    assert_eq!(
        places(&plan),
        [
            (3, "client"),
            (4, "kpi"),
            (5, "value"),
            (5, "client"),
            (6, "client")
        ],
        "{:?}",
        plan.errors
    );
    assert!(
        plan.errors[0].message.contains("\"Nobody\""),
        "{}",
        plan.errors[0]
    );
    assert!(
        plan.errors[1]
            .message
            .contains("\"Bolt\" has no KPI named \"Calls\""),
        "{}",
        plan.errors[1]
    );
    assert!(plan.errors[1].message.contains("--create-kpis"));
}

#[test]
fn create_kpis_makes_one_kpi_per_client_and_name_whatever_its_case() {
    let plan = plan(
        "client,date,kpi,value\nBolt,2026-11-01,Calls,3\nBolt,2026-11-02,calls,4\nAcme,2026-11-01,Visits,1\n",
        true,
    );
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    let made: Vec<(usize, &str, bool)> = plan
        .targets
        .iter()
        .map(|t| (t.part, t.name.as_str(), matches!(t.how, How::New(_))))
        .collect();
    assert_eq!(made, [(0, "Calls", true), (1, "Visits", true)]);
    let kpis: Vec<Vec<(String, bool)>> = plan.parts().into_iter().map(|(p, _)| p.kpis).collect();
    assert_eq!(
        kpis,
        [
            vec![("Calls".to_string(), true)],
            vec![("Visits".to_string(), true)]
        ]
    );
}

#[test]
fn a_value_given_twice_names_both_lines_even_by_id_and_by_name() {
    let plan = plan(
        "client,date,kpi,value\nAcme,2026-11-01,Leads,1\nAcme,2026-11-02,Leads,2\n7,2026-11-01,LEADS,3\n",
        false,
    );
    assert_eq!(places(&plan), [(4, "")]);
    assert_eq!(
        plan.errors[0].to_string(),
        "agency.csv line 4: line 2 already gives Leads of \"Acme\" on 2026-11-01: a file may give each value once"
    );
}

#[test]
fn the_client_column_is_found_in_the_header_only() {
    assert!(has_client_column(
        b"client,date,kpi,value\nAcme,2026-11-01,Leads,1\n"
    ));
    assert!(has_client_column(
        b"\xEF\xBB\xBF\"Date\",\"KPI\",\"Value\",\"Client\"\r\n"
    ));
    assert!(!has_client_column(b"date,kpi,value\n2026-11-01,client,1\n"));
    assert!(!has_client_column(b"Date,Clicks,Impressions,CTR,Position\n"));
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "client,date,kpi,value\r\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert!(has_client_column(&utf16));
}
