//! The journeys in a browser that runs no JavaScript, as in a locked-down office.

use anyhow::ensure;
use kintsugi_tests::browser::{Key, journey_without_javascript};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_journey_works_without_javascript() -> anyhow::Result<()> {
    journey_without_javascript(async |j| {
        j.site.with_demo_lessons().await?;

        // Log a mistake: the errors come back linked, the receipt can still be saved.
        j.open("/report").await?;
        j.tab_to(".report-form .actions button").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.count(".error-summary a[href='#title']").await? == 1,
            "errors should be summarised"
        );
        j.tab_to("#title").await?;
        j.type_text("Draft reply sent to the whole list").await?;
        j.tab_to("#narrative").await?;
        j.type_text("The reply went to the list, not to the person who asked: human error.")
            .await?;
        // The wording check comes back with its hints beside the text they are about.
        j.tab_to(".hints-panel button").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.count("#narrative-wording .hint-item").await? > 0
                && j.count("#hints-summary a[href='#narrative']").await? == 1,
            "the hint should sit beside the narrative, and the panel lead to it"
        );
        j.tab_to("#channel").await?;
        j.type_text("Email").await?;
        j.tab_to("input[name=impact]").await?;
        j.press(Key::Space).await?;
        j.tab_to(".report-form .actions button").await?;
        j.press_and_follow(Key::Enter).await?;
        let code = j.text("#receipt-code code").await?;
        ensure!(code.len() == 34, "the receipt should be shown: {code:?}");
        ensure!(
            j.script("return getComputedStyle(document.querySelector('.print-button')).display")
                .await?
                == "none",
            "a print button that cannot work should not be shown"
        );
        ensure!(
            j.count("a[download]").await? == 1,
            "the receipt can be saved as a file"
        );

        // Come back with it and add a detail.
        j.open("/receipt").await?;
        j.tab_to("#receipt").await?;
        j.type_text(&code).await?;
        j.press_and_follow(Key::Enter).await?;
        j.tab_to("#detail").await?;
        j.type_text("It was a Friday afternoon.").await?;
        j.tab_to("form[action='/receipt/detail'] button").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(j.text(".conversation").await?.contains("Friday afternoon"));

        // Search with a typo and open a lesson, then a similar one.
        j.open("/search").await?;
        j.tab_to("#q").await?;
        j.type_text("emial").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.count(".hit").await? > 0,
            "the misspelt search should find lessons"
        );
        j.tab_to(".hit h3 a").await?;
        j.press_and_follow(Key::Enter).await?;
        j.tab_to(".similar-list a").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.path().await?.starts_with("/reports/"),
            "{}",
            j.path().await?
        );
        Ok(())
    })
    .await
}
