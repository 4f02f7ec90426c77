//! Pages for the reporter who comes back with a receipt code.
//!
//! The code travels in POST bodies only, never in a URL, so that it stays out of browser
//! history, proxies and logs.

use std::net::IpAddr;

use poem::{
    Body, IntoResponse, Request, handler,
    http::{StatusCode, header},
    web::Data,
};
use serde::{Deserialize, Serialize};

use super::{
    PageResult, read_form, receipt_view::ReceiptSummary, receipt_wait::wait_page, render,
    reports::may_read,
};
use crate::{
    codes::ReceiptCode,
    error::{AppError, FieldError},
    pages::fields::{SummaryItem, for_a_person},
    services::{
        limits::receipt_try,
        reports::{self, ReceiptView},
    },
    state::AppState,
};

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct ReceiptForm {
    receipt: String,
    detail: String,
    confirm: String,
    /// `approve` or `change`, for the de-identified version.
    decision: String,
    comment: String,
    /// The version of the published text the reporter read, as shown on the page.
    version: String,
}

#[derive(Serialize)]
struct LookupPage {
    value: String,
    error: Option<String>,
    errors: Vec<SummaryItem>,
}

#[handler]
pub async fn lookup(Data(state): Data<&AppState>) -> PageResult {
    lookup_page(state, String::new(), None, StatusCode::OK)
}

fn lookup_page(
    state: &AppState,
    value: String,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let page = LookupPage {
        value,
        errors: summary([("receipt", &error)]),
        error,
    };
    render(state, "pages/receipts/lookup", &page, status)
}

#[derive(Default, Serialize)]
struct Feedback {
    notice: Option<String>,
    detail: String,
    detail_error: Option<String>,
    confirm_error: Option<String>,
    comment: String,
    comment_error: Option<String>,
}

#[derive(Serialize)]
struct ReceiptPage {
    view: ReceiptSummary,
    receipt: String,
    errors: Vec<SummaryItem>,
    #[serde(flatten)]
    feedback: Feedback,
}

fn receipt_page(
    state: &AppState,
    view: ReceiptView,
    receipt: &str,
    feedback: Feedback,
    status: StatusCode,
) -> PageResult {
    let receipt = ReceiptCode::parse(receipt)
        .map(|c| c.display())
        .unwrap_or_default();
    let page = ReceiptPage {
        view: ReceiptSummary::new(view, may_read(state)),
        receipt,
        errors: summary([
            ("detail", &feedback.detail_error),
            ("confirm", &feedback.confirm_error),
        ]),
        feedback,
    };
    Ok(render(state, "pages/receipts/show", &page, status)?
        .with_header(header::CACHE_CONTROL, "no-store")
        .into_response())
}

/// The error summary above a form: one linked line for each field that has an error.
fn summary<const N: usize>(fields: [(&str, &Option<String>); N]) -> Vec<SummaryItem> {
    fields
        .into_iter()
        .filter_map(|(field, error)| {
            let reason = error.as_deref()?;
            Some(SummaryItem::from(&FieldError::new(field, reason)))
        })
        .collect()
}

/// Answers a failed receipt action: an unknown code goes back to the lookup form, too many
/// tries to a page that keeps what was written, anything else to the error page.
fn failed(state: &AppState, form: ReceiptForm, error: AppError) -> PageResult {
    match error {
        AppError::TooManyAttempts { retry_after } => wait_page(state, &form, retry_after),
        AppError::UnknownReceipt => lookup_page(
            state,
            form.receipt,
            Some("This receipt code is not recognised. Check it for typos: it has 28 letters and digits.".to_owned()),
            StatusCode::NOT_FOUND,
        ),
        error => Err(error),
    }
}

/// The client's address, used only to count its tries under a salted hash.
fn peer(req: &Request) -> Option<IpAddr> {
    req.remote_addr().as_socket_addr().map(|a| a.ip())
}

