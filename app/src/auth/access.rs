//! What each route requires: anyone, readers (which may mean anyone, on an open intranet),
//! or a staff role. Checked in one place for pages and for the API.

use poem::{
    Endpoint, FromRequest, IntoResponse, Request, RequestBody, Response,
    http::{Method, StatusCode, header},
};

use super::{Viewer, csrf};
use crate::{
    config::ReadAccess,
    error::{AppError, Result},
    services::accounts::{Account, Role},
    state::AppState,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reporters and everyone else: no account involved, ever.
    Anyone,
    /// Readers of published lessons: signed in, unless reading is open.
    Readers,
    /// Signed in with a role that includes this one.
    Staff(Role),
}

impl Access {
    /// Whether `viewer` may pass; the account, when there is one.
    pub fn check(self, viewer: &Viewer, read_access: ReadAccess) -> Result<Option<Account>> {
        let account = viewer.account().cloned();
        match self {
            Access::Anyone => Ok(account),
            _ if viewer.rejected_token => Err(AppError::Unauthenticated),
            Access::Readers if read_access == ReadAccess::Open => Ok(account),
            Access::Readers => account.map(Some).ok_or(AppError::Unauthenticated),
            Access::Staff(role) => match account {
                None => Err(AppError::Unauthenticated),
                Some(account) if account.can(role) => Ok(Some(account)),
                Some(_) => Err(AppError::Forbidden(role.label())),
            },
        }
    }
}

/// For API operations: the viewer of `req` must pass `access`.
pub fn require(req: &Request, state: &AppState, access: Access) -> Result<Option<Account>> {
    let viewer = req
        .extensions()
        .get::<Viewer>()
        .cloned()
        .unwrap_or_default();
    access.check(&viewer, state.config.access.read_access)
}

/// Wraps a page endpoint with its access rule. A person who is not signed in is sent to the
/// sign-in page and brought back afterwards; a signed-in person without the role is told so.
pub struct Guarded<E> {
    pub access: Access,
    pub inner: E,
}

impl<E: Endpoint> Endpoint for Guarded<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        let read_access = req
            .data::<AppState>()
            .map(|state| state.config.access.read_access)
            .ok_or_else(|| AppError::Internal("no application state".to_owned()))?;
        let viewer = req
            .extensions()
            .get::<Viewer>()
            .cloned()
            .unwrap_or_default();
        // A one-time password was seen by whoever handed it over: until its holder chooses
        // their own, it opens the password form only. Pages for anyone stay as they are for
        // anyone, so that a report being written is never lost to this.
        if self.access != Access::Anyone
            && viewer.awaits_own_password()
            && !opens_before_own_password(&req)
        {
            return Ok(redirect("/account"));
        }
        let account = match self.access.check(&viewer, read_access) {
            Ok(account) => account,
            Err(AppError::Unauthenticated) if req.method() == Method::GET => {
                return Ok(to_sign_in(&req));
            }
            Err(error) => return Err(error.into()),
        };
        // Pages for anyone never see an account: a reporter who is signed in stays no one.
        if self.access != Access::Anyone {
            // Acting with an account's authority needs the session's CSRF token.
            if csrf::changes_state(&req) {
                req = csrf::verify_token(req).await?;
            }
            if let Some(account) = account {
                req.extensions_mut().insert(Checked(account));
            }
        }
        let mut response = self.inner.call(req).await?.into_response();
        // A staff page shows what only its account may see, reporters' own words among them:
        // no cache, shared or the browser's, keeps a copy.
        if matches!(self.access, Access::Staff(_)) {
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
        }
        Ok(response)
    }
}

/// The account that passed a page's access rule, put in the request by [`Guarded`].
#[derive(Clone)]
struct Checked(Account);

/// The signed-in account of a page whose access rule needs one, as the guard checked it:
/// a handler takes it as an argument instead of looking for an account itself.
pub struct SignedIn(pub Account);

