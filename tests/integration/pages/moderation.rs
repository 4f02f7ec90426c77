//! The moderator's pages: where signing in lands, what is never cached, the decisions set
//! apart and refused in words, the confirmation of a decision, and correcting what a report
//! is about.

use kintsugi::{auth::access::Access, routes, services::accounts::Role};
use kintsugi_tests::{PASSWORD, Staff, TestApp, each_backend};
use poem::http::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::{
    moderation::{moderate, moderation_view, report_with_a_phone_number},
    support::{indexed, published, text},
};

/// Where signing in with `next` leads.
async fn lands(app: &TestApp, name: &str, next: &str) -> anyhow::Result<String> {
    let response = app
        .client
        .post("/signin")
        .form(&[("name", name), ("password", PASSWORD), ("next", next)])
        .send()
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    Ok(response
        .0
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test]
async fn moderators_land_on_the_queue_unless_a_safe_page_was_asked_for() -> anyhow::Result<()> {
    each_backend(async |app| {
        app.staff("mo.derator", Role::Moderator).await?;
        app.staff("re.ader", Role::Reader).await?;
        let form = text(app.client.get("/signin").send().await).await?;
        assert!(
            form.contains(r#"name="next" value="""#),
            "no page was asked for: {form}"
        );
        assert_eq!(lands(&app, "mo.derator", "").await?, "/moderation");
        assert_eq!(
            lands(&app, "mo.derator", "/search?q=bcc").await?,
            "/search?q=bcc"
        );
        assert_eq!(
            lands(&app, "mo.derator", "//evil.example/").await?,
            "/moderation"
        );
        assert_eq!(lands(&app, "re.ader", "").await?, "/");
        Ok(())
    })
    .await
}

/// Every staff page of the route table, with its parameters filled in.
fn staff_pages(report_ref: &str) -> anyhow::Result<Vec<String>> {
    let mut paths = Vec::new();
    for rule in routes::page_rules() {
        if rule.method != Method::GET || !matches!(rule.access, Access::Staff(_)) {
            continue;
        }
        let mut path = rule.path.to_owned();
        for (param, value) in [(":ref", report_ref), (":name", "mo.derator")] {
            path = path.replace(param, value);
        }
        anyhow::ensure!(
            !path.contains(':'),
            "give {path} a value for its parameter here"
        );
        paths.push(path);
    }
    Ok(paths)
}

#[tokio::test]
async fn no_staff_page_is_kept_by_a_cache() -> anyhow::Result<()> {
    each_backend(async |app| {
        let admin = app.staff("ad.min", Role::Admin).await?;
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        let pages = staff_pages(&report_ref)?;
        assert!(pages.contains(&format!("/moderation/{report_ref}")));
        for path in pages {
            let response = app
                .client
                .get(&path)
                .header("cookie", &admin.cookie)
                .send()
                .await;
            response.assert_status_is_ok();
            response.assert_header("cache-control", "no-store");
        }
        // A form answered with the page again is the page too.
        let asked = moderate(
            &app,
            &admin,
            &format!("/moderation/{report_ref}/ask"),
            &[("question", "Which list was it?")],
        )
        .await;
        asked.assert_status_is_ok();
        asked.assert_header("cache-control", "no-store");
        // Pages for anyone are not staff pages.
        let home = app.client.get("/").send().await;
        assert!(home.0.headers().get("cache-control").is_none());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn publishing_is_blocked_in_words_and_each_decision_stands_apart() -> anyhow::Result<()> {
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        let page_path = format!("/moderation/{report_ref}");
        let page = text(
            app.client
                .get(&page_path)
                .header("cookie", &moderator.cookie)
                .send()
                .await,
        )
        .await?;
        for heading in ["publish-title", "merge-title", "reject-title"] {
            assert!(page.contains(&format!("<h3 id=\"{heading}\"")), "{heading}");
        }
        assert!(page.contains(
            r#"<button type="submit" class="button" disabled aria-describedby="publish-blocker">"#
        ));
        assert!(page.contains("Save the published version first"), "{page}");

        // Sent anyway, the refusal reads as a sentence, where the moderator looks.
        let refused = moderate(&app, &moderator, &format!("{page_path}/publish"), &[]).await;
        refused.assert_status(StatusCode::CONFLICT);
        let refused = text(refused).await?;
        assert!(
            refused.contains(r#"role="alert">Not published yet. Save the published version first"#),
            "{refused}"
        );

        let queue = text(
            app.client
                .get("/moderation")
                .header("cookie", &moderator.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(queue.contains(">Reporter’s approval</th>"), "{queue}");
        assert!(queue.contains(">Not yet offered to the reporter</td>"));
        Ok(())
    })
    .await
}

/// Saves a version and marks it approved, so that it can be published.
async fn publishable(app: &TestApp, moderator: &Staff, report_ref: &str) -> anyhow::Result<()> {
    moderate(
        app,
        moderator,
        &format!("/moderation/{report_ref}/draft"),
        &[
            ("title", "Invitation sent to the press list"),
            (
                "narrative",
                "I picked the press list instead of the partners list.",
            ),
            ("action", "save"),
        ],
    )
    .await
    .assert_status_is_ok();
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE publications SET reporter_review = 'approved' WHERE report_id = '{report_ref}'"
        ))
        .await?;
    Ok(())
}

/// The queue as the moderator is sent back to it after a decision on `report_ref`.
async fn back_on_the_queue(
    app: &TestApp,
    moderator: &Staff,
    response: poem::test::TestResponse,
    report_ref: &str,
) -> anyhow::Result<String> {
    response.assert_status(StatusCode::SEE_OTHER);
    let location = format!("/moderation?decided={report_ref}");
    response.assert_header("location", location.as_str());
    let queue = app
        .client
        .get(&location)
        .header("cookie", &moderator.cookie)
        .send()
        .await;
    queue.assert_status_is_ok();
    text(queue).await
}

#[tokio::test]
async fn each_decision_is_confirmed_on_the_queue_with_a_link() -> anyhow::Result<()> {
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (first, _) = report_with_a_phone_number(&app).await?;
        publishable(&app, &moderator, &first).await?;
        let published = moderate(
            &app,
            &moderator,
            &format!("/moderation/{first}/publish"),
            &[],
        )
        .await;
        let queue = back_on_the_queue(&app, &moderator, published, &first).await?;
        assert!(
            queue.contains("“Invitation sent to the press list” is published"),
            "{queue}"
        );
        assert!(queue.contains(&format!(
            r#"<a href="/reports/{first}">Read the lesson</a>"#
        )));

        // The next report of the same mistake offers that lesson to merge into, with a button.
        indexed(&app).await?;
        let (second, _) = report_with_a_phone_number(&app).await?;
        let page = text(
            app.client
                .get(format!("/moderation/{second}"))
                .header("cookie", &moderator.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(
            page.contains(&format!(
                r#"<input type="hidden" name="target" value="{first}">"#
            )),
            "{page}"
        );
        let merged = moderate(
            &app,
            &moderator,
            &format!("/moderation/{second}/merge"),
            &[("target", &first)],
        )
        .await;
        let queue = back_on_the_queue(&app, &moderator, merged, &second).await?;
        assert!(queue.contains("is merged into “Invitation sent to the press list”"));
        assert!(queue.contains(&format!(
            r#"<a href="/reports/{first}">Read that lesson</a>"#
        )));

        let (third, _) = report_with_a_phone_number(&app).await?;
        let reason = [("reason", "It is about a supplier's system.")];
        let rejected = moderate(
            &app,
            &moderator,
            &format!("/moderation/{third}/reject"),
            &reason,
        )
        .await;
        let queue = back_on_the_queue(&app, &moderator, rejected, &third).await?;
        assert!(queue.contains("is not published. The reporter can read your reason"));

        // Any other ref in the address shows the queue alone.
        let (open, _) = report_with_a_phone_number(&app).await?;
        for decided in [open.as_str(), "not-a-ref", "'%22><b>"] {
            let queue = app
                .client
                .get("/moderation")
                .query("decided", &decided)
                .header("cookie", &moderator.cookie)
                .send()
                .await;
            queue.assert_status_is_ok();
            assert!(!text(queue).await?.contains("notice decided"));
        }
        Ok(())
    })
    .await
}

async fn classify(
    app: &TestApp,
    moderator: &Staff,
    report_ref: &str,
    channel: &str,
    factors: &[&str],
) -> poem::test::TestResponse {
    let mut form = vec![
        ("title", "Invitation sent to the press list"),
        ("narrative", "I picked the press list."),
        ("classified", "yes"),
        ("channel", channel),
        ("impact", "serious"),
        ("action", "save"),
    ];
    form.extend(factors.iter().map(|f| ("factors", *f)));
    moderate(
        app,
        moderator,
        &format!("/moderation/{report_ref}/draft"),
        &form,
    )
    .await
}

#[tokio::test]
async fn a_moderator_corrects_channel_impact_and_factors() -> anyhow::Result<()> {
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        let factors = ["time_pressure", "unclear_approval"];
        classify(&app, &moderator, &report_ref, "meeting", &factors)
            .await
            .assert_status_is_ok();
        let view = moderation_view(&app, &moderator, &report_ref).await?;
        assert_eq!(view["channel"], "meeting");
        assert_eq!(view["impact"], "serious");
        assert_eq!(view["factors"], json!(["Time pressure", "Unclear approval"]));
        let audit = app
            .state
            .db
            .query_all_raw(Statement::from_string(
                app.state.db.get_database_backend(),
                "SELECT actor, detail FROM audit_events WHERE action = 'report.classify'",
            ))
            .await?;
        let [entry] = audit.as_slice() else {
            anyhow::bail!("one classification should be audited, not {}", audit.len());
        };
        assert_eq!(entry.try_get::<String>("", "actor")?, "mo.derator");
        let detail: String = entry.try_get("", "detail")?;
        assert!(detail.contains("channel") && detail.contains("→ meeting"), "{detail}");

        // Refused with the form's own words, beside the texts' problems, and nothing changes.
        let refused = classify(&app, &moderator, &report_ref, "fax", &["careless_person"]).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(refused).await?;
        assert!(page.contains(r##"<a href="#channel">Where it happened: "##), "{page}");
        assert!(page.contains(r##"<a href="#factors">"##), "{page}");
        let unchanged = moderation_view(&app, &moderator, &report_ref).await?;
        assert_eq!(unchanged["channel"], "meeting");
        let cleared = classify(&app, &moderator, &report_ref, "", &[]).await;
        cleared.assert_status(StatusCode::UNPROCESSABLE_ENTITY);

        // An imported report may go without a channel; its factors can be emptied.
        let imported = published(
            &app,
            &json!({"title": "Old post-mortem", "narrative": "It went out.", "channel": "email", "factors": ["time_pressure"]}),
        )
        .await?;
        classify(&app, &moderator, &imported, "", &[])
            .await
            .assert_status_is_ok();
        let view = moderation_view(&app, &moderator, &imported).await?;
        assert!(view["channel"].is_null(), "{view}");
        assert_eq!(view["factors"], json!([]));
        Ok(())
    })
    .await
}
