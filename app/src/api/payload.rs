//! `ApiJson<T>`: a JSON request body whose errors name the field at fault.
//!
//! poem-openapi's own `Json` reports a wrong field without saying which one; this payload
//! keeps the same schema in the spec but reads the body with serde and `serde_path_to_error`,
//! so a client learns "channel: unknown variant `fax`, expected one of …".

use poem::{Request, RequestBody};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
    payload::{ParsePayload, Payload},
    registry::{MetaMediaType, MetaRequest, MetaSchemaRef, Registry},
    types::Type,
};
use serde::de::DeserializeOwned;

use super::ApiProblem;
use crate::error::{AppError, FieldError};

/// The largest JSON body accepted.
pub const JSON_LIMIT: usize = 256 * 1024;

pub struct ApiJson<T>(pub T);

impl<T: Type> Payload for ApiJson<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn check_content_type(content_type: &str) -> bool {
        content_type.parse::<mime::Mime>().is_ok_and(|m| {
            m.type_() == "application"
                && (m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"))
        })
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Type + DeserializeOwned + Send> ParsePayload for ApiJson<T> {
    const IS_REQUIRED: bool = true;

    async fn from_request(_request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let bytes = body
            .take()?
            .into_bytes_limit(JSON_LIMIT)
            .await
            .map_err(|e| match e {
                poem::error::ReadBodyError::PayloadTooLarge => {
                    AppError::TooLarge { limit: JSON_LIMIT }
                }
                other => AppError::Malformed(format!("the body could not be read: {other}")),
            })
            .map_err(ApiProblem::from)?;
        parse(&bytes)
            .map(Self)
            .map_err(|e| ApiProblem::from(e).into())
    }
}

/// Reads JSON, naming the field at fault in every error.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::Malformed(
            "the body is empty; a JSON object was expected".to_owned(),
        ));
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(AppError::Malformed(
            "the body is not valid UTF-8".to_owned(),
        ));
    }
    // Syntax first, on its own: a body that is not JSON is a 400. Then the fields, from the
    // parsed value, so that every wrong type is a 422 naming its field.
    let document: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| AppError::Malformed(format!("the body is not valid JSON: {e}")))?;
    let value = serde_path_to_error::deserialize(document).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            let field = if path == "." {
                field.to_owned()
            } else {
                format!("{path}.{field}")
            };
            AppError::Invalid(vec![FieldError::new(field, "is required")])
        } else if let Some(field) = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
        {
            AppError::Invalid(vec![FieldError::new(field, message.clone())])
        } else {
            AppError::Invalid(vec![FieldError::new(path, message)])
        }
    })?;
    Ok(value)
}

impl<'a, T: Type + DeserializeOwned + Send> ApiExtractor<'a> for ApiJson<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        <Self as Payload>::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: <Self as Payload>::CONTENT_TYPE,
                schema: <Self as Payload>::schema_ref(),
            }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        match request.content_type() {
            Some(content_type) if Self::check_content_type(content_type) => {
                <Self as ParsePayload>::from_request(request, body).await
            }
            Some(content_type) => Err(ApiProblem::from(AppError::Malformed(format!(
                "the content type {content_type} is not supported; send application/json"
            )))
            .into()),
            None => Err(ApiProblem::from(AppError::Malformed(
                "the Content-Type header is missing; send application/json".to_owned(),
            ))
            .into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::parse;
    use crate::error::AppError;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only the parsing is under test")]
    struct Sample {
        title: String,
        count: u8,
    }

    fn fields(result: Result<Sample, AppError>) -> Vec<(String, String)> {
        match result {
            Err(AppError::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.reason)).collect()
            }
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_field_is_named() {
        assert_eq!(
            fields(parse(br#"{"count": 1}"#)),
            vec![("title".into(), "is required".into())]
        );
    }

    #[test]
    fn a_wrong_type_is_named() {
        let errors = fields(parse(br#"{"title": "x", "count": "many"}"#));
        assert_eq!(errors[0].0, "count");
    }

    #[test]
    fn an_unknown_field_is_named() {
        let errors = fields(parse(br#"{"title": "x", "count": 1, "lessons": ""}"#));
        assert_eq!(errors[0].0, "lessons");
    }

    #[test]
    fn broken_json_and_bad_bytes_are_malformed() {
        assert!(matches!(
            parse::<Sample>(b"{\"title\": "),
            Err(AppError::Malformed(_))
        ));
        assert!(matches!(
            parse::<Sample>(b"\xff\xfe"),
            Err(AppError::Malformed(_))
        ));
        assert!(matches!(parse::<Sample>(b""), Err(AppError::Malformed(_))));
    }
}
