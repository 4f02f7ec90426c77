//! Publish, merge and reject: set apart on the page, refused in words, confirmed on the queue.

use kintsugi::services::accounts::Role;
use kintsugi_tests::{Staff, TestApp, each_backend};
use poem::http::StatusCode;
use sea_orm::ConnectionTrait;

use crate::{
    moderation::{moderate, report_with_a_phone_number},
    support::{indexed, text},
};

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
