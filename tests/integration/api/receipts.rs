//! What a reporter does with the receipt alone, through the API.

use kintsugi_tests::each_backend;
use poem::http::StatusCode;
use serde_json::json;

use crate::support::{json, post_json, submit};

#[tokio::test]
async fn the_receipt_shows_status_takes_detail_and_withdraws() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (report_ref, receipt) = submit(&app, "Wrong account").await?;

        let response = post_json(
            &app,
            "/api/v1/receipts/status",
            &json!({"receipt": receipt}),
        )
        .await;
        response.assert_status_is_ok();
        let status = json(response).await?;
        assert_eq!(status["ref"], report_ref.as_str());
        assert_eq!(status["status"], "submitted");
        assert_eq!(status["open"], true);

        // Typed as a person might: lower case, spaces instead of dashes.
        let typed = receipt.to_lowercase().replace('-', " ");
        let response = post_json(
            &app,
            "/api/v1/receipts/details",
            &json!({"receipt": typed, "detail": "It was the second time that week."}),
        )
        .await;
        response.assert_status_is_ok();
        let status = json(response).await?;
        assert_eq!(status["messages"][0]["author"], "reporter");
        assert_eq!(
            status["messages"][0]["body"],
            "It was the second time that week."
        );

        let response = post_json(
            &app,
            "/api/v1/receipts/withdraw",
            &json!({"receipt": receipt}),
        )
        .await;
        response.assert_status_is_ok();
        assert_eq!(json(response).await?["status"], "withdrawn");

        let again = post_json(
            &app,
            "/api/v1/receipts/withdraw",
            &json!({"receipt": receipt}),
        )
        .await;
        again.assert_status(StatusCode::CONFLICT);
        let late = post_json(
            &app,
            "/api/v1/receipts/details",
            &json!({"receipt": receipt, "detail": "more"}),
        )
        .await;
        late.assert_status(StatusCode::CONFLICT);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn unknown_and_malformed_receipts_get_the_same_404() -> anyhow::Result<()> {
    each_backend(async |app| {
        submit(&app, "a report that exists").await?;
        for receipt in ["AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG", "short", ""] {
            let response = post_json(
                &app,
                "/api/v1/receipts/status",
                &json!({"receipt": receipt}),
            )
            .await;
            response.assert_status(StatusCode::NOT_FOUND);
            assert_eq!(json(response).await?["error"], "unknown_receipt");
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_empty_detail_is_refused_by_field() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (_, receipt) = submit(&app, "Tone on social media").await?;
        let response = post_json(
            &app,
            "/api/v1/receipts/details",
            &json!({"receipt": receipt, "detail": "   "}),
        )
        .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(response).await?["fields"][0]["field"], "detail");
        Ok(())
    })
    .await
}
