//! Signing in and out, and a person's own account: password and API tokens.

use poem::{
    Body, IntoResponse, Request, Response, handler,
    http::{StatusCode, header},
    web::{Data, Path, Query},
};
use serde::{Deserialize, Serialize};

use super::{
    Posted, error_page,
    fields::{self, SummaryItem},
    read_form_as_sent, render,
};
use crate::{
    auth::{self, access::safe_next},
    error::AppError,
    services::accounts::{self, sessions, tokens},
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
) -> Response {
    let page = SignInPage {
        name: String::new(),
        next: safe_next(query.next.as_deref()),
        error: None,
    };
    render(state, "pages/account/signin", &page, StatusCode::OK)
}

#[handler]
pub async fn sign_in(Data(state): Data<&AppState>, req: &Request, body: Body) -> Response {
    let Posted { form, readable } = match read_form_as_sent::<SignInForm>(body).await {
        Ok(posted) => posted,
        Err(error) => return error_page(state, &error),
    };
    let next = safe_next(Some(&form.next));
    let again = |error: AppError, status: StatusCode| {
        let page = SignInPage {
            name: form.name.clone(),
            next: next.clone(),
            error: Some(error.to_string()),
        };
        render(state, "pages/account/signin", &page, status)
    };
    if let Err(error) = readable {
        return again(error, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let name_key = form.name.trim().to_lowercase();
    // Addresses are used here, for staff signing in, and only in memory.
    let address_key = req
        .remote_addr()
        .as_socket_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    // Every attempt counts until it succeeds, so that attempts sent all at once are held to
    // the limit too; a success takes its own attempt back.
    let limits = &state.sign_in_limits;
    if let Err(error) = limits.per_name.admit(&name_key) {
        return again(error, StatusCode::TOO_MANY_REQUESTS);
    }
    if let Err(error) = limits.per_address.admit(&address_key) {
        limits.per_name.refund(&name_key);
        return again(error, StatusCode::TOO_MANY_REQUESTS);
    }
    let refund = || {
        limits.per_name.refund(&name_key);
        limits.per_address.refund(&address_key);
    };
    let account = match accounts::verify(&state.db, &form.name, &form.password).await {
        Ok(Some(account)) => account,
        Ok(None) => {
            let error = AppError::invalid(
                "password",
                "that name and password do not match an active account",
            );
            return again(error, StatusCode::UNAUTHORIZED);
        }
        Err(error) => {
            refund();
            return error_page(state, &error);
        }
    };
    refund();
    // A one-time password is replaced before anything else.
    let next = if account.must_change_password {
        "/account".to_owned()
    } else {
        next
    };
    match sessions::start(&state.db, account, state.config.access.session_lifetime).await {
        Ok(new) => {
            auth::add_session_cookie(state, req, &new.token);
            see_other(&next)
        }
        Err(error) => error_page(state, &error),
    }
}

#[handler]
pub async fn sign_out(Data(state): Data<&AppState>, req: &Request) -> Response {
    if let Some(token) = auth::session_token(state, req)
        && let Err(error) = sessions::end(&state.db, &token).await
    {
        return error_page(state, &error);
    }
    auth::remove_session_cookie(req);
    see_other("/")
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
}

async fn account_page(state: &AppState, mut page: AccountPage, status: StatusCode) -> Response {
    let Some(account) = auth::current().account().cloned() else {
        return error_page(state, &AppError::Unauthenticated);
    };
    page.must_change_password = account.must_change_password && !page.password_changed;
    match tokens::list_for(&state.db, account.id).await {
        Ok(list) => {
            page.tokens = list
                .into_iter()
                .map(|t| TokenItem {
                    id: t.id,
                    label: t.label,
                    created_on: t.created_on.to_string(),
                    revoked: t.revoked,
                })
                .collect();
            render(state, "pages/account/show", &page, status)
        }
        Err(error) => error_page(state, &error),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    changed: String,
}

#[handler]
pub async fn show(Data(state): Data<&AppState>, Query(query): Query<ShowQuery>) -> Response {
    let page = AccountPage {
        password_changed: query.changed == "password",
        ..AccountPage::default()
    };
    account_page(state, page, StatusCode::OK).await
}

#[handler]
pub async fn change_password(Data(state): Data<&AppState>, req: &Request, body: Body) -> Response {
    let Some(account) = auth::current().account().cloned() else {
        return error_page(state, &AppError::Unauthenticated);
    };
    let Posted { form, readable } = match read_form_as_sent::<PasswordForm>(body).await {
        Ok(posted) => posted,
        Err(error) => return error_page(state, &error),
    };
    let changed = async {
        readable?;
        accounts::change_password(&state.db, &account, &form.current, &form.new).await
    };
    match changed.await {
        Ok(()) => {
            // Whoever knew the old password is signed out everywhere; this browser goes on
            // with a fresh session (and so a fresh CSRF token, hence the redirect).
            let fresh = async {
                sessions::end_all_for(&state.db, account.id).await?;
                let mut account = account.clone();
                account.must_change_password = false;
                sessions::start(&state.db, account, state.config.access.session_lifetime).await
            };
            match fresh.await {
                Ok(new) => {
                    auth::add_session_cookie(state, req, &new.token);
                    see_other("/account?changed=password")
                }
                Err(error) => error_page(state, &error),
            }
        }
        Err(AppError::Invalid(errors)) => {
            let page = AccountPage {
                errors: fields::summary(&errors),
                ..AccountPage::default()
            };
            account_page(state, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => error_page(state, &error),
    }
}

#[handler]
pub async fn create_token(Data(state): Data<&AppState>, body: Body) -> Response {
    let Some(account) = auth::current().account().cloned() else {
        return error_page(state, &AppError::Unauthenticated);
    };
    let Posted { form, readable } = match read_form_as_sent::<TokenForm>(body).await {
        Ok(posted) => posted,
        Err(error) => return error_page(state, &error),
    };
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
            let mut response = account_page(state, page, StatusCode::OK).await;
            // The secret is on this page only: keep it out of every cache.
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(AppError::Invalid(errors)) => {
            let page = AccountPage {
                errors: fields::summary(&errors),
                label: form.label,
                ..AccountPage::default()
            };
            account_page(state, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => error_page(state, &error),
    }
}

#[handler]
pub async fn revoke_token(Data(state): Data<&AppState>, Path(id): Path<String>) -> Response {
    let Some(account) = auth::current().account().cloned() else {
        return error_page(state, &AppError::Unauthenticated);
    };
    let Ok(id) = id.parse::<i32>() else {
        return error_page(state, &AppError::NotFound("token"));
    };
    match tokens::revoke(&state.db, &account.name, account.id, id).await {
        Ok(()) => see_other("/account").into_response(),
        Err(error) => error_page(state, &error),
    }
}
