//! Journey: on the demo data a reader sees the lessons behind "Use BCC for external lists"; a
//! policy owner changes that section with a reason and an effective date, after a refusal
//! that keeps the text; a reader then opens the history, the revision and the diff.

use anyhow::ensure;
use kintsugi::services::accounts::{self, Password, Role};
use kintsugi_tests::browser::{Key, journey};

const BCC: &str = "#use-bcc-for-external-lists";
const OWNER: &str = "po.licy";
const OWNER_PASSWORD: &str = "a long policy owner password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_owner_changes_a_section_and_a_reader_sees_why() -> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_lessons().await?;
        let db = &j.site.state.db;
        accounts::add(
            db,
            "command line",
            OWNER,
            Role::PolicyOwner,
            OWNER_PASSWORD,
            Password::Chosen,
        )
        .await?;

        // A reader finds the guidelines from the home page, and the lessons behind a rule.
        j.open("/").await?;
        j.tab_to("main a[href='/guidelines']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("the guidelines").await?;
        j.tab_to("main a[href='/guidelines/email']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("a guideline").await?;
        let lessons = j.count(&format!("{BCC} .why-lessons li")).await?;
        ensure!(lessons >= 3, "the BCC section lists {lessons} lessons");
        let why = j.text(&format!("{BCC} .why h3")).await?;
        ensure!(why.contains(&format!("({lessons} lessons)")), "{why}");
        ensure!(
            j.count(&format!("{BCC} a[href$='/edit']")).await? == 0,
            "readers do not edit"
        );

        // The policy owner signs in and opens the section's edit page from the guideline.
        j.open("/signin?next=/guidelines/email").await?;
        j.sign_in(OWNER, OWNER_PASSWORD).await?;
        j.tab_to(&format!("{BCC} a[href$='/edit']")).await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("editing a section").await?;

        // Sent without a reason, the form comes back with the new words kept.
        j.tab_to("#markdown").await?;
        j.type_text("Always, and without exception: ").await?;
        j.tab_to("main form button[type=submit]").await?;
        j.press_and_follow(Key::Enter).await?;
        let summary = j.text(".error-summary").await?;
        ensure!(
            summary.contains("Say why the guideline changes"),
            "{summary}"
        );
        let kept = j
            .script("return document.querySelector('#markdown').value")
            .await?;
        ensure!(
            kept.as_str()
                .is_some_and(|k| k.contains("without exception")),
            "{kept}"
        );
        j.check_page("a section refused without a reason").await?;

        j.tab_to("#rationale").await?;
        j.type_text("Three lessons this year came from lists with partners on them.")
            .await?;
        // A date field's parts follow the browser's locale; the value is set as a whole.
        j.script("document.querySelector('#effective_from').value = '2026-01-15'; return true;")
            .await?;
        j.tab_to("main form button[type=submit]").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.path().await? == "/guidelines/email?saved=2",
            "saving leads back to the guideline"
        );
        let notice = j.text(".notice[role=status]").await?;
        ensure!(notice.contains("Saved as revision 2"), "{notice}");
        j.check_page("a guideline just changed").await?;

        j.open("/guidelines/email/new-section").await?;
        j.check_page("adding a section").await?;
        j.open("/guidelines/email").await?;

        // Signed out, a reader opens the history, the revision and the diff.
        j.tab_to("form[action='/signout'] button").await?;
        j.press_and_follow(Key::Enter).await?;
        j.open("/guidelines/email").await?;
        j.tab_to("main a[href='/guidelines/email/history']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("a guideline's history").await?;
        let history = j.text("table").await?;
        for expected in ["2026-01-15", OWNER, "lists with partners on them"] {
            ensure!(history.contains(expected), "{expected} in {history}");
        }
        j.tab_to("a[href='/guidelines/email/revisions/2']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("a revision with its diff").await?;
        let added = j.text(".section-change ins").await?;
        ensure!(
            added.contains("added:") && added.contains("without exception"),
            "insertions are said in words: {added}"
        );
        j.tab_to("a[href^='/guidelines/email/diff']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("two revisions compared").await?;
        let compared = j.text(".section-changes").await?;
        ensure!(compared.contains("without exception"), "{compared}");
        j.open("/guidelines/email/diff?from=9&to=2").await?;
        ensure!(
            j.count(".error-summary a[href='#from']").await? == 1,
            "a revision that is not one is named beside its field"
        );
        j.check_page("a comparison with a revision that is not one")
            .await?;
        Ok(())
    })
    .await
}
