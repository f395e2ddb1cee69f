//! Every unique, primary-key or foreign-key constraint of the migrated schema, on the database under test, is
//! known: a write that breaks one a person's input can break is a field error on the field it guards (never a
//! 409 `internal`), and SQLite, which names only columns (or, for a foreign key, nothing), reports the same
//! constraint name as PostgreSQL.

use accountable_core::error::{
    Conflict, Error, FOREIGN_FIELDS, INTERNAL_CONSTRAINTS, StoreError, UNIQUE_FIELDS, internal_reason,
};
use accountable_core::goal::GoalInput;
use accountable_core::kpi::{KpiForm, KpiId};
use accountable_core::pacing::PacingRule;
use accountable_core::store::Store;
use accountable_store::SQLITE_UNIQUE;
use accountable_testkit::{Options, TestApp};
use reqwest::{Method, StatusCode};
use sqlx::Row;
use sqlx::any::AnyPoolOptions;

fn known(name: &str) -> bool {
    UNIQUE_FIELDS.iter().any(|(c, _, _)| *c == name) || INTERNAL_CONSTRAINTS.iter().any(|(c, _)| *c == name)
}

#[tokio::test]
async fn every_unique_constraint_of_the_schema_maps_to_a_field_or_is_named_internal() {
    let app = TestApp::start(Options::default()).await;
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&app.db.url)
        .await
        .unwrap();
    let mut names = Vec::new();
    if app.db.kind == "sqlite" {
        let tables = sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' AND name <> 'schema_migrations'")
            .fetch_all(&pool)
            .await
            .unwrap();
        for t in tables {
            let table: String = t.get("name");
            let indexes = sqlx::query(&format!(
                "SELECT name, origin FROM pragma_index_list('{table}') WHERE \"unique\" = 1"
            ))
            .fetch_all(&pool)
            .await
            .unwrap();
            for i in indexes {
                let index: String = i.get("name");
                let columns: Vec<String> = sqlx::query(&format!(
                    "SELECT name FROM pragma_index_info('{index}') ORDER BY seqno"
                ))
                .fetch_all(&pool)
                .await
                .unwrap()
                .iter()
                .map(|r| format!("{table}.{}", r.get::<String, _>("name")))
                .collect();
                let columns = columns.join(", ");
                let name = SQLITE_UNIQUE
                    .iter()
                    .find(|(c, _)| *c == columns)
                    .map(|(_, n)| n.to_string())
                    .unwrap_or_else(|| {
                        panic!("SQLite's unique {columns} has no name in store::SQLITE_UNIQUE")
                    });
                names.push(name);
            }
        }
    } else {
        // Primary keys of a generated `id` are made by the database, never by input.
        let rows = sqlx::query(
            "SELECT c.conname::text AS name FROM pg_constraint c \
             WHERE c.contype IN ('u', 'p') AND c.connamespace = 'public'::regnamespace \
             AND c.conrelid::regclass::text <> 'schema_migrations' \
             AND NOT (c.contype = 'p' AND array_length(c.conkey, 1) = 1 AND EXISTS ( \
                 SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1] AND a.attname = 'id'))",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        names = rows.iter().map(|r| r.get::<String, _>("name")).collect();
    }
    assert!(names.len() >= 10, "read too few constraints: {names:?}");
    let unknown: Vec<&String> = names.iter().filter(|n| !known(n)).collect();
    assert!(
        unknown.is_empty(),
        "constraints neither mapped to a field (core::error::UNIQUE_FIELDS) nor named internal (INTERNAL_CONSTRAINTS): {unknown:?}"
    );
    for (name, _, _) in UNIQUE_FIELDS {
        assert!(
            names.iter().any(|n| n == name),
            "{name} is mapped but not in the schema"
        );
    }
}

