//! HTML pages: thin handlers that call one service and render one template.

pub mod account;
pub mod admin;
mod choices;
pub mod digest;
pub mod feeds;
pub mod fields;
pub mod guidelines;
pub mod home;
mod lesson_view;
pub mod moderation;
pub mod patterns;
mod receipt_view;
mod receipt_wait;
pub mod receipts;
pub mod report_form;
pub mod reports;
pub mod search;
pub mod signals;
pub mod suggestions;
pub mod thesaurus;
pub mod trends;
pub mod units;

use poem::{IntoResponse, Response, http::StatusCode, web::Html};
use serde::Serialize;

pub use crate::forms::{Posted, read_form, read_form_as_sent};
use crate::{auth, error::AppError, state::AppState};

/// What a page handler answers: its page, or an error that the router shows as the error
/// page (`errors_as_html` in `routes.rs`). A field error shown beside the person's text is a
/// page like any other, not an error.
pub type PageResult = Result<Response, AppError>;

/// Renders a page with the given status, for whoever is signed in.
pub fn render<T: Serialize>(
    state: &AppState,
    template: &str,
    context: &T,
    status: StatusCode,
) -> PageResult {
    let html = render_html(state, template, context)?;
    Ok(Html(html).with_status(status).into_response())
}

fn render_html<T: Serialize>(
    state: &AppState,
    template: &str,
    context: &T,
) -> Result<String, AppError> {
    let viewer = auth::current();
    let csrf_token = viewer.csrf_token().unwrap_or_default();
    state
        .templates
        .render(template, context, viewer.account(), csrf_token)
}

#[derive(Serialize)]
struct ErrorPage {
    heading: &'static str,
    message: String,
}

/// The page for an error that has no better place to be shown, such as beside a field;
/// rendered by the router alone.
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
    match render_html(state, "pages/error", &context) {
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
