//! `/metrics` in the Prometheus (OpenMetrics) text format: requests by route and status, a latency histogram,
//! and, read from the database at each scrape, jobs by kind and state, the outbox's depth and the age of the
//! longest-waiting due job.

use crate::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    kind: String,
    state: String,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms doubling to about 4 s.
    Histogram::new(exponential_buckets(0.00025, 2.0, 15))
}

/// The request counters, shared by every request.
#[derive(Clone)]
pub struct Metrics {
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
        }
    }
}

/// The label of a request's method: the methods the app answers, and one label for any other, so a client
/// inventing methods cannot add series.
pub fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

/// The label of a request's route: the route pattern it matched (`/clients/{id}`), or one label for every path no
/// route matches, so the number of series is fixed by the routes, whatever paths clients send.
pub fn route_label(matched: Option<&str>) -> String {
    matched.unwrap_or("unmatched").to_string()
}

impl Metrics {
    /// Counts one answered request, by its method's label, the route pattern it matched (if any) and status.
    pub fn observe(&self, method: &str, matched: Option<&str>, status: u16, seconds: f64) {
        let route = route_label(matched);
        self.requests
            .get_or_create(&RequestLabels {
                method: method_label(method).to_string(),
                route: route.clone(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { route })
            .observe(seconds);
    }
}

/// The scrape endpoint.
pub async fn scrape(State(state): State<AppState>) -> Response {
    let mut registry = Registry::default();
    registry.register(
        "accountable_http_requests",
        "Requests answered, by route and status",
        state.metrics.requests.clone(),
    );
    registry.register(
        "accountable_http_request_duration_seconds",
        "Time to answer, by route",
        state.metrics.latency.clone(),
    );
    let jobs = Family::<JobLabels, Gauge>::default();
    let outbox = Gauge::<i64>::default();
    let oldest = Gauge::<i64>::default();
    match state.services.queue_stats().await {
        Ok(stats) => {
            for (kind, job_state, n) in stats.jobs {
                jobs.get_or_create(&JobLabels {
                    kind,
                    state: job_state.as_str().to_string(),
                })
                .set(n);
            }
            outbox.set(stats.outbox_depth);
            oldest.set(stats.oldest_due_secs);
        }
        Err(e) => {
            tracing::warn!(cause = %e, "metrics: the database did not answer");
            return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response();
        }
    }
    registry.register("accountable_jobs", "Jobs by kind and state", jobs);
    registry.register(
        "accountable_outbox_depth",
        "E-mail messages waiting to be sent",
        outbox,
    );
    registry.register(
        "accountable_oldest_due_job_age_seconds",
        "How long the longest-waiting due job has waited",
        oldest,
    );
    let mut body = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut body, &registry) {
        tracing::warn!(cause = %e, "metrics could not be encoded");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_the_matched_route_and_a_fixed_set_of_methods() {
        assert_eq!(route_label(Some("/clients/{id}/edit")), "/clients/{id}/edit");
        assert_eq!(route_label(None), "unmatched");
        assert_eq!(method_label("GET"), "GET");
        assert_eq!(method_label("BREW"), "other");
    }
}
