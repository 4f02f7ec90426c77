//! What the API answers is never kept by a cache: receipts and reporters' text pass there.

use kintsugi::services::accounts::Role;
use kintsugi_tests::{each_backend, new_report};
use poem::test::TestResponse;
use serde_json::json;

use crate::support::{json, post_json};

fn never_stored(response: &TestResponse, what: &str) {
    let value = response.0.headers().get("cache-control");
    assert_eq!(
        value.and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "{what}"
    );
}

#[tokio::test]
async fn receipts_and_reporters_text_are_answered_no_store() -> anyhow::Result<()> {
    each_backend(async |app| {
        let created = post_json(&app, "/api/v1/reports", &new_report("Cached?")).await;
        never_stored(&created, "the receipt on creation");
        let created = json(created).await?;
        let report_ref = created["ref"].as_str().unwrap_or_default().to_owned();
        let receipt = json!({"receipt": created["receipt"]});

        let status = post_json(&app, "/api/v1/receipts/status", &receipt).await;
        status.assert_status_is_ok();
        never_stored(&status, "the receipt's status");
        let detail = json!({"receipt": created["receipt"], "detail": "More."});
        let added = post_json(&app, "/api/v1/receipts/details", &detail).await;
        never_stored(&added, "a detail added");
        let unknown = json!({"receipt": "not-a-receipt"});
        let refused = post_json(&app, "/api/v1/receipts/status", &unknown).await;
        never_stored(&refused, "an error");

        let moderator = app.staff("a.moderator", Role::Moderator).await?;
        let view = app
            .client
            .get(format!("/api/v1/moderation/reports/{report_ref}"))
            .header("authorization", moderator.bearer())
            .send()
            .await;
        view.assert_status_is_ok();
        never_stored(&view, "the moderation view of the raw text");
        Ok(())
    })
    .await
}