#[handler]
pub async fn show(Data(state): Data<&AppState>, req: &Request, body: Body) -> PageResult {
    let form: ReceiptForm = read_form(body).await?;
    if form.receipt.trim().is_empty() {
        return lookup_page(
            state,
            String::new(),
            Some("Enter your receipt code.".to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let action = reports::status(&state.db, &state.receipts, &form.receipt);
    match receipt_try(&state.receipt_limits, peer(req), action).await {
        Ok(view) => receipt_page(
            state,
            view,
            &form.receipt,
            Feedback::default(),
            StatusCode::OK,
        ),
        Err(error) => failed(state, form, error),
    }
}

#[handler]
pub async fn add_detail(Data(state): Data<&AppState>, req: &Request, body: Body) -> PageResult {
    let form: ReceiptForm = read_form(body).await?;
    let action = reports::add_detail(&state.db, &state.receipts, &form.receipt, &form.detail);
    let result = receipt_try(&state.receipt_limits, peer(req), action).await;
    let thanks = "Thank you: your detail was added. Only moderators see it.";
    answered(state, form, result, thanks, |feedback, form, reason| {
        feedback.detail_error = reason;
        feedback.detail = form.detail.clone();
    })
    .await
}

/// The receipt page after an action: with thanks, or with the person's text kept beside the
/// field at fault (`keep` puts it there), or with the reason the action does not fit.
async fn answered(
    state: &AppState,
    form: ReceiptForm,
    result: Result<ReceiptView, AppError>,
    thanks: &str,
    keep: impl FnOnce(&mut Feedback, &ReceiptForm, Option<String>),
) -> PageResult {
    match result {
        Ok(view) => {
            let feedback = Feedback {
                notice: Some(thanks.to_owned()),
                ..Feedback::default()
            };
            receipt_page(state, view, &form.receipt, feedback, StatusCode::OK)
        }
        Err(AppError::Invalid(errors)) => {
            let mut feedback = Feedback::default();
            keep(&mut feedback, &form, errors.first().map(for_a_person));
            refreshed(state, form, feedback, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Conflict(reason)) => {
            let feedback = Feedback {
                notice: Some(reason),
                ..Feedback::default()
            };
            refreshed(state, form, feedback, StatusCode::CONFLICT).await
        }
        Err(error) => failed(state, form, error),
    }
}

#[handler]
pub async fn withdraw(Data(state): Data<&AppState>, req: &Request, body: Body) -> PageResult {
    let form: ReceiptForm = read_form(body).await?;
    if form.confirm != "yes" {
        let feedback = Feedback {
            confirm_error: Some("Tick the box to confirm that you want to withdraw.".to_owned()),
            ..Feedback::default()
        };
        return refreshed(state, form, feedback, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let action = reports::withdraw(&state.db, &state.receipts, &form.receipt);
    match receipt_try(&state.receipt_limits, peer(req), action).await {
        Ok(view) => {
            let feedback = Feedback {
                notice: Some("Your report has been withdrawn.".to_owned()),
                ..Feedback::default()
            };
            receipt_page(state, view, &form.receipt, feedback, StatusCode::OK)
        }
        Err(AppError::Conflict(reason)) => {
            let feedback = Feedback {
                notice: Some(reason),
                ..Feedback::default()
            };
            refreshed(state, form, feedback, StatusCode::CONFLICT).await
        }
        Err(error) => failed(state, form, error),
    }
}

/// The receipt page again, read afresh, with feedback about the action that did not happen.
async fn refreshed(
    state: &AppState,
    form: ReceiptForm,
    feedback: Feedback,
    status: StatusCode,
) -> PageResult {
    match reports::status(&state.db, &state.receipts, &form.receipt).await {
        Ok(view) => receipt_page(state, view, &form.receipt, feedback, status),
        Err(error) => failed(state, form, error),
    }
}

#[handler]
pub async fn review(Data(state): Data<&AppState>, req: &Request, body: Body) -> PageResult {
    let form: ReceiptForm = read_form(body).await?;
    let approve = form.decision == "approve";
    let version = Some(form.version.as_str()).filter(|v| !v.is_empty());
    let action = reports::review_version(
        &state.db,
        &state.receipts,
        &form.receipt,
        version,
        approve,
        &form.comment,
    );
    let result = receipt_try(&state.receipt_limits, peer(req), action).await;
    let thanks = if approve {
        "Thank you: you approved this version. A moderator will publish it."
    } else {
        "Thank you: a moderator will change the version and show it to you again."
    };
    answered(state, form, result, thanks, |feedback, form, reason| {
        feedback.comment_error = reason;
        feedback.comment = form.comment.clone();
    })
    .await
}
