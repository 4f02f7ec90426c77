//! Reading: the demo guidelines with the demo lessons behind their sections.

use kintsugi_tests::each_backend;

use super::{bcc_lesson, email_guideline, page};

#[tokio::test]
async fn a_reader_sees_the_lessons_that_explain_a_section() -> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app).await?;
        let older = bcc_lesson(&app, "Newsletter sent with all addresses visible").await?;
        let newer = bcc_lesson(&app, "Partner list turned out to be external").await?;

        let (status, list) = page(&app, "/guidelines", None).await?;
        assert_eq!(status, 200, "{list}");
        assert!(list.contains(r#"<a href="/guidelines/email">Email</a>"#), "{list}");
        assert!(list.contains("2 sections"), "{list}");

        let (status, email) = page(&app, "/guidelines/email", None).await?;
        assert_eq!(status, 200, "{email}");
        assert!(email.contains(r#"<section id="use-bcc-for-external-lists""#), "{email}");
        assert!(email.contains("<strong>BCC</strong>"), "Markdown is rendered: {email}");
        assert!(email.contains("Why this rule exists <span class=\"count\">(2 lessons)</span>"));
        // Both lessons were linked today, so the newest link (the later one) comes first.
        let (first, second) = (
            email.find(&format!("/reports/{newer}")),
            email.find(&format!("/reports/{older}")),
        );
        assert!(first.is_some() && second.is_some() && first < second, "{email}");
        assert!(email.contains("No shared lesson is linked to this section yet."));
        assert!(!email.contains("/edit\""), "readers see no edit links: {email}");

        // The lesson page shows the guidance that applies, for everyone who reads it.
        let (_, lesson) = page(&app, &format!("/reports/{older}"), None).await?;
        assert!(lesson.contains("The guidance that applies"), "{lesson}");
        assert!(
            lesson.contains(r#"<a href="/guidelines/email#use-bcc-for-external-lists">Email: Use BCC for external lists</a>"#),
            "{lesson}"
        );
        assert!(!lesson.contains("Link the lesson"), "only moderators link: {lesson}");

        let (status, _) = page(&app, "/guidelines/no-such-guideline", None).await?;
        assert_eq!(status, 404);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_demo_guidelines_explain_the_demo_lessons_and_load_once() -> anyhow::Result<()> {
    each_backend(async |app| {
        kintsugi::cli::demo(app.config(), &app.state.db).await?;
        let listed = kintsugi::services::guidelines::list(&app.state.db).await?;
        assert!(listed.len() >= 6, "{listed:?}");
        let sections: usize = listed.iter().map(|g| g.sections).sum();
        assert!(sections >= 40, "{sections} sections");

        let (status, email) = page(&app, "/guidelines/email", None).await?;
        assert_eq!(status, 200);
        let bcc = email
            .split(r#"<section id="use-bcc-for-external-lists""#)
            .nth(1)
            .and_then(|rest| rest.split("<section id=").next())
            .unwrap_or_default();
        assert!(
            bcc.contains("Stakeholder newsletter sent with all 80 addresses visible"),
            "{bcc}"
        );
        let linked = bcc.matches("<a href=\"/reports/").count();
        assert!(
            linked >= 3,
            "the BCC section should list several lessons: {bcc}"
        );

        // Loading the demo again changes nothing: no revision, no link, no audit entry.
        let before = kintsugi::services::audit::latest(&app.state.db, 10_000)
            .await?
            .len();
        kintsugi::cli::demo(app.config(), &app.state.db).await?;
        let after = kintsugi::services::audit::latest(&app.state.db, 10_000)
            .await?
            .len();
        assert_eq!(before, after);
        let again = kintsugi::services::guidelines::list(&app.state.db).await?;
        assert!(again.iter().all(|g| g.revision == 1), "{again:?}");
        let (_, email_again) = page(&app, "/guidelines/email", None).await?;
        assert_eq!(email, email_again);
        Ok(())
    })
    .await
}
