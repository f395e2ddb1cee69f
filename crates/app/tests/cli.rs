//! The command line, run as the real binary against a fresh database (SQLite, or PostgreSQL when
//! TESTKIT_POSTGRES_URL is set).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_testkit::TestDatabase;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn accountable(db: &TestDatabase, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_accountable"))
        .arg("--database-url")
        .arg(&db.url)
        .args(args)
        .env_remove("ACCOUNTABLE_DATABASE_URL")
        .env("ACCOUNTABLE_LOG_LEVEL", "warn")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn ok(db: &TestDatabase, args: &[&str], stdin: &str) -> String {
    let out = accountable(db, args, stdin);
    assert!(
        out.status.success(),
        "{args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn help_lists_every_command() {
    let db = TestDatabase::create().await;
    let help = ok(&db, &["--help"], "");
    for command in [
        "serve", "worker", "migrate", "demo", "users", "clients", "import", "kpis", "config", "audit",
    ] {
        assert!(help.contains(command), "{command} missing from --help");
    }
    let users = ok(&db, &["users", "--help"], "");
    for command in [
        "create",
        "list",
        "invite",
        "reset-password",
        "token",
        "tokens",
        "revoke-token",
        "deactivate",
    ] {
        assert!(users.contains(command), "users {command} missing");
    }
}

#[tokio::test]
async fn an_unsupported_database_scheme_is_a_start_up_error_that_names_it() {
    let db = TestDatabase::create().await;
    let out = Command::new(env!("CARGO_BIN_EXE_accountable"))
        .args(["--database-url", "mysql://localhost/x", "migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"mysql\""));
    drop(db);
}

#[tokio::test]
async fn config_show_hides_the_database_password() {
    let out = Command::new(env!("CARGO_BIN_EXE_accountable"))
        .args([
            "--database-url",
            "postgres://acc:hunter2-secret@db.example/acc",
            "config",
            "show",
        ])
        .env("ACCOUNTABLE_LISTEN", "127.0.0.1:9999")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        !text.contains("hunter2-secret") && text.contains("acc:***@db.example"),
        "{text}"
    );
    assert!(
        text.contains("127.0.0.1:9999"),
        "the environment layer applies: {text}"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_accountable"))
        .args(["config", "show"])
        .env("ACCOUNTABLE_LISTN", "x")
        .output()
        .unwrap();
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("ACCOUNTABLE_LISTN"));
}

