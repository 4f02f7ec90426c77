//! `kintsugi trends rebuild`: the counts kept for trend reports, recounted from the reports.

use std::time::Duration;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;

use crate::services::trends;

#[derive(Debug, Subcommand)]
pub enum TrendCommand {
    /// Recount the counts kept for trend reports from the reports, month by month.
    ///
    /// Rarely needed: the counts change with every publication, withdrawal, merge and import,
    /// in the same transaction, and are filled once after the upgrade that brings them. After
    /// reports were changed in the database by hand, or to check, this recounts them and says
    /// how many kept counts it found wrong. Safe while the server runs.
    Rebuild,
}

pub async fn trends(db: &DatabaseConnection, command: TrendCommand) -> anyhow::Result<()> {
    match command {
        TrendCommand::Rebuild => rebuild(db).await,
    }
}

async fn rebuild(db: &DatabaseConnection) -> anyhow::Result<()> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} counting [{bar:40}] {pos}/{len} months ({eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let rebuilt = trends::rebuild(db, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "Recounted {} months into {} rows of trend counts; {} {} wrong before.",
        rebuilt.months,
        rebuilt.rows,
        rebuilt.corrected,
        if rebuilt.corrected == 1 {
            "was"
        } else {
            "were"
        }
    );
    Ok(())
}
