//! `kintsugi guidelines import` and `export` through the command's own functions.

use kintsugi::{
    cli::{GuidelineCommand, guidelines as run},
    services::guidelines::{self, ChangeNote},
};
use kintsugi_tests::each_backend;

const FILE: &str = "# Social media {#social-media}\n\nOwner: Digital team\n\nOfficial accounts.\n\n\
## Post from the right account\n\nCheck the account before you post.\n";

#[tokio::test]
async fn a_file_imported_and_exported_comes_back_the_same() -> anyhow::Result<()> {
    each_backend(async |app| {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("social.md");
        std::fs::write(&file, FILE)?;
        let import = || GuidelineCommand::Import {
            file: file.clone(),
            slug: None,
            rationale: None,
            effective_from: Some("2025-06-01".to_owned()),
        };
        assert!(run(app.config(), &app.state.db, import()).await?);
        assert!(run(app.config(), &app.state.db, import()).await?);
        let history = guidelines::revisions(&app.state.db, "social-media").await?;
        assert_eq!(history.len(), 1, "the second import changed nothing");
        assert_eq!(history[0].author, "import");
        assert_eq!(history[0].rationale, "Imported from social.md");
        assert_eq!(history[0].effective_from.to_string(), "2025-06-01");
        let out = dir.path().join("out.md");
        let export = GuidelineCommand::Export {
            slug: "social-media".to_owned(),
            out: Some(out.clone()),
        };
        assert!(run(app.config(), &app.state.db, export).await?);
        assert_eq!(
            std::fs::read_to_string(&out)?,
            FILE.replace(
                "## Post from the right account\n",
                "## Post from the right account {#post-from-the-right-account}\n",
            )
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_bad_file_fails_and_an_unknown_slug_is_an_error() -> anyhow::Result<()> {
    each_backend(async |app| {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("bad.md");
        std::fs::write(&file, "No title here.\n\n## Section\n")?;
        let note = ChangeNote::because("test");
        assert!(!kintsugi::cli::import_guideline_file(&app.state.db, &file, None, &note).await?);
        assert_eq!(guidelines::count(&app.state.db).await?, 0);
        std::fs::write(&file, [0xff, 0xfe, 0x00])?;
        let error = kintsugi::cli::import_guideline_file(&app.state.db, &file, None, &note).await;
        assert!(error.is_err_and(|e| e.to_string().contains("not UTF-8")));
        let export = GuidelineCommand::Export {
            slug: "nope".to_owned(),
            out: None,
        };
        let error = run(app.config(), &app.state.db, export).await;
        assert!(error.is_err_and(|e| e.to_string() == "there is no guideline 'nope'"));
        Ok(())
    })
    .await
}
