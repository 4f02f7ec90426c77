//! Lessons linked to sections, seen from both sides.

use kintsugi::{
    codes::ReportRef,
    services::{
        accounts::Role,
        guidelines::{self, ChangeNote, SectionRef},
    },
};
use kintsugi_tests::each_backend;

use super::{AUTHOR, email_guideline, lesson};

fn section(anchor: &str) -> SectionRef {
    SectionRef {
        guideline: "email".to_owned(),
        anchor: anchor.to_owned(),
    }
}

#[tokio::test]
async fn a_linked_lesson_shows_under_its_section_and_the_section_under_the_lesson()
-> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        email_guideline(
            &app,
            &[("bcc", "Use Bcc", "Text."), ("tone", "Tone", "Text.")],
        )
        .await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let account = super::account(&app, &moderator).await?;
        let first: ReportRef = lesson(&app, "Partners saw each other's addresses")
            .await?
            .parse()?;
        let second: ReportRef = lesson(&app, "The list went in To").await?.parse()?;
        assert_eq!(
            guidelines::link(db, &account, &first, &[section("bcc"), section("tone")]).await?,
            2
        );
        assert_eq!(
            guidelines::link(db, &account, &second, &[section("bcc")]).await?,
            1
        );
        // Linking again adds nothing.
        assert_eq!(
            guidelines::link(db, &account, &first, &[section("bcc")]).await?,
            0
        );
        let lessons = guidelines::lessons_of(db, &section("bcc")).await?;
        assert_eq!(lessons.total, 2);
        let refs: Vec<String> = lessons
            .lessons
            .iter()
            .map(|l| l.report_ref.clone())
            .collect();
        assert_eq!(
            refs,
            [second.to_string(), first.to_string()],
            "newest link first"
        );
        let view = guidelines::get(db, "email").await?;
        assert_eq!(
            view.sections[0].lessons,
            [second.to_string(), first.to_string()]
        );
        let guidance = guidelines::guidance_of(db, &first).await?;
        let anchors: Vec<&str> = guidance.iter().map(|g| g.anchor.as_str()).collect();
        assert_eq!(anchors, ["bcc", "tone"]);
        // A section retired later still shows under the lesson, marked as retired.
        guidelines::retire_section(
            db,
            AUTHOR,
            "email",
            "tone",
            Some("bcc"),
            &ChangeNote::because("merged"),
        )
        .await?;
        let guidance = guidelines::guidance_of(db, &first).await?;
        assert!(guidance[1].retired_on.is_some());
        // But no new link goes to it.
        let refused = guidelines::link(db, &account, &second, &[section("tone")]).await;
        assert!(refused.is_err_and(|e| e.to_string().starts_with("sections:")));
        // Unlinking removes it from both sides.
        assert!(guidelines::unlink(db, &account, &first, &section("bcc")).await?);
        assert!(!guidelines::unlink(db, &account, &first, &section("bcc")).await?);
        assert_eq!(guidelines::lessons_of(db, &section("bcc")).await?.total, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn only_published_lessons_and_existing_sections_are_linked() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        email_guideline(&app, &[("bcc", "Use Bcc", "Text.")]).await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let account = super::account(&app, &moderator).await?;
        let (submitted, _) = crate::support::submit(&app, "Not yet published").await?;
        let submitted: ReportRef = submitted.parse()?;
        let refused = guidelines::link(db, &account, &submitted, &[section("bcc")]).await;
        assert!(refused.is_err_and(|e| e.to_string() == "report not found"));
        let published: ReportRef = lesson(&app, "Published one").await?.parse()?;
        let refused = guidelines::link(db, &account, &published, &[section("nope")]).await;
        assert!(refused.is_err_and(|e| {
            e.to_string()
                .starts_with("sections: there is no section 'email#nope'")
        }));
        assert_eq!(guidelines::lessons_of(db, &section("bcc")).await?.total, 0);
        Ok(())
    })
    .await
}
