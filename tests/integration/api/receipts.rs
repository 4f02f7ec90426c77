//! What a reporter does with the receipt alone, through the API.

use kintsugi::{codes::ReceiptCode, config::ReadAccess};
use kintsugi_tests::{each_backend, each_backend_with};
use poem::http::{StatusCode, header};
use serde_json::json;

use crate::support::{client_from, json, post_json, submit};

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

/// Guessing receipt codes costs an argon2id hash each: past the budget of one address the
/// answer is 429 with `Retry-After`, while codes that find their report are not counted.
#[tokio::test]
async fn guessing_receipts_is_throttled_per_address() -> anyhow::Result<()> {
    let configure = |config: &mut kintsugi::config::Config| {
        config.access.read_access = ReadAccess::Open;
        config.access.receipt_tries_per_hour = 3;
    };
    each_backend_with(configure, async |app| {
        let (report_ref, receipt) = submit(&app, "Guessed at").await?;
        let guesser = client_from(&app, [198, 51, 100, 7].into());
        let status_of = async |client: &poem::test::TestClient<_>, code: &str| {
            client
                .post("/api/v1/receipts/status")
                .body_json(&json!({"receipt": code}))
                .send()
                .await
        };
        for _ in 0..3 {
            let guess = ReceiptCode::generate().display();
            status_of(&guesser, &guess)
                .await
                .assert_status(StatusCode::NOT_FOUND);
        }
        let refused = status_of(&guesser, &receipt).await;
        refused.assert_status(StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = refused
            .0
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("no Retry-After in seconds"))?;
        assert!((1..=3600).contains(&wait), "Retry-After: {wait}");
        let body = json(refused).await?;
        assert_eq!(body["error"], "too_many_attempts");
        assert_eq!(body["status"], 429);

        // Every receipt action shares the budget.
        let detail = guesser
            .post("/api/v1/receipts/details")
            .body_json(&json!({"receipt": receipt, "detail": "more"}))
            .send()
            .await;
        detail.assert_status(StatusCode::TOO_MANY_REQUESTS);

        let reporter = client_from(&app, [198, 51, 100, 8].into());
        for _ in 0..5 {
            let found = status_of(&reporter, &receipt).await;
            found.assert_status_is_ok();
            assert_eq!(json(found).await?["ref"], report_ref.as_str());
        }
        Ok(())
    })
    .await
}

/// More lookups at once than receipts may be hashed at once: each waits its turn and finds
/// its own report, and no more hashes ran together than the cap allows.
#[tokio::test]
async fn concurrent_receipt_lookups_above_the_cap_all_complete() -> anyhow::Result<()> {
    each_backend(async |app| {
        let capacity = app.state.receipts.capacity();
        let mut reports = Vec::new();
        for n in 0..capacity * 3 + 2 {
            reports.push(submit(&app, &format!("looked up at once {n}")).await?);
        }
        let mut lookups = tokio::task::JoinSet::new();
        for (n, (report_ref, receipt)) in reports.into_iter().enumerate() {
            let client = client_from(&app, [192, 0, 2, n as u8].into());
            lookups.spawn(async move {
                let response = client
                    .post("/api/v1/receipts/status")
                    .body_json(&json!({"receipt": receipt}))
                    .send()
                    .await;
                response.assert_status_is_ok();
                let found = json(response).await?;
                anyhow::ensure!(found["ref"] == report_ref.as_str(), "{found}");
                Ok(())
            });
        }
        while let Some(done) = lookups.join_next().await {
            done??;
        }
        let busiest = app.state.receipts.busiest();
        assert!(
            (1..=capacity).contains(&busiest),
            "{busiest} hashes ran at once; the cap is {capacity}"
        );
        Ok(())
    })
    .await
}
