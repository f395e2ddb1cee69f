//! Benchmark of the documents room (issue 10): a client's goals-and-KPIs document from stored records (the demo
//! data with two years of daily values) to PDF bytes in a running process, in English and in Chinese, median of N;
//! the layout alone (model to PDF) beside it; and in the same run a kept-running Debian Chromium, driven through
//! playwright-core (`tests/browser/print-pdf.mjs`), printing the same document's HTML to PDF, with the ratio.
//!
//! Run: `cargo run --release -p accountable-testkit --features bench --bin bench-documents [N]` (N = 50 by
//! default). Each measured document starts with Typst's memo cache emptied (`forget_memoised`). Needs `/usr/bin/chromium` and `npm ci` in tests/browser. Prints Markdown rows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_app::demo::{Measurements, load_with};
use accountable_testkit::{Options, TestApp};
use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().nth(1).map(|a| a.parse().unwrap()).unwrap_or(50);
    let app = TestApp::start(Options::default()).await;
    load_with(&app.services, Measurements::Included).await.unwrap();
    let actor = app.actor("Northwind Creative", "owner@northwind.example").await;
    let out = std::env::temp_dir().join(format!("bench-documents-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let mut html_files = Vec::new();
    let mut typst_medians = Vec::new();
    println!("| document | step | median of {n} | PDF bytes |");
    println!("| --- | --- | ---: | ---: |");
    for (label, client) in [
        ("English", "Harbor & Pine Home Goods"),
        ("Simplified Chinese", "上海青禾茶饮有限公司"),
        ("Traditional Chinese", "高雄海港咖啡"),
    ] {
        let id = app.services.resolve_client(&actor, client).await.unwrap().id;
        // The first document builds the renderer (fonts parsed once per process): measured apart.
        let first = Instant::now();
        let (_, pdf) = accountable_web::kpi_document::pdf(&app.services, &actor, id, None)
            .await
            .unwrap();
        let first = first.elapsed();
        let mut whole = Vec::with_capacity(n);
        let mut model = Vec::with_capacity(n);
        let mut layout = Vec::with_capacity(n);
        let mut warm = Vec::with_capacity(n);
        let mut doc = None;
        for _ in 0..n {
            // Typst memoises whole compilations: the same model twice is laid out once. Every measured
            // document starts from an empty cache, as a document never made before does.
            accountable_documents::pdf::forget_memoised();
            let start = Instant::now();
            let d = accountable_web::kpi_document::build(&app.services, &actor, id, None)
                .await
                .unwrap();
            let built = start.elapsed();
            let bytes = accountable_documents::kpi::pdf(&d).unwrap();
            let all = start.elapsed();
            assert_eq!(bytes, pdf, "the same records give the same bytes");
            whole.push(all);
            model.push(built);
            layout.push(all - built);
            let again = Instant::now();
            accountable_documents::kpi::pdf(&d).unwrap();
            warm.push(again.elapsed());
            doc = Some(d);
        }
        let doc = doc.unwrap();
        let slug = label.to_lowercase().replace(' ', "-");
        let file = out.join(format!("kpis-{slug}.html"));
        std::fs::write(&file, accountable_documents::kpi::html(&doc).unwrap()).unwrap();
        html_files.push((label, file));
        let size = pdf.len();
        println!(
            "| {label} | records → PDF bytes (Typst, in process) | {:.1} ms | {size} |",
            ms(median(whole.clone()))
        );
        println!(
            "| {label} | records → model (database reads, formatting, SVG) | {:.1} ms | |",
            ms(median(model))
        );
        println!(
            "| {label} | model → PDF (Typst layout and export) | {:.1} ms | |",
            ms(median(layout.clone()))
        );
        println!(
            "| {label} | first document of the process (fonts parsed) | {:.1} ms | |",
            ms(first)
        );
        typst_medians.push((label, median(whole), median(layout)));
    }

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser/print-pdf.mjs");
    let mut cmd = std::process::Command::new("node");
    cmd.arg(&script).arg(n.to_string()).arg(&out);
    for (_, f) in &html_files {
        cmd.arg(f);
    }
    let result = cmd.output().expect("node (and npm ci in tests/browser)");
    assert!(
        result.status.success(),
        "print-pdf.mjs failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    for ((label, file), (_, whole, layout)) in html_files.iter().zip(&typst_medians) {
        let name = file.file_name().unwrap().to_str().unwrap();
        let chromium = json[name]["median_ms"].as_f64().unwrap();
        let bytes = json[name]["bytes"].as_u64().unwrap();
        println!(
            "| {label} | HTML → PDF (kept-running Chromium, playwright-core) | {chromium:.1} ms | {bytes} |"
        );
        println!(
            "| {label} | ratio Chromium (HTML → PDF) / Typst (model → PDF); / Typst (records → PDF) | {:.1}×; {:.1}× | |",
            chromium / ms(*layout),
            chromium / ms(*whole)
        );
    }
    println!("\nFiles in {}", out.display());
}
