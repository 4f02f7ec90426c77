//! Every page and state that no journey reaches, through the same checks.

use anyhow::ensure;
use kintsugi::services::reports::{self, ReportInput};
use kintsugi_tests::browser::{Key, MODERATOR, MODERATOR_PASSWORD, journey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_page_passes_every_check() -> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_lessons().await?;
        j.open("/").await?;
        j.check_page("start page").await?;
        j.screenshot("home").await?;
        j.phone_screenshot("home-phone").await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_without_results_or_with_a_bad_date_passes_every_check() -> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_lessons().await?;
        j.open("/search?q=zzzzqqqq").await?;
        ensure!(j.text(".empty").await?.contains("No shared lesson matches"));
        j.check_page("search without results").await?;

        j.open("/search?q=email&channel=email").await?;
        ensure!(
            j.count(".active-filters a").await? == 1,
            "the filter should be listed"
        );
        j.check_page("filtered search").await?;

        j.open("/search?q=reply&from=13-2025").await?;
        ensure!(
            j.count(".error-summary a[href='#from']").await? == 1,
            "the error should link to its field"
        );
        j.check_page("search with a bad month").await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn similar_lessons_on_the_form_and_a_missing_page_pass_every_check() -> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_lessons().await?;
        j.open("/report").await?;
        j.tab_to("#title").await?;
        j.type_text("Reply-all to the whole agency").await?;
        // The button that works without JavaScript: the form comes back with the lessons.
        j.tab_to(".similar-panel button").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.count("#similar-results .similar-list a").await? > 0,
            "similar lessons should be listed"
        );
        ensure!(
            j.script("return document.getElementById('title').value")
                .await?
                == "Reply-all to the whole agency",
            "the typing should be kept"
        );
        j.check_page("report form with similar lessons").await?;

        j.open("/reports/no-such-report").await?;
        ensure!(
            j.text("h1").await?.to_lowercase().contains("not found"),
            "{}",
            j.text("h1").await?
        );
        j.check_page("missing page").await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdrawing_without_confirming_is_explained_and_passes_every_check() -> anyhow::Result<()>
{
    journey(async |j| {
        let (_, receipt) = j
            .site
            .logged_report("Wrong attachment sent to a citizen")
            .await?;
        j.open("/receipt").await?;
        j.tab_to("#receipt").await?;
        j.type_text(&receipt).await?;
        j.press_and_follow(Key::Enter).await?;
        j.tab_to("form[action='/receipt/withdraw'] button").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.count(".error-summary a[href='#confirm']").await? == 1,
            "the error should link to the box"
        );
        ensure!(
            j.count("#confirm[aria-invalid=true]").await? == 1,
            "the box should be marked invalid"
        );
        j.check_page("withdrawal not confirmed").await?;

        j.tab_to("#confirm").await?;
        j.press(Key::Space).await?;
        j.tab_to("form[action='/receipt/withdraw'] button").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.text(".facts").await?.contains("Withdrawn"),
            "{}",
            j.text(".facts").await?
        );
        j.check_page("withdrawn report").await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lesson_with_a_3000_character_word_does_not_scroll_sideways() -> anyhow::Result<()> {
    journey(async |j| {
        // A pasted token or address: one word far wider than any screen, in every text block
        // of a lesson, and in a title that search results and tables show too.
        let word = "x".repeat(3_000);
        let line = serde_json::json!({
            "title": format!("Newsletter link {}", "y".repeat(150)),
            "narrative": format!("The newsletter carried {word} instead of the link."),
            "what_helped": word,
            "lesson": word,
            "tags": ["newsletter"],
        });
        let summary = kintsugi::services::import::import_jsonl(
            &j.site.state.db,
            std::io::Cursor::new(format!("{line}\n")),
            true,
            &|_| {},
        )
        .await?;
        ensure!(summary.imported == 1, "{:?}", summary.errors);
        j.site.indexed().await?;

        j.open("/search?q=newsletter").await?;
        ensure!(j.count(".hit").await? == 1, "the lesson should be found");
        j.check_page("search results with a very long word").await?;
        let href = "return document.querySelector('.hit h3 a').getAttribute('href')";
        let lesson = j.script(href).await?;
        let lesson = lesson.as_str().unwrap_or_default().to_owned();
        j.open(&lesson).await?;
        j.check_page("lesson with a 3,000-character word").await?;

        // The moderator's table and the raw text waiting for moderation.
        let db = &j.site.state.db;
        let password = MODERATOR_PASSWORD;
        j.site.moderator().await?;
        let input = ReportInput {
            title: "z".repeat(200),
            narrative: format!("The form carried {} in full.", "w".repeat(3_000)),
            channel: Some("email".to_owned()),
            impact: Some("minor".to_owned()),
            ..ReportInput::default()
        };
        let created = reports::create(db, &j.site.state.receipts, input).await?;
        j.open("/moderation").await?;
        j.sign_in(MODERATOR, password).await?;
        j.check_page("moderation queue with a very long title")
            .await?;
        j.open(&format!("/moderation/{}", created.report_ref))
            .await?;
        j.check_page("a report to moderate with a 3,000-character word")
            .await?;
        Ok(())
    })
    .await
}
