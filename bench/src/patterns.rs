//! Pattern detection at scale: analysing the published text into term sets (done once per
//! lesson, when it is published), reading term sets into a collection (what a run does when it
//! holds none), full detection, and a re-run on a kept collection after a few publications;
//! time and peak memory. No database: detection is a pure computation over plain data, and
//! the service path is measured by the `suggestions` mode.

use std::time::{Duration, Instant};

use search::patterns::{Collection, Month, OccurrenceKind, Settings, Words, detect};
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

/// This thread's processor time: on a machine shared with other work, what the run itself
/// cost, beside the time it took.
fn processor_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// Time taken, and processor time spent, by the measured parts of a run.
#[derive(Default)]
struct Spent {
    wall: Duration,
    processor: Duration,
}

impl Spent {
    fn measure<T>(&mut self, work: impl FnOnce() -> T) -> T {
        let (started, processor) = (Instant::now(), processor_time());
        let out = work();
        self.wall += started.elapsed();
        self.processor += processor_time().saturating_sub(processor);
        out
    }
}

impl std::fmt::Display for Spent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.2} s ({:.2} s processor)",
            self.wall.as_secs_f64(),
            self.processor.as_secs_f64()
        )
    }
}

/// Reads report `n` into the collection as the service does: its text into a term set (timed
/// in `analysed`), the set into the collection (timed in `read`). Making up the corpus is not
/// timed.
fn add(
    collection: &mut Collection,
    words: &mut Words,
    vocabulary: &corpus::Vocabulary,
    n: u64,
    analysed: &mut Spent,
    read: &mut Spent,
) -> anyhow::Result<()> {
    let report = report(vocabulary, n)?;
    let set = analysed.measure(|| words.term_set(&report.text));
    let doc = read.measure(|| {
        collection.add_term_set(
            &format!("r{n}"),
            set.as_bytes(),
            &report.factors,
            Some(&report.channel),
        )
    });
    let doc = doc.ok_or_else(|| anyhow::anyhow!("report {n}: its term set did not read back"))?;
    read.measure(|| {
        collection.add_occurrence(
            doc,
            Some(&report.unit),
            report.month,
            OccurrenceKind::Report,
        )
    });
    Ok(())
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
    let mut words = Words::new();
    let (mut analysed, mut read) = (Spent::default(), Spent::default());
    for n in 0..args.reports {
        add(
            &mut collection,
            &mut words,
            &vocabulary,
            n,
            &mut analysed,
            &mut read,
        )?;
    }
    let mut detected = Spent::default();
    let found = detected.measure(|| detect(&collection, &settings));
    // The re-run adds the new publications to the kept collection and detects again.
    let (mut rerun, mut new_analysed) = (Spent::default(), Spent::default());
    for n in args.reports..args.reports + args.added {
        add(
            &mut collection,
            &mut words,
            &vocabulary,
            n,
            &mut new_analysed,
            &mut rerun,
        )?;
    }
    let again = rerun.measure(|| detect(&collection, &settings));
    let memory = Memory::of("self")?;
    println!();
    println!(
        "| reports | text into term sets (once per lesson) | term sets into a collection | full detection | re-run after {} publications | patterns | peak memory |",
        args.added
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    println!(
        "| {} | {analysed} | {read} | {detected} | {rerun} | {} (then {}) | {:.0} MB |",
        args.reports,
        found.len(),
        again.len(),
        memory.peak
    );
    println!(
        "\n{} distinct terms; the re-run's {} new term sets took {new_analysed} to compute.",
        collection.term_count(),
        args.added
    );
    for pattern in found.iter().take(5) {
        println!("- {}: {}", pattern.title, pattern.explanation);
    }
    Ok(())
}
