//! Signing in and out, and a person's own account: password and API tokens.

use poem::{
    Body, IntoResponse, Request, Response, handler,
    http::{StatusCode, header},
    web::{Data, Path, Query},
};
use serde::{Deserialize, Serialize};

use super::{
    PageResult, Posted,
    fields::{self, SummaryItem},
    read_form_as_sent, render,
};
use crate::{
    auth::{
        self,
        access::{SignedIn, landing, safe_next},
    },
    config::ReadAccess,
    error::AppError,
    services::{
        accounts::{self, Account, sessions, tokens},
        digests::subscriptions,
        feeds,
    },
    state::AppState,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInForm {
    name: String,
    password: String,
    next: String,
}

#[derive(Serialize)]
struct SignInPage {
    name: String,
    next: String,
    error: Option<String>,
}

#[handler]
pub async fn sign_in_form(
    Data(state): Data<&AppState>,
    Query(query): Query<NextQuery>,
) -> PageResult {
    let page = SignInPage {
        name: String::new(),
        next: safe_next(query.next.as_deref())
            .unwrap_or_default()
            .to_owned(),
        error: None,
    };
    render(state, "pages/account/signin", &page, StatusCode::OK)
}

#[handler]
pub async fn sign_in(Data(state): Data<&AppState>, req: &Request, body: Body) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<SignInForm>(body).await?;
    let again = |error: AppError, status: StatusCode| {
        let page = SignInPage {
            name: form.name.clone(),
            next: safe_next(Some(&form.next)).unwrap_or_default().to_owned(),
            error: Some(error.to_string()),
        };
        render(state, "pages/account/signin", &page, status)
    };
    if let Err(error) = readable {
        return again(error, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let address = req.remote_addr().as_socket_addr().map(|a| a.ip());
    let (db, limits) = (&state.db, &state.sign_in_limits);
    let account = match accounts::sign_in(db, limits, &form.name, &form.password, address).await {
        Ok(Some(account)) => account,
        Ok(None) => {
            let error = AppError::invalid(
                "password",
                "that name and password do not match an active account",
            );
            return again(error, StatusCode::UNAUTHORIZED);
        }
        Err(error @ AppError::TooManyAttempts { .. }) => {
            return again(error, StatusCode::TOO_MANY_REQUESTS);
        }
        Err(error) => return Err(error),
    };
    // A one-time password is replaced before anything else.
    let next = if account.must_change_password {
        "/account".to_owned()
    } else {
        landing(&account, Some(&form.next))
    };
    let new = sessions::start(&state.db, account, state.config.access.session_lifetime).await?;
    auth::add_session_cookie(state, req, &new.token);
    Ok(see_other(&next))
}

#[handler]
pub async fn sign_out(Data(state): Data<&AppState>, req: &Request) -> PageResult {
    if let Some(token) = auth::session_token(state, req) {
        sessions::end(&state.db, &token).await?;
    }
    auth::remove_session_cookie(req);
    Ok(see_other("/"))
}

pub fn see_other(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location)
        .finish()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    current: String,
    new: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TokenForm {
    label: String,
}

#[derive(Serialize)]
struct TokenItem {
    id: i32,
    label: String,
    created_on: String,
    revoked: bool,
}

#[derive(Serialize, Default)]
struct AccountPage {
    must_change_password: bool,
    tokens: Vec<TokenItem>,
    new_token: Option<String>,
    password_changed: bool,
    errors: Vec<SummaryItem>,
    label: String,
    /// Reading needs signing in, so feed readers need the personal feed token.
    feeds_need_token: bool,
    feed_token_on: Option<String>,
    /// The personal feed addresses, shown once, just after the token is made.
    new_feed_urls: Vec<super::feeds::FeedLink>,
    /// A mail server is configured, so the digest can be emailed.
    digest_by_email: bool,
    digest_email: Option<String>,
    digest_changed: bool,
}

async fn account_page(
    state: &AppState,
    account: &Account,
    mut page: AccountPage,
    status: StatusCode,
) -> PageResult {
    page.must_change_password = account.must_change_password && !page.password_changed;
    page.tokens = tokens::list_for(&state.db, account.id)
        .await?
        .into_iter()
        .map(|t| TokenItem {
            id: t.id,
            label: t.label,
            created_on: t.created_on.to_string(),
            revoked: t.revoked,
        })
        .collect();
    page.feeds_need_token = state.config.access.read_access == ReadAccess::SignedIn;
    page.feed_token_on = feeds::tokens::issued_on(&state.db, account.id)
        .await?
        .map(|d| d.to_string());
    page.digest_by_email = state.config.digests.smtp_url.is_some();
    page.digest_email = subscriptions::address_of(&state.db, account.id).await?;
    render(state, "pages/account/show", &page, status)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    changed: String,
}

#[handler]
pub async fn show(
    Data(state): Data<&AppState>,
    SignedIn(account): SignedIn,
    Query(query): Query<ShowQuery>,
) -> PageResult {
    let page = AccountPage {
        password_changed: query.changed == "password",
        digest_changed: query.changed == "digest",
        ..AccountPage::default()
    };
    account_page(state, &account, page, StatusCode::OK).await
}

#[handler]
pub async fn change_password(
    Data(state): Data<&AppState>,
    SignedIn(account): SignedIn,
    req: &Request,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<PasswordForm>(body).await?;
    let changed = async {
        readable?;
        accounts::change_password(&state.db, &account, &form.current, &form.new).await
    };
    match changed.await {
        Ok(()) => {}
        Err(AppError::Invalid(errors)) => {
            let page = AccountPage {
                errors: fields::summary(&errors),
                ..AccountPage::default()
            };
            return account_page(state, &account, page, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(error) => return Err(error),
    }
    // Whoever knew the old password is signed out everywhere; this browser goes on with a
    // fresh session (and so a fresh CSRF token, hence the redirect).
    sessions::end_all_for(&state.db, account.id).await?;
    let account = Account {
        must_change_password: false,
        ..account
    };
    let new = sessions::start(&state.db, account, state.config.access.session_lifetime).await?;
    auth::add_session_cookie(state, req, &new.token);
    Ok(see_other("/account?changed=password"))
}

#[handler]
pub async fn create_token(
    Data(state): Data<&AppState>,
    SignedIn(account): SignedIn,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<TokenForm>(body).await?;
    let issued = async {
        readable?;
        tokens::issue(&state.db, &account.name, account.id, &form.label).await
    };
    match issued.await {
        Ok(secret) => {
            let page = AccountPage {
                new_token: Some(secret),
                ..AccountPage::default()
            };
            // Like every staff page, answered `no-store` by the access guard: the secret is
            // kept by no cache.
            account_page(state, &account, page, StatusCode::OK).await
        }
        Err(AppError::Invalid(errors)) => {
            let page = AccountPage {
                errors: fields::summary(&errors),
                label: form.label,
                ..AccountPage::default()
            };
            account_page(state, &account, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => Err(error),
    }
}

#[handler]
pub async fn revoke_token(
    Data(state): Data<&AppState>,
    SignedIn(account): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let id = id.parse::<i32>().map_err(|_| AppError::NotFound("token"))?;
    tokens::revoke(&state.db, &account.name, account.id, id).await?;
    Ok(see_other("/account").into_response())
}

/// Makes the reader's personal feed token, revoking the one before, and shows the feed
/// addresses with it once.
#[handler]
pub async fn renew_feed_token(
    Data(state): Data<&AppState>,
    SignedIn(account): SignedIn,
    req: &Request,
) -> PageResult {
    let secret = feeds::tokens::renew(&state.db, account.id).await?;
    let site = super::feeds::site(state, req).0;
    let with_token = |path: &str| format!("{site}{path}?token={secret}");
    let page = AccountPage {
        new_feed_urls: vec![
            super::feeds::FeedLink {
                title: "New lessons".to_owned(),
                href: with_token("/feeds/lessons.atom"),
            },
            super::feeds::FeedLink {
                title: "Guideline changes".to_owned(),
                href: with_token("/feeds/guidelines.atom"),
            },
        ],
        ..AccountPage::default()
    };
    // Answered `no-store` by the access guard, like the API token: no cache keeps it.
    account_page(state, &account, page, StatusCode::OK).await
}

#[handler]
pub async fn revoke_feed_token(
    Data(state): Data<&AppState>,
    SignedIn(account): SignedIn,
) -> PageResult {
    feeds::tokens::revoke(&state.db, account.id).await?;
    Ok(see_other("/account"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DigestForm {
    email: String,
}

#[handler]
pub async fn subscribe_digest(
    Data(state): Data<&AppState>,
    SignedIn(account): SignedIn,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<DigestForm>(body).await?;
    let subscribed = async {
        readable?;
        subscriptions::subscribe(&state.db, account.id, &form.email).await
    };
    match subscribed.await {
        Ok(()) => Ok(see_other("/account?changed=digest")),
        Err(AppError::Invalid(errors)) => {
            let page = AccountPage {
                errors: fields::summary(&errors),
                ..AccountPage::default()
            };
            account_page(state, &account, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => Err(error),
    }
}

#[handler]
pub async fn unsubscribe_digest(
    Data(state): Data<&AppState>,
    SignedIn(account): SignedIn,
) -> PageResult {
    subscriptions::unsubscribe(&state.db, account.id).await?;
    Ok(see_other("/account?changed=digest"))
}
