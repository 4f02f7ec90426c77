//! Bad input to the API: always a 4xx with the field and the reason, never a 500.

use kintsugi_tests::{TestApp, each_backend, new_report};
use poem::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{json, submit};

async fn post_json(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    let response = app
        .client
        .post("/api/v1/reports")
        .body_json(body)
        .send()
        .await;
    let status = response.0.status();
    (status, json(response).await.unwrap_or(Value::Null))
}

fn fields(body: &Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["field"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn each_bad_field_is_named_with_a_reason() -> anyhow::Result<()> {
    each_backend(async |app| {
        let mut cases: Vec<(Value, &str)> = Vec::new();
        let mut missing_title = new_report("x");
        missing_title.as_object_mut().map(|o| o.remove("title"));
        cases.push((missing_title, "title"));
        cases.push((json!({"title": "t", "narrative": "n", "channel": "fax", "impact": "minor"}), "channel"));
        cases.push((json!({"title": "t", "narrative": "n", "channel": "email", "impact": 3}), "impact"));
        cases.push((json!({"title": "", "narrative": "n", "channel": "email", "impact": "minor"}), "title"));
        cases.push((json!({"title": "x".repeat(201), "narrative": "n", "channel": "email", "impact": "minor"}), "title"));
        cases.push((json!({"title": "t", "narrative": "n\u{0}n", "channel": "email", "impact": "minor"}), "narrative"));
        cases.push((json!({"title": "t", "narrative": "n", "channel": "email", "impact": "minor", "factors": ["blame"]}), "factors"));
        cases.push((json!({"title": "t", "narrative": "n", "channel": "email", "impact": "minor", "unit": "Nowhere"}), "unit"));
        cases.push((json!({"title": "t", "narrative": "n", "channel": "email", "impact": "minor", "occurred_on": "2999-01"}), "occurred_on"));
        cases.push((json!({"title": "t", "narrative": "n", "channel": "email", "impact": "minor", "lessons": "typo"}), "lessons"));
        for (body, field) in cases {
            let (status, answer) = post_json(&app, &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {answer}");
            assert_eq!(answer["error"], "invalid");
            assert!(fields(&answer).contains(&field.to_owned()), "{field} not named in {answer}");
            assert!(answer["fields"][0]["reason"].as_str().is_some_and(|r| !r.is_empty()));
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn unreadable_bodies_are_400_and_oversized_ones_413() -> anyhow::Result<()> {
    each_backend(async |app| {
        let raw = |body: Vec<u8>, content_type: &'static str| {
            app.client
                .post("/api/v1/reports")
                .content_type(content_type)
                .body(body)
                .send()
        };
        for (body, content_type) in [
            (b"{\"title\": ".to_vec(), "application/json"),
            (b"\xff\xfe\x00".to_vec(), "application/json"),
            (Vec::new(), "application/json"),
            (b"title=x".to_vec(), "application/x-www-form-urlencoded"),
        ] {
            let response = raw(body, content_type).await;
            response.assert_status(StatusCode::BAD_REQUEST);
            let answer = json(response).await?;
            assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        let mut huge = new_report("huge");
        huge["narrative"] = Value::String("a".repeat(300 * 1024));
        let response = raw(serde_json::to_vec(&huge)?, "application/json").await;
        response.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(json(response).await?["error"], "too_large");

        // Nothing stored is lost, and the service still answers.
        submit(&app, "after the bad requests").await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn unknown_api_routes_answer_in_the_same_json_shape() -> anyhow::Result<()> {
    each_backend(async |app| {
        let response = app.client.get("/api/v1/nothing-here").send().await;
        response.assert_status(StatusCode::NOT_FOUND);
        assert_eq!(json(response).await?["status"], 404);
        let response = app.client.delete("/api/v1/reports").send().await;
        assert!(response.0.status().is_client_error());
        Ok(())
    })
    .await
}
