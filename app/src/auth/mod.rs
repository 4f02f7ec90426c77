//! Who is asking: a signed-in session (cookie) or an API token (bearer), resolved once per
//! request, and what each route requires of them.
//!
//! The anonymous paths never look at this: a reporter who happens to be signed in logs a
//! mistake exactly as anyone else does, and nothing links the two.

pub mod access;
pub mod csrf;

use poem::{
    Endpoint, IntoResponse, Request, Response,
    http::{Method, header},
    web::cookie::{Cookie, CookieKey, SameSite},
};

use crate::{
    services::accounts::{
        Account,
        sessions::{self, Session},
        tokens,
    },
    state::AppState,
};

pub const SESSION_COOKIE: &str = "kintsugi_session";

/// API calls that are POSTs only because their input is long text, and change nothing: the
/// report form's live panels call them with the person's session.
const READ_ONLY_POSTS: &[&str] = &["/api/v1/similar", "/api/v1/hints"];

/// The person behind a request, if any.
#[derive(Clone, Debug, Default)]
pub struct Viewer {
    pub session: Option<Session>,
    /// Set for API requests with a valid bearer token.
    pub token_account: Option<Account>,
    /// A bearer token was sent but is unknown, revoked or its account disabled.
    pub rejected_token: bool,
}

impl Viewer {
    pub fn account(&self) -> Option<&Account> {
        self.token_account
            .as_ref()
            .or(self.session.as_ref().map(|s| &s.account))
    }

    /// Signed in through a session whose account still has its one-time password.
    pub fn awaits_own_password(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.account.must_change_password)
    }

    pub fn csrf_token(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.csrf_token.as_str())
    }
}

tokio::task_local! {
    /// The viewer of the request being handled, so that every rendered page can show who is
    /// signed in and carry the CSRF token without each handler passing them along.
    static CURRENT: Viewer;
}

/// The viewer of the current request; anonymous outside one.
pub fn current() -> Viewer {
    CURRENT.try_with(Clone::clone).unwrap_or_default()
}

/// Middleware: finds the session or token, puts the [`Viewer`] in the request and in scope.
pub async fn identify<E: Endpoint>(
    state: AppState,
    next: E,
    mut req: Request,
) -> poem::Result<Response> {
    let viewer = resolve(&state, &req).await;
    req.extensions_mut().insert(viewer.clone());
    CURRENT
        .scope(viewer, async move {
            next.call(req).await.map(IntoResponse::into_response)
        })
        .await
}

async fn resolve(state: &AppState, req: &Request) -> Viewer {
    let mut viewer = Viewer::default();
    // Styles and scripts are the same for everyone: no session lookup for each of them.
    if req.uri().path().starts_with("/static/") {
        return viewer;
    }
    let is_api = req.uri().path().starts_with("/api/");
    if is_api && let Some(secret) = bearer(req) {
        match tokens::authenticate(&state.db, secret).await {
            Ok(Some(account)) => viewer.token_account = Some(account),
            Ok(None) => viewer.rejected_token = true,
            Err(error) => {
                tracing::warn!(%error, "cannot check an API token");
                viewer.rejected_token = true;
            }
        }
        return viewer;
    }
    // The API reads the session cookie for safe methods and read-only lookups only: a
    // state-changing API call needs a token, which a forged cross-site request cannot carry.
    let read_only = req.method() == Method::GET
        || req.method() == Method::HEAD
        || READ_ONLY_POSTS.contains(&req.uri().path());
    if is_api && !read_only {
        return viewer;
    }
    if let Some(token) = session_token(state, req) {
        match sessions::find(&state.db, &token).await {
            // The API has no password form: a one-time password's session is no one there.
            Ok(Some(session)) if is_api && session.account.must_change_password => {}
            Ok(session) => viewer.session = session,
            Err(error) => tracing::warn!(%error, "cannot check a session"),
        }
    }
    viewer
}

/// The secret of an `Authorization: Bearer` header, if the request has one.
pub fn bearer(req: &Request) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(secret.trim())
}

/// The session token from the signed cookie; a cookie whose signature fails is ignored.
pub fn session_token(state: &AppState, req: &Request) -> Option<String> {
    req.cookie()
        .signed_with_key(&state.cookie_key)
        .get(SESSION_COOKIE)
        .map(|c| c.value_str().to_owned())
}

/// The session cookie: signed, HttpOnly, SameSite=Lax, for the whole site, ending with the
/// browser unless the server ends it first. `Secure` when the site is served over HTTPS.
fn session_cookie(req: &Request, token: &str) -> Cookie {
    let mut cookie = Cookie::new_with_str(SESSION_COOKIE, token);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(is_https(req));
    cookie
}

pub fn add_session_cookie(state: &AppState, req: &Request, token: &str) {
    req.cookie()
        .signed_with_key(&state.cookie_key)
        .add(session_cookie(req, token));
}

pub fn remove_session_cookie(req: &Request) {
    let mut cookie = Cookie::named(SESSION_COOKIE);
    cookie.set_path("/");
    cookie.make_removal();
    req.cookie().add(cookie);
}

fn is_https(req: &Request) -> bool {
    req.uri().scheme_str() == Some("https")
        || req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The key that signs session cookies, derived from the installation's stored secret.
pub fn cookie_key(secret: &[u8]) -> CookieKey {
    CookieKey::derive_from(secret)
}