impl<'a> FromRequest<'a> for SignedIn {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        // Absent only on a route whose rule lets people in without an account.
        let Checked(account) = req
            .extensions()
            .get::<Checked>()
            .ok_or(AppError::Unauthenticated)?;
        Ok(Self(account.clone()))
    }
}

/// What a session with a one-time password may use: the form that replaces it.
fn opens_before_own_password(req: &Request) -> bool {
    matches!(
        (req.method().as_str(), req.uri().path()),
        ("GET" | "HEAD", "/account") | ("POST", "/account/password")
    )
}

fn to_sign_in(req: &Request) -> Response {
    let next = req
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    redirect(&format!("/signin?next={}", urlencode(&next)))
}

fn redirect(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location)
        .finish()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The page asked for before signing in, when it is a path on this site and never another
/// site's address.
pub fn safe_next(next: Option<&str>) -> Option<&str> {
    // Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example`
    // would become `//evil.example`: a path here has no such characters at all.
    next.filter(|path| {
        path.starts_with('/')
            && !path.starts_with("//")
            && !path
                .chars()
                .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    })
}

/// Where to go after signing in: the page asked for, or else where the account's work
/// starts, the queue for moderators and the home page for everyone else.
pub fn landing(account: &Account, next: Option<&str>) -> String {
    match safe_next(next) {
        Some(path) => path.to_owned(),
        None if account.can(Role::Moderator) => "/moderation".to_owned(),
        None => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::accounts::sessions::Session;

    fn signed_in(role: Role) -> Viewer {
        Viewer {
            session: Some(Session {
                account: Account {
                    id: 1,
                    name: "someone".to_owned(),
                    role,
                    must_change_password: false,
                },
                csrf_token: "t".to_owned(),
            }),
            ..Viewer::default()
        }
    }

    #[test]
    fn readers_need_an_account_unless_reading_is_open() {
        let anonymous = Viewer::default();
        assert!(
            Access::Readers
                .check(&anonymous, ReadAccess::SignedIn)
                .is_err()
        );
        assert!(Access::Readers.check(&anonymous, ReadAccess::Open).is_ok());
        assert!(
            Access::Readers
                .check(&signed_in(Role::Reader), ReadAccess::SignedIn)
                .is_ok()
        );
        assert!(
            Access::Anyone
                .check(&anonymous, ReadAccess::SignedIn)
                .is_ok()
        );
    }

    #[test]
    fn staff_routes_need_the_role() {
        let moderation = Access::Staff(Role::Moderator);
        assert!(matches!(
            moderation.check(&Viewer::default(), ReadAccess::Open),
            Err(AppError::Unauthenticated)
        ));
        assert!(matches!(
            moderation.check(&signed_in(Role::PolicyOwner), ReadAccess::Open),
            Err(AppError::Forbidden(_))
        ));
        assert!(
            moderation
                .check(&signed_in(Role::Admin), ReadAccess::Open)
                .is_ok()
        );
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/moderation?x=1")), Some("/moderation?x=1"));
        for unsafe_next in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
        ] {
            assert_eq!(safe_next(Some(unsafe_next)), None, "{unsafe_next:?}");
        }
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn moderators_land_on_the_queue_unless_a_page_was_asked_for() {
        let account = |role| Account {
            id: 1,
            name: "someone".to_owned(),
            role,
            must_change_password: false,
        };
        let (moderator, reader) = (account(Role::Moderator), account(Role::Reader));
        assert_eq!(landing(&moderator, None), "/moderation");
        assert_eq!(landing(&moderator, Some("//evil.example/")), "/moderation");
        assert_eq!(landing(&moderator, Some("/search?q=bcc")), "/search?q=bcc");
        assert_eq!(landing(&reader, None), "/");
        assert_eq!(landing(&reader, Some("/reports/abc")), "/reports/abc");
    }
}
