//! Journey 3: search with a typo, open a result, then a similar lesson.

use anyhow::ensure;
use kintsugi_tests::browser::{Key, journey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misspelt_search_still_leads_to_a_lesson_and_its_similar_ones() -> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_lessons().await?;
        j.open("/").await?;
        j.tab_to("nav a[href='/search']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("search, browsing").await?;

        j.tab_to("#q").await?;
        j.type_text("emial").await?;
        j.press_and_follow(Key::Enter).await?;
        let notice = j.text(".results .notice").await?;
        ensure!(
            notice.contains("spelling"),
            "a misspelt search should say so: {notice}"
        );
        ensure!(
            j.count(".hit").await? > 0,
            "the misspelt search should still find lessons"
        );
        j.check_page("search results").await?;
        j.screenshot("search").await?;
        j.phone_screenshot("search-phone").await?;

        let first = j.text(".hit h3 a").await?;
        j.tab_to(".hit h3 a").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.path().await?.starts_with("/reports/"),
            "{}",
            j.path().await?
        );
        ensure!(
            j.text("h1").await? == first,
            "the result should open its lesson"
        );
        j.check_page("shared lesson").await?;
        j.check_print("shared lesson").await?;
        j.screenshot("lesson").await?;

        let similar = j.text(".similar-list a").await?;
        ensure!(similar != first, "a lesson is not similar to itself");
        j.tab_to(".similar-list a").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.text("h1").await? == similar,
            "the similar link should open that lesson"
        );
        Ok(())
    })
    .await
}
