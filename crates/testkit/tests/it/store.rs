//! The storage conformance suite: the same use cases give the same answers on SQLite and PostgreSQL (run once
//! without and once with TESTKIT_POSTGRES_URL).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::client::{ClientForm, ClientListQuery, ContactForm};
use accountable_core::engagement::EngagementForm;
use accountable_core::error::Error;
use accountable_core::user::PersonForm;
use accountable_testkit::{Options, TestApp};

async fn agency_with_owner(app: &TestApp) -> Actor {
    let (agency, _) = app.services.ensure_agency("Conformance Agency").await.unwrap();
    let operator = Actor::operator(agency.id);
    let form = PersonForm {
        email: "owner@conformance.example".into(),
        name: "Owner".into(),
        role: "owner".into(),
        password: "conformance-password".into(),
        ..Default::default()
    };
    app.services.create_person(&operator, &form).await.unwrap();
    operator
}

fn client(name: &str, currency: &str) -> ClientForm {
    ClientForm {
        name: name.into(),
        business_model: "brand".into(),
        time_zone: "Europe/Budapest".into(),
        language: "hu".into(),
        currency: currency.into(),
        address: "Szeged, Kárász utca".into(),
        vat_number: "HU-1".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn names_are_unique_without_regard_to_case_even_with_accents() {
    let app = TestApp::start(Options::default()).await;
    let op = agency_with_owner(&app).await;
    app.services
        .create_client(&op, &client("ÁRVÍZTŰRŐ Kft.", "HUF"))
        .await
        .unwrap();
    match app
        .services
        .create_client(&op, &client("árvíztűrő kft.", "HUF"))
        .await
    {
        Err(Error::Validation(fields)) => {
            assert_eq!((fields[0].field.as_str(), fields[0].code), ("name", "taken"))
        }
        other => panic!("expected a taken name, got {other:?}"),
    }
    // Another agency may use the same name.
    let (other, _) = app.services.ensure_agency("Other Agency").await.unwrap();
    app.services
        .create_client(&Actor::operator(other.id), &client("ÁRVÍZTŰRŐ Kft.", "HUF"))
        .await
        .unwrap();
}

#[tokio::test]
async fn lists_sort_search_and_page_the_same_on_both_databases() {
    let app = TestApp::start(Options::default()).await;
    let op = agency_with_owner(&app).await;
    for name in [
        "beta",
        "Alpha",
        "éclair",
        "Zeta",
        "alpha two",
        "100% Juice",
        "under_score",
    ] {
        app.services
            .create_client(&op, &client(name, "EUR"))
            .await
            .unwrap();
    }
    let (all, total) = app
        .services
        .list_clients(&op, &ClientListQuery::default())
        .await
        .unwrap();
    let names: Vec<&str> = all.iter().map(|c| c.fields.name.as_str()).collect();
    assert_eq!(total, 7);
    assert_eq!(
        names,
        [
            "100% Juice",
            "Alpha",
            "alpha two",
            "beta",
            "under_score",
            "Zeta",
            "éclair"
        ]
    );
    let search = |s: &str| {
        let q = ClientListQuery {
            search: s.into(),
            ..Default::default()
        };
        let services = app.services.clone();
        let op = op.clone();
        async move {
            services
                .list_clients(&op, &q)
                .await
                .unwrap()
                .0
                .into_iter()
                .map(|c| c.fields.name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("ALPHA").await, ["Alpha", "alpha two"]);
    assert_eq!(search("ÉCL").await, ["éclair"]);
    assert_eq!(
        search("%").await,
        ["100% Juice"],
        "% is a character, not a wildcard"
    );
    assert_eq!(
        search("_").await,
        ["under_score"],
        "_ is a character, not a wildcard"
    );
    assert_eq!(search("kárász").await.len(), 7, "the address is searched too");
    let page = ClientListQuery {
        offset: 5,
        limit: 5,
        ..Default::default()
    };
    let (second, total) = app.services.list_clients(&op, &page).await.unwrap();
    assert_eq!((second.len(), total), (2, 7));
}

#[tokio::test]
async fn money_dates_and_flags_come_back_exactly_as_stored() {
    let app = TestApp::start(Options::default()).await;
    let op = agency_with_owner(&app).await;
    let owner = app
        .services
        .resolve_person(&op, "owner@conformance.example")
        .await
        .unwrap();
    let c = app
        .services
        .create_client(&op, &client("Yen Client", "JPY"))
        .await
        .unwrap();
    let form = EngagementForm {
        title: "Twelve months".into(),
        starts_on: "2027-02-28".into(),
        ends_on: "2028-02-27".into(),
        scope: "Everything\nand more".into(),
        budget: "1,234,567".into(),
        account_executive_id: owner.id.to_string(),
    };
    let e = app.services.create_engagement(&op, c.id, &form).await.unwrap();
    let back = app.services.get_engagement(&op, e.id).await.unwrap();
    assert_eq!(back.fields.budget.minor, 1_234_567);
    assert_eq!(back.fields.budget.currency.code(), "JPY");
    assert_eq!(back.fields.starts_on.to_string(), "2027-02-28");
    assert_eq!(back.fields.scope, "Everything\nand more");
    let too_long = EngagementForm {
        ends_on: "2028-02-28".into(),
        ..form
    };
    assert!(matches!(
        app.services.create_engagement(&op, c.id, &too_long).await,
        Err(Error::Validation(_))
    ));
    let first = app
        .services
        .add_contact(
            &op,
            c.id,
            &ContactForm {
                name: "A".into(),
                email: "a@x.example".into(),
                is_primary: "on".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let second = app
        .services
        .add_contact(
            &op,
            c.id,
            &ContactForm {
                name: "B".into(),
                email: "b@x.example".into(),
                is_primary: "on".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let contacts = app.services.client_overview(&op, c.id).await.unwrap().contacts;
    assert_eq!(
        contacts
            .iter()
            .filter(|k| k.fields.is_primary)
            .map(|k| k.id)
            .collect::<Vec<_>>(),
        [second.id]
    );
    assert!(contacts.iter().any(|k| k.id == first.id && !k.fields.is_primary));
    let dup = app
        .services
        .add_contact(
            &op,
            c.id,
            &ContactForm {
                name: "A2".into(),
                email: "A@x.example".into(),
                ..Default::default()
            },
        )
        .await;
    assert!(matches!(dup, Err(Error::Validation(f)) if f[0].code == "taken"));
}

#[tokio::test]
async fn sessions_expire_and_the_audit_chain_verifies_after_many_writes() {
    let app = TestApp::start(Options::default()).await;
    let op = agency_with_owner(&app).await;
    let (_, session) = app
        .services
        .sign_in("owner@conformance.example", "conformance-password", "127.0.0.1")
        .await
        .unwrap();
    assert!(app.services.authenticate(&session.token).await.is_ok());
    for i in 0..30 {
        app.services
            .create_client(&op, &client(&format!("Client {i}"), "EUR"))
            .await
            .unwrap();
    }
    let reports = app.services.verify_audit().await.unwrap();
    let mine = reports.iter().find(|r| r.chain == op.agency_id.0).unwrap();
    assert!(mine.broken.is_none());
    assert_eq!(
        mine.events,
        1 + 1 + 1 + 30,
        "agency, owner, sign-in and thirty clients"
    );
    app.clock.advance(14 * 24 * 3600 + 1);
    assert!(matches!(
        app.services.authenticate(&session.token).await,
        Err(Error::Unauthenticated)
    ));
}

#[tokio::test]
async fn concurrent_writers_of_one_agency_never_fork_the_chain() {
    let app = TestApp::start(Options::default()).await;
    let op = agency_with_owner(&app).await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let services = app.services.clone();
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            services
                .create_client(&op, &client(&format!("Parallel {i}"), "EUR"))
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let reports = app.services.verify_audit().await.unwrap();
    let mine = reports.iter().find(|r| r.chain == op.agency_id.0).unwrap();
    assert!(mine.broken.is_none(), "{mine:?}");
    assert_eq!(mine.events, 2 + 24);
}
