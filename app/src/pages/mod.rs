//! HTML pages: thin handlers that call one service and render one template.

pub mod account;
pub mod admin;
pub mod fields;
mod form;
pub mod home;
pub mod moderation;
mod receipt_wait;
pub mod receipts;
pub mod report_form;
pub mod reports;
pub mod search;
pub mod signals;

use poem::{IntoResponse, Response, http::StatusCode, web::Html};
use serde::Serialize;

use crate::{error::AppError, state::AppState};
pub use form::{Posted, read_form, read_form_as_sent};

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

/// Splits text into paragraphs for display; the template escapes each one.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}
