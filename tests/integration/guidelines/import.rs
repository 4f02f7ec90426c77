//! Importing guideline files: the same file twice changes nothing, a changed file makes one
//! revision, a bad file stores nothing, and export writes what import reads back.

use kintsugi::services::guidelines::{self, ChangeKind, ChangeNote, SectionStatus};
use kintsugi_tests::each_backend;

const AUTHOR: &str = guidelines::IMPORT_AUTHOR;

const FILE: &str = "# Email\n\nOwner: Head of communications\n\nHow we write email.\n\n\
## Use Bcc for external lists\n\nPut external recipients in Bcc.\n\n\
## Check attachments\n\nOpen each attachment before sending.\n\n\
## Mind the tone {#tone}\n\nRead it aloud once.\n";

fn note() -> ChangeNote {
    ChangeNote::because("Imported from email.md")
}

#[tokio::test]
async fn importing_the_same_file_again_changes_nothing() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        let first = guidelines::import_markdown(db, AUTHOR, FILE, None, &note()).await?;
        assert_eq!(
            (first.slug.as_str(), first.revision, first.created),
            ("email", 1, true)
        );
        let view = guidelines::get(db, "email").await?;
        assert_eq!(view.owner_role, "Head of communications");
        let anchors: Vec<&str> = view.sections.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            ["use-bcc-for-external-lists", "check-attachments", "tone"]
        );
        let again = guidelines::import_markdown(db, AUTHOR, FILE, None, &note()).await?;
        assert_eq!((again.revision, again.changed), (1, false));
        // Its own export, imported, changes nothing either.
        let exported = guidelines::export_markdown(db, "email").await?;
        let round = guidelines::import_markdown(db, AUTHOR, &exported, None, &note()).await?;
        assert!(!round.changed, "the export differs:\n{exported}");
        assert_eq!(guidelines::revisions(db, "email").await?.len(), 1);
        assert_eq!(
            guidelines::revisions(db, "email").await?[0].author,
            "import"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_changed_file_makes_one_revision_with_every_change() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        guidelines::import_markdown(db, AUTHOR, FILE, None, &note()).await?;
        // Tone moves first and changes a word, attachments goes, a new section comes.
        let changed = "# Email\n\nOwner: Head of communications\n\nHow we write email.\n\n\
## Mind the tone {#tone}\n\nRead it aloud twice.\n\n\
## Use Bcc for external lists\n\nPut external recipients in Bcc.\n\n\
## Check the recipients\n\nLook at the To line last.\n";
        let outcome = guidelines::import_markdown(db, AUTHOR, changed, None, &note()).await?;
        assert_eq!((outcome.revision, outcome.changed), (2, true));
        let detail = guidelines::revision(db, "email", 2).await?;
        assert_eq!(detail.revision.change, ChangeKind::Import);
        let mut statuses: Vec<(String, SectionStatus)> = detail
            .diff
            .changed_sections()
            .map(|s| (s.anchor.clone(), s.status))
            .collect();
        statuses.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            statuses,
            [
                ("check-attachments".to_owned(), SectionStatus::Retired),
                ("check-the-recipients".to_owned(), SectionStatus::Added),
                ("tone".to_owned(), SectionStatus::Edited),
            ]
        );
        assert_eq!(guidelines::revisions(db, "email").await?.len(), 2);
        // The retired section, back in a file, is restored.
        let outcome = guidelines::import_markdown(db, AUTHOR, FILE, None, &note()).await?;
        assert_eq!(outcome.revision, 3);
        let restored = guidelines::section(db, "email", "check-attachments").await?;
        assert!(!restored.is_retired());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_bad_file_is_refused_by_line_and_stores_nothing() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        for (text, expected) in [
            ("## No title\n\nText.\n", "line 1"),
            ("# Email\n\n## A\n\nText.\n\n#### Skipped\n", "line 7"),
            ("# Email\n\n## A\n\nOne.\n\n## A\n\nTwo.\n", "line 7"),
            ("# Email\n\n## A\n\n<script>alert(1)</script>\n", "line 5"),
            (
                "# Email\n\n## A\n\nHello <b onmouseover=\"x()\">you</b>\n",
                "line 5",
            ),
        ] {
            let error = guidelines::import_markdown(db, AUTHOR, text, None, &note()).await;
            let fields: Vec<String> = error
                .err()
                .map(|e| e.field_errors().iter().map(|f| f.field.clone()).collect())
                .unwrap_or_default();
            assert_eq!(fields, [expected], "{text:?}");
        }
        assert_eq!(guidelines::count(db).await?, 0);
        // A bad change to an existing guideline leaves it as it was.
        guidelines::import_markdown(db, AUTHOR, FILE, None, &note()).await?;
        let bad = FILE.replace("Read it aloud once.", "[x](javascript:alert(1))");
        assert!(
            guidelines::import_markdown(db, AUTHOR, &bad, None, &note())
                .await
                .is_err()
        );
        assert_eq!(guidelines::get(db, "email").await?.revision, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_slug_given_names_the_guideline_and_reserved_slugs_are_refused() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        let outcome = guidelines::import_markdown(db, AUTHOR, FILE, Some("mail"), &note()).await?;
        assert_eq!(outcome.slug, "mail");
        let exported = guidelines::export_markdown(db, "mail").await?;
        assert!(exported.starts_with("# Email {#mail}\n"), "{exported}");
        let refused = guidelines::import_markdown(db, AUTHOR, FILE, Some("search"), &note()).await;
        assert!(refused.is_err_and(|e| e.to_string().starts_with("slug:")));
        Ok(())
    })
    .await
}
