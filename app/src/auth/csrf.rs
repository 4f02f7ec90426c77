//! Protection against cross-site request forgery for every state-changing form.
//!
//! Two layers. Any form post whose browser says it came from another site (`Sec-Fetch-Site`,
//! or an `Origin` that is not this host) is refused, by [`protect`] for the whole site. And
//! every form that acts with a signed-in person's authority must carry their session's CSRF
//! token in a hidden `csrf_token` field, compared in constant time ([`verify_token`], called
//! by the access guard of every route that needs an account). Forms anyone may send — logging
//! a mistake, the receipt — need no token: they act with no one's authority, and a reporter
//! who signed in meanwhile must not lose a report to an expired form.

use poem::{Body, Endpoint, IntoResponse, Request, Response, http::Method};

use super::Viewer;
use crate::{error::AppError, forms::FORM_LIMIT};

pub const FIELD: &str = "csrf_token";

/// Middleware: refuses state-changing form posts that come from another site.
pub async fn protect<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    // The API authenticates state changes with bearer tokens, which browsers never attach
    // on their own; its forms are JSON, not HTML forms.
    if changes_state(&req) && !req.uri().path().starts_with("/api/") && comes_from_elsewhere(&req) {
        return Err(AppError::CsrfRejected.into());
    }
    next.call(req).await.map(IntoResponse::into_response)
}

pub fn changes_state(req: &Request) -> bool {
    !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Checks the session's token in a state-changing form and gives the request back with its
/// body intact, or says why it is refused.
pub async fn verify_token(mut req: Request) -> Result<Request, AppError> {
    let expected = req
        .extensions()
        .get::<Viewer>()
        .and_then(|v| v.csrf_token().map(str::to_owned))
        .ok_or(AppError::CsrfRejected)?;
    let bytes = req
        .take_body()
        .into_bytes_limit(FORM_LIMIT)
        .await
        .map_err(|_| AppError::TooLarge { limit: FORM_LIMIT })?;
    let sent = form_field(&bytes, FIELD);
    if !sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), expected.as_bytes())) {
        return Err(AppError::CsrfRejected);
    }
    req.set_body(Body::from(bytes));
    Ok(req)
}

fn comes_from_elsewhere(req: &Request) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    // Every current browser says where a request comes from; a sibling site on the same
    // domain is as foreign as any other.
    if matches!(header("sec-fetch-site"), Some("cross-site" | "same-site")) {
        return true;
    }
    match (header("origin"), header("host")) {
        // Under this site's `Referrer-Policy: no-referrer` browsers send `Origin: null` even
        // for its own forms, so `null` says nothing; `Sec-Fetch-Site` above has spoken.
        (Some("null"), _) => false,
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
        assert!(
            !comes_from_elsewhere(&req("null")),
            "sent under no-referrer"
        );
    }
}
