//! HTML pages: thin handlers that call one service and render one template.

pub mod account;
pub mod admin;
pub mod fields;
pub mod home;
pub mod moderation;
pub mod receipts;
pub mod report_form;
pub mod reports;
pub mod search;
pub mod signals;

use poem::{Body, IntoResponse, Response, http::StatusCode, web::Html};
use serde::{Serialize, de::DeserializeOwned};

use crate::{
    error::{AppError, Result},
    state::AppState,
};

/// The most a form may send: far above any real report, far below a nuisance.
pub const FORM_LIMIT: usize = 256 * 1024;

/// Renders a page with the given status; a template failure becomes the error page.
pub fn render<T: Serialize>(
    state: &AppState,
    template: &str,
    context: &T,
    status: StatusCode,
) -> Response {
    match state.templates.render(template, context) {
        Ok(html) => Html(html).with_status(status).into_response(),
        Err(error) => error_page(state, &error),
    }
}

#[derive(Serialize)]
struct ErrorPage {
    heading: &'static str,
    message: String,
}

/// The page for an error that has no better place to be shown, such as beside a field.
pub fn error_page(state: &AppState, error: &AppError) -> Response {
    let heading = match error.status() {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::PAYLOAD_TOO_LARGE => "That was too much to send at once",
        StatusCode::UNAUTHORIZED => "Please sign in",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::TOO_MANY_REQUESTS => "Please wait a moment",
        s if s.is_server_error() => "Something went wrong",
        _ => "That did not work",
    };
    let context = ErrorPage {
        heading,
        message: error.public_message(),
    };
    match state.templates.render("pages/error", &context) {
        Ok(html) => Html(html).with_status(error.status()).into_response(),
        // The error template itself failed: answer in plain text rather than not at all.
        Err(_) => Response::builder()
            .status(error.status())
            .body(context.message),
    }
}

/// Reads an `application/x-www-form-urlencoded` body, with repeated keys as lists.
pub async fn read_form<T: DeserializeOwned>(body: Body) -> Result<T> {
    let bytes = body
        .into_bytes_limit(FORM_LIMIT)
        .await
        .map_err(|e| match e {
            poem::error::ReadBodyError::PayloadTooLarge => AppError::TooLarge { limit: FORM_LIMIT },
            other => AppError::Malformed(format!("the form could not be read: {other}")),
        })?;
    serde_html_form::from_bytes(&bytes)
        .map_err(|e| AppError::Malformed(format!("the form could not be read: {e}")))
}

/// Splits text into paragraphs for display; the template escapes each one.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}
