//! Changing a guideline through its pages: each change a revision with its reason and date,
//! shown in the history and as a diff marked in words; two owners saving at once.

use kintsugi::services::{accounts::Role, guidelines};
use kintsugi_tests::each_backend;

use super::{BCC, bcc_lesson, email_guideline, page, send};

#[tokio::test]
async fn a_policy_owner_edits_a_section_and_readers_see_why_and_what_changed() -> anyhow::Result<()>
{
    each_backend(async |app| {
        email_guideline(&app).await?;
        let evidence = bcc_lesson(&app, "Newsletter sent with all addresses visible").await?;
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;

        let (_, guideline) = page(&app, "/guidelines/email", Some(&owner.cookie)).await?;
        assert!(
            guideline.contains(&format!(r#"href="{BCC}/edit""#)),
            "{guideline}"
        );
        let (status, form) = page(&app, &format!("{BCC}/edit"), Some(&owner.cookie)).await?;
        assert_eq!(status, 200, "{form}");
        assert!(
            form.contains("Put external recipients in **BCC**."),
            "{form}"
        );

        let markdown =
            "Put every external recipient in **BCC**.\n\n- Use the mailing tool for large lists.";
        let (status, location, _) = send(
            &app,
            &owner,
            BCC,
            &[
                ("heading", "Use BCC for external lists"),
                ("markdown", markdown),
                (
                    "rationale",
                    "Lessons show lists of partners are external lists too.",
                ),
                ("effective_from", "2026-01-15"),
                ("evidence", &evidence),
            ],
        )
        .await?;
        assert_eq!(status, 303);
        assert_eq!(
            location,
            "/guidelines/email?saved=2#use-bcc-for-external-lists"
        );
        let (_, guideline) = page(&app, &location, None).await?;
        assert!(guideline.contains("Saved as revision 2."), "{guideline}");
        assert!(
            guideline.contains("Put every external recipient in"),
            "{guideline}"
        );

        let (_, history) = page(&app, "/guidelines/email/history", None).await?;
        for expected in [
            "Revision 2",
            "2026-01-15",
            "po.licy",
            "Lessons show lists of partners are external lists too.",
            &format!(r#"<a href="/reports/{evidence}">"#),
            "Section edited (#use-bcc-for-external-lists)",
            "First recorded.",
        ] {
            assert!(history.contains(expected), "{expected} in {history}");
        }

        let (status, revision) = page(&app, "/guidelines/email/revisions/2", None).await?;
        assert_eq!(status, 200, "{revision}");
        assert!(
            revision.contains(r#"<ins><span class="visually-hidden">[added: </span>"#)
                && revision.contains(r#"<del><span class="visually-hidden">[removed: </span>"#),
            "insertions and deletions are said in words: {revision}"
        );
        assert!(revision.contains("every"), "{revision}");
        let (status, diff) = page(&app, "/guidelines/email/diff?from=1&to=2", None).await?;
        assert_eq!(status, 200, "{diff}");
        assert!(diff.contains("[added: </span>"), "{diff}");
        let (status, _) = page(&app, "/guidelines/email/revisions/3", None).await?;
        assert_eq!(status, 404);
        let (status, _) = page(&app, "/guidelines/email/revisions/two", None).await?;
        assert_eq!(status, 404);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn sections_are_added_moved_and_retired_with_their_anchor_still_answering()
-> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app).await?;
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let (status, form) = page(&app, "/guidelines/email/new-section", Some(&owner.cookie)).await?;
        assert_eq!(status, 200, "{form}");
        let (status, location, _) = send(
            &app,
            &owner,
            "/guidelines/email/sections",
            &[
                ("heading", "Name external lists clearly"),
                ("markdown", "Lists with external members start with **EXT**."),
                ("rationale", "A list quietly gained partners."),
            ],
        )
        .await?;
        assert_eq!(status, 303);
        assert_eq!(location, "/guidelines/email?saved=2#name-external-lists-clearly");

        let (status, location, _) = send(
            &app,
            &owner,
            "/guidelines/email/sections/name-external-lists-clearly/move",
            &[("direction", "up"), ("rationale", "It belongs next to BCC.")],
        )
        .await?;
        assert_eq!((status, location.as_str()), (303, "/guidelines/email?saved=3#name-external-lists-clearly"));
        let (_, moved) = page(&app, "/guidelines/email/revisions/3", None).await?;
        assert!(moved.contains("Moved from place 3 to place 2."), "{moved}");

        let (status, location, _) = send(
            &app,
            &owner,
            &format!("{BCC}/retire"),
            &[
                ("replaced_by", "name-external-lists-clearly"),
                ("rationale", "Folded into the naming rule."),
                ("effective_from", "2027-01-01"),
            ],
        )
        .await?;
        assert_eq!(status, 303, "{location}");
        let (_, guideline) = page(&app, "/guidelines/email", None).await?;
        assert!(guideline.contains(r#"<section id="use-bcc-for-external-lists""#), "{guideline}");
        assert!(guideline.contains("Retired on "), "{guideline}");
        assert!(
            guideline.contains(r##"replaced by <a href="#name-external-lists-clearly">Name external lists clearly</a>"##),
            "{guideline}"
        );
        // A retired section has no edit page; readers may not reach the editing pages at all.
        let (status, _) = page(&app, &format!("{BCC}/edit"), Some(&owner.cookie)).await?;
        assert_eq!(status, 404);
        let reader = app.staff("re.ader", Role::Reader).await?;
        let (status, _, _) = send(
            &app,
            &reader,
            "/guidelines/email/sections/reply-to-the-sender-not-to-all",
            &[("markdown", "x"), ("rationale", "y")],
        )
        .await?;
        assert_eq!(status, 403);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn moderators_link_and_unlink_a_lesson_from_its_page() -> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app).await?;
        let lesson = bcc_lesson(&app, "Newsletter sent with all addresses visible").await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let path = format!("/reports/{lesson}/guidelines");

        let (_, before) =
            page(&app, &format!("/reports/{lesson}"), Some(&moderator.cookie)).await?;
        assert!(before.contains("Link the lesson"), "{before}");
        assert!(
            before.contains(r#"<option value="email#reply-to-the-sender-not-to-all">"#),
            "{before}"
        );

        let section = "email#reply-to-the-sender-not-to-all";
        let (status, _, linked) = send(
            &app,
            &moderator,
            &path,
            &[("section", section), ("action", "link")],
        )
        .await?;
        assert_eq!(status, 200, "{linked}");
        assert!(
            linked.contains("Linked: the section now lists this lesson"),
            "{linked}"
        );
        assert!(
            linked.contains("Email: Reply to the sender, not to all</a>"),
            "{linked}"
        );
        let (_, guideline) = page(&app, "/guidelines/email", None).await?;
        assert_eq!(guideline.matches(&format!("/reports/{lesson}")).count(), 2);

        let (status, _, unlinked) = send(
            &app,
            &moderator,
            &path,
            &[("section", section), ("action", "unlink")],
        )
        .await?;
        assert_eq!(status, 200, "{unlinked}");
        assert!(unlinked.contains("no longer linked"), "{unlinked}");
        assert!(!unlinked.contains("Email: Reply to the sender, not to all</a>"));

        let (status, _, refused) = send(
            &app,
            &moderator,
            &path,
            &[("section", "email#no-such-section")],
        )
        .await?;
        assert_eq!(status / 100, 4, "{refused}");
        let (status, _, refused) =
            send(&app, &moderator, &path, &[("section", "not a section")]).await?;
        assert_eq!(status, 422, "{refused}");
        assert!(refused.contains("does not name a section"), "{refused}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn two_policy_owners_saving_at_once_make_two_numbered_revisions() -> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app).await?;
        let first = app.staff("po.one", Role::PolicyOwner).await?;
        let second = app.staff("po.two", Role::PolicyOwner).await?;
        let edit = |markdown: &'static str| {
            [
                ("heading", "Use BCC for external lists"),
                ("markdown", markdown),
                ("rationale", "Both owners saw the same lesson."),
            ]
        };
        let (edit_one, edit_two) = (
            edit("Always put external recipients in BCC."),
            edit("Put every external recipient in BCC."),
        );
        let (one, two) = tokio::join!(
            send(&app, &first, BCC, &edit_one),
            send(&app, &second, BCC, &edit_two)
        );
        let mut saved = [one?.1, two?.1];
        saved.sort();
        assert_eq!(
            saved,
            [
                "/guidelines/email?saved=2#use-bcc-for-external-lists",
                "/guidelines/email?saved=3#use-bcc-for-external-lists"
            ]
        );
        let (_, history) = page(&app, "/guidelines/email/history", None).await?;
        assert!(
            history.contains("po.one") && history.contains("po.two"),
            "{history}"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn two_policy_owners_adding_one_heading_at_once_make_one_section() -> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app).await?;
        let first = app.staff("po.one", Role::PolicyOwner).await?;
        let second = app.staff("po.two", Role::PolicyOwner).await?;
        let add = |markdown: &'static str| {
            [
                ("heading", "Check the list before sending"),
                ("markdown", markdown),
                ("rationale", "Both owners read the same lesson."),
            ]
        };
        let (add_one, add_two) = (
            add("Open the list and read who is on it."),
            add("Look at the members of a list before you send."),
        );
        let path = "/guidelines/email/sections";
        let (one, two) = tokio::join!(
            send(&app, &first, path, &add_one),
            send(&app, &second, path, &add_two)
        );
        let (one, two) = (one?, two?);
        let ((added, _), (refused, refused_text)) = if one.0 == 303 {
            ((one, add_one[1].1), (two, add_two[1].1))
        } else {
            ((two, add_two[1].1), (one, add_one[1].1))
        };
        assert_eq!(added.0, 303, "{}", added.2);
        assert!(
            added.1.contains("#check-the-list-before-sending"),
            "{}",
            added.1
        );
        assert_eq!(refused.0, 422, "{}", refused.2);
        assert!(refused.2.contains("word it differently"), "{}", refused.2);
        // The refused owner's text comes back to be reworded.
        assert!(refused.2.contains(refused_text), "{}", refused.2);
        let view = guidelines::get(&app.state.db, "email").await?;
        let added_sections = view
            .sections
            .iter()
            .filter(|s| s.anchor == "check-the-list-before-sending")
            .count();
        assert_eq!(added_sections, 1);
        let history = guidelines::revisions(&app.state.db, "email").await?;
        assert_eq!(
            history
                .iter()
                .filter(|r| r.rationale.contains("Both owners"))
                .count(),
            1,
            "one revision, not an add and an edit"
        );
        Ok(())
    })
    .await
}
