//! The import preview says what an import says in the person's language: a bad cell's error with its file, line
//! and column, why a file holds nothing to import (a zip's files included) and what the reader noticed — while the
//! service, and so the command line and the API, keep the English, which the English page says word for word.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::id::ClientId;
use accountable_core::import::{ImportOptions, ImportOutcome};
use accountable_testkit::{Browser, Page, TestApp};
use std::io::Write;

/// A long-format file with a bad date and a comma decimal on its third line.
const BAD_LONG: &[u8] = b"date,kpi,value\n2026-10-01,Leads,4\n2026-13-02,Leads,\"4,5\"\n";
/// A Search Console Filters.csv, uploaded without the tables it gives a period.
const FILTERS: &[u8] = b"Filter,Value\nSearch type,Web\nDate,\"Mar 1, 2026-Mar 31, 2026\"\n";
/// A Business Profile export, whose period comes from its name.
const GBP: &[u8] = b"Store code,Business name,Address,Labels,Google Search - Mobile,Google Search - Desktop,Google Maps - Mobile,Google Maps - Desktop,Calls,Messages,Bookings,Directions,Website clicks\n,,,,Views on Search (mobile),Views on Search (desktop),Views on Maps (mobile),Views on Maps (desktop),Calls,Conversations,Bookings,Directions,Website\n,Ledgerline,\"2 Grand Canal Square, Dublin\",,42,24,27,24,3,0,0,63,7\n";
const GBP_NAME: &str = "GMB insights (Performance Report) - 2026-1-1 - 2026-1-31 - b33f.csv";

async fn ledgerline(app: &TestApp) -> (Actor, ClientId) {
    app.northwind_owner_and("Ledgerline Software").await
}

/// A browser signed in as Northwind's owner, the pages in `language`.
async fn signed_in(app: &TestApp, language: &str) -> Browser {
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    b.post("/clients", "/language", &[("language", language)]).await;
    b
}

async fn preview(b: &Browser, client: ClientId, files: &[(&str, &[u8])]) -> Page {
    let csrf = b.get(&format!("/clients/{client}/kpis")).await.csrf();
    let files: Vec<(&str, &str, Vec<u8>)> = files
        .iter()
        .map(|(name, bytes)| ("files", *name, bytes.to_vec()))
        .collect();
    b.post_multipart(
        &format!("/clients/{client}/imports/preview"),
        &[("_csrf", &csrf)],
        &files,
    )
    .await
}

