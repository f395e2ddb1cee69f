//! Benchmark of loading the plain long format (issue "Goals, KPIs and the numbers behind them", Speed: 1,000,000
//! rows, 250 clients × 8 KPIs × 500 days, validated and committed, within 1.5× of the database's own CSV loader).
//!
//! It writes the file (`client,date,kpi,value`) in a temporary folder, sets up 250 clients with 8 KPIs each, and
//! times in the same run, each round:
//!   - SQLite: `sqlite3 DB ".mode csv" ".import FILE bare"` into a bare table of a new database file, then the
//!     product's agency-wide import of the same file (read from disk, every cell checked, clients and KPIs found,
//!     written, committed) through the use case;
//!   - with `TESTKIT_POSTGRES_URL`: `psql URL -c "\copy bare FROM FILE CSV HEADER"` into a bare table of the
//!     app's database, then the product's import on PostgreSQL.
//!
//! Also timed, to show what the time goes to: the same import as a dry run (read, checked, resolved, nothing
//! written), and the database alone writing the very rows the import wrote, with one plain `INSERT … SELECT`
//! into `measurements` (empty again, as on the import's first load, which needs no conflict handling) from a copy
//! of them in a temporary table, and committing — about the least any import into that table can take, whatever
//! the client does. After each round the import is undone, so each
//! round writes 1,000,000 new values.
//!
//! Run: `cargo run --release -p accountable-testkit --bin bench-import [ROUNDS]` (default 3), with
//! `TESTKIT_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test` for PostgreSQL too. Needs `sqlite3` and `psql`.
//! Prints Markdown rows (medians of the rounds).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::client::ClientForm;
use accountable_core::import::{AgencyImportOutcome, ImportOptions};
use accountable_core::kpi::KpiForm;
use accountable_testkit::{Options, POSTGRES_ENV, TestApp, TestDatabase};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const CLIENTS: usize = 250;
const KPIS: usize = 8;
const DAYS: i64 = 500;
const ROWS: usize = CLIENTS * KPIS * DAYS as usize;

fn client_name(c: usize) -> String {
    format!("Bench client {c:03}")
}

/// The file as an agency would export it from a spreadsheet: a client's days in order, its KPIs on each day.
fn write_file(path: &Path) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "client,date,kpi,value").unwrap();
    let first: jiff::civil::Date = "2025-01-01".parse().unwrap();
    for c in 0..CLIENTS {
        let name = client_name(c);
        for d in 0..DAYS {
            let day = first.checked_add(jiff::Span::new().days(d)).unwrap();
            for k in 0..KPIS {
                let n = (c as i64 * 7919 + d * 104_729 + k as i64 * 31) % 100_000;
                // Counts for some KPIs, amounts with cents for others.
                if k % 2 == 0 {
                    writeln!(out, "{name},{day},KPI {k},{n}").unwrap();
                } else {
                    writeln!(out, "{name},{day},KPI {k},{}.{:02}", n / 100, n % 100).unwrap();
                }
            }
        }
    }
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

