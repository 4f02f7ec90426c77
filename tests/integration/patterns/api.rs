//! `/api/v1/patterns`: lists with filters, one pattern, and status changes that stick.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend;
use poem::http::StatusCode;
use serde_json::json;

use super::{bcc_lines, collection, detect};
use crate::support::{import, json, number};

#[tokio::test]
async fn a_cross_unit_recurrence_is_listed_once_with_its_evidence() -> anyhow::Result<()> {
    each_backend(async |app| {
        collection(&app, &[0, 2, 4, 6, 7]).await?;
        let summary = detect(&app).await?;
        assert_eq!((summary.reports, summary.patterns, summary.new), (45, 1, 1));
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let listed = json(
            app.client
                .get("/api/v1/patterns")
                .header("authorization", owner.bearer())
                .send()
                .await,
        )
        .await?;
        let patterns = listed["patterns"].as_array().cloned().unwrap_or_default();
        assert_eq!(patterns.len(), 1, "{listed}");
        let pattern = &patterns[0];
        assert_eq!(pattern["kind"], "theme");
        assert_eq!(pattern["status"], "new");
        assert_eq!(pattern["units"], 5);
        assert_eq!(pattern["occurrences"], 5);
        assert_eq!(pattern["reports"].as_array().map(Vec::len), Some(5));
        assert!(
            pattern["explanation"]
                .as_str()
                .is_some_and(|e| e.starts_with("5 reports from 5 units since 2026-03 mention")),
            "{pattern}"
        );

        // Re-running changes nothing: no duplicate, same identity.
        let again = detect(&app).await?;
        assert_eq!((again.patterns, again.new), (1, 0));
        assert_eq!(number(&app, "SELECT COUNT(*) FROM patterns").await?, 1);

        let id = pattern["id"].as_i64().unwrap_or_default();
        let one = json(
            app.client
                .get(format!("/api/v1/patterns/{id}"))
                .header("authorization", owner.bearer())
                .send()
                .await,
        )
        .await?;
        assert_eq!(one["members"].as_array().map(Vec::len), Some(5), "{one}");
        assert!(
            one["members"][0]["matched"]
                .as_array()
                .is_some_and(|m| !m.is_empty())
        );
        assert_eq!(
            one["by_month"],
            json!([{"month": "2026-03", "occurrences": 5}])
        );

        for (query, expected) in [
            ("status=new", 1),
            ("status=dismissed", 0),
            ("kind=theme", 1),
            ("kind=factor", 0),
            ("unit=Ministry%20of%20Health", 1),
            ("unit=Ministry%20of%20Health/Policy", 0),
        ] {
            let body = json(
                app.client
                    .get(format!("/api/v1/patterns?{query}"))
                    .header("authorization", owner.bearer())
                    .send()
                    .await,
            )
            .await?;
            assert_eq!(
                body["patterns"].as_array().map(Vec::len),
                Some(expected),
                "{query}"
            );
        }
        let bad = app
            .client
            .get("/api/v1/patterns?status=forgotten")
            .header("authorization", owner.bearer())
            .send()
            .await;
        bad.assert_status(StatusCode::BAD_REQUEST);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_dismissed_pattern_stays_dismissed_until_it_grows_clearly() -> anyhow::Result<()> {
    each_backend(async |app| {
        collection(&app, &[0, 2, 4]).await?;
        detect(&app).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let id = number(&app, "SELECT CAST(id AS BIGINT) FROM patterns").await?;
        let status = |body: serde_json::Value| {
            app.client
                .post(format!("/api/v1/patterns/{id}/status"))
                .header("authorization", owner.bearer())
                .body_json(&body)
                .send()
        };
        let refused = status(json!({"status": "dismissed", "reason": "  "})).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let body = json(refused).await?;
        assert_eq!(body["fields"][0]["field"], "reason", "{body}");
        status(json!({"status": "regressed"}))
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);

        let dismissed = json(
            status(json!({"status": "dismissed", "reason": "the mail team already fixed the list tool"}))
                .await,
        )
        .await?;
        assert_eq!(dismissed["status"], "dismissed");
        assert_eq!(
            number(&app, "SELECT COUNT(*) FROM audit_events WHERE action = 'pattern.status'").await?,
            1
        );

        // One more occurrence is not growing clearly: it stays away.
        import(&app, &bcc_lines(&[6], 3), true).await?;
        detect(&app).await?;
        let kept = number(&app, "SELECT COUNT(*) FROM patterns WHERE status = 'dismissed'").await?;
        assert_eq!(kept, 1);

        // Three more on top of the three it had: it comes back as new.
        import(&app, &bcc_lines(&[7, 1], 4), true).await?;
        detect(&app).await?;
        assert_eq!(number(&app, "SELECT COUNT(*) FROM patterns").await?, 1);
        assert_eq!(
            number(&app, "SELECT COUNT(*) FROM patterns WHERE status = 'new' AND occurrences = 6").await?,
            1
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn unknown_patterns_and_local_ones_are_not_found_by_policy_owners() -> anyhow::Result<()> {
    each_backend(async |app| {
        // Four times in one unit: a local pattern, for moderators.
        collection(&app, &[3, 3, 3, 3]).await?;
        detect(&app).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let moderator = app.staff("moderator", Role::Moderator).await?;
        let list = async |who: &kintsugi_tests::Staff| {
            json(
                app.client
                    .get("/api/v1/patterns")
                    .header("authorization", who.bearer())
                    .send()
                    .await,
            )
            .await
        };
        assert_eq!(list(&owner).await?["patterns"], json!([]));
        let seen = list(&moderator).await?;
        assert_eq!(seen["patterns"][0]["kind"], "local", "{seen}");
        assert_eq!(seen["patterns"][0]["unit"], "Ministry of Health/Policy");
        let id = seen["patterns"][0]["id"].as_i64().unwrap_or_default();
        app.client
            .get(format!("/api/v1/patterns/{id}"))
            .header("authorization", owner.bearer())
            .send()
            .await
            .assert_status(StatusCode::NOT_FOUND);
        app.client
            .get("/api/v1/patterns/999999")
            .header("authorization", moderator.bearer())
            .send()
            .await
            .assert_status(StatusCode::NOT_FOUND);
        Ok(())
    })
    .await
}
