//! `/api/v1/suggestions`: the list and its filters, one suggestion, the three decisions with
//! their refusals, and the audit log.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend;
use poem::http::StatusCode;
use serde_json::json;

use super::{COVERING, drafted};
use crate::support::{json, number};

#[tokio::test]
async fn policy_owners_list_read_and_decide_suggestions() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let owner = app.staff("po.one", Role::PolicyOwner).await?;
        let get = |path: String| {
            app.client
                .get(path)
                .header("authorization", owner.bearer())
                .send()
        };
        let listed = json(get("/api/v1/suggestions".to_owned()).await).await?;
        let all = listed["suggestions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(all.len(), 1, "{listed}");
        let s = &all[0];
        assert_eq!(s["kind"], "reinforce");
        assert_eq!(s["guideline"], "email");
        assert_eq!(s["section"], COVERING.0);
        assert_eq!(s["status"], "open");
        for key in ["id", "pattern_id", "reason", "proposed_text", "score"] {
            assert!(!s[key].is_null(), "{key} in {s}");
        }
        for (query, expected) in [
            ("status=open", 1),
            ("status=accepted", 0),
            ("guideline=email", 1),
            ("guideline=press", 0),
        ] {
            let body = json(get(format!("/api/v1/suggestions?{query}")).await).await?;
            assert_eq!(
                body["suggestions"].as_array().map(Vec::len),
                Some(expected),
                "{query}"
            );
        }
        let bad = get("/api/v1/suggestions?status=maybe".to_owned()).await;
        bad.assert_status(StatusCode::BAD_REQUEST);

        let id = s["id"].as_i64().unwrap_or_default();
        let one = json(get(format!("/api/v1/suggestions/{id}")).await).await?;
        assert_eq!(one["current_text"], COVERING.2);
        get("/api/v1/suggestions/99999".to_owned())
            .await
            .assert_status(StatusCode::NOT_FOUND);

        let post = |path: String, body: serde_json::Value| {
            app.client
                .post(path)
                .header("authorization", owner.bearer())
                .body_json(&body)
                .send()
        };
        let refused = post(
            format!("/api/v1/suggestions/{id}/accept"),
            json!({"text": "New text", "rationale": " "}),
        )
        .await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(refused).await?["fields"][0]["field"], "rationale");
        let refused = post(
            format!("/api/v1/suggestions/{id}/defer"),
            json!({"until": "next week"}),
        )
        .await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(refused).await?["fields"][0]["field"], "until");
        let refused = post(
            format!("/api/v1/suggestions/{id}/accept"),
            json!({"text": COVERING.2, "rationale": "Nothing changes"}),
        )
        .await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(refused).await?["fields"][0]["field"], "text");

        let accepted = post(
            format!("/api/v1/suggestions/{id}/accept"),
            json!({
                "text": format!("{}\n\nCheck Bcc before sending.", COVERING.2),
                "rationale": "Five units",
                "effective_from": "2026-05-01"
            }),
        )
        .await;
        accepted.assert_status_is_ok();
        let accepted = json(accepted).await?;
        assert_eq!(accepted["status"], "accepted");
        assert_eq!(accepted["decision"]["by"], "po.one");
        assert_eq!(accepted["decision"]["effective_from"], "2026-05-01");
        let conflict = post(
            format!("/api/v1/suggestions/{id}/reject"),
            json!({"rationale": "Too late"}),
        )
        .await;
        conflict.assert_status(StatusCode::CONFLICT);
        assert_eq!(
            number(
                &app,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'suggestion.accept'"
            )
            .await?,
            1
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn moderators_and_readers_cannot_see_suggestions() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        for role in [Role::Reader, Role::Moderator] {
            let staff = app.staff(&format!("s.{}", role.slug()), role).await?;
            let response = app
                .client
                .get("/api/v1/suggestions")
                .header("authorization", staff.bearer())
                .send()
                .await;
            response.assert_status(StatusCode::FORBIDDEN);
        }
        Ok(())
    })
    .await
}
