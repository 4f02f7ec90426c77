//! Protection against cross-site request forgery for every state-changing form.
//!
//! Two layers. Any form post whose browser says it came from another site (`Sec-Fetch-Site`,
//! or an `Origin` that is not this host) is refused. And a signed-in person's forms must carry
//! their session's CSRF token in a hidden `csrf_token` field, compared in constant time.
//! Anonymous forms carry no token: a reporter has no session to bind one to, and by design
//! no cookie — a forged anonymous form could only do what anyone may do anyway.

use poem::{Body, Endpoint, IntoResponse, Request, Response, http::Method};

use super::Viewer;
use crate::{error::AppError, pages, state::AppState};

pub const FIELD: &str = "csrf_token";

pub async fn protect<E: Endpoint>(
    state: AppState,
    next: E,
    mut req: Request,
) -> poem::Result<Response> {
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // The API authenticates state changes with bearer tokens, which browsers never attach
    // on their own; its forms are JSON, not HTML forms.
    if !changes_state || req.uri().path().starts_with("/api/") {
        return next.call(req).await.map(IntoResponse::into_response);
    }
    if comes_from_elsewhere(&req) {
        return Ok(pages::error_page(&state, &AppError::CsrfRejected));
    }
    let expected = req
        .extensions()
        .get::<Viewer>()
        .and_then(|v| v.csrf_token().map(str::to_owned));
    if let Some(expected) = expected {
        let bytes = match req.take_body().into_bytes_limit(pages::FORM_LIMIT).await {
            Ok(bytes) => bytes,
            Err(_) => {
                return Ok(pages::error_page(
                    &state,
                    &AppError::TooLarge {
                        limit: pages::FORM_LIMIT,
                    },
                ));
            }
        };
        let sent = form_field(&bytes, FIELD);
        if !sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), expected.as_bytes())) {
            return Ok(pages::error_page(&state, &AppError::CsrfRejected));
        }
        req.set_body(Body::from(bytes));
    }
    next.call(req).await.map(IntoResponse::into_response)
}

fn comes_from_elsewhere(req: &Request) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    match (header("origin"), header("host")) {
        // Browsers send `null` from sandboxed frames and some redirects: not this site.
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .map(|(_, rest)| rest)
            .is_none_or(|origin_host| origin_host != host),
        _ => false,
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_html_form::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_token_among_other_fields() {
        let body = b"title=a&csrf_token=abc&tag=x&tag=y";
        assert_eq!(form_field(body, FIELD).as_deref(), Some("abc"));
        assert_eq!(form_field(b"title=a", FIELD), None);
    }

    #[test]
    fn compares_tokens_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn origin_must_be_this_host() {
        let req = |origin: &str| {
            Request::builder()
                .method(Method::POST)
                .header("host", "kintsugi.intranet:8080")
                .header("origin", origin)
                .finish()
        };
        assert!(!comes_from_elsewhere(&req("http://kintsugi.intranet:8080")));
        assert!(comes_from_elsewhere(&req("https://evil.example")));
        assert!(comes_from_elsewhere(&req("null")));
    }
}
