//! A large import does not stall its agency (issue 12). An import holds its client's values lock while it writes
//! and takes the agency's audit-chain lock only to append its event and commit, so on PostgreSQL, while an import
//! is in the middle of its transaction, another AE's write to a different client of the same agency and a
//! sign-in complete. SQLite runs one writer at a time: there they wait for the import's commit (docs/security.md
//! says so); on both, the chain stays whole and every write lands.

use accountable_core::import::{ImportOptions, ImportOutcome, ProgressHook};
use accountable_core::kpi::Measurement;
use accountable_testkit::TestApp;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn while_an_import_writes_another_clients_write_and_a_sign_in_complete() {
    let app = TestApp::with_demo().await;
    let (owner, ledger) = app.northwind_owner_and("Ledgerline Software").await;
    let harbor = app
        .services
        .resolve_client(&owner, "Harbor & Pine Home Goods")
        .await
        .unwrap()
        .id;
    let harbor_kpi = app.services.add_preset_kpis(&owner, harbor).await.unwrap()[0].id;

    // The import stops inside its transaction once its values are written (its progress hook is told before
    // the commit), until the test lets it go on.
    let (paused_tx, paused_rx) = mpsc::channel::<()>();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let (paused_tx, go_rx) = (Mutex::new(paused_tx), Mutex::new(go_rx));
    let hook = ProgressHook(Arc::new(move |_: &str, written: usize, total: usize| {
        if written == total {
            let _ = paused_tx.lock().unwrap().send(());
            // The worker hands its other tasks to another thread while this one waits.
            tokio::task::block_in_place(|| {
                let _ = go_rx.lock().unwrap().recv_timeout(Duration::from_secs(60));
            });
        }
    }));
    let mut file = String::from("date,kpi,value\n");
    let start: jiff::civil::Date = "2031-01-01".parse().unwrap();
    for i in 0..3_000 {
        file.push_str(&format!(
            "{},Leads,{i}\n",
            start.checked_add(jiff::Span::new().days(i)).unwrap()
        ));
    }
    let options = ImportOptions {
        progress: Some(hook),
        create_kpis: true,
        ..Default::default()
    };
    let import = {
        let (services, owner) = (app.services.clone(), owner.clone());
        tokio::spawn(async move {
            services
                .import_file(&owner, ledger, "leads.csv", file.as_bytes(), &options)
                .await
        })
    };
    tokio::task::spawn_blocking(move || paused_rx.recv_timeout(Duration::from_secs(60)))
        .await
        .unwrap()
        .expect("the import reaches the end of its writing");

    let value = Measurement {
        kpi_id: harbor_kpi,
        period_start: start,
        period_end: start,
        dimension: String::new(),
        value: 7.0,
    };
    if app.store.backend_kind() == accountable_store::Backend::Postgres {
        let write = tokio::time::timeout(
            Duration::from_secs(5),
            app.services
                .write_measurements(&owner, harbor, std::slice::from_ref(&value)),
        )
        .await;
        assert!(
            matches!(write, Ok(Ok(1))),
            "another client's write completes while the import is still writing: {write:?}"
        );
        let sign_in = tokio::time::timeout(
            Duration::from_secs(5),
            app.services.sign_in(
                "anna.kovacs@northwind.example",
                accountable_app::demo::DEMO_PASSWORD,
                "203.0.113.7",
            ),
        )
        .await;
        assert!(
            matches!(sign_in, Ok(Ok(_))),
            "a sign-in to the same agency completes while the import is still writing"
        );
    }
    go_tx.send(()).unwrap();
    let outcome = import.await.unwrap().unwrap();
    assert!(
        matches!(outcome, ImportOutcome::Committed(ref r) if r.values == 3_000),
        "{outcome:?}"
    );
    if app.store.backend_kind() != accountable_store::Backend::Postgres {
        app.services
            .write_measurements(&owner, harbor, std::slice::from_ref(&value))
            .await
            .unwrap();
    }
    let reports = app.services.verify_audit().await.unwrap();
    assert!(
        reports.iter().all(|r| r.broken.is_none()),
        "the chain stays whole"
    );
}