/// The page's text as a person reads it (entities decoded).
fn text(page: &Page) -> String {
    page.body
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in members {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_hungarian_page_says_an_imports_errors_with_their_place_its_reasons_and_notes_in_hungarian() {
    let app = TestApp::with_demo().await;
    let (_, client) = ledgerline(&app).await;
    let b = signed_in(&app, "hu").await;

    let refused = preview(&b, client, &[("Leads.csv", BAD_LONG)]).await;
    assert_eq!(refused.status, 422);
    let page = text(&refused);
    assert!(page.contains("lang=\"hu\""), "{page}");
    assert!(
        page.contains("Leads.csv, 3. sor, „date” oszlop: „2026-13-02” nem ÉÉÉÉ-HH-NN alakú dátum"),
        "{page}"
    );
    assert!(
        page.contains(
            "Leads.csv, 3. sor, „value” oszlop: „4,5” nem tizedespontot használó szám (például 1234.5)"
        ),
        "{page}"
    );
    assert!(
        !page.contains("is not a") && !page.contains(" line 3"),
        "no English is left: {page}"
    );

    let nothing = text(&preview(&b, client, &[("Filters.csv", FILTERS)]).await);
    assert!(
        nothing.contains(
            "Nincs mit importálni: a Search Console Filters.csv fájlja az export szűrőit és időszakát sorolja \
             fel; mérési adatokat nem tartalmaz"
        ),
        "{nothing}"
    );
    assert!(!nothing.contains("holds no measurements"), "{nothing}");

    let noted = text(&preview(&b, client, &[(GBP_NAME, GBP)]).await);
    assert!(
        noted.contains("az időszak (2026-01-01 – 2026-01-31) a fájl nevéből származik"),
        "the reader's note: {noted}"
    );
}

#[tokio::test]
async fn a_chinese_page_says_the_same_in_chinese_a_zips_files_included() {
    let app = TestApp::with_demo().await;
    let (_, client) = ledgerline(&app).await;
    let b = signed_in(&app, "zh-Hans").await;

    let page = text(&preview(&b, client, &[("Leads.csv", BAD_LONG)]).await);
    assert!(page.contains("lang=\"zh-Hans\""), "{page}");
    assert!(
        page.contains("Leads.csv 第 3 行，“date”列：“2026-13-02”不是 YYYY-MM-DD 格式的日期"),
        "{page}"
    );
    assert!(
        page.contains("Leads.csv 第 3 行，“value”列：“4,5”不是以小数点“.”表示小数的数字，例如 1234.5"),
        "{page}"
    );

    let nothing = text(&preview(&b, client, &[("Filters.csv", FILTERS)]).await);
    let alone = "Search Console 的 Filters.csv 列出导出的过滤条件和日期范围，其中没有数据";
    assert!(
        nothing.contains(&format!("没有可导入的内容： {alone}")),
        "{nothing}"
    );

    // What each file of a zip holds is said inside the zip's own reason.
    let export = zip(&[("Filters.csv", FILTERS)]);
    let zipped = text(&preview(&b, client, &[("export.zip", &export)]).await);
    assert!(
        zipped.contains(&format!("该 zip 文件中没有任何数据（Filters.csv：{alone}")),
        "{zipped}"
    );
    assert!(!zipped.contains("zip file holds"), "{zipped}");
}

#[tokio::test]
async fn the_service_keeps_the_english_and_the_english_page_says_it_word_for_word() {
    let app = TestApp::with_demo().await;
    let (owner, client) = ledgerline(&app).await;
    let dry_run = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    let service = |name: &str, bytes: &[u8]| {
        let files = vec![(name.to_string(), bytes.to_vec())];
        let (app, owner, dry_run) = (&app, &owner, &dry_run);
        async move {
            app.services
                .import_files(owner, client, &files, dry_run)
                .await
                .unwrap()
                .remove(0)
        }
    };
    let ImportOutcome::Refused { errors, .. } = service("Leads.csv", BAD_LONG).await else {
        panic!("the bad file is refused");
    };
    let said: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        said.contains(
            &r#"Leads.csv line 3, column "date": "2026-13-02" is not a date as YYYY-MM-DD"#.to_string()
        ),
        "the command line's words: {said:?}"
    );
    let ImportOutcome::Nothing { reason, .. } = service("Filters.csv", FILTERS).await else {
        panic!("Filters.csv alone is nothing to import");
    };
    assert!(
        reason.starts_with("a Search Console Filters.csv lists"),
        "{reason}"
    );

    let b = signed_in(&app, "en").await;
    let page = text(&preview(&b, client, &[("Leads.csv", BAD_LONG)]).await);
    for e in &said {
        // The page offers no command-line flags: where the command line says `--create-kpis`, the page points
        // to its own upload form, with the rest of the words the same.
        match e.split_once(" (add it, or import with --create-kpis)") {
            Some((before, _)) => {
                assert!(page.contains(before), "{before} is not on the page: {page}");
                assert!(
                    page.contains("tick \"Create the KPIs…\" on the upload form")
                        && !page.contains("--create-kpis"),
                    "{page}"
                );
            }
            None => assert!(page.contains(e.as_str()), "{e} is not on the page: {page}"),
        }
    }
    let page = text(&preview(&b, client, &[("Filters.csv", FILTERS)]).await);
    assert!(
        page.contains(reason.as_str()),
        "{reason} is not on the page: {page}"
    );
}
