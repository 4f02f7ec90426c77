//! Journey 2: come back with the receipt, read the status, add a detail.

use anyhow::ensure;
use kintsugi_tests::browser::{Key, journey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_comes_back_with_the_receipt_and_adds_a_detail() -> anyhow::Result<()> {
    journey(async |j| {
        let (report_ref, receipt) = j
            .site
            .logged_report("Scheduled post went out early")
            .await?;
        j.open("/").await?;
        j.tab_to("nav a[href='/receipt']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("receipt lookup").await?;

        // A mistyped code is refused with an error that is announced and leads to the field.
        j.tab_to("#receipt").await?;
        j.type_text("ABCD-EFGH").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.focus_is(".error-summary[role=alert]").await?,
            "the error summary should take focus, not {:?}",
            j.focused().await?
        );
        ensure!(
            j.count(".error-summary a[href='#receipt']").await? == 1,
            "the summary should link to the field"
        );
        ensure!(
            j.count("#receipt[aria-invalid=true][aria-describedby~=receipt-error]")
                .await?
                == 1,
            "the field should be marked invalid and described by its error"
        );
        j.check_page("receipt lookup with an error").await?;

        j.tab_to(".error-summary a[href='#receipt']").await?;
        j.press(Key::Enter).await?;
        ensure!(
            j.focus_is("#receipt").await?,
            "the error link left focus on {:?}",
            j.focused().await?
        );
        j.select_all().await?;
        j.type_text(&receipt).await?;
        j.press_and_follow(Key::Enter).await?;

        let facts = j.text(".facts").await?;
        ensure!(
            facts.contains(&report_ref),
            "the status page should name the report: {facts}"
        );
        ensure!(facts.contains("Scheduled post went out early"), "{facts}");
        j.check_page("report status").await?;
        j.screenshot("receipt-status").await?;

        j.tab_to("#detail").await?;
        j.type_text("The scheduling tool showed times in another time zone.")
            .await?;
        j.tab_to("form[action='/receipt/detail'] button").await?;
        j.press_and_follow(Key::Enter).await?;
        let notice = j.text(".notice[role=status]").await?;
        ensure!(notice.contains("your detail was added"), "{notice}");
        let conversation = j.text(".conversation").await?;
        ensure!(conversation.contains("another time zone"), "{conversation}");
        j.check_page("report status with a detail").await?;
        Ok(())
    })
    .await
}