#[tokio::test]
async fn demo_twice_then_clients_list_in_three_formats_with_ids_and_names() {
    let db = TestDatabase::create().await;
    ok(&db, &["migrate"], "");
    let first = ok(&db, &["demo"], "");
    assert!(first.contains("owner@northwind.example") && first.contains("accountable-demo"));
    ok(&db, &["demo"], "");
    let json: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "clients",
            "list",
            "--agency",
            "Northwind Creative",
            "--format",
            "json",
        ],
        "",
    ))
    .unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 8, "demo twice must not duplicate clients");
    assert!(items.iter().all(|c| c["id"].is_i64() && c["name"].is_string()));
    let csv = ok(
        &db,
        &[
            "clients",
            "list",
            "--agency",
            "Northwind Creative",
            "--format",
            "csv",
        ],
        "",
    );
    assert!(csv.starts_with("id,name,"));
    assert_eq!(csv.lines().count(), 9);
    let table = ok(&db, &["clients", "list", "--agency", "Southwind Media"], "");
    assert!(table.contains("Meridian Dental Clinics") && !table.contains("Harbor"));
    let kpis: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "kpis",
            "--agency",
            "Northwind Creative",
            "--client",
            "Harbor & Pine Home Goods",
            "--format",
            "json",
        ],
        "",
    ))
    .unwrap();
    let kpis = kpis.as_array().unwrap();
    assert!(
        kpis.len() >= 9,
        "the demo gives every client its preset KPIs: {kpis:?}"
    );
    assert!(
        kpis.iter()
            .all(|k| !k["latest_value"].as_str().unwrap().is_empty()),
        "and daily values for each"
    );
    let with_goal: Vec<&serde_json::Value> = kpis.iter().filter(|k| k["goal"] != "").collect();
    assert_eq!(with_goal.len(), 2, "two demo goals per client: {kpis:?}");
    assert!(with_goal.iter().all(|k| {
        ["ahead", "on-track", "behind"].contains(&k["pacing"].as_str().unwrap()) && k["forecast"] != ""
    }));
    assert!(
        kpis.iter()
            .any(|k| k["move"].as_str().unwrap().starts_with("notable")),
        "the demo's last full month has notable moves: {kpis:?}"
    );
    let unnamed = accountable(&db, &["clients", "list"], "");
    assert!(!unnamed.status.success() && String::from_utf8_lossy(&unnamed.stderr).contains("--agency"));
    let id = items[0]["id"].as_i64().unwrap().to_string();
    let name = items[0]["name"].as_str().unwrap();
    let by_id = ok(
        &db,
        &["clients", "show", "--agency", "Northwind Creative", &id],
        "",
    );
    let by_name = ok(
        &db,
        &["clients", "show", "--agency", "Northwind Creative", name],
        "",
    );
    assert_eq!(by_id, by_name);
    let other = accountable(&db, &["clients", "show", "--agency", "Southwind Media", name], "");
    assert!(!other.status.success(), "another agency's client is not found");
}

#[tokio::test]
async fn users_are_created_listed_reset_and_deactivated_from_the_command_line() {
    let db = TestDatabase::create().await;
    let created = ok(
        &db,
        &[
            "users",
            "create",
            "--agency",
            "Acme Agency",
            "--role",
            "owner",
            "--email",
            "boss@acme.example",
            "--name",
            "Boss",
            "--password-stdin",
        ],
        "correct horse battery\n",
    );
    assert!(created.contains("boss@acme.example"));
    ok(
        &db,
        &[
            "users",
            "create",
            "--email",
            "ae@acme.example",
            "--name",
            "Ann AE",
            "--password-stdin",
        ],
        "another good password\n",
    );
    let short = accountable(
        &db,
        &[
            "users",
            "create",
            "--email",
            "x@acme.example",
            "--name",
            "X",
            "--password-stdin",
        ],
        "short\n",
    );
    assert!(!short.status.success() && String::from_utf8_lossy(&short.stderr).contains("password"));
    let list = ok(&db, &["users", "list", "--format", "csv"], "");
    assert!(list.contains("ae@acme.example") && list.contains("account-executive"));
    ok(
        &db,
        &["users", "reset-password", "ae@acme.example"],
        "a brand new password\n",
    );
    ok(&db, &["users", "deactivate", "ae@acme.example"], "");
    assert!(ok(&db, &["users", "list"], "").contains("deactivated"));
    let invite = ok(
        &db,
        &[
            "users",
            "invite",
            "--email",
            "new@acme.example",
            "--role",
            "finance",
        ],
        "",
    );
    assert!(invite.contains("/invitations/"), "{invite}");
}

#[tokio::test]
async fn audit_verify_names_the_first_broken_link_after_a_row_is_changed_with_sql() {
    let db = TestDatabase::create().await;
    ok(&db, &["demo"], "");
    let intact = ok(&db, &["audit", "verify"], "");
    assert!(
        intact.contains("intact") && !intact.contains("BROKEN"),
        "{intact}"
    );
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
        .await
        .unwrap();
    let drop_guard = if db.kind == "sqlite" {
        "DROP TRIGGER audit_events_no_update"
    } else {
        "DROP TRIGGER audit_events_no_update ON audit_events"
    };
    sqlx::raw_sql(drop_guard).execute(&mut conn).await.unwrap();
    sqlx::raw_sql("UPDATE audit_events SET actor_label = 'someone else' WHERE chain = (SELECT id FROM agencies WHERE name = 'Northwind Creative') AND seq = 12")
        .execute(&mut conn)
        .await
        .unwrap();
    let out = accountable(&db, &["audit", "verify"], "");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("BROKEN") && text.contains("Northwind Creative") && text.contains("event 12"),
        "{text}"
    );
}