#[tokio::test]
async fn a_kpi_name_the_client_has_already_is_a_field_error_on_name_by_api_and_page() {
    let app = TestApp::with_demo().await;
    let (owner, client) = app.northwind_owner_and("Ledgerline Software").await;
    let form = KpiForm {
        name: "Qualified demos".into(),
        unit: "count".into(),
        direction: "up".into(),
        aggregation: "sum".into(),
        kind: "business".into(),
        source: String::new(),
    };
    app.services.add_kpi(&owner, client, &form).await.unwrap();
    // Names are unique per client whatever their case.
    let taken = form.name.to_uppercase();

    let b = app.browser();
    b.sign_in("owner@northwind.example", "accountable-demo").await;
    let body = serde_json::json!({"name": taken, "unit": "count", "direction": "up", "aggregation": "sum", "kind": "business"});
    let api = b
        .api_send(
            Method::POST,
            &format!("/clients/{}/kpis", client.0),
            &body.to_string(),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    assert_eq!(api.json()["fields"][0]["field"], "name");
    assert_eq!(api.json()["fields"][0]["code"], "taken");

    let form = KpiForm {
        name: taken.clone(),
        ..form
    };
    let err = app.services.add_kpi(&owner, client, &form).await.unwrap_err();
    assert_eq!(err.code(), "validation-failed", "{err}");
}

/// The foreign keys of the migrated schema by the name PostgreSQL gives them: read from `pg_constraint`, or on
/// SQLite, which keeps no names, made the way PostgreSQL makes them (`<table>_<column>_fkey`) from
/// `pragma_foreign_key_list`.
async fn foreign_keys(app: &TestApp) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&app.db.url)
        .await
        .unwrap();
    if app.db.kind == "sqlite" {
        let tables = sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'")
            .fetch_all(&pool)
            .await
            .unwrap();
        let mut names = Vec::new();
        for t in tables {
            let table: String = t.get("name");
            let keys = sqlx::query(&format!(
                "SELECT id, \"from\" AS column_name FROM pragma_foreign_key_list('{table}') ORDER BY id, seq"
            ))
            .fetch_all(&pool)
            .await
            .unwrap();
            let mut by_id: Vec<(i64, Vec<String>)> = Vec::new();
            for k in keys {
                let id: i64 = k.get("id");
                let column: String = k.get("column_name");
                match by_id.last_mut() {
                    Some((last, columns)) if *last == id => columns.push(column),
                    _ => by_id.push((id, vec![column])),
                }
            }
            names.extend(
                by_id
                    .into_iter()
                    .map(|(_, columns)| format!("{table}_{}_fkey", columns.join("_"))),
            );
        }
        names
    } else {
        sqlx::query(
            "SELECT conname::text AS name FROM pg_constraint \
             WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("name"))
        .collect()
    }
}

#[tokio::test]
async fn every_foreign_key_of_the_schema_maps_to_a_field_or_is_named_internal_with_a_reason() {
    let app = TestApp::start(Options::default()).await;
    let names = foreign_keys(&app).await;
    assert!(names.len() >= 30, "read too few foreign keys: {names:?}");
    let unknown: Vec<&String> = names
        .iter()
        .filter(|n| !FOREIGN_FIELDS.iter().any(|(c, _)| c == n) && internal_reason(n).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "foreign keys neither mapped to a field (core::error::FOREIGN_FIELDS) nor named internal \
         (INTERNAL_CONSTRAINTS, or an agency_id key): {unknown:?}"
    );
    for (name, _) in FOREIGN_FIELDS {
        assert!(
            names.iter().any(|n| n == name),
            "{name} is mapped but not in the schema"
        );
    }
    for (name, _) in INTERNAL_CONSTRAINTS.iter().filter(|(c, _)| c.ends_with("_fkey")) {
        assert!(
            names.iter().any(|n| n == name),
            "{name} is named internal but not in the schema"
        );
    }
}

#[tokio::test]
async fn a_goal_naming_a_kpi_that_is_gone_is_a_gone_error_on_kpi_id_on_both_databases() {
    let app = TestApp::with_demo().await;
    let (owner, client) = app.northwind_owner_and("Ledgerline Software").await;
    let mut tx = app.store.begin().await.unwrap();
    let engagement = tx.list_engagements(owner.agency_id, client).await.unwrap()[0].id;
    let goal = GoalInput {
        statement: "Double the qualified demos".into(),
        kpi_id: KpiId(987_654_321),
        baseline_value: 10.0,
        baseline_date: "2026-01-01".parse().unwrap(),
        target_value: 20.0,
        target_date: "2026-06-30".parse().unwrap(),
        pacing: PacingRule::StraightLine,
    };
    let refused = tx
        .insert_goal(owner.agency_id, client, engagement, &goal, app.services.now())
        .await
        .unwrap_err();
    match refused {
        Error::Validation(fields) => {
            assert_eq!(fields.len(), 1, "{fields:?}");
            assert_eq!(fields[0].field, "kpi_id");
            assert_eq!(fields[0].code, "gone");
        }
        other => panic!("expected a field error on kpi_id, got {other:?}"),
    }
}

#[test]
fn a_delete_refused_because_a_record_still_names_it_is_an_in_use_conflict() {
    let refused = Error::from(StoreError::ForeignKey {
        constraint: None,
        still_referenced: true,
    });
    assert!(
        matches!(
            refused,
            Error::Conflict {
                code: Conflict::InUse,
                ..
            }
        ),
        "{refused:?}"
    );
    // An unnamed foreign key on an insert is a defect: it stays internal.
    let unnamed = Error::from(StoreError::ForeignKey {
        constraint: None,
        still_referenced: false,
    });
    assert_eq!(unnamed.code(), "internal");
}
