//! Journey 6: a reader follows a lesson's tag to the lessons sharing it, widens the search to
//! a second channel, finds the filters first on a phone, and marks a lesson as helpful.

use anyhow::ensure;
use kintsugi::services::accounts::{self, Password, Role};
use kintsugi_tests::browser::{DESKTOP, Key, PHONE, journey};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_follows_a_tag_widens_the_channels_and_marks_a_lesson() -> anyhow::Result<()> {
    journey(async |j| {
        let lessons = [
            ("Embargoed figures in a scheduled post", "public_social"),
            ("Embargo broken by a press release", "media_press"),
            ("Embargo broken in an email draft", "email"),
        ]
        .map(|(title, channel)| {
            json!({"title": title, "narrative": "The figures went out before the embargo lifted.",
                   "channel": channel, "tags": ["embargo"], "factors": ["time_pressure"]})
            .to_string()
        });
        let summary = kintsugi::services::import::import_jsonl(
            &j.site.state.db,
            std::io::Cursor::new(lessons.join("\n")),
            true,
            &|_| {},
        )
        .await?;
        ensure!(summary.imported == 3, "{:?}", summary.errors);
        j.site.indexed().await?;
        let password = "a long reader password";
        let db = &j.site.state.db;
        accounts::add(db, "command line", "re.ader", Role::Reader, password, Password::Chosen)
            .await?;
        j.open("/account").await?;
        j.sign_in("re.ader", password).await?;

        j.open("/search?q=scheduled").await?;
        j.tab_to(".hit h3 a").await?;
        j.press_and_follow(Key::Enter).await?;
        let lesson = j.path().await?;
        // Nobody has marked it yet: the header counts no one rather than "helped 0".
        let eyebrow = j.text(".eyebrow").await?.to_lowercase();
        ensure!(!eyebrow.contains("helped"), "{eyebrow}");

        // A tag leads to the lessons that share it.
        j.tab_to(".lesson a[href='/search?tag=embargo']").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(j.count(".hit").await? == 3, "the tag should find its three lessons");

        // Choosing one channel leaves the others listed, to add to it.
        j.tab_to(".facets a[href*='channel=media_press']").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(j.count(".hit").await? == 1, "one channel, one lesson");
        ensure!(
            j.count(".facets a[href*='channel=email']").await? == 1,
            "the other channels should stay listed"
        );
        j.tab_to(".facets a[href*='channel=email']:not([aria-current])")
            .await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(j.count(".hit").await? == 2, "two channels are either one");
        ensure!(
            j.count(".facet-group a[aria-current=true]").await? == 3,
            "two channels and the tag are chosen"
        );
        j.check_page("search with two channels chosen").await?;
        j.screenshot("search-filters").await?;

        // On a phone the filters come first, folded, and open from the keyboard.
        j.window_size(PHONE).await?;
        let layout = "const s = document.querySelector('.filters > summary'), r = document.querySelector('.results');
            const facet = document.querySelector('.facet-group a');
            return [s.getBoundingClientRect().bottom <= r.getBoundingClientRect().top,
                    document.querySelector('.filters').open, facet.checkVisibility()];";
        ensure!(
            j.script(layout).await? == json!([true, false, false]),
            "the folded filters should come before the results: {}",
            j.script(layout).await?
        );
        j.tab_to(".filters > summary").await?;
        j.press(Key::Enter).await?;
        ensure!(
            j.script(layout).await? == json!([true, true, true]),
            "Enter should unfold them"
        );
        j.phone_screenshot("search-filters-phone").await?;
        j.window_size(DESKTOP).await?;
        let beside = "return getComputedStyle(document.querySelector('.filters > summary')).display === 'none'
            && document.querySelector('.facet-group a').checkVisibility()";
        j.open(&j.path().await?).await?;
        ensure!(
            j.script(beside).await? == true,
            "on a wide screen the filters stand unfolded beside the results"
        );

        // Marked, the lesson says so instead of offering the button again.
        j.open(&lesson).await?;
        j.tab_to("input[value=helped] ~ button").await?;
        j.press_and_follow(Key::Enter).await?;
        let signals = j.text("[aria-labelledby=signals-title]").await?;
        ensure!(signals.contains("You marked this"), "{signals}");
        ensure!(j.count("input[value=helped]").await? == 0, "not offered twice");
        ensure!(j.text(".eyebrow").await?.to_lowercase().contains("helped 1 reader"));
        j.check_page("a lesson marked as helpful").await?;
        j.screenshot("lesson-marked").await?;
        Ok(())
    })
    .await
}
