//! The trend report at scale: on the synthetic corpus of `trend_corpus`, the report of a
//! quarter, a year, five years, a unit's quarter and days that cut months, each timed over
//! several runs; its counting from the kept counts and, once, from the reports alone, which
//! must agree; then what keeping the counts adds to a publication (`trend_writes`).

use std::{collections::HashMap, time::Instant};

use kintsugi::{
    config::Config,
    services::trends::{
        self, Period, Request, Scope,
        count::{self},
    },
};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::{
    stats::{latency, ms},
    trend_corpus, trend_writes,
};

#[derive(Debug, clap::Args)]
pub struct TrendArgs {
    /// How many reports to generate.
    #[arg(long, default_value_t = 1_000_000)]
    reports: u64,
    /// Timed runs of each report, after one warm-up run.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Where to put the database (default: a temporary folder); kept for `--reuse`.
    #[arg(long)]
    dir: Option<std::path::PathBuf>,
    /// Reuse the database an earlier run left in `--dir`.
    #[arg(long, requires = "dir")]
    reuse: bool,
    /// Recount the kept counts from the reports before timing, even with `--reuse` (timed).
    #[arg(long)]
    rebuild: bool,
    /// Run on this PostgreSQL database instead of SQLite (it must be empty or from `--reuse`).
    #[arg(long)]
    database_url: Option<String>,
}

pub async fn run(args: &TrendArgs) -> anyhow::Result<()> {
    let temporary = tempfile::tempdir()?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| temporary.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let mut config = Config::with_data_dir(&dir);
    config.database.url = args.database_url.clone().map(kintsugi::config::DatabaseUrl);
    let db = kintsugi::db::connect(&config).await?;
    println!(
        "# Trend report: {} reports in {}",
        args.reports,
        if args.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    // On a corpus from before migration 20, this fills the kept counts once.
    let started = Instant::now();
    kintsugi::db::migrate(&db).await?;
    println!("migrated in {:.1} s", started.elapsed().as_secs_f64());
    if !args.reuse {
        let started = Instant::now();
        trend_corpus::build(&db, args.reports).await?;
        println!("built in {:.1} s", started.elapsed().as_secs_f64());
    }
    if !args.reuse || args.rebuild {
        // Written straight into the tables: counted the way an upgrade counts them.
        let started = Instant::now();
        let rebuilt = trends::rebuild(&db, &|_, _| {}).await?;
        println!(
            "kept counts rebuilt in {:.1} s: {} months, {} rows, {} corrected",
            started.elapsed().as_secs_f64(),
            rebuilt.months,
            rebuilt.rows,
            rebuilt.corrected
        );
    }
    for table in TABLES {
        let rows = count(&db, &format!("SELECT COUNT(*) FROM {table}")).await?;
        println!("{table}: {rows} rows");
    }
    let period = |text: &str| Period::named(text, "period");
    let unit = first_unit(&db).await?;
    let cases = [
        ("quarter 2026-Q3", period("2026-Q3")?, None),
        ("year 2025", period("2025")?, None),
        (
            "five years 2022 to 2026-10",
            Period::between("2022-01-01", "2026-10-31")?,
            None,
        ),
        (
            "quarter 2026-Q3, one agency",
            period("2026-Q3")?,
            Some(unit),
        ),
        (
            "2026-01-15 to 2026-04-10 (two part months)",
            Period::between("2026-01-15", "2026-04-10")?,
            None,
        ),
    ];
    println!();
    println!(
        "| trend report ({} runs after a warm-up) | p50 | max | suppressed cells \
         | counting: kept p50 | counting: from the reports (1 run) |",
        args.runs
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    let categories = categories(&db).await?;
    for (name, period, unit) in cases {
        let scope = Scope {
            period,
            units: match &unit {
                Some(path) => Some(subtree(&db, path).await?),
                None => None,
            },
            channel: None,
        };
        let request = Request {
            period,
            unit,
            channel: None,
        };
        let settings = trends::Settings {
            min_cell: 5,
            as_of: kintsugi::today(),
            window_days: 365,
        };
        let (mut samples, mut counting) = (Vec::new(), Vec::new());
        for run in 0..=args.runs {
            let started = Instant::now();
            let report = trends::report(&db, &request, &settings).await?;
            let reported = started.elapsed();
            let started = Instant::now();
            let kept = count::counts(&db, &scope, &categories).await?;
            if run > 0 {
                samples.push(reported);
                counting.push(started.elapsed());
            }
            let suppressed = report
                .tables
                .iter()
                .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter()))
                .filter(|c| **c == trends::Cell::Suppressed)
                .count();
            if run == args.runs {
                let started = Instant::now();
                let recounted = count::counts_from_reports(&db, &scope, &categories).await?;
                let scanned = started.elapsed();
                anyhow::ensure!(
                    ordered(kept) == ordered(recounted),
                    "{name}: the kept counts differ from the reports'"
                );
                let (l, c) = (latency(samples.clone()), latency(counting.clone()));
                println!(
                    "| {name} | {} | {} | {suppressed} | {} | {} |",
                    ms(l.p50),
                    ms(l.max),
                    ms(c.p50),
                    ms(scanned)
                );
            }
        }
    }
    let units = trend_corpus::ids(&db, "SELECT id FROM units ORDER BY path").await?;
    let factors = trend_corpus::ids(&db, "SELECT id FROM factors ORDER BY id").await?;
    trend_writes::run(&db, &units, &factors).await
}

const TABLES: [&str; 5] = [
    "trend_received",
    "trend_published",
    "trend_days",
    "trend_reviews",
    "trend_factor_sets",
];

/// The published groups in one order, so that two counts compare.
fn ordered(mut counts: count::Counts) -> count::Counts {
    counts.published.sort_by_key(|g| {
        (
            g.month.clone(),
            g.channel.clone(),
            g.audience.clone(),
            g.impact.clone(),
            g.unit_id,
        )
    });
    counts
}

async fn categories(db: &DatabaseConnection) -> anyhow::Result<HashMap<i32, i32>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, category_id FROM factors".to_owned(),
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect()
}

async fn subtree(db: &DatabaseConnection, path: &str) -> anyhow::Result<Vec<i32>> {
    trend_corpus::ids(
        db,
        &format!("SELECT id FROM units WHERE path = '{path}' OR path LIKE '{path}/%'"),
    )
    .await
}

async fn count(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no count"))?;
    Ok(row.try_get_by_index(0)?)
}

async fn first_unit(db: &DatabaseConnection) -> anyhow::Result<String> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT path FROM units WHERE parent_id IS NULL ORDER BY path".to_owned(),
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no unit"))?;
    Ok(row.try_get_by_index(0)?)
}
