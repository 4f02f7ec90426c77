//! Changing a guideline through its pages: each change a revision with its reason and date,
//! shown in the history and as a diff marked in words; bad input comes back as typed.

use kintsugi::services::{accounts::Role, guidelines};
use kintsugi_tests::{Staff, TestApp, each_backend};

use super::{bcc_lesson, email_guideline, page};
use crate::{moderation::moderate, support::text};

const BCC: &str = "/guidelines/email/sections/use-bcc-for-external-lists";

/// Posts a form as `staff`; the status, the `Location` header and the page.
async fn send(
    app: &TestApp,
    staff: &Staff,
    path: &str,
    form: &[(&str, &str)],
) -> anyhow::Result<(u16, String, String)> {
    let response = moderate(app, staff, path, form).await;
    let status = response.0.status().as_u16();
    let location = response
        .0
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Ok((status, location, text(response).await?))
}

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
async fn bad_input_comes_back_with_the_text_kept_and_nothing_stored() -> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app).await?;
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let kept = "A new rule the owner spent a while writing.";
        let cases: [(&[(&str, &str)], &str); 4] = [
            (
                &[
                    ("heading", "Use BCC"),
                    ("markdown", kept),
                    ("rationale", "  "),
                ],
                "Say why the guideline changes",
            ),
            (
                &[
                    ("heading", "Use BCC"),
                    ("markdown", "Fine first line.\n<script>alert(1)</script>"),
                    ("rationale", "Because."),
                ],
                "line 2: raw HTML is not allowed",
            ),
            (
                &[
                    ("heading", "Use BCC"),
                    ("markdown", kept),
                    ("rationale", "Because."),
                    ("effective_from", "15/01/2026"),
                ],
                "is not a date: write YYYY-MM-DD",
            ),
            (
                &[
                    ("heading", "Use BCC"),
                    ("markdown", kept),
                    ("rationale", "Because."),
                    ("evidence", "not-a-lesson"),
                ],
                "is not a lesson&#x27;s reference",
            ),
        ];
        for (form, error) in cases {
            let (status, _, body) = send(&app, &owner, BCC, form).await?;
            assert_eq!(status, 422, "{error}: {body}");
            assert!(body.contains(error), "{error} in {body}");
            assert!(body.contains("Nothing you wrote has been lost."), "{body}");
            let markdown = form.iter().find(|(k, _)| *k == "markdown").map(|(_, v)| *v);
            let shown = markdown
                .unwrap_or_default()
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(body.contains(&shown), "the text is kept: {body}");
            assert!(!body.contains("<script>alert(1)</script>"), "{body}");
        }
        // A new section whose heading makes an address in use is refused, not made an edit.
        let (status, _, body) = send(
            &app,
            &owner,
            "/guidelines/email/sections",
            &[
                ("heading", "Use BCC for external lists!"),
                ("markdown", kept),
                ("rationale", "New."),
            ],
        )
        .await?;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("which another section has"), "{body}");
        assert!(body.contains(kept), "{body}");
        // Moving the first section up says so beside the choice, with the reason kept.
        let (status, _, body) = send(
            &app,
            &owner,
            &format!("{BCC}/move"),
            &[("direction", "up"), ("rationale", "Reasons kept here.")],
        )
        .await?;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains(r##"href="#move-direction""##), "{body}");
        assert!(
            body.contains("This section is already the first."),
            "{body}"
        );
        assert!(body.contains(">Reasons kept here.</textarea>"), "{body}");
        // A revision that is not one is named beside its field.
        let (status, diff) = page(&app, "/guidelines/email/diff?from=0&to=1", None).await?;
        assert_eq!(status, 422, "{diff}");
        assert!(diff.contains("Choose a revision from 1 to 1"), "{diff}");

        let listed = guidelines::list(&app.state.db).await?;
        assert_eq!(
            listed.first().map(|g| g.revision),
            Some(1),
            "nothing was stored"
        );
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
