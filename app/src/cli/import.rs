//! `kintsugi import` and `kintsugi demo`: JSON Lines into the database, with a progress bar.

use std::{
    fs::File,
    io::{BufReader, Cursor},
    path::Path,
    time::Duration,
};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use super::{demo_guidelines, index::open_unless_served};
use crate::{
    config::Config,
    error::Result,
    indexing,
    services::import::{ImportSummary, import_jsonl},
};

/// The demo set, shipped inside the binary.
const DEMO: &str = include_str!("../../demo/demo-reports.jsonl");

fn progress_bar(total_bytes: u64) -> ProgressBar {
    let bar = ProgressBar::new(total_bytes);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} importing [{bar:40}] {percent:>3}% {bytes}/{total_bytes} ({eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Imports a file, indexing it as it goes, and prints what happened. Returns whether every
/// line went in.
pub async fn import(
    config: &Config,
    db: &DatabaseConnection,
    file: &Path,
    publish: bool,
) -> anyhow::Result<bool> {
    let handle = File::open(file).with_context(|| format!("while opening {}", file.display()))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress_bar(size);
    let summary = indexed(config, db, async {
        import_jsonl(db, BufReader::new(handle), publish, &|bytes| {
            bar.set_position(bytes)
        })
        .await
    })
    .await
    .context("while importing")?;
    bar.finish_and_clear();
    print_summary(&summary, publish);
    Ok(summary.errors.is_empty())
}

/// Runs an import with the search index following it, unless the server holds the index.
async fn indexed<T>(
    config: &Config,
    db: &DatabaseConnection,
    import: impl Future<Output = Result<T>>,
) -> anyhow::Result<T> {
    let Some(index) = open_unless_served(config, db).await? else {
        return Ok(import.await?);
    };
    let (summary, _) = indexing::alongside(db, &index, &|_| {}, import).await?;
    println!(
        "The search index is up to date ({} reports searchable).",
        index.num_docs()
    );
    Ok(summary)
}

/// Loads the demo set once; a second run notices and leaves the data alone.
pub async fn demo(config: &Config, db: &DatabaseConnection) -> anyhow::Result<()> {
    let first_title = DEMO
        .lines()
        .next()
        .and_then(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .and_then(|v| v.get("title").and_then(|t| t.as_str()).map(str::to_owned))
        .context("the embedded demo set is empty")?;
    let already = entities::report::Entity::find()
        .filter(entities::report::Column::Title.eq(first_title))
        .count(db)
        .await?;
    if already > 0 {
        println!("The demo lessons are already loaded; they were left as they are.");
    } else {
        let bar = progress_bar(DEMO.len() as u64);
        let summary = indexed(config, db, async {
            import_jsonl(db, Cursor::new(DEMO), true, &|bytes| {
                bar.set_position(bytes)
            })
            .await
        })
        .await?;
        bar.finish_and_clear();
        print_summary(&summary, true);
        anyhow::ensure!(
            summary.errors.is_empty(),
            "the demo set has lines that did not load"
        );
    }
    let loaded = indexed(config, db, demo_guidelines::load(db)).await?;
    if loaded.created == 0 {
        println!("The demo guidelines are already loaded; they were left as they are.");
    } else {
        println!(
            "Imported {} guidelines ({} sections) and linked {} lessons to their sections.",
            loaded.created, loaded.sections, loaded.linked
        );
    }
    Ok(())
}

fn print_summary(summary: &ImportSummary, published: bool) {
    let state = if published {
        "published"
    } else {
        "waiting for moderation"
    };
    println!("Imported {} reports ({state}).", summary.imported);
    if summary.skipped_blank > 0 {
        println!("Skipped {} blank lines.", summary.skipped_blank);
    }
    if !summary.errors.is_empty() {
        println!("{} lines were not imported:", summary.errors.len());
        for error in &summary.errors {
            println!("  line {}: {}", error.line, error.message);
        }
    }
}
