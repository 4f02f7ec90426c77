//! The one error type of the app, and the single place that decides its HTTP status.

use poem::{
    IntoResponse, Response,
    error::ResponseError,
    http::{Method, StatusCode},
};
use sea_orm::DbErr;

/// A problem with one named field of the input, in words the person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input could not be read at all (malformed JSON, not UTF-8, wrong content type).
    #[error("{0}")]
    Malformed(String),
    /// The input was read, but fields are missing or wrong.
    #[error("{}", describe(.0))]
    Invalid(Vec<FieldError>),
    #[error("the request body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The address exists but does not answer this method.
    #[error("this address does not answer {0} requests")]
    MethodNotAllowed(Method),
    /// The receipt code matches no report. Deliberately the same answer whether the code is
    /// malformed or merely unknown.
    #[error("this receipt code is not recognised")]
    UnknownReceipt,
    /// The request needs a signed-in account (or an API token) and has none.
    #[error("sign in to see this page")]
    Unauthenticated,
    /// The account is signed in but its role does not allow this.
    #[error("your role does not allow this: it needs {0}")]
    Forbidden(&'static str),
    /// A form arrived without proof that it came from this site's own page.
    #[error(
        "this form has expired or did not come from this site; reload the page and send it again"
    )]
    CsrfRejected,
    /// Too many attempts in a short time; try again after the given number of seconds.
    #[error("too many attempts; try again in {retry_after} seconds")]
    TooManyAttempts { retry_after: u64 },
    /// The action does not fit the report's current state.
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, reason)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Malformed(_) => StatusCode::BAD_REQUEST,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotFound(_) | Self::UnknownReceipt => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::CsrfRejected => StatusCode::FORBIDDEN,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a client may see. Server-side causes stay in the log, logged once here.
    pub fn public_message(&self) -> String {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
            "something went wrong on our side; nothing you sent was lost, please try again"
                .to_owned()
        } else {
            self.to_string()
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

/// The index is a derived view: a busy writer is a conflict to retry, anything else is ours.
impl From<search::Error> for AppError {
    fn from(error: search::Error) -> Self {
        match error {
            search::Error::Locked => AppError::Conflict(error.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Lets page handlers return `Result<Response, AppError>` and use `?`: the error travels as
/// a `poem::Error` to the router, which renders the error page for every page in one place.
impl ResponseError for AppError {
    fn status(&self) -> StatusCode {
        AppError::status(self)
    }

    /// Only reached if an error slips past the router's error page: still no internal text.
    fn as_response(&self) -> Response {
        self.public_message()
            .with_status(AppError::status(self))
            .into_response()
    }
}
