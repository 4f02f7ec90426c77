//! The monthly digest page, and the unsubscribe page that an email's link opens without
//! signing in.

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::Serialize;

use super::{PageResult, render};
use crate::{
    month::YearMonth,
    services::digests::{self, Digest, subscriptions},
    state::AppState,
    today,
};

#[derive(Serialize)]
struct DigestPage {
    title: String,
    digest: Digest,
    /// Links in the shared digest partial are relative on the site, absolute in emails.
    site: &'static str,
    empty: bool,
    previous: String,
    next: Option<String>,
}

async fn digest_page(state: &AppState, month: YearMonth) -> PageResult {
    let digest = digests::build(&state.db, month).await?;
    let this_month = YearMonth::of(today());
    let page = DigestPage {
        title: format!("Digest of {}", digest.month_name),
        empty: digest.is_empty(),
        previous: digests::due_month(month.first_day()).to_string(),
        next: (month < this_month).then(|| {
            let last_day = digests::last_day(month);
            YearMonth::of(last_day.next_day().unwrap_or(last_day)).to_string()
        }),
        digest,
        site: "",
    };
    render(state, "pages/digest/show", &page, StatusCode::OK)
}

/// This month's digest so far.
#[handler]
pub async fn current(Data(state): Data<&AppState>) -> PageResult {
    digest_page(state, YearMonth::of(today())).await
}

/// The digest of a month, `/digest/YYYY-MM`.
#[handler]
pub async fn of_month(Data(state): Data<&AppState>, Path(month): Path<String>) -> PageResult {
    digest_page(state, digests::month_of_path(&month, today())?).await
}

#[derive(Serialize)]
struct UnsubscribePage {
    token: String,
    current: bool,
    done: bool,
}

/// What an email's unsubscribe link opens: one button, so that a mail scanner following the
/// link unsubscribes no one.
#[handler]
pub async fn unsubscribe_form(
    Data(state): Data<&AppState>,
    Path(token): Path<String>,
) -> PageResult {
    let page = UnsubscribePage {
        current: subscriptions::is_current(&state.db, &token).await?,
        token,
        done: false,
    };
    render(state, "pages/digest/unsubscribe", &page, StatusCode::OK)
}

/// Unsubscribes: the page's button, or a mail client's one-click request (RFC 8058), which
/// posts `List-Unsubscribe=One-Click` and has no session.
#[handler]
pub async fn unsubscribe(
    Data(state): Data<&AppState>,
    Path(token): Path<String>,
    _body: Body,
) -> PageResult {
    subscriptions::unsubscribe_by_token(&state.db, &token).await?;
    let page = UnsubscribePage {
        token,
        current: false,
        done: true,
    };
    render(state, "pages/digest/unsubscribe", &page, StatusCode::OK)
}
