//! Kintsugi: a blameless registry where staff log communication mistakes anonymously, so that
//! the whole organisation learns from them.
//!
//! The binary in `main.rs` parses the command line and calls into this library; the tests
//! build the very same endpoint with [`routes::endpoint`].

pub mod api;
pub mod auth;
pub mod cli;
pub mod codes;
pub mod config;
pub mod db;
pub mod error;
pub mod forms;
pub mod indexing;
pub mod metrics;
pub mod month;
pub mod net;
pub mod pages;
pub mod routes;
pub mod server;
pub mod services;
pub mod state;
pub mod telemetry;
pub mod templates;
pub mod text_checks;
pub mod vocabulary;

/// Runs `work` on the blocking pool, off the async executor: tantivy calls and password and
/// receipt hashing block a thread for as long as they take.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> error::Result<T> + Send + 'static,
) -> error::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| error::AppError::Internal(format!("blocking task: {e}")))?
}

/// Today's date in UTC: the only precision at which submissions are dated.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// A day written `YYYY-MM-DD`; the error names `field` and shows what was written.
pub fn parse_day(field: &str, text: &str) -> error::Result<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, format).map_err(|_| {
        error::AppError::invalid(
            field,
            format!(
                "'{}' is not a date: write YYYY-MM-DD",
                text.chars().take(40).collect::<String>()
            ),
        )
    })
}

/// The month of a date as `YYYY-MM`, the precision at which dates are shown to readers.
pub fn month_of(date: time::Date) -> String {
    month::YearMonth::of(date).to_string()
}