#[tokio::test]
async fn users_token_prints_a_token_once_that_the_api_accepts_as_that_person() {
    let db = TestDatabase::create().await;
    ok(&db, &["demo"], "");
    let out = ok(
        &db,
        &[
            "users",
            "token",
            "--agency",
            "Northwind Creative",
            "finance@northwind.example",
            "--name",
            "Books",
            "--scope",
            "read",
        ],
        "",
    );
    let secret = out.trim();
    assert!(secret.starts_with("acc_") && secret.len() == 68, "{out}");
    let services = {
        let store = accountable_store::SqlStore::connect(&db.url, &Default::default())
            .await
            .unwrap();
        accountable_core::service::Services::new(
            std::sync::Arc::new(store),
            std::sync::Arc::new(accountable_core::clock::SystemClock),
            Default::default(),
        )
    };
    let holder = services.authenticate_token(secret).await.unwrap();
    assert_eq!(holder.signed_in.user.email.as_str(), "finance@northwind.example");

    // The operator sees the token in the agency's list, without its secret, and revokes it.
    let list = ok(
        &db,
        &[
            "users",
            "tokens",
            "--agency",
            "Northwind Creative",
            "--format",
            "json",
        ],
        "",
    );
    assert!(
        !list.contains(secret),
        "a token list never shows a secret: {list}"
    );
    let tokens: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
    let books = tokens
        .iter()
        .find(|t| t["name"] == "Books")
        .unwrap_or_else(|| panic!("the new token is listed: {list}"));
    assert_eq!(books["scope"], "read");
    assert_eq!(books["state"], "active");
    let id = books["id"].to_string();
    let revoked = ok(
        &db,
        &["users", "revoke-token", "--agency", "Northwind Creative", &id],
        "",
    );
    assert!(revoked.contains("revoked"), "{revoked}");
    assert!(
        services.authenticate_token(secret).await.is_err(),
        "a revoked token no longer signs in"
    );
    let list = ok(
        &db,
        &[
            "users",
            "tokens",
            "--format",
            "csv",
            "--agency",
            "Northwind Creative",
        ],
        "",
    );
    assert!(
        list.lines().any(|l| l.contains("Books") && l.contains("revoked")),
        "{list}"
    );
    // Another agency's token id is "not found" here.
    let other = accountable(
        &db,
        &["users", "revoke-token", "--agency", "Southwind Media", &id],
        "",
    );
    assert!(!other.status.success());
}

