//! Search quality: a labelled set of natural queries, and one of lessons with the lessons a
//! reader would call the same mistake; for each, the share of expected lessons found in the
//! top 3 and the mean reciprocal rank, over the demo set and the public post-mortems.
//!
//! `cargo run --release -p kintsugi-bench --bin search-quality [-- --verbose]`

use std::{
    collections::HashMap,
    io::{BufReader, Cursor},
    path::PathBuf,
};

use anyhow::Context;
use clap::Parser;
use kintsugi::{
    codes::ReportRef,
    config::Config,
    indexing, server,
    services::{
        guidelines,
        import::import_jsonl,
        search::{SearchQuery, search, similar},
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
    /// The labelled lessons, for similar lessons.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/quality/similar.toml"))]
    similar: PathBuf,
    /// The public post-mortems, imported beside the demo set.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/public-incidents.jsonl"))]
    incidents: PathBuf,
    /// Print every query's top 3 and where its expected lessons ranked.
    #[arg(long)]
    verbose: bool,
    /// Import the demo guidelines too, so that their sections share the index with the
    /// lessons: lesson rankings should not change.
    #[arg(long)]
    with_guidelines: bool,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledLessons {
    lesson: Vec<Lesson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lesson {
    title: String,
    expect: Vec<String>,
}

/// The top-3 share and reciprocal rank of one labelled list, printed when `verbose`.
fn score(label: &str, titles: &[&str], expect: &[String], verbose: bool) -> (f64, f64) {
    let wanted = expect.len().min(3) as f64;
    // Distinct lessons: the post-mortems hold some titles more than once.
    let found = expect
        .iter()
        .filter(|e| titles.iter().take(3).any(|t| t == e))
        .count()
        .min(3) as f64;
    let first = titles.iter().position(|t| expect.iter().any(|e| e == t));
    if verbose {
        println!(
            "{label:<45} top3 {found}/{wanted}  first at {}",
            first.map_or("-".to_owned(), |r| (r + 1).to_string()),
        );
        for title in titles.iter().take(3) {
            let mark = if expect.iter().any(|e| e == title) {
                "+"
            } else {
                " "
            };
            println!("    {mark} {title}");
        }
    }
    (
        found / wanted,
        first.map_or(0.0, |rank| 1.0 / (rank as f64 + 1.0)),
    )
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("while reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("while reading {}", path.display()))
}

const DEMO: &str = include_str!("../../../app/demo/demo-reports.jsonl");

/// Imports every demo guideline file.
async fn import_guidelines(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/demo/guidelines");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("while listing {dir}"))?
        .map(|entry| Ok(entry?.path()))
        .collect::<std::io::Result<_>>()?;
    files.retain(|path| path.extension().is_some_and(|e| e == "md"));
    files.sort();
    let note = guidelines::ChangeNote::because("Imported for the benchmark.");
    for path in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("while reading {}", path.display()))?;
        guidelines::import_markdown(db, guidelines::IMPORT_AUTHOR, &text, None, &note)
            .await
            .with_context(|| format!("while importing {}", path.display()))?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let labelled: Labelled = read_toml(&args.queries)?;
    let lessons: LabelledLessons = read_toml(&args.similar)?;
    let dir = tempfile::tempdir()?;
    let state = server::prepare_state(Config::with_data_dir(dir.path())).await?;
    import_jsonl(&state.db, Cursor::new(DEMO), true, &|_| {}).await?;
    let incidents = std::fs::File::open(&args.incidents)
        .with_context(|| format!("while opening {}", args.incidents.display()))?;
    import_jsonl(&state.db, BufReader::new(incidents), true, &|_| {}).await?;
    if args.with_guidelines {
        import_guidelines(&state.db).await?;
    }
    indexing::catch_up(&state.db, &state.index, &|_| {}).await?;
    if args.with_guidelines {
        println!(
            "{} guideline sections in the index",
            state.index.num_sections()
        );
    }

    let every = SearchQuery {
        limit: Some(100),
        ..SearchQuery::default()
    };
    let every = search(&state.db, &state.index, &state.search_turns, &every).await?;
    let refs: HashMap<String, String> = every
        .hits
        .into_iter()
        .map(|h| (h.title, h.report_ref.to_string()))
        .collect();
    let known = |title: &String| refs.contains_key(title);
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
        if let Some(unknown) = case.expect.iter().find(|t| !known(t)) {
            anyhow::bail!("query {:?} expects an unknown title: {unknown}", case.q);
        }
        if args.verbose {
            println!("notices {:?}", outcome.notices);
        }
        let (share, rank) = score(&case.q, &titles, &case.expect, args.verbose);
        top3_share += share;
        reciprocal += rank;
    }
    let n = labelled.query.len() as f64;
    println!(
        "{} queries: top-3 share {:.3}, MRR {:.3}",
        labelled.query.len(),
        top3_share / n,
        reciprocal / n
    );

    let (mut top3_share, mut reciprocal) = (0.0, 0.0);
    for lesson in &lessons.lesson {
        let Some(report_ref) = refs.get(&lesson.title) else {
            anyhow::bail!("no lesson is titled {:?}", lesson.title);
        };
        if let Some(unknown) = lesson.expect.iter().find(|t| !known(t)) {
            anyhow::bail!("{:?} expects an unknown title: {unknown}", lesson.title);
        }
        let (db, index, turns) = (&state.db, &state.index, &state.search_turns);
        let report_ref: ReportRef = report_ref.parse()?;
        let hits = similar(db, index, turns, &report_ref, DEPTH as usize).await?;
        let titles: Vec<&str> = hits.iter().map(|h| h.title.as_str()).collect();
        let (share, rank) = score(&lesson.title, &titles, &lesson.expect, args.verbose);
        top3_share += share;
        reciprocal += rank;
    }
    let n = lessons.lesson.len() as f64;
    println!(
        "{} lessons' similar lessons: top-3 share {:.3}, MRR {:.3}",
        lessons.lesson.len(),
        top3_share / n,
        reciprocal / n
    );
    Ok(())
}
