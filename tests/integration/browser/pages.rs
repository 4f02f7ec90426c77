//! Every page and state that no journey reaches, through the same checks.

use anyhow::ensure;
use kintsugi_tests::browser::{Key, journey};

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
