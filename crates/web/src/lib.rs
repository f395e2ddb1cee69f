//! Accountable's web interface: server-rendered HTML pages (askama templates), the JSON API under `/api/v1`,
//! sessions, CSRF, request logging, and the one place where `core` errors become HTTP responses.
//!
//! Handlers are thin: they turn a request into `core` input, call one use case, and shape the answer.
//! No rule lives here.

pub mod api;
pub mod cookie;
pub mod error;
pub mod i18n;
pub mod kpi_document;
pub mod metrics;
pub mod middleware;
pub mod pages;
pub mod upload;

use accountable_core::service::Services;
use axum::Router;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub services: Services,
    /// Settings of the web layer.
    pub web: WebSettings,
    /// Request counters for `/metrics`.
    pub metrics: metrics::Metrics,
}

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// The address people use to reach Accountable, such as `https://accountable.example`; links in
    /// invitations start with it, and an `https` address makes cookies `Secure`.
    pub public_url: String,
}

impl WebSettings {
    /// Whether cookies get the `Secure` attribute.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// The whole application: pages, API, health checks, with logging and request ids around everything.
pub fn router(state: AppState) -> Router {
    let pages = pages::router().layer(axum::middleware::from_fn_with_state(
        state.clone(),
        middleware::pages,
    ));
    Router::new()
        .merge(pages::health::router())
        .route("/metrics", axum::routing::get(metrics::scrape))
        .merge(api::router())
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::request_log,
        ))
        .with_state(state)
}
