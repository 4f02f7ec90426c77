//! Journey 4: a moderator signs in, redacts a phone number with one click, corrects what the
//! report is about, offers the version to the reporter, who approves it with the receipt, and
//! publishes; a reader then marks it.

use anyhow::ensure;
use kintsugi::services::{
    accounts::{self, Password, Role},
    reports::{self, ReportInput},
};
use kintsugi_tests::browser::{Journey, Key, MODERATOR, MODERATOR_PASSWORD, journey};

use super::forms::in_one_column;

const PHONE: &str = "020 7946 0958";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_redacts_and_publishes_with_the_keyboard_alone() -> anyhow::Result<()> {
    journey(async |j| {
        let db = &j.site.state.db;
        j.site.moderator().await?;
        let input = ReportInput {
            title: "Press release sent before sign-off".to_owned(),
            narrative: format!(
                "The draft went to the press list. The journalist called back on {PHONE}."
            ),
            channel: Some("media_press".to_owned()),
            impact: Some("moderate".to_owned()),
            ..ReportInput::default()
        };
        let created = reports::create(db, &j.site.state.receipts, input).await?;
        let report_ref = created.report_ref.clone();

        // Asking for the queue leads to signing in, and back.
        j.open("/moderation").await?;
        j.check_page("sign in").await?;
        j.sign_in(MODERATOR, MODERATOR_PASSWORD).await?;
        ensure!(
            j.path().await? == "/moderation",
            "signing in should lead back to the queue"
        );
        j.check_page("moderation queue").await?;
        let columns = j.text("table thead").await?;
        ensure!(columns.contains("Reporter’s approval"), "{columns}");

        j.tab_to(&format!("a[href='/moderation/{report_ref}']"))
            .await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("a report to moderate").await?;
        j.screenshot("moderation").await?;
        publishing_blocked(j, "Save the published version first").await?;
        ensure!(
            j.count(".decision h3").await? == 3,
            "publish, merge and reject each have their own part"
        );
        in_one_column(j, "#factors .choice", "the factors to correct").await?;

        // One click on the suggestion redacts the phone number in the published version.
        j.tab_to("form[action$='/redactions'] button[value=accept]")
            .await?;
        j.press_and_follow(Key::Enter).await?;
        let draft = j
            .script("return document.querySelector('#narrative').value")
            .await?;
        let draft = draft.as_str().unwrap_or_default().to_owned();
        ensure!(
            draft.contains("[phone number]") && !draft.contains(PHONE),
            "{draft}"
        );
        let raw = j.text(".raw-text").await?;
        ensure!(
            raw.contains(PHONE),
            "the reporter's words stay for moderators: {raw}"
        );

        publishing_blocked(j, "Offer the de-identified version to the reporter first").await?;

        // What it is about, corrected with the keyboard: the channel, impact and a factor.
        j.tab_to("#channel").await?;
        j.type_text("Em").await?;
        j.tab_to("input[name=impact]:checked").await?;
        j.press(Key::Down).await?;
        j.tab_to("input[name=factors][value=unclear_approval]")
            .await?;
        j.press(Key::Space).await?;
        j.tab_to("button[value=offer]").await?;
        j.press_and_follow(Key::Enter).await?;
        let notice = j.text(".notice[role=status]").await?;
        ensure!(notice.contains("offered to the reporter"), "{notice}");
        let facts = j.text(".facts").await?;
        ensure!(
            ["Email", "Serious", "Unclear approval"]
                .iter()
                .all(|fact| facts.contains(fact)),
            "{facts}"
        );

        // The reporter reads the version with the receipt alone, and approves it.
        j.open("/receipt").await?;
        j.tab_to("#receipt").await?;
        j.type_text(&created.receipt.display()).await?;
        j.press_and_follow(Key::Enter).await?;
        // The offered version has the number replaced; the reporter's own number shows only
        // as what was taken out of their words.
        let offered = j
            .script(
                "const c = document.querySelector('.changes').cloneNode(true);
                 c.querySelectorAll('del').forEach(d => d.remove());
                 return c.textContent;",
            )
            .await?;
        let offered = offered.as_str().unwrap_or_default().to_owned();
        ensure!(
            offered.contains("[phone number]") && !offered.contains(PHONE),
            "{offered}"
        );
        let removed = j
            .script("return [...document.querySelectorAll('.changes del')].map(d => d.textContent).join('|')")
            .await?;
        ensure!(
            removed.as_str().is_some_and(|r| r.contains(PHONE)),
            "{removed}"
        );
        j.check_page("the version offered to the reporter").await?;
        j.tab_to("button[value=approve]").await?;
        j.press_and_follow(Key::Enter).await?;
        let notice = j.text(".notice[role=status]").await?;
        ensure!(notice.contains("approved"), "{notice}");

        // Published: the queue confirms it, is empty, and links to the lesson, which reads
        // without the number.
        j.open(&format!("/moderation/{report_ref}")).await?;
        j.tab_to("form[action$='/publish'] button").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(
            j.path().await? == format!("/moderation?decided={report_ref}"),
            "publishing returns to the queue"
        );
        let confirmed = j.text(".notice[role=status]").await?;
        ensure!(
            confirmed.contains("“Press release sent before sign-off” is published"),
            "{confirmed}"
        );
        ensure!(j.count(".empty").await? == 1, "the queue should be empty");
        j.check_page("the queue confirming a publication").await?;
        j.site.indexed().await?;
        j.tab_to(&format!(".notice a[href='/reports/{report_ref}']"))
            .await?;
        j.press_and_follow(Key::Enter).await?;
        let lesson = j.text("main").await?;
        ensure!(
            lesson.contains("[phone number]") && !lesson.contains(PHONE),
            "{lesson}"
        );
        j.check_page("a published lesson, signed in").await?;
        j.tab_to("input[value=helped] ~ button").await?;
        j.press_and_follow(Key::Enter).await?;
        let notice = j.text(".notice[role=status]").await?;
        ensure!(notice.contains("Thank you"), "{notice}");

        j.open("/account").await?;
        j.check_page("account").await?;
        Ok(())
    })
    .await
}

/// The publish button cannot be used, and says why beside it.
async fn publishing_blocked(j: &Journey, why: &str) -> anyhow::Result<()> {
    ensure!(
        j.count("form[action$='/publish'] button[disabled]").await? == 1,
        "publishing should be blocked"
    );
    let reason = j.text("#publish-blocker").await?;
    ensure!(reason.contains(why), "{reason}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_an_account_and_reads_the_audit_log() -> anyhow::Result<()> {
    journey(async |j| {
        let db = &j.site.state.db;
        accounts::add(
            db,
            "command line",
            "the.admin",
            Role::Admin,
            "a long admin password here",
            Password::Chosen,
        )
        .await?;
        j.open("/admin/users").await?;
        j.sign_in("the.admin", "a long admin password here").await?;
        j.check_page("accounts").await?;

        j.tab_to("main #name").await?;
        j.type_text("new.reader").await?;
        j.tab_to("#role").await?;
        j.type_text("Reader").await?;
        j.tab_to("form[action='/admin/users'] button").await?;
        j.press_and_follow(Key::Enter).await?;
        let created = j.text(".receipt[role=status]").await?;
        ensure!(created.contains("new.reader"), "{created}");
        j.check_page("accounts with a new one").await?;

        j.open("/admin/audit").await?;
        let log = j.text("table").await?;
        ensure!(
            log.contains("Account added") && log.contains("the.admin"),
            "{log}"
        );
        j.check_page("audit log").await?;
        Ok(())
    })
    .await
}
