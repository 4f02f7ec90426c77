//! Logging: `tracing` with an env filter, and an access log that never records who asked.

use std::{collections::HashMap, sync::Arc, time::Instant};

use poem::{Endpoint, IntoResponse, PathPattern, Request, Response, Result, http::Method};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::metrics::{Anonymous, Metrics};

/// Installs the global subscriber. `RUST_LOG` overrides the default `info`;
/// `KINTSUGI_LOG_FORMAT=json` switches to one JSON object a line.
pub fn init(json: bool) {
    let registry = tracing_subscriber::registry().with(filter("info"));
    if json {
        registry.with(fmt::layer().json()).init();
    } else {
        registry.with(fmt::layer()).init();
    }
}

/// `RUST_LOG`, or `default`, with the libraries that would log what people wrote held at
/// `warn` whatever was asked: handlebars logs every page's data at debug level (a report, a
/// receipt code) and sea-orm every statement's values, each with a time of day.
pub fn filter(default: &str) -> EnvFilter {
    let mut filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    for quiet in [
        "handlebars=warn",
        "sea_orm=warn",
        "sqlx=warn",
        "sea_orm_migration=warn",
    ] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    filter
}

/// What the access log says instead of a path that matched no route: the path itself could
/// hold anything a person typed.
pub const UNMATCHED: &str = "{unmatched}";

/// Access log and request metrics. A request is logged with its method, the route pattern it
/// matched, its status and its duration — deliberately not the client address, user agent,
/// cookies, query string or the path as sent, any of which could identify a reporter. An
/// anonymous request (a report, a receipt action) is not logged at all, since the time of day
/// of its line would date it: it is only counted.
pub async fn access_log<E: Endpoint>(
    metrics: Arc<Metrics>,
    names: Arc<RouteNames>,
    next: E,
    req: Request,
) -> Result<Response> {
    let method = req.method().clone();
    let sent_to_anonymous = anonymous(&method, req.uri().path());
    let started = Instant::now();
    let result = next.call(req).await;
    let elapsed = started.elapsed();
    let (status, pattern, response) = match result {
        Ok(resp) => {
            let resp = resp.into_response();
            let pattern = resp.data::<PathPattern>().cloned();
            (resp.status(), pattern, Ok(resp))
        }
        Err(err) => (err.status(), err.data::<PathPattern>().cloned(), Err(err)),
    };
    let route = pattern.map_or_else(|| UNMATCHED.to_owned(), |p| names.name(&p.0));
    // Both the path as sent and the route matched are checked, so that no spelling of an
    // anonymous path reaches the log.
    match sent_to_anonymous.or_else(|| anonymous(&method, &route)) {
        Some(kind) => metrics.anonymous(kind, status, elapsed),
        None => {
            metrics.request(&route, &method, status, elapsed);
            tracing::info!(
                http.method = %method,
                http.route = %route,
                http.status = status.as_u16(),
                elapsed_ms = elapsed.as_millis() as u64,
                "request"
            );
        }
    }
    response
}

/// Whether a request is one of the anonymous ones: logging a mistake or using a receipt.
fn anonymous(method: &Method, path: &str) -> Option<Anonymous> {
    if *method != Method::POST {
        return None;
    }
    let path = path.trim_end_matches('/');
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if path == "/report" || path == "/api/v1/reports" {
        Some(Anonymous::Submission)
    } else if under("/receipt") || under("/api/v1/receipts") {
        Some(Anonymous::ReceiptAction)
    } else {
        None
    }
}

/// Route patterns named as the API documents them: `/reports/:ref` as `/reports/{ref}`.
/// The API's router numbers its parameters (`/api/v1/reports/:param0`), so its patterns are
/// looked up by their shape among the documented paths.
#[derive(Debug, Default)]
pub struct RouteNames {
    documented: HashMap<String, String>,
}

impl RouteNames {
    /// `paths` as documented, such as `/api/v1/reports/{ref}`.
    pub fn new(paths: impl IntoIterator<Item = String>) -> Self {
        let documented = paths
            .into_iter()
            .map(|path| (shape(&path, '{'), path))
            .collect();
        Self { documented }
    }

    fn name(&self, pattern: &str) -> String {
        match self.documented.get(&shape(pattern, ':')) {
            Some(path) => path.clone(),
            None => route_template(pattern),
        }
    }
}

/// A path with each parameter, which starts with `marker`, replaced by `*`.
fn shape(path: &str, marker: char) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with(marker) {
                "*"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn route_template(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use poem::http::Method;

    use super::{Anonymous, RouteNames, anonymous};

    #[test]
    fn parameters_are_named_as_in_the_api() {
        let names = RouteNames::new([
            "/api/v1/reports/{ref}".to_owned(),
            "/api/v1/reports/{ref}/similar".to_owned(),
        ]);
        assert_eq!(names.name("/reports/:ref"), "/reports/{ref}");
        assert_eq!(
            names.name("/api/v1/reports/:param0/similar"),
            "/api/v1/reports/{ref}/similar"
        );
        assert_eq!(
            names.name("/api/v1/reports/:param0"),
            "/api/v1/reports/{ref}"
        );
        assert_eq!(names.name("/api/v1/search"), "/api/v1/search");
    }

    #[test]
    fn anonymous_requests_are_recognised_however_spelt() {
        let post = |path| anonymous(&Method::POST, path);
        assert_eq!(post("/report"), Some(Anonymous::Submission));
        assert_eq!(post("/report/"), Some(Anonymous::Submission));
        assert_eq!(post("/api/v1/reports"), Some(Anonymous::Submission));
        for path in ["/receipt", "/receipt/detail", "/api/v1/receipts/status"] {
            assert_eq!(post(path), Some(Anonymous::ReceiptAction), "{path}");
        }
        assert_eq!(post("/receipts-of-others"), None);
        assert_eq!(post("/api/v1/reports/abc/signals"), None);
        assert_eq!(anonymous(&Method::GET, "/report"), None, "the empty form");
    }
}
