//! Journey 5: the reporter answers a moderator's question first, reads what the moderator
//! changed in their words, approves, and then reads the published lesson with the receipt.

use anyhow::ensure;
use kintsugi::{
    codes::ReportRef,
    services::moderation::{self, DraftEdit},
};
use kintsugi_tests::browser::{Journey, Key, journey};

async fn open_receipt(j: &Journey, receipt: &str) -> anyhow::Result<()> {
    j.open("/receipt").await?;
    j.tab_to("#receipt").await?;
    j.type_text(receipt).await?;
    j.press_and_follow(Key::Enter).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_answers_reads_the_changes_and_then_the_published_lesson() -> anyhow::Result<()>
{
    journey(async |j| {
        let db = &j.site.state.db;
        let moderator = j.site.moderator().await?;
        let (report_ref, receipt) = j
            .site
            .logged_report("Scheduled post went out early")
            .await?;
        let report_ref: ReportRef = report_ref.parse()?;
        let edit = DraftEdit {
            title: "Scheduled post went out early".to_owned(),
            narrative: "A scheduled post went out from an official account a day early."
                .to_owned(),
            lesson: "Show the time zone beside the schedule.".to_owned(),
            tags: Some(vec!["scheduling".to_owned(), "time zones".to_owned()]),
            ..DraftEdit::default()
        };
        moderation::save_draft(db, &moderator, &report_ref, edit, true).await?;
        let question = "Which time zone did the tool show?";
        moderation::ask(db, &moderator, &report_ref, question).await?;

        // The question waits: the answer box comes before the version, in reading order,
        // and the status is the reporter's to act on.
        open_receipt(j, &receipt).await?;
        let answer_first = j
            .script(
                "const a = document.getElementById('add-title'), p = document.getElementById('proposed-title');
                 return !!(a && p && (a.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING));",
            )
            .await?;
        ensure!(answer_first == true, "the answer box should come before the version");
        let proposed = j.text(".proposed").await?;
        ensure!(proposed.contains("Waiting for your answer"), "{proposed}");

        // What the moderator changed, marked by line and by words, not by colour alone.
        let marks = j
            .script(
                "const d = document.querySelector('.changes del'), i = document.querySelector('.changes ins');
                 return d && i ? [d.textContent, i.textContent,
                   getComputedStyle(d).textDecorationLine, getComputedStyle(i).textDecorationLine] : [];",
            )
            .await?;
        let mark = |at: usize| marks[at].as_str().unwrap_or_default().to_owned();
        ensure!(
            mark(0).contains("removed: ") && mark(1).contains("added: "),
            "each change should say what it is: {marks}"
        );
        ensure!(
            mark(2) == "line-through" && mark(3) == "underline",
            "{marks}"
        );
        let added = j
            .script("return [...document.querySelectorAll('.changes ins')].map(i => i.textContent).join('|')")
            .await?;
        ensure!(
            added.as_str().is_some_and(|a| a.contains("an official")),
            "{added}"
        );
        j.check_page("a question waiting and the changes offered")
            .await?;
        j.screenshot("receipt-changes").await?;

        // Tab from the top reaches the answer before the approval form.
        j.tab_to("#detail, #comment").await?;
        ensure!(
            j.focus_is("#detail").await?,
            "the answer box should be reached first, not {:?}",
            j.focused().await?
        );
        j.type_text("It showed UTC, not local time.").await?;
        j.tab_to("form[action='/receipt/detail'] button").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(j.text(".conversation").await?.contains("UTC"));
        j.tab_to("button[value=approve]").await?;
        j.press_and_follow(Key::Enter).await?;
        let notice = j.text(".notice[role=status]").await?;
        ensure!(notice.contains("approved"), "{notice}");

        let wait = j.site.state.config.moderation.approval_wait_days;
        moderation::publish(db, &moderator, &report_ref, wait).await?;
        j.site.indexed().await?;

        // Published: the lesson is on the receipt page; there is nothing left to approve,
        // and the day it was logged, no longer kept, is not shown as the first of a month.
        open_receipt(j, &receipt).await?;
        let lesson = j.text(".shared-lesson").await?;
        ensure!(
            lesson.contains("official account") && lesson.contains("#time-zones"),
            "{lesson}"
        );
        ensure!(
            j.count("button[value=approve]").await? == 0 && j.count(".proposed").await? == 0,
            "the approval is over once published"
        );
        let facts = j.text(".facts").await?;
        ensure!(
            facts.contains("Logged in") && !facts.contains("Logged on"),
            "{facts}"
        );
        // Reading is open on this site, so the lesson is linked among the shared ones too.
        let link = format!(".shared-lesson a[href='/reports/{report_ref}']");
        ensure!(j.count(&link).await? == 1, "the lesson should be linked");
        j.check_page("the receipt of a published lesson").await?;
        j.check_print("the receipt of a published lesson").await?;
        Ok(())
    })
    .await
}
