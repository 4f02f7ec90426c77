//! Detection by the service and drafting suggested guideline updates for every pattern of a
//! large collection: the synthetic corpus imported through the real import, the demo
//! guidelines, detection run by the service (computing every term set, then reading them all
//! as a restarted server does, then on a kept collection after a few publications), then
//! `suggestions::refresh` timed on its first run (every suggestion drafted) and on a second
//! (every one redrafted), against the detection run it follows.

use std::{
    io::{BufWriter, Write},
    path::PathBuf,
    time::Instant,
};

use kintsugi::{
    indexing, server,
    services::{import::import_jsonl, patterns, suggestions},
};

use crate::corpus;

#[derive(Debug, clap::Args)]
pub struct SuggestionArgs {
    /// How many synthetic reports to import.
    #[arg(long, default_value_t = 100_000)]
    reports: u64,
    /// Where to put the corpus, the database and the index (default: a temporary folder).
    /// A folder a previous run of this mode filled with as many reports is reused (each run
    /// adds `--added` lessons to it).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Publications added before the re-run on the kept collection.
    #[arg(long, default_value_t = 10)]
    added: u64,
}

pub async fn run(args: &SuggestionArgs) -> anyhow::Result<()> {
    let temporary = tempfile::tempdir()?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| temporary.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let state = server::prepare_state(crate::config(&dir)).await?;
    if state.index.num_docs() < args.reports {
        let vocabulary = corpus::Vocabulary::new();
        let corpus_path = dir.join("corpus.jsonl");
        {
            let mut out = BufWriter::new(std::fs::File::create(&corpus_path)?);
            for n in 0..args.reports {
                writeln!(out, "{}", corpus::report_line(&vocabulary, n))?;
            }
        }
        let started = Instant::now();
        let reader = std::io::BufReader::new(std::fs::File::open(&corpus_path)?);
        indexing::alongside(&state.db, &state.index, &|_| {}, async {
            import_jsonl(&state.db, reader, true, &|_| {}).await
        })
        .await?;
        println!(
            "imported {} reports in {:.1} s",
            args.reports,
            started.elapsed().as_secs_f64()
        );
        kintsugi::cli::demo_guidelines::load(&state.db).await?;
        indexing::catch_up(&state.db, &state.index, &|_| {}).await?;
    }
    // The first run computes every term set from the text (unless a previous run of this mode
    // left them in `--dir`); a restarted server reads them all; a running one keeps its
    // collection and reads only what was published since.
    let settings = state.config.patterns;
    let mut kept = patterns::Kept::default();
    let started = Instant::now();
    let first = patterns::run_with(&state.db, settings, &mut kept, &|_, _| {}).await?;
    let first_run = started.elapsed();
    let started = Instant::now();
    let found = patterns::run(&state.db, settings, &|_, _| {}).await?;
    let detection = started.elapsed();
    let vocabulary = corpus::Vocabulary::new();
    let lines: String = (args.reports..args.reports + args.added)
        .map(|n| format!("{}\n", corpus::report_line(&vocabulary, n)))
        .collect();
    import_jsonl(&state.db, std::io::Cursor::new(lines), true, &|_| {}).await?;
    let started = Instant::now();
    let rerun = patterns::run_with(&state.db, settings, &mut kept, &|_, _| {}).await?;
    let rerun_time = started.elapsed();
    println!();
    println!(
        "| reports | first run (term sets computed) | detection (service, with loading) | re-run after {} publications (kept collection) |",
        args.added
    );
    println!("| --- | --- | --- | --- |");
    println!(
        "| {} | {:.2} s ({} computed) | {:.2} s ({} read) | {:.2} s ({} read, {} computed) |",
        args.reports,
        first_run.as_secs_f64(),
        first.computed,
        detection.as_secs_f64(),
        found.read,
        rerun_time.as_secs_f64(),
        rerun.read,
        rerun.computed,
    );
    println!(
        "peak memory of this process: {:.0} MB",
        crate::process::Memory::of("self")?.peak
    );
    let members = crate::number(&state.db, "SELECT COUNT(*) FROM pattern_members").await?;
    let started = Instant::now();
    let first = suggestions::refresh(&state.db, &state.index, &state.search_turns).await?;
    let drafting = started.elapsed();
    let started = Instant::now();
    let second = suggestions::refresh(&state.db, &state.index, &state.search_turns).await?;
    let redrafting = started.elapsed();
    println!();
    println!(
        "| reports | patterns (their member rows) | detection (service, with loading) | drafting every suggestion | redrafting them | drafting / detection |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    println!(
        "| {} | {} ({members}) | {:.2} s | {:.2} s ({} drafted) | {:.2} s ({} updated) | {:.3}× |",
        args.reports,
        found.patterns,
        detection.as_secs_f64(),
        drafting.as_secs_f64(),
        first.drafted,
        redrafting.as_secs_f64(),
        second.updated,
        drafting.as_secs_f64() / detection.as_secs_f64().max(1e-9)
    );
    Ok(())
}
