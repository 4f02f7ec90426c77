//! Search quality: a labelled set of natural queries, the share of expected lessons found in
//! the top 3 and the mean reciprocal rank, over the demo set and the public post-mortems.
//!
//! `cargo run --release -p kintsugi-bench --bin search-quality [-- --verbose]`

use std::{
    collections::HashSet,
    io::{BufReader, Cursor},
    path::PathBuf,
};

use anyhow::Context;
use clap::Parser;
use kintsugi::{
    config::Config,
    indexing, server,
    services::{
        import::import_jsonl,
        search::{SearchQuery, search},
    },
};
use serde::Deserialize;

/// Results looked at for the reciprocal rank; an expected lesson further down counts as 0.
const DEPTH: u32 = 20;

#[derive(Debug, Parser)]
struct Args {
    /// The labelled queries.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/quality/queries.toml"))]
    queries: PathBuf,
    /// The public post-mortems, imported beside the demo set.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/public-incidents.jsonl"))]
    incidents: PathBuf,
    /// Print every query's top 3 and where its expected lessons ranked.
    #[arg(long)]
    verbose: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labelled {
    query: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    q: String,
    expect: Vec<String>,
}

const DEMO: &str = include_str!("../../../app/demo/demo-reports.jsonl");

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let labelled: Labelled = toml::from_str(
        &std::fs::read_to_string(&args.queries)
            .with_context(|| format!("while reading {}", args.queries.display()))?,
    )
    .context("while reading the labelled queries")?;
    let dir = tempfile::tempdir()?;
    let state = server::prepare_state(Config::with_data_dir(dir.path())).await?;
    import_jsonl(&state.db, Cursor::new(DEMO), true, &|_| {}).await?;
    let incidents = std::fs::File::open(&args.incidents)
        .with_context(|| format!("while opening {}", args.incidents.display()))?;
    import_jsonl(&state.db, BufReader::new(incidents), true, &|_| {}).await?;
    indexing::catch_up(&state.db, &state.index, &|_| {}).await?;

    let every = SearchQuery {
        limit: Some(100),
        ..SearchQuery::default()
    };
    let known: HashSet<String> = search(&state.db, &state.index, &state.search_turns, &every)
        .await?
        .hits
        .into_iter()
        .map(|h| h.title)
        .collect();
    let mut top3_share = 0.0;
    let mut reciprocal = 0.0;
    for case in &labelled.query {
        let outcome = search(
            &state.db,
            &state.index,
            &state.search_turns,
            &SearchQuery {
                q: case.q.clone(),
                limit: Some(DEPTH),
                ..SearchQuery::default()
            },
        )
        .await
        .with_context(|| format!("while searching for {}", case.q))?;
        let titles: Vec<&str> = outcome.hits.iter().map(|h| h.title.as_str()).collect();
        if let Some(unknown) = case.expect.iter().find(|t| !known.contains(*t)) {
            anyhow::bail!("query {:?} expects an unknown title: {unknown}", case.q);
        }
        let wanted = case.expect.len().min(3) as f64;
        // Distinct lessons: the post-mortems hold some titles more than once.
        let found = case
            .expect
            .iter()
            .filter(|e| titles.iter().take(3).any(|t| t == e))
            .count()
            .min(3) as f64;
        let first = titles
            .iter()
            .position(|t| case.expect.iter().any(|e| e == t));
        top3_share += found / wanted;
        reciprocal += first.map_or(0.0, |rank| 1.0 / (rank as f64 + 1.0));
        if args.verbose {
            println!(
                "{:<45} top3 {found}/{wanted}  first at {}  notices {:?}",
                case.q,
                first.map_or("-".to_owned(), |r| (r + 1).to_string()),
                outcome.notices
            );
            for title in titles.iter().take(3) {
                let mark = if case.expect.iter().any(|e| e == title) {
                    "+"
                } else {
                    " "
                };
                println!("    {mark} {title}");
            }
        }
    }
    let n = labelled.query.len() as f64;
    println!(
        "{} queries: top-3 share {:.3}, MRR {:.3}",
        labelled.query.len(),
        top3_share / n,
        reciprocal / n
    );
    Ok(())
}
