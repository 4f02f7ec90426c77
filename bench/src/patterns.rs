//! Pattern detection at scale: reading the published text into term sets, full detection,
//! and a re-run after a few publications; time and peak memory. No database: detection is a
//! pure computation over plain data, loaded by the service in one pass.

use std::time::{Duration, Instant};

use search::patterns::{Collection, Month, OccurrenceKind, Settings, detect};
use serde_json::Value;

use crate::{corpus, process::Memory};

#[derive(Debug, clap::Args)]
pub struct PatternArgs {
    /// How many synthetic reports to detect on.
    #[arg(long, default_value_t = 100_000)]
    reports: u64,
    /// Publications added before the second run.
    #[arg(long, default_value_t = 10)]
    added: u64,
}

/// The `n`-th synthetic report as the service reads it: published text, factors, channel,
/// unit and month.
struct Report {
    text: String,
    factors: Vec<String>,
    channel: String,
    unit: String,
    month: Month,
}

fn report(vocabulary: &corpus::Vocabulary, n: u64) -> anyhow::Result<Report> {
    let line: Value = serde_json::from_str(&corpus::report_line(vocabulary, n))?;
    let field = |name: &str| line[name].as_str().unwrap_or_default().to_owned();
    Ok(Report {
        text: format!(
            "{}\n{}\n{}",
            field("title"),
            field("narrative"),
            field("lesson")
        ),
        factors: line["factors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str().map(str::to_owned))
            .collect(),
        channel: field("channel"),
        unit: field("unit"),
        month: Month::parse(&field("occurred_on")).unwrap_or(Month(2025 * 12)),
    })
}

/// Reads report `n` into the collection; returns how long the reading took, without the time
/// the corpus takes to make it up.
fn add(
    collection: &mut Collection,
    vocabulary: &corpus::Vocabulary,
    n: u64,
) -> anyhow::Result<Duration> {
    let report = report(vocabulary, n)?;
    let started = Instant::now();
    let doc = collection.add_report(
        &format!("r{n}"),
        &report.text,
        &report.factors,
        Some(&report.channel),
    );
    collection.add_occurrence(
        doc,
        Some(&report.unit),
        report.month,
        OccurrenceKind::Report,
    );
    Ok(started.elapsed())
}

pub fn run(args: &PatternArgs) -> anyhow::Result<()> {
    let vocabulary = corpus::Vocabulary::new();
    let settings = Settings {
        min_occurrences: 3,
        min_units: 3,
        window_days: 365,
        as_of: Month(2025 * 12 + 11),
    };
    println!("# Pattern detection on {} synthetic reports", args.reports);
    let mut collection = Collection::new();
    let mut loaded = Duration::ZERO;
    for n in 0..args.reports {
        loaded += add(&mut collection, &vocabulary, n)?;
    }
    let started = Instant::now();
    let found = detect(&collection, &settings);
    let detected = started.elapsed();
    // The re-run reads the new publications and detects again.
    let mut rerun = Duration::ZERO;
    for n in args.reports..args.reports + args.added {
        rerun += add(&mut collection, &vocabulary, n)?;
    }
    let started = Instant::now();
    let again = detect(&collection, &settings);
    rerun += started.elapsed();
    let memory = Memory::of("self")?;
    println!();
    println!(
        "| reports | reading text into terms | full detection | re-run after {} publications | patterns | peak memory |",
        args.added
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    println!(
        "| {} | {:.1} s | {:.2} s | {:.2} s | {} (then {}) | {:.0} MB |",
        args.reports,
        loaded.as_secs_f64(),
        detected.as_secs_f64(),
        rerun.as_secs_f64(),
        found.len(),
        again.len(),
        memory.peak
    );
    for pattern in found.iter().take(5) {
        println!("- {}: {}", pattern.title, pattern.explanation);
    }
    Ok(())
}
