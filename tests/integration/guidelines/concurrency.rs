//! Policy owners changing one guideline at the same moment: every change answered, every
//! change one revision, no two revisions with the same number.

use futures_util::future::join_all;
use kintsugi::services::{accounts::Role, guidelines};
use kintsugi_tests::each_backend;
use poem::http::StatusCode;
use serde_json::json;

use crate::support::text;

/// How many changes arrive at once.
const WRITERS: usize = 8;

#[tokio::test]
async fn simultaneous_changes_of_one_guideline_get_distinct_revision_numbers() -> anyhow::Result<()>
{
    each_backend(async |app| {
        let app = &app;
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let owner = &owner;
        app.client
            .post("/api/v1/guidelines")
            .header("authorization", owner.bearer())
            .body_json(&json!({"title": "Email", "rationale": "Start."}))
            .send()
            .await
            .assert_status(StatusCode::CREATED);
        // Half add sections, half edit the same one, all at once.
        let writes = (0..WRITERS).map(|n| async move {
            let anchor = if n % 2 == 0 {
                format!("rule-{n}")
            } else {
                "shared".to_owned()
            };
            let body = json!({
                "heading": format!("Rule {n}"),
                "markdown": format!("Text written by writer {n}."),
                "rationale": format!("Change {n}."),
            });
            let response = app
                .client
                .put(format!("/api/v1/guidelines/email/sections/{anchor}"))
                .header("authorization", owner.bearer())
                .body_json(&body)
                .send()
                .await;
            let status = response.0.status();
            let answer = text(response).await?;
            anyhow::ensure!(status.is_success(), "{status}: {answer}");
            anyhow::Ok(())
        });
        for outcome in join_all(writes).await {
            outcome?;
        }
        let history = guidelines::revisions(&app.state.db, "email").await?;
        let mut numbers: Vec<i32> = history.iter().map(|r| r.number).collect();
        numbers.sort_unstable();
        let expected: Vec<i32> = (1..=i32::try_from(WRITERS + 1)?).collect();
        assert_eq!(
            numbers, expected,
            "one revision per change, numbered without gaps"
        );
        let view = guidelines::get(&app.state.db, "email").await?;
        assert_eq!(view.revision, i32::try_from(WRITERS + 1)?);
        assert_eq!(view.sections.len(), WRITERS / 2 + 1);
        // Each revision's snapshot holds what its change wrote: the last one holds them all.
        let last = guidelines::revision(&app.state.db, "email", view.revision).await?;
        assert_eq!(last.snapshot.current().count(), WRITERS / 2 + 1);
        Ok(())
    })
    .await
}
