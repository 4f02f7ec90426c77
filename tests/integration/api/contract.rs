//! The public contract: the whole OpenAPI document under review, and answers that keep to it.

use kintsugi::services::accounts::Role;
use kintsugi_tests::{Backend, TestApp, each_backend};
use poem::http::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::support::{json, published, submit};

/// The whole `/api/openapi.json`, kept in `tests/snapshots/openapi.snap` (sorted keys, pretty
/// JSON), so that any change to the public API shows up in review as a diff of that file.
///
/// After a deliberate change, rewrite the snapshot with this one command and commit it:
///
/// ```sh
/// INSTA_UPDATE=always cargo test -p kintsugi-tests the_spec_is_the_reviewed_one
/// ```
#[tokio::test]
async fn the_spec_is_the_reviewed_one() -> anyhow::Result<()> {
    let app = TestApp::start_with_url(Backend::Sqlite, None).await?;
    let response = app.client.get("/api/openapi.json").send().await;
    response.assert_status_is_ok();
    let spec = json(response).await?;
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        sort_maps => true,
    }, {
        insta::assert_json_snapshot!("openapi", spec);
    });
    Ok(())
}

/// Every request body declares `additionalProperties: false`, and means it.
#[tokio::test]
async fn every_request_body_refuses_fields_it_does_not_know() -> anyhow::Result<()> {
    let app = TestApp::start_with_url(Backend::Sqlite, None).await?;
    let admin = app.staff("an.admin", Role::Admin).await?;
    let (report_ref, _) = submit(&app, "A report for every operation").await?;
    let spec = json(app.client.get("/api/openapi.json").send().await).await?;
    let mut bodies = 0;
    for (path, operations) in spec["paths"].as_object().into_iter().flatten() {
        for (method, operation) in operations.as_object().into_iter().flatten() {
            let Some(content) = operation["requestBody"]["content"].as_object() else {
                continue;
            };
            for media in content.values() {
                let name = media["schema"]["$ref"].as_str().unwrap_or_default();
                let name = name.trim_start_matches("#/components/schemas/");
                let schema = &spec["components"]["schemas"][name];
                assert_eq!(schema["additionalProperties"], false, "{method} {path}");
            }
            let mut uri = format!("/api{path}");
            for (param, value) in [
                ("{ref}", report_ref.as_str()),
                ("{slug}", "email"),
                ("{anchor}", "use-bcc-for-external-lists"),
                ("{number}", "1"),
                ("{id}", "1"),
            ] {
                uri = uri.replace(param, value);
            }
            let method: Method = method.to_uppercase().parse()?;
            let response = app
                .client
                .request(method.clone(), uri)
                .header(header::AUTHORIZATION, admin.bearer())
                .body_json(&json!({"not_a_field": true}))
                .send()
                .await;
            response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            let body = json(response).await?;
            assert_eq!(body["fields"][0]["field"], "not_a_field", "{method} {path}");
            bodies += 1;
        }
    }
    assert!(bodies > 10, "only {bodies} request bodies found");
    Ok(())
}

/// A field with no value is left out, never `null`: the spec types each field, and a client
/// generated from it treats a field that is not required as one that may be absent.
#[tokio::test]
async fn optional_fields_without_a_value_are_left_out() -> anyhow::Result<()> {
    each_backend(async |app| {
        let report_ref = published(
            &app,
            &json!({"title": "Only the required fields", "narrative": "Nothing else was said."}),
        )
        .await?;
        let report = json(
            app.client
                .get(format!("/api/v1/reports/{report_ref}"))
                .send()
                .await,
        )
        .await?;
        for absent in ["unit", "occurred_month", "source_url", "channel", "impact"] {
            assert!(report.get(absent).is_none(), "{absent} in {report}");
        }
        assert_no_nulls(&report);

        let moderator = app.staff("a.moderator", Role::Moderator).await?;
        let (submitted, _) = submit(&app, "Waiting for a moderator").await?;
        let view = json(
            app.client
                .get(format!("/api/v1/moderation/reports/{submitted}"))
                .header(header::AUTHORIZATION, moderator.bearer())
                .send()
                .await,
        )
        .await?;
        assert_eq!(view["ref"], submitted.as_str());
        assert!(view.get("merged_into").is_none(), "{view}");
        assert_no_nulls(&view);
        Ok(())
    })
    .await
}

fn assert_no_nulls(value: &Value) {
    match value {
        Value::Null => panic!("a null in the answer"),
        Value::Array(items) => items.iter().for_each(assert_no_nulls),
        Value::Object(fields) => fields.values().for_each(assert_no_nulls),
        _ => {}
    }
}

/// A method a path does not answer: 405 in the API's JSON shape, with the methods it does.
#[tokio::test]
async fn a_wrong_method_says_which_methods_the_path_answers() -> anyhow::Result<()> {
    let app = TestApp::start_with_url(Backend::Sqlite, None).await?;
    for (method, path, allow) in [
        (Method::DELETE, "/api/v1/reports/abcdefghij", "GET, HEAD"),
        (Method::TRACE, "/api/v1/reports", "POST"),
        (Method::PUT, "/api/v1/search", "GET, HEAD"),
    ] {
        let response = app.client.request(method.clone(), path).send().await;
        response.assert_status(StatusCode::METHOD_NOT_ALLOWED);
        response.assert_header(header::ALLOW, allow);
        assert_eq!(
            json(response).await?["error"],
            "method_not_allowed",
            "{method} {path}"
        );
    }
    Ok(())
}

/// A parameter past a limit the spec declares is refused like any unacceptable value: 422,
/// named, with the limit in words.
#[tokio::test]
async fn declared_parameter_limits_are_named_422s() -> anyhow::Result<()> {
    let app = TestApp::start_with_url(Backend::Sqlite, None).await?;
    let admin = app.staff("an.admin", Role::Admin).await?;
    for (uri, field, reason) in [
        ("/api/v1/search?limit=101", "limit", "must be at most 100"),
        ("/api/v1/search?limit=0", "limit", "must be at least 1"),
        ("/api/v1/audit?limit=1001", "limit", "must be at most 1000"),
    ] {
        let response = app
            .client
            .get(uri)
            .header(header::AUTHORIZATION, admin.bearer())
            .send()
            .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let body = json(response).await?;
        assert_eq!(body["error"], "invalid", "{uri}");
        assert_eq!(body["fields"][0]["field"], field, "{uri}");
        assert_eq!(body["fields"][0]["reason"], reason, "{uri}");
    }
    let long = "x".repeat(1001);
    let response = app
        .client
        .get(format!("/api/v1/search?q={long}"))
        .header(header::AUTHORIZATION, admin.bearer())
        .send()
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    Ok(())
}
