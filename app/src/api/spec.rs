//! The OpenAPI document as served at `/api/openapi.json`.

use poem::{Endpoint, Response, endpoint::make_sync};
use poem_openapi::OpenApiService;
use serde_json::Value;

use super::Api;

/// poem-openapi's document, with the one thing it cannot say: a request body refuses fields
/// it does not know (`additionalProperties: false`), because [`super::ApiJson`] reads every
/// body into a type that denies unknown fields, so that a misspelt field is never lost.
pub fn document(service: &OpenApiService<Api, ()>) -> Value {
    let mut spec: Value =
        serde_json::from_str(&service.spec()).expect("poem-openapi writes its spec as JSON");
    let bodies: Vec<String> = spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|operations| operations.values())
        .filter_map(|operation| operation["requestBody"]["content"].as_object())
        .flat_map(|content| content.values())
        .filter_map(|media| media["schema"]["$ref"].as_str())
        .filter_map(|reference| reference.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .collect();
    for name in bodies {
        if let Some(Value::Object(schema)) =
            spec.pointer_mut(&format!("/components/schemas/{name}"))
        {
            schema.insert("additionalProperties".to_owned(), Value::Bool(false));
        }
    }
    spec
}

/// Serves [`document`], computed once.
pub fn endpoint(service: &OpenApiService<Api, ()>) -> impl Endpoint + 'static {
    let spec = document(service).to_string();
    make_sync(move |_| {
        Response::builder()
            .content_type("application/json")
            .body(spec.clone())
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::services::{reports, search, wording};

    fn property(spec: &Value, schema: &str, field: &str) -> Value {
        spec["components"]["schemas"][schema]["properties"][field].clone()
    }

    #[test]
    fn request_bodies_refuse_unknown_fields() {
        let spec = super::document(&super::super::service());
        for schema in [
            "NewReport",
            "ReceiptRequest",
            "DraftRequest",
            "HintsRequest",
        ] {
            assert_eq!(
                spec["components"]["schemas"][schema]["additionalProperties"],
                Value::Bool(false),
                "{schema}"
            );
        }
        assert!(
            spec["components"]["schemas"]["Report"]["additionalProperties"].is_null(),
            "answers may grow new fields"
        );
    }

    /// The limits the spec declares are the ones the services enforce.
    #[test]
    fn declared_limits_are_the_enforced_ones() {
        let spec = super::document(&super::super::service());
        let limit = |schema: &str, field: &str, key: &str| {
            property(&spec, schema, field)[key]
                .as_u64()
                .or_else(|| property(&spec, schema, field)["items"][key].as_u64())
                .and_then(|n| usize::try_from(n).ok())
        };
        for (schema, field, key, enforced) in [
            ("NewReport", "title", "maxLength", reports::MAX_TITLE),
            (
                "NewReport",
                "narrative",
                "maxLength",
                reports::MAX_NARRATIVE,
            ),
            ("NewReport", "what_helped", "maxLength", reports::MAX_TEXT),
            ("NewReport", "lesson", "maxLength", reports::MAX_TEXT),
            ("NewReport", "unit", "maxLength", reports::MAX_UNIT_PATH),
            ("NewReport", "factors", "maxItems", reports::MAX_FACTORS),
            ("NewReport", "tags", "maxItems", reports::MAX_TAGS),
            ("NewReport", "tags", "maxLength", reports::MAX_TAG),
            ("DraftRequest", "title", "maxLength", reports::MAX_TITLE),
            ("DraftRequest", "tags", "maxItems", reports::MAX_TAGS),
            ("DraftRequest", "tags", "maxLength", reports::MAX_TAG),
            ("DetailRequest", "detail", "maxLength", reports::MAX_TEXT),
            ("ReviewRequest", "comment", "maxLength", reports::MAX_TEXT),
            ("HintsRequest", "text", "maxLength", wording::MAX_TEXT),
        ] {
            assert_eq!(
                limit(schema, field, key),
                Some(enforced),
                "{schema}.{field}"
            );
        }
        let search = &spec["paths"]["/v1/search"]["get"]["parameters"];
        let parameter = |name: &str| {
            search
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"] == name)
                .map(|p| p["schema"].clone())
                .unwrap_or_default()
        };
        assert_eq!(parameter("limit")["maximum"], search::MAX_LIMIT as f64);
        assert_eq!(parameter("offset")["maximum"], search::MAX_OFFSET as f64);
        assert_eq!(parameter("q")["maxLength"], search::MAX_QUERY);
    }
}
