//! Tenancy and roles: another agency's records are "not found" on every route of pages and API, and a
//! specialist cannot change clients.

use super::{VALID_CLIENT, agency, demo_client};
use accountable_core::actor::Actor;
use accountable_testkit::{Browser, TestApp};
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn another_agencys_records_are_not_found_on_every_route_of_pages_and_api() {
    let app = TestApp::with_demo().await;
    let northwind = agency(&app, "Northwind Creative").await;
    let operator = Actor::operator(northwind);
    let client = demo_client(&app, "Northwind Creative", "Harbor & Pine Home Goods").await;
    let overview = app.services.client_overview(&operator, client.id).await.unwrap();
    let (c, k, e) = (
        client.id.0,
        overview.contacts[0].id.0,
        overview.engagements[0].id.0,
    );
    let u = app
        .services
        .resolve_person(&operator, "anna.kovacs@northwind.example")
        .await
        .unwrap()
        .id
        .0;

    let g = demo_goal(&app, &operator, client.id, overview.engagements[0].id).await;
    let outsider = app.browser();
    outsider.sign_in_demo("owner@southwind.example").await;
    let (gets, posts, api) = routes(c, k, e, g, Some(u));
    walk(&outsider, &gets, &posts, &api, "another agency's owner").await;

    // A client contact of Harbor & Pine walking another client of the same agency.
    let other = demo_client(&app, "Northwind Creative", "Ledgerline Software").await;
    let other_overview = app.services.client_overview(&operator, other.id).await.unwrap();
    let (c2, k2, e2) = (
        other.id.0,
        other_overview.contacts[0].id.0,
        other_overview.engagements[0].id.0,
    );
    let g2 = demo_goal(&app, &operator, other.id, other_overview.engagements[0].id).await;
    let contact = app.browser();
    contact.sign_in_demo("siobhan@harborpine.example").await;
    let (gets, posts, api) = routes(c2, k2, e2, g2, Some(u));
    walk(
        &contact,
        &gets,
        &posts,
        &api,
        "a client contact of another client",
    )
    .await;
    // The contact still sees their own client, and only it.
    assert_eq!(contact.get(&format!("/clients/{c}")).await.status, StatusCode::OK);
    assert_eq!(
        contact.get(&format!("/engagements/{e}")).await.status,
        StatusCode::OK
    );
    let list = contact.api_get("/clients").await.json();
    assert_eq!(list["total"], 1);
}

type Routes = (Vec<String>, Vec<String>, Vec<(Method, String)>);

/// A goal on a client's engagement, on its first preset KPI.
async fn demo_goal(
    app: &TestApp,
    operator: &Actor,
    client: accountable_core::id::ClientId,
    engagement: accountable_core::id::EngagementId,
) -> i64 {
    let kpi = app.services.add_preset_kpis(operator, client).await.unwrap()[0].id;
    let form = accountable_core::goal::GoalForm {
        statement: "A goal".into(),
        kpi_id: kpi.to_string(),
        baseline_value: "10".into(),
        baseline_date: "2026-07-01".into(),
        target_value: "20".into(),
        target_date: "2027-06-30".into(),
        pacing: "straight-line".into(),
    };
    app.services
        .create_goal(operator, engagement, &form)
        .await
        .unwrap()
        .id
        .0
}

