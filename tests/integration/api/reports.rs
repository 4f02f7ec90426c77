//! `POST /api/v1/reports` and `GET /api/v1/reports/{ref}`.

use kintsugi_tests::each_backend;
use poem::http::StatusCode;
use serde_json::json;

use crate::support::{json, post_json, published, submit};

#[tokio::test]
async fn a_report_is_logged_with_a_receipt_and_stays_private_until_published() -> anyhow::Result<()>
{
    each_backend(async |app| {
        let response = post_json(
            &app,
            "/api/v1/reports",
            &kintsugi_tests::new_report("Reply-all with a draft"),
        )
        .await;
        response.assert_status(StatusCode::CREATED);
        let body = json(response).await?;
        assert_eq!(body["status"], "submitted");
        let report_ref = body["ref"].as_str().unwrap_or_default();
        let receipt = body["receipt"].as_str().unwrap_or_default();
        assert_eq!(report_ref.len(), 10);
        assert_eq!(receipt.replace('-', "").len(), 28);

        // Submitted is not published: the same 404 as a report that does not exist.
        let response = app
            .client
            .get(format!("/api/v1/reports/{report_ref}"))
            .send()
            .await;
        response.assert_status(StatusCode::NOT_FOUND);
        assert_eq!(json(response).await?["error"], "not_found");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_published_report_reads_back_with_its_factors_and_month() -> anyhow::Result<()> {
    each_backend(async |app| {
        let report_ref = published(
            &app,
            &json!({
                "title": "Embargoed figures in the scheduled post",
                "narrative": "The post went out a day early.\n\nIt was caught within the hour.",
                "channel": "public_social",
                "impact": "moderate",
                "audience": "public",
                "factors": ["scheduled_publishing", "embargo_process"],
                "lesson": "Scheduling tools should show the embargo time next to the post.",
                "unit": "Tax Agency/Communications",
                "occurred_on": "2025-06-14",
                "tags": ["embargo"],
            }),
        )
        .await?;
        let response = app
            .client
            .get(format!("/api/v1/reports/{report_ref}"))
            .send()
            .await;
        response.assert_status_is_ok();
        let body = json(response).await?;
        assert_eq!(body["ref"], report_ref.as_str());
        assert_eq!(body["channel"], "public_social");
        assert_eq!(body["unit"], "Tax Agency/Communications");
        // The day is dropped: only the month is kept.
        assert_eq!(body["occurred_month"], "2025-06");
        let factors: Vec<&str> = body["factors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["slug"].as_str())
            .collect();
        assert_eq!(factors.len(), 2);
        assert!(factors.contains(&"embargo_process"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn refs_that_cannot_exist_are_plain_404s() -> anyhow::Result<()> {
    each_backend(async |app| {
        for path in [
            "/api/v1/reports/zzzzzzzzzz",
            "/api/v1/reports/..%2F..%2Fetc",
            "/api/v1/reports/'%20OR%201=1",
        ] {
            let response = app.client.get(path).send().await;
            response.assert_status(StatusCode::NOT_FOUND);
        }
        submit(&app, "still works afterwards").await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_spec_and_the_docs_are_served() -> anyhow::Result<()> {
    each_backend(async |app| {
        let response = app.client.get("/api/openapi.json").send().await;
        response.assert_status_is_ok();
        let spec = json(response).await?;
        let paths = spec["paths"]
            .as_object()
            .map(|p| p.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        for expected in [
            "/v1/reports",
            "/v1/reports/{ref}",
            "/v1/receipts/status",
            "/v1/receipts/details",
            "/v1/receipts/withdraw",
        ] {
            assert!(
                paths.iter().any(|p| p == expected),
                "{expected} missing from {paths:?}"
            );
        }
        assert!(spec["components"]["schemas"]["ErrorBody"].is_object());
        app.client
            .get("/api/docs")
            .send()
            .await
            .assert_status_is_ok();
        let health = app.client.get("/healthz").send().await;
        health.assert_status_is_ok();
        assert_eq!(json(health).await?["status"], "ok");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn factors_and_units_are_listed_for_clients() -> anyhow::Result<()> {
    each_backend(async |app| {
        let response = app.client.get("/api/v1/factors").send().await;
        response.assert_status_is_ok();
        let categories = json(response).await?;
        let categories = categories.as_array().cloned().unwrap_or_default();
        assert_eq!(categories.len(), 5, "five system categories");
        assert!(
            categories
                .iter()
                .all(|c| c["factors"].as_array().is_some_and(|f| !f.is_empty()))
        );

        published(
            &app,
            &json!({"title": "t", "narrative": "n", "unit": "City Council/Mayor's office"}),
        )
        .await?;
        let units = json(app.client.get("/api/v1/units").send().await).await?;
        let paths: Vec<&str> = units
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u["path"].as_str())
            .collect();
        assert_eq!(paths, vec!["City Council", "City Council/Mayor's office"]);
        Ok(())
    })
    .await
}