fn run(command: &mut Command) -> String {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The SQLite file the bare table of a round is loaded into.
fn bare_file(dir: &Path, round: usize) -> PathBuf {
    dir.join(format!("bare-{round}.db"))
}

/// Times the database's own loader into a bare table, and checks it loaded every row.
fn baseline(kind: &str, url: &str, file: &Path, dir: &Path, round: usize) -> Duration {
    let file = file.display().to_string();
    match kind {
        "sqlite" => {
            let db = bare_file(dir, round);
            let t = Instant::now();
            run(Command::new("sqlite3")
                .arg(&db)
                .arg(".mode csv")
                .arg(format!(".import {file} bare")));
            let took = t.elapsed();
            let n = run(Command::new("sqlite3").arg(&db).arg("SELECT count(*) FROM bare"));
            assert_eq!(n, ROWS.to_string());
            took
        }
        _ => {
            run(Command::new("psql").args([
                url,
                "-q",
                "-c",
                "DROP TABLE IF EXISTS bare",
                "-c",
                "CREATE TABLE bare (client text, date text, kpi text, value text)",
            ]));
            let t = Instant::now();
            run(Command::new("psql").args([
                url,
                "-q",
                "-c",
                &format!("\\copy bare FROM '{file}' CSV HEADER"),
            ]));
            let took = t.elapsed();
            let n = run(Command::new("psql").args([url, "-At", "-c", "SELECT count(*) FROM bare"]));
            assert_eq!(n, ROWS.to_string());
            took
        }
    }
}

/// Copies the rows the import wrote into a temporary table of a connection of its own, for `floor`.
async fn stage(app: &TestApp) -> sqlx::pool::PoolConnection<sqlx::Any> {
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query(
        "CREATE TEMPORARY TABLE staged AS SELECT kpi_id, period_start, period_end, dimension, value, \
         import_id FROM measurements",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    conn
}

/// Times the database alone writing the staged rows into `measurements` (the imports they name are undone but
/// still there) and committing them, then removes them again.
async fn floor(mut conn: sqlx::pool::PoolConnection<sqlx::Any>) -> Duration {
    use sqlx::Connection;
    let t = Instant::now();
    let mut tx = conn.begin().await.unwrap();
    let written = sqlx::query(
        "INSERT INTO measurements (kpi_id, period_start, period_end, dimension, value, import_id) \
         SELECT kpi_id, period_start, period_end, dimension, value, import_id \
         FROM staged",
    )
    .execute(&mut *tx)
    .await
    .unwrap()
    .rows_affected();
    tx.commit().await.unwrap();
    let took = t.elapsed();
    assert_eq!(written, ROWS as u64);
    // The benchmark's database holds nothing else.
    sqlx::query("DELETE FROM measurements")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("DROP TABLE staged")
        .execute(&mut *conn)
        .await
        .unwrap();
    took
}

/// PostgreSQL here runs without autovacuum: the rows an undo or a delete leaves behind are cleared, so each round
/// starts alike.
async fn vacuum(app: &TestApp, kind: &str) {
    if kind == "postgres" {
        sqlx::query("VACUUM measurements")
            .execute(app.store.pool())
            .await
            .unwrap();
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

async fn bench(db: TestDatabase, file: &Path, dir: &Path, rounds: usize) {
    let (kind, url) = (db.kind, db.url.clone());
    let app = TestApp::start_on(db, Options::default()).await;
    let (agency, _) = app.services.ensure_agency("Bench Agency").await.unwrap();
    let operator = Actor::operator(agency.id);
    let setup = Instant::now();
    for c in 0..CLIENTS {
        let form = ClientForm {
            name: client_name(c),
            business_model: "lead-generation".into(),
            time_zone: "Europe/Budapest".into(),
            language: "en".into(),
            currency: "EUR".into(),
            weekly_report_weekday: "1".into(),
            weekly_report_time: "12:00".into(),
            ..Default::default()
        };
        let client = app.services.create_client(&operator, &form).await.unwrap();
        for k in 0..KPIS {
            let kpi = KpiForm {
                name: format!("KPI {k}"),
                unit: if k % 2 == 0 { "count" } else { "money" }.into(),
                direction: "up".into(),
                aggregation: "sum".into(),
                kind: "business".into(),
                source: String::new(),
            };
            app.services.add_kpi(&operator, client.id, &kpi).await.unwrap();
        }
    }
    eprintln!(
        "{kind}: {CLIENTS} clients with {KPIS} KPIs each set up in {:.1?}",
        setup.elapsed()
    );

    let (mut bare, mut product, mut dry, mut floors) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        bare.push(baseline(kind, &url, file, dir, round));

        let t = Instant::now();
        let bytes = std::fs::read(file).unwrap();
        let options = ImportOptions {
            dry_run: true,
            ..Default::default()
        };
        let outcome = app
            .services
            .import_agency_file(&operator, "agency.csv", &bytes, &options)
            .await
            .unwrap();
        assert!(matches!(outcome, AgencyImportOutcome::Preview(_)), "{outcome:?}");
        dry.push(t.elapsed());
        drop(bytes);

        let t = Instant::now();
        let bytes = std::fs::read(file).unwrap();
        let outcome = app
            .services
            .import_agency_file(&operator, "agency.csv", &bytes, &ImportOptions::default())
            .await
            .unwrap();
        let took = t.elapsed();
        let AgencyImportOutcome::Committed(report) = outcome else {
            panic!("expected a commit, got {outcome:?}");
        };
        assert_eq!((report.values, report.clients.len()), (ROWS, CLIENTS));
        product.push(took);
        let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM measurements")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert_eq!(stored, ROWS as i64);
        let staged = stage(&app).await;
        let t = Instant::now();
        for part in &report.clients {
            app.services
                .undo_import(&operator, part.import_id.unwrap())
                .await
                .unwrap();
        }
        let undo = t.elapsed();
        vacuum(&app, kind).await;
        floors.push(floor(staged).await);
        vacuum(&app, kind).await;
        let _ = std::fs::remove_file(bare_file(dir, round));
        eprintln!(
            "{kind} round {}: loader {}, import {} (dry run {}), SQL alone {}, undone client by client in {}",
            round + 1,
            secs(bare[round]),
            secs(took),
            secs(dry[round]),
            secs(floors[round]),
            secs(undo)
        );
    }
    let (bare, product, dry, floor) = (median(bare), median(product), median(dry), median(floors));
    let loader = match kind {
        "sqlite" => "`sqlite3 .import`",
        _ => "`psql \\copy`",
    };
    println!(
        "| {kind} | {ROWS} | {loader} {} | {} | {:.2}× | {} | {} ({:.2}×) |",
        secs(bare),
        secs(product),
        product.as_secs_f64() / bare.as_secs_f64(),
        secs(dry),
        secs(floor),
        floor.as_secs_f64() / bare.as_secs_f64(),
    );
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|r| r.parse().expect("ROUNDS is a number"))
        .unwrap_or(3);
    let dir: PathBuf = std::env::temp_dir().join(format!("bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("agency.csv");
    let t = Instant::now();
    let size = write_file(&file);
    eprintln!(
        "{}: {ROWS} rows, {:.1} MB, written in {:.1?}",
        file.display(),
        size as f64 / 1e6,
        t.elapsed()
    );
    println!(
        "| database | rows | the database's own loader, bare table | Accountable's import, validated and committed \
         | ratio | dry run (read, checked, resolved) | the same rows written by SQL alone (ratio) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    bench(TestDatabase::sqlite(), &file, &dir, rounds).await;
    if let Ok(url) = std::env::var(POSTGRES_ENV)
        && !url.is_empty()
    {
        bench(TestDatabase::postgres(&url).await, &file, &dir, rounds).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
