//! Benchmark of importing the real export samples (issue "Goals, KPIs…", Speed: the largest real sample file in
//! under 50 ms): each sample (a Search Console folder as one set) is imported for a demo client through the use
//! case — read, KPIs looked up or created, written in one transaction, committed — then undone, 21 times; the
//! median and the slowest run are printed, with the time of reading alone.
//!
//! Run: `cargo run --release -p accountable-testkit --bin bench-import-samples [SAMPLES_DIR]` (SQLite; default
//! `../shared/samples`), and with `TESTKIT_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test` for PostgreSQL.
//! Prints Markdown rows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::import::{ImportOptions, ImportOutcome, read_files};
use accountable_testkit::TestApp;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RUNS: usize = 21;

/// The sample sets: each Search Console folder as one, every other file alone.
fn sets(root: &Path) -> Vec<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        if dir.join("Filters.csv").exists() {
            out.push(files);
        } else {
            out.extend(files.into_iter().map(|f| vec![f]));
        }
    }
    out
}

fn median(mut d: Vec<Duration>) -> f64 {
    d.sort();
    d[d.len() / 2].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/samples".into()),
    );
    let app = TestApp::with_demo().await;
    let owner = app.actor("Southwind Media", "owner@southwind.example").await;
    let client = app
        .services
        .resolve_client(&owner, "Meridian Dental Clinics")
        .await
        .unwrap()
        .id;
    let options = ImportOptions::default();
    println!(
        "| database | sample | bytes | values | import, median of {RUNS} | slowest | reading alone, median |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for set in sets(&root) {
        let files: Vec<(String, Vec<u8>)> = set
            .iter()
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().to_string(),
                    std::fs::read(p).unwrap(),
                )
            })
            .collect();
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        let label = if set.len() > 1 {
            format!(
                "{}/ ({} files)",
                set[0].parent().unwrap().file_name().unwrap().to_string_lossy(),
                set.len()
            )
        } else {
            files[0].0.clone()
        };
        let mut imports = Vec::new();
        let mut reads = Vec::new();
        let mut values = 0;
        for _ in 0..RUNS {
            let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
            let started = Instant::now();
            let read = read_files(&refs, None);
            reads.push(started.elapsed());
            std::hint::black_box(read);
            let started = Instant::now();
            let outcomes = app
                .services
                .import_files(&owner, client, &files, &options)
                .await
                .unwrap();
            imports.push(started.elapsed());
            values = 0;
            for outcome in &outcomes {
                match outcome {
                    ImportOutcome::Committed(r) => {
                        values += r.values;
                        app.services
                            .undo_import(&owner, r.import_id.unwrap())
                            .await
                            .unwrap();
                    }
                    ImportOutcome::Nothing { .. } => {}
                    other => panic!("{label}: {other:?}"),
                }
            }
        }
        let slowest = imports.iter().max().unwrap().as_secs_f64() * 1000.0;
        println!(
            "| {} | {label} | {bytes} | {values} | {:.2} ms | {slowest:.2} ms | {:.3} ms |",
            app.db.kind,
            median(imports),
            median(reads)
        );
    }
}
