//! `kintsugi reindex`, and bringing the index up to date after an import.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;
use search::SearchIndex;

use crate::{config::Config, indexing, server};

/// Indexes whatever the outbox holds that the index has not seen. When the server is running
/// it holds the index, and its own indexer picks the new reports up within a second.
pub async fn index_pending(config: &Config, db: &DatabaseConnection) -> anyhow::Result<()> {
    let index = match server::open_index(config, db).await {
        Ok(index) => index,
        Err(error) if is_locked(&error) => {
            println!(
                "The running server holds the search index; it will index the new reports itself."
            );
            return Ok(());
        }
        Err(error) => return Err(error),
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} indexing: {pos} changes applied")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let applied = indexing::catch_up(db, &index, &|n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    println!(
        "The search index is up to date ({applied} changes applied, {} reports searchable).",
        index.num_docs()
    );
    Ok(())
}

/// Rebuilds the search index from the database, with a progress bar.
pub async fn reindex(config: &Config, db: &DatabaseConnection) -> anyhow::Result<()> {
    let dir = config.index_dir();
    let (index, _) = indexing::blocking(move || Ok(SearchIndex::open(&dir)?))
        .await
        .map_err(anyhow::Error::from)
        .with_context(|| {
            format!(
                "while opening the search index in {} (stop the server first)",
                config.index_dir().display()
            )
        })?;
    let index = Arc::new(index);
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} reindexing [{bar:40}] {pos}/{len} reports ({eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let count = indexing::rebuild(db, &index, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await?;
    bar.finish_and_clear();
    println!("Rebuilt the search index: {count} published reports.");
    Ok(())
}

fn is_locked(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .to_string()
            .contains("in use by another kintsugi process")
    })
}