/// Every route that takes an id, for a client, a contact, an engagement, a goal and a person.
fn routes(c: i64, k: i64, e: i64, g: i64, u: Option<i64>) -> Routes {
    let mut gets = vec![
        format!("/clients/{c}"),
        format!("/clients/{c}/edit"),
        format!("/clients/{c}/history"),
        format!("/clients/{c}/kpis"),
        format!("/clients/{c}/contacts/new"),
        format!("/clients/{c}/engagements/new"),
        format!("/contacts/{k}/edit"),
        format!("/contacts/{k}/history"),
        format!("/engagements/{e}"),
        format!("/engagements/{e}/edit"),
        format!("/engagements/{e}/history"),
        format!("/engagements/{e}/goals/new"),
        format!("/goals/{g}"),
        format!("/goals/{g}/edit"),
        format!("/goals/{g}/history"),
        // The questions asked before removing, undoing, deactivating or archiving.
        format!("/clients/{c}/archive"),
        format!("/contacts/{k}/remove"),
        format!("/goals/{g}/delete"),
    ];
    let mut posts = vec![
        format!("/clients/{c}"),
        format!("/clients/{c}/archive"),
        format!("/clients/{c}/restore"),
        format!("/clients/{c}/kpis/presets"),
        format!("/clients/{c}/contacts"),
        format!("/clients/{c}/engagements"),
        format!("/contacts/{k}"),
        format!("/contacts/{k}/remove"),
        format!("/engagements/{e}"),
        format!("/engagements/{e}/goals"),
        format!("/goals/{g}"),
        format!("/goals/{g}/delete"),
        format!("/clients/{c}/imports/preview"),
        format!("/clients/{c}/imports"),
    ];
    let mut api = vec![
        (Method::GET, format!("/clients/{c}")),
        (Method::PUT, format!("/clients/{c}")),
        (Method::POST, format!("/clients/{c}/archive")),
        (Method::POST, format!("/clients/{c}/restore")),
        (Method::GET, format!("/clients/{c}/contacts")),
        (Method::POST, format!("/clients/{c}/contacts")),
        (Method::GET, format!("/contacts/{k}")),
        (Method::PUT, format!("/contacts/{k}")),
        (Method::DELETE, format!("/contacts/{k}")),
        (Method::GET, format!("/clients/{c}/engagements")),
        (Method::POST, format!("/clients/{c}/engagements")),
        (Method::GET, format!("/engagements/{e}")),
        (Method::PUT, format!("/engagements/{e}")),
        (Method::GET, format!("/clients/{c}/kpis")),
        (Method::POST, format!("/clients/{c}/kpis")),
        (
            Method::GET,
            format!("/clients/{c}/measurements?from=2026-01-01&to=2026-12-31"),
        ),
        (Method::PUT, format!("/clients/{c}/measurements")),
        (Method::GET, format!("/clients/{c}/goals")),
        (Method::GET, format!("/clients/{c}/moves")),
        (Method::POST, format!("/clients/{c}/imports")),
        (Method::POST, format!("/engagements/{e}/goals")),
        (Method::GET, format!("/goals/{g}")),
        (Method::PUT, format!("/goals/{g}")),
        (Method::DELETE, format!("/goals/{g}")),
    ];
    if let Some(u) = u {
        gets.push(format!("/people/{u}/history"));
        gets.push(format!("/people/{u}/deactivate"));
        posts.extend([
            format!("/people/{u}/role"),
            format!("/people/{u}/deactivate"),
            format!("/people/{u}/reactivate"),
        ]);
        api.push((Method::GET, format!("/people/{u}")));
    }
    (gets, posts, api)
}

async fn walk(b: &Browser, gets: &[String], posts: &[String], api: &[(Method, String)], who: &str) {
    for path in gets {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "GET {path} as {who}");
        super::assert_security_headers(&page, path);
    }
    for path in posts {
        let page = b
            .post("/clients", path, &[("name", "x"), ("role", "owner")])
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {path} as {who}");
        super::assert_security_headers(&page, path);
    }
    for (method, path) in api {
        let page = b.api_send(method.clone(), path, "{}").await;
        super::assert_security_headers(&page, path);
        assert_eq!(
            page.status,
            StatusCode::NOT_FOUND,
            "{method} /api/v1{path} as {who}: {}",
            page.body
        );
    }
}

#[tokio::test]
async fn a_specialist_cannot_change_clients_by_page_or_api() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("maya.chen@northwind.example").await;
    assert_eq!(b.get("/clients/new").await.status, StatusCode::FORBIDDEN);
    let page = b.post("/clients", "/clients", VALID_CLIENT).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let api = b.api_send(Method::POST, "/clients", r#"{"name":"X"}"#).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.json()["code"], "forbidden");
}
