//! Each change is one revision with its author, rationale, date and evidence, and each
//! revision's diff says exactly what changed.

use kintsugi::services::guidelines::{
    self, ChangeKind, ChangeNote, EvidenceKind, SectionEdit, SectionStatus,
};
use kintsugi::services::reports::with_markers;
use kintsugi_tests::each_backend;

use super::{AUTHOR, email_guideline, lesson};

#[tokio::test]
async fn add_change_move_and_retire_each_make_one_revision_with_its_diff() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        email_guideline(
            &app,
            &[
                (
                    "bcc",
                    "Use Bcc for external lists",
                    "Put external recipients in Bcc.",
                ),
                (
                    "attachments",
                    "Check attachments",
                    "Open each attachment before sending.",
                ),
                ("tone", "Mind the tone", "Read it aloud once."),
            ],
        )
        .await?;
        let evidence = lesson(&app, "Partners saw each other's addresses").await?;
        // Change: revision 5, with evidence and an effective date in the past.
        let note = ChangeNote {
            rationale: "Replies to all exposed addresses twice this year.".to_owned(),
            effective_from: Some("2026-01-15".to_owned()),
            evidence: vec![evidence.clone()],
        };
        let edit = SectionEdit {
            heading: None,
            markdown: "Put external recipients in Bcc, always.".to_owned(),
        };
        let changed = guidelines::put_section(db, AUTHOR, "email", "bcc", &edit, &note).await?;
        assert_eq!(
            (changed.revision, changed.changed, changed.created),
            (5, true, false)
        );
        let detail = guidelines::revision(db, "email", 5).await?;
        assert_eq!(detail.revision.change, ChangeKind::Edit);
        assert_eq!(detail.revision.author, AUTHOR);
        assert_eq!(detail.revision.effective_from.to_string(), "2026-01-15");
        assert_eq!(detail.revision.evidence.len(), 1);
        assert_eq!(detail.revision.evidence[0].kind, EvidenceKind::Lesson);
        assert_eq!(detail.revision.evidence[0].key, evidence);
        let changes: Vec<_> = detail.diff.changed_sections().collect();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].status, SectionStatus::Edited);
        assert_eq!(
            with_markers(&changes[0].markdown_pieces),
            "Put external recipients in [-Bcc.][+Bcc, always.]"
        );
        // The same text again makes no revision.
        let again = guidelines::put_section(db, AUTHOR, "email", "bcc", &edit, &note).await?;
        assert_eq!((again.revision, again.changed), (5, false));

        // Move: revision 6; only the moved section is marked.
        let moved = guidelines::move_section(
            db,
            AUTHOR,
            "email",
            "tone",
            1,
            &ChangeNote::because("Tone first"),
        )
        .await?;
        assert_eq!(moved.revision, 6);
        let order: Vec<String> = guidelines::get(db, "email")
            .await?
            .sections
            .into_iter()
            .map(|s| s.anchor)
            .collect();
        assert_eq!(order, ["tone", "bcc", "attachments"]);
        let detail = guidelines::revision(db, "email", 6).await?;
        let changes: Vec<_> = detail
            .diff
            .changed_sections()
            .map(|s| (s.anchor.clone(), s.status, s.moved))
            .collect();
        assert_eq!(
            changes,
            [("tone".to_owned(), SectionStatus::Moved, Some((3, 1)))]
        );

        // Retire: revision 7; the anchor still answers with its retirement and replacement.
        let retired = guidelines::retire_section(
            db,
            AUTHOR,
            "email",
            "attachments",
            Some("bcc"),
            &ChangeNote::because("Covered by the Bcc rule"),
        )
        .await?;
        assert_eq!(retired.revision, 7);
        let section = guidelines::section(db, "email", "attachments").await?;
        assert_eq!(section.retired_on, Some(kintsugi::today()));
        assert_eq!(section.replaced_by.as_deref(), Some("bcc"));
        let current = guidelines::get(db, "email").await?;
        assert_eq!(current.sections.len(), 2);
        assert_eq!(current.retired.len(), 1);
        let detail = guidelines::revision(db, "email", 7).await?;
        let changes: Vec<_> = detail
            .diff
            .changed_sections()
            .map(|s| (s.anchor.clone(), s.status))
            .collect();
        assert_eq!(
            changes,
            [("attachments".to_owned(), SectionStatus::Retired)]
        );

        // The history lists all seven, newest first; revision 5 still shows the old order.
        let history = guidelines::revisions(db, "email").await?;
        let numbers: Vec<i32> = history.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [7, 6, 5, 4, 3, 2, 1]);
        let kinds: Vec<ChangeKind> = history.iter().map(|r| r.change).collect();
        use ChangeKind::*;
        assert_eq!(kinds, [Retire, Move, Edit, Add, Add, Add, Create]);
        let five = guidelines::revision(db, "email", 5).await?;
        let then: Vec<&str> = five.snapshot.current().map(|s| s.anchor.as_str()).collect();
        assert_eq!(then, ["bcc", "attachments", "tone"]);
        // Any two revisions compare: from 4 to 7 the edit and the retirement, and the swap of
        // tone and bcc, shown as a move of one of them.
        let span = guidelines::compare_revisions(db, "email", 4, 7).await?;
        let mut statuses: Vec<_> = span
            .diff
            .changed_sections()
            .map(|s| (s.anchor.clone(), s.status))
            .filter(|(_, status)| *status != SectionStatus::Moved)
            .collect();
        statuses.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            statuses,
            [
                ("attachments".to_owned(), SectionStatus::Retired),
                ("bcc".to_owned(), SectionStatus::Edited)
            ]
        );
        assert!(span.diff.sections.iter().any(|s| s.moved.is_some()));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn refused_changes_store_nothing_and_name_the_field() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        email_guideline(
            &app,
            &[("bcc", "Use Bcc", "Text."), ("tone", "Tone", "Text.")],
        )
        .await?;
        let edit = |markdown: &str| SectionEdit {
            heading: None,
            markdown: markdown.to_owned(),
        };
        let why = ChangeNote::because("why");
        let cases: Vec<(anyhow::Result<()>, &str)> = vec![
            (
                put(&app, "bcc", &edit("<script>alert(1)</script>"), &why).await,
                "markdown",
            ),
            (
                put(&app, "bcc", &edit("[x](javascript:alert(1))"), &why).await,
                "markdown",
            ),
            (
                put(&app, "bcc", &edit(&"a".repeat(1024 * 1024)), &why).await,
                "markdown",
            ),
            (
                put(&app, "bcc", &edit("Fine."), &ChangeNote::because("  ")).await,
                "rationale",
            ),
            (
                put(
                    &app,
                    "bcc",
                    &edit("Fine."),
                    &ChangeNote {
                        effective_from: Some("2026-13-01".into()),
                        ..ChangeNote::because("why")
                    },
                )
                .await,
                "effective_from",
            ),
            (
                put(
                    &app,
                    "bcc",
                    &edit("Fine."),
                    &ChangeNote {
                        evidence: vec!["AAAAAAAAAAAAAA".into()],
                        ..ChangeNote::because("why")
                    },
                )
                .await,
                "evidence",
            ),
            (
                put(&app, "new-one", &edit("No heading."), &why).await,
                "heading",
            ),
            (
                put(&app, "Bad Anchor", &edit("Fine."), &why).await,
                "anchor",
            ),
        ];
        for (outcome, field) in cases {
            let error = outcome.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                error.starts_with(&format!("{field}:")),
                "expected a {field} error, got {error:?}"
            );
        }
        let moved = guidelines::move_section(db, AUTHOR, "email", "bcc", 9, &why).await;
        assert!(moved.is_err_and(|e| e.to_string().starts_with("position:")));
        let retired =
            guidelines::retire_section(db, AUTHOR, "email", "bcc", Some("bcc"), &why).await;
        assert!(retired.is_err_and(|e| e.to_string().starts_with("replaced_by:")));
        // Nothing was stored by any of them: still revision 3, the text as it was.
        let now = guidelines::get(db, "email").await?;
        assert_eq!(now.revision, 3);
        assert_eq!(guidelines::revisions(db, "email").await?.len(), 3);
        assert_eq!(now.sections[0].markdown, "Text.");
        // A retired section cannot be edited; its anchor says so.
        guidelines::retire_section(db, AUTHOR, "email", "tone", None, &why).await?;
        let error = put(&app, "tone", &edit("Back?"), &why)
            .await
            .err()
            .map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("was retired on")));
        Ok(())
    })
    .await
}

async fn put(
    app: &kintsugi_tests::TestApp,
    anchor: &str,
    edit: &SectionEdit,
    note: &ChangeNote,
) -> anyhow::Result<()> {
    guidelines::put_section(&app.state.db, AUTHOR, "email", anchor, edit, note).await?;
    Ok(())
}

#[tokio::test]
async fn every_change_is_in_the_audit_log() -> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app, &[("bcc", "Use Bcc", "Text.")]).await?;
        let log = kintsugi::services::audit::latest(&app.state.db, 10).await?;
        let actions: Vec<(&str, &str)> = log
            .iter()
            .map(|e| (e.actor.as_str(), e.action.as_str()))
            .collect();
        assert_eq!(
            actions,
            [(AUTHOR, "guideline.revise"), (AUTHOR, "guideline.create")]
        );
        assert_eq!(log[0].target.as_deref(), Some("email"));
        assert!(log[0].detail.contains("(bcc)"), "{}", log[0].detail);
        Ok(())
    })
    .await
}
