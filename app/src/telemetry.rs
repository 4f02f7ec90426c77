//! Logging: `tracing` with an env filter, and an access log that never records who asked.

use std::time::Instant;

use poem::{Endpoint, IntoResponse, Request, Response, Result};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

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

/// Access log middleware. It records the method, the matched route, the status and the
/// duration — and deliberately not the client address, user agent, cookies or query string,
/// because any of them could identify a reporter.
pub async fn access_log<E: Endpoint>(next: E, req: Request) -> Result<Response> {
    let method = req.method().clone();
    let path = route_template(req.uri().path());
    let started = Instant::now();
    let result = next.call(req).await;
    let (status, response) = match result {
        Ok(resp) => {
            let resp = resp.into_response();
            (resp.status(), Ok(resp))
        }
        Err(err) => (err.status(), Err(err)),
    };
    tracing::info!(
        http.method = %method,
        http.route = %path,
        http.status = status.as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// Reduces a path to its route shape, so that report refs do not pile up in the log.
fn route_template(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.len() >= 8 && segment.chars().any(|c| c.is_ascii_digit()) {
                "{ref}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::route_template;

    #[test]
    fn refs_are_replaced_by_a_placeholder() {
        assert_eq!(route_template("/reports/7f3qm9xa2k"), "/reports/{ref}");
        assert_eq!(route_template("/api/v1/search"), "/api/v1/search");
    }
}
