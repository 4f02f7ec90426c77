//! Moderation end to end: the anonymous conversation through the receipt, one-click
//! redaction, the reporter's approval, publication, readers' signals, and the audit log.

use kintsugi::services::{accounts::Role, moderation::retention};
use kintsugi_tests::{Staff, TestApp, each_backend};
use poem::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::support::{indexed, json, post_json, search_refs, text};

const PHONE: &str = "020 7946 0958";

/// A report with a phone number and a blame framing in it, logged anonymously.
pub(crate) async fn report_with_a_phone_number(app: &TestApp) -> anyhow::Result<(String, String)> {
    let mut body = kintsugi_tests::new_report("Invitation sent to the press list");
    body["narrative"] = json!(format!(
        "Human error: I picked the press list instead of the partners list. Call me on {PHONE} if needed."
    ));
    let response = post_json(app, "/api/v1/reports", &body).await;
    response.assert_status(StatusCode::CREATED);
    let body = json(response).await?;
    Ok((
        body["ref"].as_str().unwrap_or_default().to_owned(),
        body["receipt"].as_str().unwrap_or_default().to_owned(),
    ))
}

pub(crate) async fn moderation_view(
    app: &TestApp,
    staff: &Staff,
    report_ref: &str,
) -> anyhow::Result<Value> {
    let response = app
        .client
        .get(format!("/api/v1/moderation/reports/{report_ref}"))
        .header("authorization", staff.bearer())
        .send()
        .await;
    response.assert_status_is_ok();
    json(response).await
}

/// Posts a moderator's form with the session cookie and CSRF token.
pub(crate) async fn moderate(
    app: &TestApp,
    staff: &Staff,
    path: &str,
    form: &[(&str, &str)],
) -> poem::test::TestResponse {
    let mut fields: Vec<(&str, &str)> = form.to_vec();
    fields.push(("csrf_token", &staff.csrf));
    app.client
        .post(path)
        .header("cookie", &staff.cookie)
        .form(&fields)
        .send()
        .await
}

async fn receipt_page(app: &TestApp, path: &str, form: &[(&str, &str)]) -> anyhow::Result<String> {
    let response = app.client.post(path).form(&form.to_vec()).send().await;
    response.assert_status_is_ok();
    text(response).await
}

async fn audit_actions(app: &TestApp) -> anyhow::Result<Vec<(String, String)>> {
    let rows = app
        .state
        .db
        .query_all_raw(Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT actor, action FROM audit_events ORDER BY id",
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("", "actor")?, r.try_get("", "action")?)))
        .collect()
}

