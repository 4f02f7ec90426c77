//! `kintsugi reindex`, and the index for commands that import reports.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;
use search::SearchIndex;

use crate::{config::Config, indexing, server};

/// The search index, for a command that changes reports and indexes them itself; `None`
/// when the running server holds it, since its own indexer then picks the changes up within
/// a second.
pub async fn open_unless_served(
    config: &Config,
    db: &DatabaseConnection,
) -> anyhow::Result<Option<Arc<SearchIndex>>> {
    let index = open_quietly(config, db).await?;
    if index.is_none() {
        println!(
            "The running server holds the search index; it will index the new reports itself."
        );
    }
    Ok(index)
}

/// The search index, or `None` without a word when the running server holds it.
pub async fn open_quietly(
    config: &Config,
    db: &DatabaseConnection,
) -> anyhow::Result<Option<Arc<SearchIndex>>> {
    match server::open_index(config, db).await {
        Ok(index) => Ok(Some(index)),
        Err(error) if is_locked(&error) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Rebuilds the search index from the database, with a progress bar.
pub async fn reindex(config: &Config, db: &DatabaseConnection) -> anyhow::Result<()> {
    let dir = config.index_dir();
    let (index, _) = crate::blocking(move || Ok(SearchIndex::open(&dir)?))
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
