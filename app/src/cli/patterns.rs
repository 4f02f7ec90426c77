//! `kintsugi patterns`: detection on demand, and the patterns as a table or JSON.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;

use crate::{
    config::Config,
    services::patterns::{self, Filters, PatternKind, PatternSummary, job},
};

/// Collections smaller than this load too fast for a progress bar to help.
const BAR_FROM: u64 = 5_000;

pub async fn patterns(config: &Config, db: &DatabaseConnection, json: bool) -> anyhow::Result<()> {
    let bar = ProgressBar::hidden();
    bar.set_style(
        ProgressStyle::with_template("{spinner} reading reports [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let progress = |done: u64, total: u64| {
        if total >= BAR_FROM && bar.is_hidden() && !json {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        bar.set_length(total);
        bar.set_position(done);
    };
    let summary = job::run_now(db, config.patterns, &progress).await?;
    bar.finish_and_clear();
    let found = patterns::all(db, &Filters::default()).await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "patterns": found }))?
        );
        return Ok(());
    }
    match summary {
        Some(summary) => println!(
            "Detected {} patterns in {} published reports ({} new).\n",
            summary.patterns, summary.reports, summary.new
        ),
        None => println!("Another instance is detecting patterns now; these are the last run's.\n"),
    }
    let (local, across): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|p| p.kind == PatternKind::Local);
    print_table("Recurring across teams", &across);
    print_table("Repeating inside one unit (for moderators)", &local);
    Ok(())
}

fn print_table(heading: &str, found: &[PatternSummary]) {
    println!("{heading}: {}", found.len());
    if found.is_empty() {
        println!();
        return;
    }
    println!(
        "{:>4}  {:<12}  {:>5}  {:>5}  {:<7}  {:<8}  {:>6}  title",
        "id", "status", "occ.", "units", "since", "trend", "score"
    );
    for p in found {
        println!(
            "{:>4}  {:<12}  {:>5}  {:>5}  {:<7}  {:<8}  {:>6.1}  {}",
            p.id,
            p.status.slug(),
            p.occurrences,
            p.units.len(),
            p.first_seen,
            p.trend,
            p.score,
            p.title
        );
        println!("      {}", p.explanation);
    }
    println!();
}
