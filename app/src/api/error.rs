//! The one JSON shape of every API error, declared in the spec.

use poem::{
    Endpoint, IntoResponse, PathPattern, Request, Response,
    error::ResponseError,
    http::{StatusCode, header},
};
use poem_openapi::{
    ApiResponse, Object,
    payload::Json,
    registry::{MetaHeader, MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::Type,
};

use super::refusals::{allowed_methods, unacceptable_parameter, unreadable_parameter};
use crate::error::AppError;

/// A problem with one field of the request.
#[derive(Clone, Debug, Object)]
pub struct FieldProblem {
    /// The field, as named in the request.
    pub field: String,
    /// What is wrong with it, in words a person can act on.
    pub reason: String,
}

/// Every API error has this shape.
#[derive(Clone, Debug, Object)]
pub struct ErrorBody {
    /// The HTTP status, repeated for convenience.
    pub status: u16,
    /// A stable machine-readable code: `malformed`, `invalid`, `too_large`, `not_found`,
    /// `unknown_receipt`, `conflict`, `unauthenticated`, `forbidden`, `too_many_attempts`,
    /// `unsupported_media_type`, `method_not_allowed` or `internal`.
    pub error: String,
    /// A message for people.
    pub message: String,
    /// The fields at fault, when the request was readable but not acceptable.
    pub fields: Vec<FieldProblem>,
}

/// An API error: converts from [`AppError`] and answers with an [`ErrorBody`].
#[derive(Debug, thiserror::Error)]
#[error("{}", .body.message)]
pub struct ApiProblem {
    pub body: ErrorBody,
    /// Seconds to wait before trying again, sent as `Retry-After` with a 429.
    pub retry_after: Option<u64>,
}

impl ApiProblem {
    fn new(status: StatusCode, error: &str, message: String) -> Self {
        Self {
            body: ErrorBody {
                status: status.as_u16(),
                error: error.to_owned(),
                message,
                fields: Vec::new(),
            },
            retry_after: None,
        }
    }
}

impl From<AppError> for ApiProblem {
    fn from(error: AppError) -> Self {
        let code = match &error {
            AppError::Malformed(_) => "malformed",
            AppError::Invalid(_) => "invalid",
            AppError::TooLarge { .. } => "too_large",
            AppError::NotFound(_) => "not_found",
            AppError::MethodNotAllowed(_) => "method_not_allowed",
            AppError::UnknownReceipt => "unknown_receipt",
            AppError::Conflict(_) => "conflict",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::CsrfRejected => "csrf",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Database(_) | AppError::Internal(_) => "internal",
        };
        let mut problem = Self::new(error.status(), code, error.public_message());
        if let AppError::TooManyAttempts { retry_after } = error {
            problem.retry_after = Some(retry_after);
        }
        problem.body.fields = error
            .field_errors()
            .iter()
            .map(|e| FieldProblem {
                field: e.field.clone(),
                reason: e.reason.clone(),
            })
            .collect();
        problem
    }
}

impl ResponseError for ApiProblem {
    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.body.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn as_response(&self) -> Response {
        let mut response = Json(self.body.clone())
            .into_response()
            .with_status(self.status())
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl IntoResponse for ApiProblem {
    fn into_response(self) -> Response {
        self.as_response()
    }
}

impl ApiResponse for ApiProblem {
    fn meta() -> MetaResponses {
        let documented = [
            (
                400,
                "The request could not be read: malformed JSON, not UTF-8, or a wrong content type.",
            ),
            (
                401,
                "A bearer token is needed: `Authorization: Bearer TOKEN`.",
            ),
            (
                403,
                "The token's account does not have the role this needs.",
            ),
            (
                404,
                "No such published report, or the receipt code is not recognised.",
            ),
            (409, "The action does not fit the report's current state."),
            (413, "The request body is too large."),
            (429, "Too many attempts in a short time; try again later."),
            (
                422,
                "The request was read, but fields are missing or wrong; `fields` says which.",
            ),
            (
                500,
                "Something failed on the server; nothing sent was stored.",
            ),
        ];
        MetaResponses {
            responses: documented
                .into_iter()
                .map(|(status, description)| MetaResponse {
                    description,
                    status: Some(status),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: "application/json; charset=utf-8",
                        schema: ErrorBody::schema_ref(),
                    }],
                    headers: if status == 429 {
                        vec![MetaHeader {
                            name: "Retry-After".to_owned(),
                            description: Some("Seconds to wait before trying again.".to_owned()),
                            required: true,
                            deprecated: false,
                            schema: u64::schema_ref(),
                        }]
                    } else {
                        vec![]
                    },
                })
                .collect(),
        }
    }

    fn register(registry: &mut Registry) {
        ErrorBody::register(registry);
    }
}

/// Middleware for the API: errors raised outside the operations (unknown routes, wrong
/// methods, unreadable or unacceptable parameters) get the same JSON shape as the operations'
/// own.
pub async fn api_errors_as_json<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    match next.call(req).await {
        Ok(response) => Ok(response.into_response()),
        Err(error) if error.is::<ApiProblem>() => Ok(error.into_response()),
        Err(error) => {
            let pattern = error.data::<PathPattern>().cloned();
            let mut response = refusal(error, pattern.as_ref()).into_response();
            // The access log names the route matched, if any, rather than the path.
            if let Some(pattern) = pattern {
                response.set_data(pattern);
            }
            Ok(response)
        }
    }
}

/// The answer to an error raised outside the operations: a declared limit broken is a 422
/// like any unacceptable value; anything else by its status.
fn refusal(error: poem::Error, pattern: Option<&PathPattern>) -> Response {
    if let Some(field) = unacceptable_parameter(&error) {
        return ApiProblem::from(AppError::Invalid(vec![field])).into_response();
    }
    let status = error.status();
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        s if s.is_server_error() => "internal",
        _ => "malformed",
    };
    let message = if status.is_server_error() {
        tracing::error!(%error, "API request failed");
        "something went wrong on our side".to_owned()
    } else {
        error.to_string()
    };
    let mut problem = ApiProblem::new(status, code, message);
    problem.body.fields.extend(unreadable_parameter(&error));
    let mut response = problem.into_response();
    // A 405 says which methods the path does answer, as HTTP asks.
    let allow = pattern.filter(|_| status == StatusCode::METHOD_NOT_ALLOWED);
    if let Some(methods) = allow.and_then(|p| allowed_methods(&p.0))
        && let Ok(methods) = header::HeaderValue::from_str(&methods)
    {
        response.headers_mut().insert(header::ALLOW, methods);
    }
    response
}
