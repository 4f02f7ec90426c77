//! The moderation API's edges: correcting what a report is about with the draft, and refs
//! that cannot name a report.

use kintsugi::services::accounts::Role;
use kintsugi_tests::{Staff, TestApp, each_backend};
use poem::http::StatusCode;
use serde_json::{Value, json};

use crate::{
    moderation::{moderation_view, report_with_a_phone_number},
    support::{json, published, rows},
};

async fn save_draft(
    app: &TestApp,
    moderator: &Staff,
    report_ref: &str,
    extra: Value,
) -> poem::test::TestResponse {
    let mut body = json!({
        "title": "Invitation sent to the press list",
        "narrative": "I picked the press list.",
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    app.client
        .post(format!("/api/v1/moderation/reports/{report_ref}/draft"))
        .header("authorization", moderator.bearer())
        .body_json(&body)
        .send()
        .await
}

/// The fields a refusal names.
async fn refused_fields(response: poem::test::TestResponse) -> anyhow::Result<Vec<String>> {
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(response).await?;
    Ok(body["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["field"].as_str().map(str::to_owned))
        .collect())
}

#[tokio::test]
async fn the_draft_corrects_channel_impact_and_factors_as_the_page_does() -> anyhow::Result<()> {
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (report_ref, _) = report_with_a_phone_number(&app).await?;

        let all = json!({
            "channel": "meeting",
            "impact": "serious",
            "factors": ["time_pressure", "unclear_approval"],
        });
        let saved = save_draft(&app, &moderator, &report_ref, all).await;
        saved.assert_status_is_ok();
        let view = json(saved).await?;
        assert_eq!(view["channel"], "meeting");
        assert_eq!(view["impact"], "serious");
        assert_eq!(
            view["factors"],
            json!(["Time pressure", "Unclear approval"])
        );

        // One part alone; what is left out stays.
        save_draft(&app, &moderator, &report_ref, json!({"impact": "minor"}))
            .await
            .assert_status_is_ok();
        let view = moderation_view(&app, &moderator, &report_ref).await?;
        assert_eq!(
            (&view["channel"], &view["impact"], &view["factors"]),
            (
                &json!("meeting"),
                &json!("minor"),
                &json!(["Time pressure", "Unclear approval"])
            )
        );

        // Each unknown value is named, beside the texts' problems, and nothing is stored.
        for (extra, field) in [
            (json!({"channel": "fax"}), "channel"),
            (json!({"impact": "huge"}), "impact"),
            (json!({"factors": ["careless_person"]}), "factors"),
            (json!({"channel": null}), "channel"),
        ] {
            let refused = save_draft(&app, &moderator, &report_ref, extra.clone()).await;
            assert_eq!(refused_fields(refused).await?, [field], "{extra}");
        }
        let blank_title = json!({"title": " ", "factors": ["careless_person"]});
        let refused = save_draft(&app, &moderator, &report_ref, blank_title).await;
        assert_eq!(refused_fields(refused).await?, ["title", "factors"]);
        let unchanged = moderation_view(&app, &moderator, &report_ref).await?;
        assert_eq!(unchanged["impact"], "minor");
        assert_eq!(
            unchanged["factors"],
            json!(["Time pressure", "Unclear approval"])
        );

        let audit = rows(
            &app,
            "SELECT actor FROM audit_events WHERE action = 'report.classify' ORDER BY id",
        )
        .await?;
        let actors = audit
            .iter()
            .map(|row| row.try_get::<String>("", "actor"))
            .collect::<Result<Vec<_>, _>>()?;
        assert_eq!(actors, ["mo.derator", "mo.derator"], "one entry per change");

        // An imported report may go without a channel, and without factors.
        let old = json!({
            "title": "Old post-mortem",
            "narrative": "It went out.",
            "channel": "email",
            "factors": ["time_pressure"],
        });
        let imported = published(&app, &old).await?;
        let none = json!({"channel": null, "factors": []});
        let cleared = save_draft(&app, &moderator, &imported, none).await;
        cleared.assert_status_is_ok();
        let view = json(cleared).await?;
        assert!(view["channel"].is_null(), "{view}");
        assert_eq!(view["factors"], json!([]));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_ref_that_cannot_exist_is_a_404_everywhere_and_a_bad_target_is_named()
-> anyhow::Result<()> {
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let reader = app.staff("a.reader", Role::Reader).await?;
        for bad in ["zzzzz", "ABCDEFGHJK", "abcdefghiu", "%27%20OR%201%3D1"] {
            let gets = [
                format!("/api/v1/moderation/reports/{bad}"),
                format!("/api/v1/reports/{bad}"),
                format!("/api/v1/reports/{bad}/similar"),
            ];
            for path in gets {
                let response = app
                    .client
                    .get(&path)
                    .header("authorization", moderator.bearer())
                    .send()
                    .await;
                response.assert_status(StatusCode::NOT_FOUND);
            }
            for (action, body) in [
                ("draft", json!({"title": "t", "narrative": "n"})),
                (
                    "redactions",
                    json!({"field": "title", "id": "x", "decision": "accept"}),
                ),
                ("ask", json!({"question": "Which list?"})),
                ("publish", json!({})),
                ("reject", json!({"reason": "Not a mistake."})),
                ("merge", json!({"target": "abcdefghjk"})),
            ] {
                let response = app
                    .client
                    .post(format!("/api/v1/moderation/reports/{bad}/{action}"))
                    .header("authorization", moderator.bearer())
                    .body_json(&body)
                    .send()
                    .await;
                response.assert_status(StatusCode::NOT_FOUND);
            }
            app.client
                .post(format!("/api/v1/reports/{bad}/signals"))
                .header("authorization", reader.bearer())
                .body_json(&json!({"kind": "helped"}))
                .send()
                .await
                .assert_status(StatusCode::NOT_FOUND);
            for page in [format!("/moderation/{bad}"), format!("/reports/{bad}")] {
                app.client
                    .get(&page)
                    .header("cookie", &moderator.cookie)
                    .send()
                    .await
                    .assert_status(StatusCode::NOT_FOUND);
            }
        }

        // A merge target is read as the lesson's ref, or its address pasted whole.
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        let lesson = published(
            &app,
            &json!({"title": "Sent to the press list", "narrative": "It went out."}),
        )
        .await?;
        let merge = |target: String| {
            app.client
                .post(format!("/api/v1/moderation/reports/{report_ref}/merge"))
                .header("authorization", moderator.bearer())
                .body_json(&json!({ "target": target }))
                .send()
        };
        for target in ["the one from last week".to_owned(), format!("{lesson}x")] {
            assert_eq!(refused_fields(merge(target).await).await?, ["target"]);
        }
        let merged = merge(format!("https://kintsugi.example/reports/{lesson}")).await;
        merged.assert_status_is_ok();
        let view = json(merged).await?;
        assert_eq!(view["merged_into"], json!(lesson));
        Ok(())
    })
    .await
}

/// Two moderators correcting the same report at once: each is answered, none with a 500, and
/// the report ends as one of them left it, never with a mix of both.
#[tokio::test]
async fn two_moderators_classifying_at_once_leave_one_whole_classification() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        let first = app.staff("first.moderator", Role::Moderator).await?;
        let second = app.staff("second.moderator", Role::Moderator).await?;
        let mine = json!({"channel": "meeting", "impact": "minor", "factors": ["time_pressure"]});
        let theirs = json!({
            "channel": "phone_sms",
            "impact": "serious",
            "factors": ["unclear_approval", "autocomplete"],
        });
        let writer = async |moderator: &Staff, classification: &Value| {
            for _ in 0..8 {
                let response =
                    save_draft(&app, moderator, &report_ref, classification.clone()).await;
                let status = response.0.status();
                anyhow::ensure!(
                    status == StatusCode::OK,
                    "{status}: {}",
                    json(response).await?
                );
            }
            anyhow::Ok(())
        };
        let (one, two) = tokio::join!(writer(&first, &mine), writer(&second, &theirs));
        one?;
        two?;
        let view = moderation_view(&app, &first, &report_ref).await?;
        let mut factors: Vec<&str> = view["factors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        factors.sort_unstable();
        let left = (view["channel"].as_str(), view["impact"].as_str(), factors);
        let whole = [
            (Some("meeting"), Some("minor"), vec!["Time pressure"]),
            (
                Some("phone_sms"),
                Some("serious"),
                vec!["Autocomplete and suggestions", "Unclear approval"],
            ),
        ];
        assert!(whole.contains(&left), "{left:?}");
        Ok(())
    })
    .await
}
