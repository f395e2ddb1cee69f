//! Memory and time are bounded for every import (issue 12): a refused file lists its first 100 errors and counts
//! the rest, on the page, the API and the command line; a message quotes at most 80 characters of a cell; a line
//! past the stated limit is refused before it is split into cells; an unterminated quote is named where it opens.
//! The limits are stated in docs/security.md; the peak memory of the worst case is measured by the command-line
//! test `a_file_of_bad_lines_is_refused_within_a_stated_peak_memory` (crates/app/tests/cli.rs).

use accountable_core::import::{ImportOptions, ImportOutcome, MAX_ERRORS, QUOTE_CHARS};
use accountable_testkit::TestApp;
use base64::Engine;

/// KPIs named by a file are created: only the file's own faults refuse it.
fn create_kpis() -> ImportOptions {
    ImportOptions {
        create_kpis: true,
        ..Default::default()
    }
}

/// A long-format file with `n` lines whose date is not a date.
fn bad_lines(n: usize) -> Vec<u8> {
    let mut text = String::from("date,kpi,value\n");
    for i in 0..n {
        text.push_str(&format!("day {i},Leads,1\n"));
    }
    text.into_bytes()
}

async fn refused(app: &TestApp, bytes: &[u8]) -> accountable_core::import::ErrorList {
    let (owner, client) = app.northwind_owner_and("Ledgerline Software").await;
    match app
        .services
        .import_file(&owner, client, "bad.csv", bytes, &create_kpis())
        .await
        .unwrap()
    {
        ImportOutcome::Refused { errors, .. } => errors,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_refused_file_lists_its_first_hundred_errors_and_counts_the_rest_on_page_api_and_use_case() {
    let app = TestApp::with_demo().await;
    let bytes = bad_lines(1000);
    let errors = refused(&app, &bytes).await;
    assert_eq!(errors.shown().len(), MAX_ERRORS);
    assert_eq!(errors.more(), 900);
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(
        lines,
        (2..=101).collect::<Vec<u64>>(),
        "the first hundred, in file order"
    );

    let (_, client) = app.northwind_owner_and("Ledgerline Software").await;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let body = serde_json::json!({"files": [{
        "name": "bad.csv",
        "content_base64": base64::engine::general_purpose::STANDARD.encode(&bytes),
    }]});
    let api = b
        .api_send(
            reqwest::Method::POST,
            &format!("/clients/{client}/imports"),
            &body.to_string(),
        )
        .await;
    assert_eq!(api.status, 422, "a refused import is not a success: {}", api.body);
    let json = api.json();
    assert_eq!(json["files"][0]["outcome"], "refused");
    assert_eq!(json["files"][0]["errors"].as_array().unwrap().len(), 100);
    assert_eq!(json["files"][0]["more_errors"], 900);

    let form = b.get(&format!("/clients/{client}/kpis")).await;
    let page = b
        .post_multipart(
            &format!("/clients/{client}/imports/preview"),
            &[("_csrf", &form.csrf())],
            &[("files", "bad.csv", bytes.clone())],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.body.matches("<li><code>").count(),
        100,
        "the page lists a hundred"
    );
    assert!(
        page.body.contains("and 900 more errors after these"),
        "and says how many more: {}",
        page.body
    );
}

#[tokio::test]
async fn a_message_quotes_at_most_eighty_characters_of_a_cell() {
    let app = TestApp::with_demo().await;
    let cell = "9".repeat(5_000);
    let errors = refused(&app, format!("date,kpi,value\n{cell},Leads,1\n").as_bytes()).await;
    let message = &errors[0].message;
    assert!(
        message.len() < QUOTE_CHARS + 100,
        "the message quotes the start of the cell only: {message}"
    );
    assert!(
        message.contains(&format!("{}…", "9".repeat(QUOTE_CHARS))),
        "{message}"
    );
}

#[tokio::test]
async fn a_line_past_the_limit_is_refused_before_it_is_split_into_cells() {
    let app = TestApp::with_demo().await;
    // Half a million columns in the header: refused at line 1 by its length, not read into cells.
    let header = "a,".repeat(500_000);
    let errors = refused(&app, format!("{header}\n2026-01-01,1\n").as_bytes()).await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 1);
    assert!(
        errors[0].message.contains("at most 65536 bytes"),
        "{}",
        errors[0].message
    );
    // The same for a line further down, and for the agency-wide import.
    let body = format!("date,kpi,value\n2026-01-01,Leads,{}\n", "1".repeat(70_000));
    let errors = refused(&app, body.as_bytes()).await;
    assert_eq!((errors.len(), errors[0].line), (1, 2));
    let (owner, _) = app.northwind_owner_and("Ledgerline Software").await;
    let agency_file = format!(
        "client,date,kpi,value\n{},2026-01-01,Leads,1\n",
        "x".repeat(70_000)
    );
    match app
        .services
        .import_agency_file(
            &owner,
            "all.csv",
            agency_file.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap()
    {
        accountable_core::import::AgencyImportOutcome::Refused { errors, .. } => {
            assert_eq!(errors[0].line, 2);
            assert!(errors[0].message.contains("bytes long"), "{}", errors[0].message);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unterminated_quote_is_named_at_the_line_where_it_opens() {
    let app = TestApp::with_demo().await;
    let errors = refused(
        &app,
        b"date,kpi,value\n2026-01-01,Leads,1\n2026-01-02,\"Leads,2\n2026-01-03,Leads,3\n",
    )
    .await;
    assert_eq!(errors.len(), 1, "one error, not 'value is empty': {errors:?}");
    assert_eq!(errors[0].line, 3);
    assert!(
        errors[0].message.contains("never closed"),
        "{}",
        errors[0].message
    );
    // A quoted cell that holds a comma, and one with a quote written twice, are read as they should be.
    let (owner, client) = app.northwind_owner_and("Ledgerline Software").await;
    let fine = "date,kpi,value\n2026-01-01,\"Leads\",\"1\"\n2026-01-02,Leads,2\n";
    let outcome = app
        .services
        .import_file(
            &owner,
            client,
            "fine.csv",
            fine.as_bytes(),
            &ImportOptions {
                dry_run: true,
                ..create_kpis()
            },
        )
        .await
        .unwrap();
    assert!(
        matches!(outcome, ImportOutcome::Preview(ref r) if r.values == 2),
        "{outcome:?}"
    );
    // In an export's table too (Search Console), with the line where the quote opens.
    let gsc = "Top queries,Clicks,Impressions,CTR,Position\n\"shed base,10,100,10%,3.2\nfence,5,50,10%,4.1\n";
    let errors = refused(&app, gsc.as_bytes()).await;
    assert!(
        errors
            .iter()
            .any(|e| e.line == 2 && e.message.contains("never closed")),
        "{errors:?}"
    );
}
