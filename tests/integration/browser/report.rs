//! Journey 1: log a mistake with the keyboard alone, recover from the errors, keep the
//! receipt.

use anyhow::ensure;
use kintsugi_tests::browser::{Key, journey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mistake_is_logged_with_the_keyboard_alone_and_the_receipt_kept() -> anyhow::Result<()> {
    journey(async |j| {
        j.open("/report").await?;
        j.check_page("report form").await?;
        j.screenshot("report-form").await?;

        // A fresh load: the first Tab reaches the skip link, which leads into the content.
        j.open("/report").await?;
        j.press(Key::Tab).await?;
        ensure!(
            j.focus_is("a.skip-link[href='#main']").await?,
            "the first Tab reached {:?}",
            j.focused().await?
        );
        j.press(Key::Enter).await?;
        ensure!(j.focus_is("main").await?, "the skip link left focus on {:?}", j.focused().await?);

        // Sent empty: the errors are summarised, announced, focused and linked to their fields.
        j.tab_to(".report-form .actions button").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.focus_is(".error-summary[role=alert]").await?,
            "the error summary should take focus, not {:?}",
            j.focused().await?
        );
        let targets = j
            .script(
                "return [...document.querySelectorAll('.error-summary a')]
                   .map(a => a.hash + ' ' + !!document.getElementById(a.hash.slice(1)))",
            )
            .await?;
        for field in ["#title", "#narrative", "#channel", "#impact"] {
            ensure!(
                targets.as_array().into_iter().flatten().any(|t| t == &format!("{field} true")),
                "the summary should link to {field}: {targets}"
            );
        }
        ensure!(
            j.count("#title[aria-invalid=true][aria-describedby~=title-error]").await? == 1,
            "the title field should be marked invalid and described by its error"
        );
        let summary = j.text(".error-summary").await?;
        ensure!(
            summary.contains("Give the mistake a short title.") && !summary.contains("choose one of"),
            "the summary should say what to do, in words: {summary}"
        );
        j.check_page("report form with errors").await?;

        // The summary's first link leads to the title field.
        j.tab_to(".error-summary a[href='#title']").await?;
        j.press(Key::Enter).await?;
        ensure!(j.focus_is("#title").await?, "the error link left focus on {:?}", j.focused().await?);
        j.type_text("Embargoed figures in a draft sent to the press list").await?;
        j.press(Key::Tab).await?;
        ensure!(j.focus_is("#narrative").await?, "Tab after the title went to {:?}", j.focused().await?);
        j.type_text("The draft release still had next week's figures in a table; the mail client suggested the press list first.").await?;

        // A drop-down answers to typing, a radio group to Space.
        j.tab_to("#channel").await?;
        j.type_text("Email").await?;
        ensure!(
            j.script("return document.getElementById('channel').value").await? == "email",
            "typing in the channel list should choose Email"
        );
        j.tab_to("input[name=impact]").await?;
        j.press(Key::Space).await?;
        ensure!(j.count("input[name=impact]:checked").await? == 1, "Space should choose an impact");

        j.tab_to(".report-form .actions button").await?;
        j.press_and_follow(Key::Enter).await?;

        // The receipt: readable, once, and easy to keep.
        let code = j.text("#receipt-code code").await?;
        let groups: Vec<&str> = code.split('-').collect();
        ensure!(
            groups.len() == 7 && groups.iter().all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_alphanumeric())),
            "the receipt code should read as seven groups of four: {code:?}"
        );
        j.check_page("receipt").await?;
        j.check_print("receipt").await?;
        j.screenshot("receipt").await?;
        j.tab_to("a[download]").await?;
        let saved = j.attr("a[download]", "href").await?.unwrap_or_default();
        ensure!(saved.contains(&code), "the text file should hold the code: {saved}");
        ensure!(
            j.script("return !document.querySelector('.print-button').hidden").await? == true,
            "the print button should be offered where JavaScript runs"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wording_hints_appear_beside_the_text_being_typed() -> anyhow::Result<()> {
    journey(async |j| {
        j.open("/report").await?;
        let impacts = j.text("#impact").await?;
        ensure!(
            impacts.contains("Caught before it reached anyone") && impacts.contains("Lasting harm"),
            "each impact should say what it means: {impacts}"
        );
        ensure!(j.text("#tags-hint").await?.contains("commas"));

        j.tab_to("#narrative").await?;
        j.type_text("It was human error: I should have known better.")
            .await?;
        j.wait_for(
            "a wording hint beside the text",
            "return !!document.querySelector('#narrative-wording .hint-item')",
        )
        .await?;
        // Beside the text being typed: right under it, not at the end of the form.
        let gap = j
            .script(
                "const field = document.getElementById('narrative').getBoundingClientRect();
                 const hints = document.getElementById('narrative-wording').getBoundingClientRect();
                 return hints.top - field.bottom;",
            )
            .await?;
        ensure!(
            gap.as_f64().is_some_and(|gap| (0.0..24.0).contains(&gap)),
            "the hint should sit right under the field, {gap} px away"
        );
        ensure!(
            j.text("#narrative-wording").await?.contains("human error"),
            "the hint should name the words"
        );
        ensure!(
            j.count("#title-wording .hint-item").await? == 0,
            "only the text with the words gets a hint"
        );
        j.check_page("report form with a hint beside a field")
            .await?;
        j.screenshot("report-form-hint").await?;
        Ok(())
    })
    .await
}
