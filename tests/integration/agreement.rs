//! The page and the API share every rule: each lives in its service, so that both refuse
//! what one refuses and both keep what one keeps.

use kintsugi::{
    error::AppError,
    services::{
        accounts::{self, Role},
        wording,
    },
};
use kintsugi_tests::each_backend;
use poem::http::StatusCode;
use serde_json::json;

use crate::{
    moderation::{moderate, moderation_view, report_with_a_phone_number},
    support::{json, post_json, text},
};

#[tokio::test]
async fn an_unknown_redaction_decision_is_refused_by_the_page_and_the_api() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let before = moderation_view(&app, &moderator, &report_ref).await?;
        let suggestion = &before["redactions"][0];
        let (field, id) = (
            suggestion["field"].as_str().unwrap_or_default(),
            suggestion["id"].as_str().unwrap_or_default(),
        );
        let path = format!("/moderation/{report_ref}/redactions");
        let page = moderate(
            &app,
            &moderator,
            &path,
            &[("field", field), ("id", id), ("decision", "maybe")],
        )
        .await;
        assert!(page.0.status().is_client_error(), "{}", page.0.status());
        let api = app
            .client
            .post(format!(
                "/api/v1/moderation/reports/{report_ref}/redactions"
            ))
            .header("authorization", moderator.bearer())
            .body_json(&json!({"field": field, "id": id, "decision": "maybe"}))
            .send()
            .await;
        api.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(api).await?["fields"][0]["field"], "decision");

        let after = moderation_view(&app, &moderator, &report_ref).await?;
        assert_eq!(after["published_draft"], before["published_draft"]);
        assert_eq!(
            after["redactions"], before["redactions"],
            "nothing was dismissed"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_admin_cannot_disable_their_own_account_anywhere() -> anyhow::Result<()> {
    each_backend(async |app| {
        let admin = app.staff("ad.min", Role::Admin).await?;
        let page = app
            .client
            .post("/admin/users/AD.min/disable")
            .header("cookie", &admin.cookie)
            .form(&[("csrf_token", admin.csrf.as_str())])
            .send()
            .await;
        page.assert_status(StatusCode::CONFLICT);
        assert!(
            text(page)
                .await?
                .contains("you cannot disable your own account")
        );
        let service = accounts::disable(&app.state.db, "ad.min", " ad.min ").await;
        assert!(matches!(service, Err(AppError::Conflict(_))), "{service:?}");
        app.client
            .get("/admin/users")
            .header("cookie", &admin.cookie)
            .send()
            .await
            .assert_status_is_ok();
        Ok(())
    })
    .await
}

#[tokio::test]
async fn wording_hints_have_one_limit_on_the_page_and_the_api() -> anyhow::Result<()> {
    each_backend(async |app| {
        let long = "word ".repeat(wording::MAX_TEXT / 5 + 1);
        let api = post_json(&app, "/api/v1/hints", &json!({ "text": long })).await;
        api.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let reason = json(api).await?["fields"][0]["reason"].clone();
        let limit = format!("is longer than {} characters", wording::MAX_TEXT);
        assert_eq!(reason, json!(limit));
        let page = app
            .client
            .post("/report")
            .form(&[
                ("title", "A long story"),
                ("narrative", long.as_str()),
                ("action", "check"),
            ])
            .send()
            .await;
        page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(page).await?;
        assert!(page.contains(&limit), "the page names the same limit");
        assert!(page.contains(&long), "the person's text comes back");

        let blame = "It was human error.";
        let api = post_json(&app, "/api/v1/hints", &json!({ "text": blame })).await;
        api.assert_status_is_ok();
        assert!(json(api).await?["hints"][0]["excerpt"].is_string());
        let page = app
            .client
            .post("/report")
            .form(&[
                ("title", "Sent early"),
                ("narrative", blame),
                ("action", "check"),
            ])
            .send()
            .await;
        page.assert_status_is_ok();
        assert!(text(page).await?.to_lowercase().contains("human error"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_draft_saved_without_tags_keeps_the_tags_it_had() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let path = format!("/moderation/{report_ref}/draft");
        let texts = [
            ("title", "Press list"),
            ("narrative", "The press list came first."),
        ];
        let mut form = texts.to_vec();
        form.push(("tags", "press-list menus"));
        moderate(&app, &moderator, &path, &form)
            .await
            .assert_status_is_ok();
        let api = app
            .client
            .post(format!("/api/v1/moderation/reports/{report_ref}/draft"))
            .header("authorization", moderator.bearer())
            .body_json(&json!({"title": "Press list", "narrative": "The press list, first."}))
            .send()
            .await;
        api.assert_status_is_ok();
        let view = json(api).await?;
        assert_eq!(
            view["published_draft"]["tags"],
            json!(["press-list", "menus"])
        );
        Ok(())
    })
    .await
}
