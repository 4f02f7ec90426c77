//! The search index on start: a missing, corrupt or outdated index is rebuilt from the
//! database, and `reindex` rebuilds it on demand.

use kintsugi::{
    config::{Config, DatabaseUrl},
    indexing, server,
};
use kintsugi_tests::each_database;
use serde_json::json;

async fn start(
    dir: &std::path::Path,
    url: &Option<String>,
) -> anyhow::Result<kintsugi::state::AppState> {
    let mut config = Config::with_data_dir(dir);
    config.database.url = url.clone().map(DatabaseUrl);
    server::prepare_state(config).await
}

#[tokio::test]
async fn a_damaged_or_missing_index_is_rebuilt_from_the_database() -> anyhow::Result<()> {
    each_database(async |url| {
        let dir = tempfile::tempdir()?;
        {
            let state = start(dir.path(), &url).await?;
            let lines: String = (0..25)
                .map(|n| {
                    format!(
                        "{}\n",
                        json!({"title": format!("lesson {n}"), "narrative": "reply-all again"})
                    )
                })
                .collect();
            kintsugi::services::import::import_jsonl(
                &state.db,
                std::io::Cursor::new(lines),
                true,
                &|_| {},
            )
            .await?;
            indexing::catch_up(&state.db, &state.index, &|_| {}).await?;
            assert_eq!(state.index.num_docs(), 25);
        }

        // Damaged: the index metadata is garbage.
        std::fs::write(dir.path().join("index/meta.json"), b"{ not an index")?;
        let state = start(dir.path(), &url).await?;
        assert_eq!(state.index.num_docs(), 25, "rebuilt after damage");
        assert_eq!(indexing::lag(&state.db, &state.index).await?, 0);
        drop(state);

        // Missing: the folder is gone.
        std::fs::remove_dir_all(dir.path().join("index"))?;
        let state = start(dir.path(), &url).await?;
        assert_eq!(state.index.num_docs(), 25, "rebuilt when missing");

        // On demand, as `kintsugi reindex` does.
        let rebuilt = indexing::rebuild(&state.db, &state.index, &|_, _| {}).await?;
        assert_eq!(rebuilt, 25);
        assert_eq!(state.index.num_docs(), 25);
        Ok(())
    })
    .await
}

/// An import large enough for several transactions, with the index following it as
/// `kintsugi import` runs it: afterwards the index holds every report once and has no lag.
/// When the import fails part-way, what it committed is indexed all the same.
#[tokio::test]
async fn the_index_follows_a_running_import() -> anyhow::Result<()> {
    each_database(async |url| {
        let dir = tempfile::tempdir()?;
        let state = start(dir.path(), &url).await?;
        let lines = |from: usize, to: usize| -> String {
            (from..to)
                .map(|n| {
                    format!(
                        "{}\n",
                        json!({"title": format!("lesson {n}"), "narrative": "n"})
                    )
                })
                .collect()
        };
        let import = |text: String| {
            kintsugi::services::import::import_jsonl(
                &state.db,
                std::io::Cursor::new(text),
                true,
                &|_| {},
            )
        };
        let (summary, applied) =
            indexing::alongside(&state.db, &state.index, &|_| {}, import(lines(0, 12_000))).await?;
        assert_eq!(summary.imported, 12_000);
        assert_eq!(applied, 12_000);
        assert_eq!(state.index.num_docs(), 12_000);
        assert_eq!(indexing::lag(&state.db, &state.index).await?, 0);

        let failing = async {
            import(lines(12_000, 12_100)).await?;
            Err::<(), _>(kintsugi::error::AppError::Internal(
                "stopped part-way".into(),
            ))
        };
        let outcome = indexing::alongside(&state.db, &state.index, &|_| {}, failing).await;
        assert!(outcome.is_err(), "the import's failure is reported");
        assert_eq!(
            state.index.num_docs(),
            12_100,
            "what it committed is searchable"
        );
        assert_eq!(indexing::lag(&state.db, &state.index).await?, 0);
        Ok(())
    })
    .await
}

/// A database restored from a backup under the index kept from before: that index has seen
/// reports published after the backup, so it is rebuilt on start — they leave search, and the
/// outbox ids the database hands out again are not skipped.
#[tokio::test]
async fn an_index_ahead_of_a_restored_database_is_rebuilt() -> anyhow::Result<()> {
    use kintsugi::config::DATABASE_FILE;
    let dir = tempfile::tempdir()?;
    let backups = tempfile::tempdir()?;
    let backup = backups.path().join("older.db");
    let config = Config::with_data_dir(dir.path());
    {
        let state = start(dir.path(), &None).await?;
        import_published(&state, "before", 10).await?;
        anyhow::ensure!(kintsugi::cli::backup(&config, &backup).await?);
        import_published(&state, "afterwards", 6).await?;
        assert_eq!(state.index.num_docs(), 16);
        state.db.close_by_ref().await?;
    }

    // Restored as the README says: the server stopped, the index folder left where it is.
    for suffix in ["", "-wal", "-shm"] {
        let file = dir.path().join(format!("{DATABASE_FILE}{suffix}"));
        if file.exists() {
            std::fs::remove_file(file)?;
        }
    }
    std::fs::copy(&backup, dir.path().join(DATABASE_FILE))?;
    let state = start(dir.path(), &None).await?;
    assert_eq!(state.index.num_docs(), 10, "only what the backup holds");
    assert_eq!(indexing::lag(&state.db, &state.index).await?, 0);

    import_published(&state, "restored", 3).await?;
    assert_eq!(state.index.num_docs(), 13, "changes after the restore");
    Ok(())
}

/// Imports `count` published lessons and brings the index up to date, as the server would.
async fn import_published(
    state: &kintsugi::state::AppState,
    label: &str,
    count: usize,
) -> anyhow::Result<()> {
    let lines: String = (0..count)
        .map(|n| {
            format!(
                "{}\n",
                json!({"title": format!("{label} {n}"), "narrative": "n"})
            )
        })
        .collect();
    let db = &state.db;
    let summary =
        kintsugi::services::import::import_jsonl(db, std::io::Cursor::new(lines), true, &|_| {})
            .await?;
    anyhow::ensure!(summary.errors.is_empty(), "{:?}", summary.errors);
    indexing::catch_up(db, &state.index, &|_| {}).await?;
    Ok(())
}
