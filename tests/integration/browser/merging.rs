//! A moderator signs in from any page, lands on the queue, and merges a report into the
//! published lesson it repeats with the button beside that lesson.

use anyhow::ensure;
use kintsugi::services::reports::{self, ReportInput};
use kintsugi_tests::browser::{Key, MODERATOR, MODERATOR_PASSWORD, journey};
use sea_orm::{ConnectionTrait, Statement};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_lands_on_the_queue_and_merges_a_duplicate_with_one_button()
-> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_lessons().await?;
        let db = &j.site.state.db;
        j.site.moderator().await?;
        let lesson = "Reply-all to the whole directorate with a family's case details";
        let found = db
            .query_one_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                "SELECT id FROM reports WHERE title = $1",
                [lesson.into()],
            ))
            .await?
            .ok_or_else(|| anyhow::anyhow!("the demo set has no “{lesson}”"))?;
        let lesson_ref: String = found.try_get("", "id")?;
        let input = ReportInput {
            title: "Replied to the whole directorate with a family's case".to_owned(),
            narrative: "Someone asked the directorate-wide list who could cover a home visit. \
                I replied all with a summary of the family's circumstances: the mail client \
                puts Reply all as the large default button."
                .to_owned(),
            channel: Some("email".to_owned()),
            impact: Some("serious".to_owned()),
            ..ReportInput::default()
        };
        let created = reports::create(db, &j.site.state.receipts, input).await?;

        // Signing in from any page leads a moderator to the queue.
        j.open("/").await?;
        j.tab_to("a[href='/signin']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.sign_in(MODERATOR, MODERATOR_PASSWORD).await?;
        ensure!(
            j.path().await? == "/moderation",
            "a moderator lands on the queue"
        );

        j.tab_to(&format!("a[href='/moderation/{}']", created.report_ref))
            .await?;
        j.press_and_follow(Key::Enter).await?;
        let candidates = j
            .text(".candidates[aria-label='Published lessons like this report']")
            .await?;
        ensure!(candidates.contains(lesson), "{candidates}");
        j.check_page("a report with lessons to merge into").await?;
        j.tab_to(&format!(
            ".candidate form:has(input[value='{lesson_ref}']) button"
        ))
        .await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.path().await? == format!("/moderation?decided={}", created.report_ref),
            "merging returns to the queue"
        );
        let confirmed = j.text(".notice[role=status]").await?;
        ensure!(
            confirmed.contains(&format!("is merged into “{lesson}”")),
            "{confirmed}"
        );
        j.check_page("the queue confirming a merge").await?;
        j.tab_to(&format!(".notice a[href='/reports/{lesson_ref}']"))
            .await?;
        Ok(())
    })
    .await
}