#[tokio::test]
async fn a_report_becomes_a_lesson_through_the_anonymous_conversation() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (report_ref, receipt) = report_with_a_phone_number(&app).await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;

        // The queue shows the new report; the page shows the suggestion and the hint.
        let queue = app
            .client
            .get("/moderation")
            .header("cookie", &moderator.cookie)
            .send()
            .await;
        let queue = text(queue).await?;
        assert!(queue.contains("Invitation sent to the press list"));
        let page = text(
            app.client
                .get(format!("/moderation/{report_ref}"))
                .header("cookie", &moderator.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(page.contains(PHONE), "the raw text shows to moderators");
        assert!(page.contains("[phone number]"), "a redaction is suggested");
        assert!(
            page.to_lowercase().contains("human error"),
            "a blameless hint is shown"
        );

        // A question, read and answered with the receipt alone.
        moderate(
            &app,
            &moderator,
            &format!("/moderation/{report_ref}/ask"),
            &[("question", "Which list did the tool suggest first?")],
        )
        .await
        .assert_status_is_ok();
        let audited = audit_actions(&app).await?.len();
        let status = receipt_page(&app, "/receipt", &[("receipt", &receipt)]).await?;
        assert!(status.contains("Which list did the tool suggest first?"));
        assert!(status.contains("Answer the moderator"));
        let answered = receipt_page(
            &app,
            "/receipt/detail",
            &[
                ("receipt", &receipt),
                ("detail", "The press list, it was first in the menu."),
            ],
        )
        .await?;
        assert!(
            answered.contains("Waiting for a moderator"),
            "the answer returns it to the moderators"
        );
        assert_eq!(
            audit_actions(&app).await?.len(),
            audited,
            "reporters' actions are never audited"
        );

        // One click redacts the phone number in the published version.
        let view = moderation_view(&app, &moderator, &report_ref).await?;
        let phone = view["redactions"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["kind"] == "phone")
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("no phone suggestion in {view}"))?;
        let id = phone["id"].as_str().unwrap_or_default();
        let field = phone["field"].as_str().unwrap_or_default();
        moderate(
            &app,
            &moderator,
            &format!("/moderation/{report_ref}/redactions"),
            &[("field", field), ("id", id), ("decision", "accept")],
        )
        .await
        .assert_status_is_ok();
        let view = moderation_view(&app, &moderator, &report_ref).await?;
        let draft = view["published_draft"]["narrative"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            !draft.contains(PHONE) && draft.contains("[phone number]"),
            "{draft}"
        );
        assert!(
            view["raw"]["narrative"]
                .as_str()
                .unwrap_or_default()
                .contains(PHONE),
            "the raw text is kept"
        );

        // Not without the reporter: offer the version, which they read and approve.
        let refused = moderate(
            &app,
            &moderator,
            &format!("/moderation/{report_ref}/publish"),
            &[],
        )
        .await;
        refused.assert_status(StatusCode::CONFLICT);
        let reframed = draft.replace("Human error: I", "I");
        moderate(
            &app,
            &moderator,
            &format!("/moderation/{report_ref}/draft"),
            &[
                ("title", "Invitation sent to the press list"),
                ("narrative", &reframed),
                ("what_helped", ""),
                ("lesson", "Put the partners list first."),
                ("tags", "press-list Partners"),
                ("action", "offer"),
            ],
        )
        .await
        .assert_status_is_ok();
        let offered = receipt_page(&app, "/receipt", &[("receipt", &receipt)]).await?;
        assert!(
            offered.contains("The version to be published") && offered.contains("[phone number]")
        );
        // The number is only in what was taken out of the reporter's own words.
        let kept: String = offered
            .split("<del>")
            .map(|part| part.split_once("</del>").map_or(part, |(_, after)| after))
            .collect();
        assert!(
            offered.contains(PHONE) && !kept.contains(PHONE),
            "the reporter sees the redacted version"
        );
        let audited = audit_actions(&app).await?.len();
        receipt_page(
            &app,
            "/receipt/review",
            &[("receipt", &receipt), ("decision", "approve")],
        )
        .await?;
        assert_eq!(
            audit_actions(&app).await?.len(),
            audited,
            "reporters' actions are never audited"
        );

        let published = moderate(
            &app,
            &moderator,
            &format!("/moderation/{report_ref}/publish"),
            &[],
        )
        .await;
        published.assert_status(StatusCode::SEE_OTHER);

        // Readers find the redacted lesson; the phone number is nowhere a reader can see.
        indexed(&app).await?;
        assert_eq!(
            search_refs(&app, "q=press+list").await?,
            vec![report_ref.clone()]
        );
        assert!(
            search_refs(&app, "q=7946").await?.is_empty(),
            "the raw text is not indexed"
        );
        let lesson = text(
            app.client
                .get(format!("/reports/{report_ref}"))
                .send()
                .await,
        )
        .await?;
        assert!(lesson.contains("[phone number]") && !lesson.contains(PHONE));
        assert!(!lesson.contains("Human error"));
        // The tags are the moderator's too: the reporter's own `reply-all` is not published.
        let body = json(
            app.client
                .get(format!("/api/v1/reports/{report_ref}"))
                .send()
                .await,
        )
        .await?;
        assert_eq!(body["tags"], json!(["press-list", "partners"]));

        // Readers mark it; each person counts once.
        let reader = app.staff("re.ader", Role::Reader).await?;
        for _ in 0..2 {
            let signal = json!({"kind": "happened_to_us"});
            let response = app
                .client
                .post(format!("/api/v1/reports/{report_ref}/signals"))
                .header("authorization", reader.bearer())
                .body_json(&signal)
                .send()
                .await;
            response.assert_status_is_ok();
        }
        let marked = app
            .client
            .post(format!("/reports/{report_ref}/signals"))
            .header("cookie", &reader.cookie)
            .form(&[("kind", "helped"), ("csrf_token", reader.csrf.as_str())])
            .send()
            .await;
        marked.assert_status_is_ok();
        let body = json(
            app.client
                .get(format!("/api/v1/reports/{report_ref}"))
                .send()
                .await,
        )
        .await?;
        assert_eq!(body["occurrences"], 2);
        assert_eq!(body["helped"], 1);

        // The audit log names the moderator for each action and never the reporter.
        let actions = audit_actions(&app).await?;
        let by_moderator: Vec<&str> = actions
            .iter()
            .filter(|(actor, _)| actor == "mo.derator")
            .map(|(_, a)| a.as_str())
            .collect();
        for action in [
            "report.read",
            "report.ask",
            "report.redact",
            "report.draft",
            "report.publish",
        ] {
            assert!(
                by_moderator.contains(&action),
                "{action} missing from {actions:?}"
            );
        }
        assert!(
            actions
                .iter()
                .all(|(actor, _)| actor == "mo.derator" || actor == "command line"),
            "{actions:?}"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn publishing_without_approval_waits_merges_count_and_rejections_are_explained()
-> anyhow::Result<()> {
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (first, _) = report_with_a_phone_number(&app).await?;
        let view = moderation_view(&app, &moderator, &first).await?;
        let draft = &view["published_draft"];
        let save = json!({"title": draft["title"], "narrative": "Picked the wrong list.", "offer_to_reporter": true});
        app.client
            .post(format!("/api/v1/moderation/reports/{first}/draft"))
            .header("authorization", moderator.bearer())
            .body_json(&save)
            .send()
            .await
            .assert_status_is_ok();
        let publish = || app.client.post(format!("/api/v1/moderation/reports/{first}/publish")).header("authorization", moderator.bearer()).send();
        let refused = publish().await;
        refused.assert_status(StatusCode::CONFLICT);
        assert!(text(refused).await?.contains("without their approval it can be published from"));
        // Seven days later, the moderator may publish without the reporter.
        app.state.db.execute_unprepared("UPDATE publications SET prepared_on = '2000-01-01'").await?;
        let published = json(publish().await).await?;
        assert_eq!(published["status"], "published");

        // A second report of the same mistake is merged as another occurrence.
        let (second, second_receipt) = report_with_a_phone_number(&app).await?;
        let merge = json!({"target": first});
        let merged = app.client.post(format!("/api/v1/moderation/reports/{second}/merge")).header("authorization", moderator.bearer()).body_json(&merge).send().await;
        merged.assert_status_is_ok();
        let lesson = json(app.client.get(format!("/api/v1/reports/{first}")).send().await).await?;
        assert_eq!(lesson["occurrences"], 2);
        let status = json(post_json(&app, "/api/v1/receipts/status", &json!({"receipt": second_receipt})).await).await?;
        assert_eq!(status["status"], "merged");

        // A rejection carries a reason the reporter reads; merging into it is refused.
        let (third, third_receipt) = report_with_a_phone_number(&app).await?;
        let reject = json!({"reason": "This is about a supplier's system, which we cannot change."});
        app.client.post(format!("/api/v1/moderation/reports/{third}/reject")).header("authorization", moderator.bearer()).body_json(&reject).send().await.assert_status_is_ok();
        let status = json(post_json(&app, "/api/v1/receipts/status", &json!({"receipt": third_receipt})).await).await?;
        assert_eq!(status["status"], "rejected");
        assert!(status["messages"].to_string().contains("supplier's system"));
        let (fourth, _) = report_with_a_phone_number(&app).await?;
        let bad_merge = app
            .client
            .post(format!("/api/v1/moderation/reports/{fourth}/merge"))
            .header("authorization", moderator.bearer())
            .body_json(&json!({"target": third}))
            .send()
            .await;
        bad_merge.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(bad_merge).await?.contains("\"field\":\"target\""));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_raw_text_is_purged_after_the_retention_period() -> anyhow::Result<()> {
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        app.client
            .post(format!("/api/v1/moderation/reports/{report_ref}/ask"))
            .header("authorization", moderator.bearer())
            .body_json(&json!({"question": "Which list?"}))
            .send()
            .await
            .assert_status_is_ok();
        let save = json!({"title": "Invitation sent to the wrong list", "narrative": "Picked the wrong list."});
        app.client.post(format!("/api/v1/moderation/reports/{report_ref}/draft")).header("authorization", moderator.bearer()).body_json(&save).send().await.assert_status_is_ok();
        app.state.db.execute_unprepared("UPDATE publications SET reporter_review = 'approved'").await?;
        app.client.post(format!("/api/v1/moderation/reports/{report_ref}/publish")).header("authorization", moderator.bearer()).send().await.assert_status_is_ok();

        // A second report, never published: its draft is a copy of the raw text, withdrawn.
        let (second, second_receipt) = report_with_a_phone_number(&app).await?;
        let draft = json!({"title": "A draft", "narrative": format!("Still holds {PHONE} in a draft.")});
        app.client.post(format!("/api/v1/moderation/reports/{second}/draft")).header("authorization", moderator.bearer()).body_json(&draft).send().await.assert_status_is_ok();
        post_json(&app, "/api/v1/receipts/withdraw", &json!({"receipt": second_receipt})).await.assert_status_is_ok();

        assert_eq!(retention::purge(&app.state.db, 365).await?, 0, "nothing is due yet");
        app.state.db.execute_unprepared("UPDATE reports SET decided_on = '2000-01-01'").await?;
        assert_eq!(retention::purge(&app.state.db, 365).await?, 2);

        let view = moderation_view(&app, &moderator, &report_ref).await?;
        assert!(view["raw"].is_null(), "the raw text is gone: {view}");
        assert!(view["conversation"].as_array().is_some_and(Vec::is_empty));
        let bytes = kintsugi_tests::stored_bytes(&app).await?;
        assert!(!kintsugi_tests::contains_bytes(&bytes, PHONE.as_bytes()), "the phone number is nowhere in the database");
        let lesson = json(app.client.get(format!("/api/v1/reports/{report_ref}")).send().await).await?;
        assert_eq!(lesson["narrative"], "Picked the wrong list.", "the published version stays");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_approval_names_its_version_and_a_change_request_holds_publication() -> anyhow::Result<()>
{
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (report_ref, receipt) = report_with_a_phone_number(&app).await?;
        let save = |narrative: &str, offer: bool| {
            let body = json!({"title": "Sent to the press list", "narrative": narrative, "offer_to_reporter": offer});
            app.client
                .post(format!("/api/v1/moderation/reports/{report_ref}/draft"))
                .header("authorization", moderator.bearer())
                .body_json(&body)
                .send()
        };
        let receipt_body = json!({"receipt": receipt});
        let status = || post_json(&app, "/api/v1/receipts/status", &receipt_body);
        let review = |approve: bool, version: &str, comment: &str| {
            let body = json!({"receipt": receipt, "approve": approve, "version": version, "comment": comment});
            app.client.post("/api/v1/receipts/review").body_json(&body).send()
        };
        save("Version one.", true).await.assert_status_is_ok();
        let first = json(status().await).await?;
        let first_version = first["proposed"]["version"].as_str().unwrap_or_default().to_owned();
        assert_eq!(first["reporter_review"], "pending");

        // The moderator changes it while the reporter reads: their approval of the old one
        // does not count for the new one.
        save("Version two.", false).await.assert_status_is_ok();
        let stale = review(true, &first_version, "").await;
        stale.assert_status(StatusCode::CONFLICT);
        assert!(text(stale).await?.contains("changed the version"));
        let second = json(status().await).await?;
        assert_eq!(second["proposed"]["narrative"], "Version two.");
        let second_version = second["proposed"]["version"].as_str().unwrap_or_default().to_owned();

        // A change request holds publication, even past the wait.
        review(false, &second_version, "Please leave out the journalist.").await.assert_status_is_ok();
        app.state.db.execute_unprepared("UPDATE publications SET prepared_on = '2000-01-01'").await?;
        let publish = || app.client.post(format!("/api/v1/moderation/reports/{report_ref}/publish")).header("authorization", moderator.bearer()).send();
        let held = publish().await;
        held.assert_status(StatusCode::CONFLICT);
        assert!(text(held).await?.contains("asked for a change"));

        // A new version offered starts the wait again.
        save("Version three, without the journalist.", true).await.assert_status_is_ok();
        let waiting = publish().await;
        waiting.assert_status(StatusCode::CONFLICT);
        assert!(text(waiting).await?.contains("can be published from"));
        let third = json(status().await).await?;
        let third_version = third["proposed"]["version"].as_str().unwrap_or_default().to_owned();
        review(true, &third_version, "").await.assert_status_is_ok();
        publish().await.assert_status_is_ok();
        Ok(())
    })
    .await
}