#[tokio::test]
async fn import_lists_every_error_with_a_non_zero_exit_and_kpis_shows_the_latest_values() {
    let db = TestDatabase::create().await;
    ok(&db, &["demo"], "");
    let presets = ok(
        &db,
        &[
            "kpis",
            "--agency",
            "Northwind Creative",
            "--client",
            "Ledgerline Software",
            "--add-presets",
            "--format",
            "csv",
        ],
        "",
    );
    assert!(
        presets.contains("Cost per lead") && presets.contains("leading-indicator"),
        "{presets}"
    );
    let dir = std::env::temp_dir().join(format!("acc-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "date,kpi,value\n2026-10-01,Leads,1\n2026-10-02,Leads,x\n2026-10-32,Leads,3\n",
    )
    .unwrap();
    let out = accountable(
        &db,
        &[
            "import",
            "--agency",
            "Northwind Creative",
            "--client",
            "Ledgerline Software",
            bad.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("line 3, column \"value\"") && text.contains("line 4, column \"date\""),
        "{text}"
    );
    let good = dir.join("good.csv");
    std::fs::write(&good, "date,kpi,value\n2030-01-01,Leads,12\n").unwrap();
    let args = [
        "import",
        "--agency",
        "Northwind Creative",
        "--client",
        "Ledgerline Software",
        good.to_str().unwrap(),
    ];
    assert!(ok(&db, &args, "").contains("imported"));
    assert!(ok(&db, &args, "").contains("imported already"));
    // A dry run over those days says what it would replace, and whose it is.
    let fix = dir.join("fix.csv");
    std::fs::write(&fix, "date,kpi,value\n2030-01-01,Leads,13\n2030-01-02,Leads,1\n").unwrap();
    let dry = ok(
        &db,
        &[
            "import",
            "--agency",
            "Northwind Creative",
            "--client",
            "Ledgerline Software",
            "--dry-run",
            fix.to_str().unwrap(),
        ],
        "",
    );
    assert!(
        dry.contains("replaces 1 value of Leads, imported on ") && dry.contains(" from good.csv"),
        "{dry}"
    );
    let kpis = ok(
        &db,
        &[
            "kpis",
            "--agency",
            "Northwind Creative",
            "--client",
            "Ledgerline Software",
            "--format",
            "json",
        ],
        "",
    );
    let json: serde_json::Value = serde_json::from_str(&kpis).unwrap();
    let leads = json
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "Leads")
        .unwrap();
    assert_eq!(leads["latest_value"], "12");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn import_without_a_client_reads_the_client_column_for_the_whole_agency_all_or_nothing() {
    let db = TestDatabase::create().await;
    ok(&db, &["demo"], "");
    let dir = std::env::temp_dir().join(format!("acc-agency-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let agency = ["import", "--agency", "Northwind Creative", "--create-kpis"];
    // Another agency's client is unknown here; every error is listed and nothing is imported.
    let bad = path(
        "bad.csv",
        "client,date,kpi,value\nLedgerline Software,2030-01-01,Walk-ins,3\nMeridian Dental Clinics,2030-01-01,Walk-ins,4\n\
         Harbor & Pine Home Goods,2030-01-01,Walk-ins,x\n",
    );
    let out = accountable(&db, &[&agency[..], &[bad.as_str()]].concat(), "");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("line 3, column \"client\"") && text.contains("line 4, column \"value\""),
        "{text}"
    );
    let good = path(
        "agency.csv",
        "client,date,kpi,value\nLedgerline Software,2030-01-01,Walk-ins,3\nHarbor & Pine Home Goods,2030-01-01,Walk-ins,4\n",
    );
    let args = [&agency[..], &[good.as_str()]].concat();
    let text = ok(&db, &args, "");
    assert!(
        text.contains("imported")
            && text.contains("2 values for 2 clients")
            && text.contains("Walk-ins (new)"),
        "{text}"
    );
    assert!(ok(&db, &args, "").contains("imported already for each of its 2 clients"));
    // Naming a client makes the other clients' lines errors.
    let out = accountable(
        &db,
        &[
            "import",
            "--agency",
            "Northwind Creative",
            "--client",
            "Ledgerline Software",
            "--dry-run",
            &good,
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("line 3, column \"client\""));
    // A file without a client column needs --client.
    let plain = path("plain.csv", "date,kpi,value\n2030-01-01,Walk-ins,3\n");
    let out = accountable(&db, &[&agency[..], &[plain.as_str()]].concat(), "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no client column"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn kpis_format_pdf_writes_the_clients_document_in_the_clients_language() {
    let db = TestDatabase::create().await;
    ok(&db, &["demo"], "");
    let out = std::env::temp_dir().join(format!("kpis-{}.pdf", std::process::id()));
    let path = out.to_str().unwrap();
    ok(
        &db,
        &[
            "kpis",
            "--agency",
            "Northwind Creative",
            "--client",
            "Kovács Pékség Kft.",
            "--format",
            "pdf",
            "--out",
            path,
        ],
        "",
    );
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = Command::new("pdftotext")
        .args([path, "-"])
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Kovács Pékség Kft."), "{text}");
    assert!(text.contains("Céljaink"), "{text}");
    std::fs::remove_file(&out).unwrap();
    let missing = accountable(
        &db,
        &["kpis", "--client", "Kovács Pékség Kft.", "--format", "pdf"],
        "",
    );
    assert!(!missing.status.success(), "--format pdf without --out is refused");
}

/// SQLite only (the write-ahead log is SQLite's): after `accountable demo` exits, the database file alone holds
/// everything it wrote, so a copy of that one file is a whole backup.
#[tokio::test]
async fn after_a_command_that_writes_the_sqlite_file_alone_holds_everything() {
    let dir = std::env::temp_dir().join(format!("accountable-wal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("live.db");
    let url = format!("sqlite:{}", file.display());
    let out = Command::new(env!("CARGO_BIN_EXE_accountable"))
        .args(["--database-url", &url, "demo"])
        .env("ACCOUNTABLE_LOG_LEVEL", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let wal = dir.join("live.db-wal");
    let wal_bytes = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal_bytes, 0, "the write-ahead log is emptied into the file");
    // The file copied alone, without its -wal and -shm, has every client the demo wrote.
    let copy = dir.join("copy.db");
    std::fs::copy(&file, &copy).unwrap();
    let store =
        accountable_store::SqlStore::connect(&format!("sqlite:{}", copy.display()), &Default::default())
            .await
            .unwrap();
    let clients: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clients")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(clients >= 8, "the copy holds the demo's clients: {clients}");
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The worst case of a refused import (issue 12): a 20 MB file of nothing but bad lines. It lists the first 100
/// errors and the count of the rest, and the process's peak resident memory (measured by the operating system for
/// the child process, through Python's `resource`) stays under the bound docs/security.md states: 160 MB, where
/// keeping every error took gigabytes.
#[tokio::test]
async fn a_file_of_bad_lines_is_refused_within_a_stated_peak_memory() {
    let db = TestDatabase::create().await;
    ok(&db, &["demo"], "");
    let dir = std::env::temp_dir().join(format!("accountable-rss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        writeln!(out, "date,kpi,value").unwrap();
        let mut i = 0u64;
        while out.get_ref().metadata().unwrap().len() < 20_000_000 {
            for _ in 0..10_000 {
                writeln!(out, "not a day {i},Leads,1").unwrap();
                i += 1;
            }
            out.flush().unwrap();
        }
    }
    let script = "import resource, subprocess, sys\n\
                  p = subprocess.run(sys.argv[1:], capture_output=True)\n\
                  sys.stdout.buffer.write(p.stdout)\n\
                  print('exit', p.returncode)\n\
                  print('peak_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_accountable"))
        .args([
            "--database-url",
            &db.url,
            "import",
            "--agency",
            "Northwind Creative",
        ])
        .args(["--client", "Ledgerline Software"])
        .arg(&file)
        .env("ACCOUNTABLE_LOG_LEVEL", "warn")
        .output()
        .expect("python3 runs the command and reads its peak memory");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("exit 1"), "a refused file exits 1: {text}");
    assert_eq!(
        text.matches("\n  bad.csv line ").count(),
        100,
        "the first hundred errors"
    );
    assert!(
        text.contains("more after these"),
        "{}",
        &text[text.len().saturating_sub(400)..]
    );
    let peak_kb: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("peak_kb "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    eprintln!(
        "peak resident memory of a 20 MB file of bad lines: {} MB",
        peak_kb / 1024
    );
    assert!(
        peak_kb < 160 * 1024,
        "peak {} MB is over the stated 160 MB",
        peak_kb / 1024
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn accountable_with(db: &TestDatabase, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_accountable"));
    command
        .arg("--database-url")
        .arg(&db.url)
        .args(args)
        .env_remove("ACCOUNTABLE_DATABASE_URL")
        .env_remove("ACCOUNTABLE_AGENCY")
        .env("ACCOUNTABLE_LOG_LEVEL", "warn")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// The command line says what Accountable is, and each command lists only the options it uses.
#[tokio::test]
async fn help_says_what_accountable_is_and_each_command_offers_only_its_options() {
    let db = TestDatabase::create().await;
    let help = ok(&db, &["--help"], "");
    assert!(
        help.contains("workbench of an agency's account executive"),
        "{help}"
    );
    assert!(help.contains("accountable serve --demo"), "{help}");
    let import = ok(&db, &["import", "--help"], "");
    assert!(
        !import.contains("--listen") && !import.contains("--public-url"),
        "import does not offer serve's options: {import}"
    );
    assert!(import.contains("--database-url") && import.contains("--dry-run"));
    let serve = ok(&db, &["serve", "--help"], "");
    assert!(
        serve.contains("--listen") && serve.contains("--public-url"),
        "{serve}"
    );
}

/// With two agencies, a default agency comes from the configuration; a command's own mistakes are said before
/// "name an agency"; a client that is not there is named with where to look; a wrong day is called a wrong day.
#[tokio::test]
async fn the_command_lines_messages_name_what_is_wrong_and_what_to_do() {
    let db = TestDatabase::create().await;
    let demo = ok(&db, &["demo"], "");
    assert!(
        demo.contains("Start the server with `accountable serve`"),
        "{demo}"
    );

    let two = accountable_with(&db, &["clients", "list"], &[]);
    assert!(!two.status.success());
    assert!(stderr(&two).contains("ACCOUNTABLE_AGENCY"), "{}", stderr(&two));
    let listed = accountable_with(
        &db,
        &["clients", "list", "--format", "csv"],
        &[("ACCOUNTABLE_AGENCY", "Northwind Creative")],
    );
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Ledgerline Software"));

    let missing = accountable_with(
        &db,
        &["kpis", "--agency", "Northwind Creative", "--client", "Nobody Ltd"],
        &[],
    );
    let said = stderr(&missing);
    assert!(
        said.contains("\"Nobody Ltd\"") && said.contains("accountable clients list"),
        "{said}"
    );

    // The file and the period are the command's own: said before any agency is asked for.
    let no_file = accountable_with(&db, &["import", "--client", "X", "/nonexistent/leads.csv"], &[]);
    assert!(
        stderr(&no_file).contains("cannot read /nonexistent/leads.csv"),
        "{}",
        stderr(&no_file)
    );
    let bad_day = accountable_with(
        &db,
        &[
            "import",
            "--client",
            "X",
            "--period",
            "2026-02-30..2026-03-01",
            "leads.csv",
        ],
        &[],
    );
    assert!(
        stderr(&bad_day).contains("2026-02-30 is not a day of the calendar"),
        "{}",
        stderr(&bad_day)
    );

    // `users create` checks its arguments before it asks for a password.
    let bad = accountable_with(
        &db,
        &[
            "users",
            "create",
            "--email",
            "not-an-address",
            "--name",
            "X",
            "--role",
            "boss",
        ],
        &[],
    );
    let said = stderr(&bad);
    assert!(!bad.status.success());
    assert!(!said.contains("New password"), "no password is asked for: {said}");
    assert!(said.contains("email:") && said.contains("role:"), "{said}");

    // An unknown variable is named with every variable there is.
    let typo = accountable_with(&db, &["clients", "list"], &[("ACCOUNTABLE_SMTP_HOTS", "x")]);
    let said = stderr(&typo);
    assert!(
        said.contains("ACCOUNTABLE_SMTP_HOTS")
            && said.contains("ACCOUNTABLE_SMTP_HOST")
            && said.contains("ACCOUNTABLE_AGENCY"),
        "{said}"
    );
}
