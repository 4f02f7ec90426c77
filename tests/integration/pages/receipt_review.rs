//! The reporter's side of moderation on the receipt page: a question answered first, the
//! offered version shown as changes to their words, and the published lesson read there.

use kintsugi::{config::ReadAccess, services::accounts::Role};
use kintsugi_tests::each_backend_with;
use poem::http::StatusCode;

use crate::{
    moderation::moderate,
    support::{submit, text},
};

async fn receipt_page(
    app: &kintsugi_tests::TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> anyhow::Result<(StatusCode, String)> {
    let response = app.client.post(path).form(&form.to_vec()).send().await;
    let status = response.0.status();
    Ok((status, text(response).await?))
}

/// Where `needle` first appears in `page`, or a failure naming it.
fn at(page: &str, needle: &str) -> anyhow::Result<usize> {
    page.find(needle)
        .ok_or_else(|| anyhow::anyhow!("{needle:?} is not on the page: {page}"))
}

#[tokio::test]
async fn the_reporter_sees_the_changes_answers_first_and_reads_the_published_lesson()
-> anyhow::Result<()> {
    // Reading lessons needs an account, as it does by default.
    let signed_in = |config: &mut kintsugi::config::Config| {
        config.access.read_access = ReadAccess::SignedIn;
    };
    each_backend_with(signed_in, async |app| {
        let (report_ref, receipt) = submit(&app, "Draft sent to the whole list").await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let path = |action: &str| format!("/moderation/{report_ref}/{action}");
        moderate(
            &app,
            &moderator,
            &path("draft"),
            &[
                ("title", "Draft sent to the whole list"),
                (
                    "narrative",
                    "A colleague sent the draft to the whole distribution list instead of a manager.",
                ),
                ("lesson", "Distribution lists should not be the first suggestion."),
                ("tags", "reply all, drafts"),
                ("action", "offer"),
            ],
        )
        .await
        .assert_status_is_ok();
        moderate(
            &app,
            &moderator,
            &path("ask"),
            &[("question", "Which list did the tool suggest first?")],
        )
        .await
        .assert_status_is_ok();

        // While the question waits, the answer comes before the version, and the status is
        // the reporter's to act on.
        let (_, page) = receipt_page(&app, "/receipt", &[("receipt", &receipt)]).await?;
        assert!(at(&page, "Answer the moderator")? < at(&page, "The version to be published")?);
        assert!(page.contains("Waiting for your answer"), "{page}");
        assert!(!page.contains("Waiting for the reporter"), "{page}");
        // The offered version as changes to the reporter's words, named as well as styled.
        assert!(page.contains("[removed: </span>I"), "{page}");
        assert!(page.contains("[added: </span>A colleague"), "{page}");
        assert!(page.contains("<del>") && page.contains("<ins>"), "{page}");
        // Tags typed with commas stay whole, and compare as a set.
        assert!(page.contains("reply-all, <ins><span class=\"visually-hidden\">[added: </span>drafts"), "{page}");
        assert!(page.contains("Logged on"), "{page}");

        receipt_page(
            &app,
            "/receipt/detail",
            &[("receipt", &receipt), ("detail", "The whole list came first.")],
        )
        .await?;
        let (status, _) = receipt_page(
            &app,
            "/receipt/review",
            &[("receipt", &receipt), ("decision", "approve")],
        )
        .await?;
        assert_eq!(status, StatusCode::OK);
        moderate(&app, &moderator, &path("publish"), &[])
            .await
            .assert_status(StatusCode::SEE_OTHER);

        // Published: the lesson itself is on the receipt page, for a reporter who has no
        // account to read it elsewhere; the approval is over, and only the month is shown.
        let (_, page) = receipt_page(&app, "/receipt", &[("receipt", &receipt)]).await?;
        assert!(page.contains("Your shared lesson"), "{page}");
        assert!(page.contains("A colleague sent the draft"), "{page}");
        assert!(page.contains("#reply-all") && page.contains("#drafts"), "{page}");
        assert!(!page.contains("Approve this version"), "{page}");
        assert!(!page.contains("The version to be published"), "{page}");
        assert!(page.contains("Logged in") && !page.contains("Logged on"), "{page}");
        assert!(
            !page.contains(&format!("href=\"/reports/{report_ref}\"")),
            "reading needs an account here: no link that leads to signing in"
        );
        let (status, page) = receipt_page(
            &app,
            "/receipt/review",
            &[("receipt", &receipt), ("decision", "approve")],
        )
        .await?;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(page.contains("already published"), "{page}");
        Ok(())
    })
    .await
}
