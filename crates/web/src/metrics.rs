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

/// The route a path belongs to, for labels: ids and tokens become placeholders, unknown paths one label, so the
/// number of series stays small.
pub fn route_label(path: &str, status: u16) -> String {
    if status == 404 {
        return "not-found".to_string();
    }
    path.split('/')
        .map(|seg| {
            if !seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit()) {
                "{id}"
            } else if seg.len() >= 32 && seg.chars().all(|c| c.is_ascii_hexdigit()) {
                "{token}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, method: &str, path: &str, status: u16, seconds: f64) {
        let route = route_label(path, status);
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_string(),
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
    fn ids_and_tokens_become_placeholders_and_unknown_paths_one_label() {
        assert_eq!(route_label("/clients/42/edit", 200), "/clients/{id}/edit");
        assert_eq!(
            route_label(&format!("/invitations/{}", "ab".repeat(32)), 200),
            "/invitations/{token}"
        );
        assert_eq!(route_label("/wp-admin/x.php", 404), "not-found");
    }
}
