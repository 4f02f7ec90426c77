//! What the server counts and times, in the Prometheus text format; one registry per app state.
//!
//! Anonymous requests — reports and receipt actions — are counted without labels and never
//! logged: a log line's time of day, or a label, could tell one of them from the others.

mod scraping;

pub use scraping::scrape;

use std::time::Duration;

use poem::http::{Method, StatusCode};
use prometheus_client::{
    encoding::{EncodeLabelSet, prometheus_text},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{Histogram, exponential_buckets},
    },
    registry::{Registry, Unit},
};

/// The `Content-Type` of [`Metrics::encode`]'s text.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// The routes whose latency is measured as a search.
const SEARCH_ROUTES: &[&str] = &["/search", "/api/v1/search"];

/// The anonymous requests: counted, timed, and otherwise forgotten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anonymous {
    /// Logging a mistake, through the form or the API (a preview on the form included).
    Submission,
    /// Anything done with a receipt code.
    ReceiptAction,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: u16,
}

/// The index's state, read when metrics are scraped.
#[derive(Clone, Copy, Debug)]
pub struct IndexState {
    pub documents: u64,
    /// Outbox rows not yet applied; `None` when the database does not answer.
    pub lag: Option<i64>,
}

/// The server's counters, histograms and gauges, in a registry of their own.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    search_latency: Histogram,
    submission_latency: Histogram,
    submissions: Counter,
    receipt_actions: Counter,
    anonymous_refused: Counter,
    index_documents: Gauge,
    index_lag: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        // 5 ms to about 10 s.
        let latency = || Histogram::new(exponential_buckets(0.005, 2.0, 12));
        let metrics = Self {
            registry: Registry::with_prefix("kintsugi"),
            requests: Family::default(),
            search_latency: latency(),
            submission_latency: latency(),
            submissions: Counter::default(),
            receipt_actions: Counter::default(),
            anonymous_refused: Counter::default(),
            index_documents: Gauge::default(),
            index_lag: Gauge::default(),
        };
        metrics.registered()
    }
}

impl Metrics {
    fn registered(mut self) -> Self {
        let registry = &mut self.registry;
        registry.register(
            "http_requests",
            "Requests by route pattern, method and status, except anonymous ones",
            self.requests.clone(),
        );
        registry.register_with_unit(
            "search_duration",
            "Time to answer a search, page or API",
            Unit::Seconds,
            self.search_latency.clone(),
        );
        registry.register_with_unit(
            "submission_duration",
            "Time to answer a report submission, form or API",
            Unit::Seconds,
            self.submission_latency.clone(),
        );
        registry.register(
            "anonymous_submissions",
            "Requests that log a mistake, through the form or the API",
            self.submissions.clone(),
        );
        registry.register(
            "receipt_actions",
            "Requests made with a receipt code, through the pages or the API",
            self.receipt_actions.clone(),
        );
        registry.register(
            "anonymous_refused",
            "Anonymous requests refused for too many from one network address",
            self.anonymous_refused.clone(),
        );
        registry.register(
            "search_index_documents",
            "Published reports the search index holds",
            self.index_documents.clone(),
        );
        registry.register(
            "search_index_lag",
            "Changes in the database the index has not applied yet (-1: the database does not answer)",
            self.index_lag.clone(),
        );
        self
    }

    /// Counts a request that is not anonymous, under its route pattern.
    pub fn request(&self, route: &str, method: &Method, status: StatusCode, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method_label(method),
                status: status.as_u16(),
            })
            .inc();
        if *method == Method::GET && SEARCH_ROUTES.contains(&route) {
            self.search_latency.observe(elapsed.as_secs_f64());
        }
    }

    /// Counts an anonymous request, with nothing that could tell it from the others.
    pub fn anonymous(&self, kind: Anonymous, status: StatusCode, elapsed: Duration) {
        match kind {
            Anonymous::Submission => {
                self.submissions.inc();
                self.submission_latency.observe(elapsed.as_secs_f64());
            }
            Anonymous::ReceiptAction => {
                self.receipt_actions.inc();
            }
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            self.anonymous_refused.inc();
        }
    }

    /// Everything in the Prometheus text format, with the index's state as of now.
    pub fn encode(&self, index: IndexState) -> Result<String, std::fmt::Error> {
        self.index_documents
            .set(i64::try_from(index.documents).unwrap_or(i64::MAX));
        self.index_lag.set(index.lag.unwrap_or(-1));
        let mut text = String::new();
        prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// Any method outside HTTP's usual few is counted as `OTHER`, so that made-up methods cannot
/// make up new series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(metrics: &Metrics) -> String {
        let index = IndexState {
            documents: 3,
            lag: Some(2),
        };
        metrics.encode(index).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn requests_are_counted_by_route_method_and_status() {
        let metrics = Metrics::default();
        let fast = Duration::from_millis(3);
        metrics.request("/search", &Method::GET, StatusCode::OK, fast);
        metrics.request("/search", &Method::GET, StatusCode::OK, fast);
        let odd = Method::from_bytes(b"BREW").unwrap_or_else(|e| panic!("{e}"));
        metrics.request("{unmatched}", &odd, StatusCode::NOT_FOUND, fast);
        let text = encoded(&metrics);
        assert!(
            text.contains(
                r#"kintsugi_http_requests_total{route="/search",method="GET",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains(r#"method="OTHER",status="404"} 1"#), "{text}");
        assert!(
            text.contains("kintsugi_search_duration_seconds_count 2"),
            "{text}"
        );
        assert!(text.contains("kintsugi_search_index_documents 3"), "{text}");
        assert!(text.contains("kintsugi_search_index_lag 2"), "{text}");
    }

    #[test]
    fn anonymous_requests_have_plain_counters() {
        let metrics = Metrics::default();
        let elapsed = Duration::from_millis(40);
        metrics.anonymous(Anonymous::Submission, StatusCode::CREATED, elapsed);
        metrics.anonymous(Anonymous::ReceiptAction, StatusCode::OK, elapsed);
        metrics.anonymous(
            Anonymous::ReceiptAction,
            StatusCode::TOO_MANY_REQUESTS,
            elapsed,
        );
        let text = encoded(&metrics);
        for line in [
            "kintsugi_anonymous_submissions_total 1",
            "kintsugi_receipt_actions_total 2",
            "kintsugi_anonymous_refused_total 1",
            "kintsugi_submission_duration_seconds_count 1",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in {text}");
        }
        assert!(
            !text.contains("/report"),
            "no route of an anonymous request"
        );
    }
}
