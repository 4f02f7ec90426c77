//! A sustained mixed load on loopback — searches, anonymous submissions, receipt lookups,
//! moderation reads and publications — on SQLite and on a fresh PostgreSQL database.

mod clients;
mod figures;

use std::{
    io::Cursor,
    path::{Path, PathBuf},
    sync::{Arc, atomic::Ordering},
    time::{Duration, Instant},
};

use anyhow::Context;
use kintsugi::{
    codes,
    config::{Config, DatabaseUrl, ReadAccess},
    indexing, server,
    services::{
        accounts::{self, Password, Role, tokens},
        import::import_jsonl,
    },
};
use rand::Rng;
use sea_orm::{ConnectionTrait, Database};

use crate::{
    corpus::{self, Vocabulary},
    queries,
};
use clients::Shared;
use figures::Figures;

/// Options of `mixed-load`.
#[derive(Debug, clap::Args)]
pub struct MixedArgs {
    /// Concurrent clients, each on its own keep-alive connection.
    #[arg(long, default_value_t = 16)]
    clients: u64,
    /// Seconds of load on each backend.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// The database to run on.
    #[arg(long, value_enum, default_value_t = Backend::Both)]
    backend: Backend,
    /// Published reports imported before the load, so that searches find what they would.
    #[arg(long, default_value_t = 5_000)]
    seed_reports: u64,
    /// A PostgreSQL server on which the run creates a database of its own and drops it after.
    #[arg(
        long,
        env = "KINTSUGI_BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    postgres_url: String,
    /// Where to put each backend's data directory (default: a temporary folder).
    #[arg(long)]
    dir: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Backend {
    Sqlite,
    Postgres,
    Both,
}

/// Runs the load on each chosen backend, prints its figures, and fails if any request did.
pub async fn run(args: &MixedArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.clients > 0, "--clients must be at least 1");
    let temporary = tempfile::tempdir()?;
    let dir = args.dir.as_deref().unwrap_or(temporary.path());
    println!(
        "# Kintsugi mixed load: {} clients for {} s on each backend, over {} published reports",
        args.clients, args.seconds, args.seed_reports
    );
    let mut failed = Vec::new();
    if args.backend != Backend::Postgres {
        let errors = on_backend(args, "SQLite", &dir.join("sqlite"), None).await?;
        if errors > 0 {
            failed.push(format!("{errors} on SQLite"));
        }
    }
    if args.backend != Backend::Sqlite {
        let errors = on_fresh_postgres(args, &dir.join("postgres")).await?;
        if errors > 0 {
            failed.push(format!("{errors} on PostgreSQL"));
        }
    }
    anyhow::ensure!(failed.is_empty(), "requests failed: {}", failed.join(", "));
    Ok(())
}

/// The load on a database created for the run, dropped afterwards whatever the outcome.
async fn on_fresh_postgres(args: &MixedArgs, dir: &Path) -> anyhow::Result<usize> {
    // The URL may hold a password: errors name the option, not the URL.
    let admin = Database::connect(&args.postgres_url)
        .await
        .context("while connecting to the PostgreSQL server of --postgres-url")?;
    let mut rng = rand::rng();
    let suffix: String = (0..12)
        .map(|_| rng.random_range(b'a'..=b'z') as char)
        .collect();
    let database = format!("kintsugi_bench_{suffix}");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{database}\""))
        .await?;
    let url = with_database(&args.postgres_url, &database);
    let outcome = on_backend(args, "PostgreSQL", dir, Some(url)).await;
    admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
        ))
        .await
        .with_context(|| format!("while dropping the database {database}"))?;
    outcome
}

/// The same server URL with another database name.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority..].find('/') {
        Some(slash) => &base[..authority + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

/// Seeds a fresh app, serves it in this process, loads it and prints the figures; the
/// number of failed requests.
async fn on_backend(
    args: &MixedArgs,
    name: &str,
    dir: &Path,
    url: Option<String>,
) -> anyhow::Result<usize> {
    let data_dir = dir.join("app");
    anyhow::ensure!(
        !data_dir.exists(),
        "{} holds an earlier run: remove it or choose another --dir",
        data_dir.display()
    );
    let mut config = Config::with_data_dir(data_dir);
    config.database.url = url.map(DatabaseUrl);
    // Searches without an account, as on an intranet; no limits per address, since every
    // client is 127.0.0.1; publication without waiting days for a reporter's approval.
    config.access.read_access = ReadAccess::Open;
    config.access.submissions_per_hour = 0;
    config.access.receipt_tries_per_hour = 0;
    config.moderation.approval_wait_days = 0;
    let state = server::prepare_state(config).await?;

    let vocabulary = Vocabulary::new();
    let seeded = Instant::now();
    let mut lines = String::new();
    for n in 0..args.seed_reports {
        lines.push_str(&corpus::report_line(&vocabulary, n));
        lines.push('\n');
    }
    let (summary, _) = indexing::alongside(&state.db, &state.index, &|_| {}, async {
        import_jsonl(&state.db, Cursor::new(lines.as_bytes()), true, &|_| {}).await
    })
    .await?;
    anyhow::ensure!(
        summary.errors.is_empty(),
        "seeding: {:?}",
        &summary.errors[..summary.errors.len().min(3)]
    );
    let seed_time = seeded.elapsed();
    let by = "benchmark";
    let password = codes::new_password();
    let moderator = accounts::add(
        &state.db,
        by,
        "bench.moderator",
        Role::Moderator,
        &password,
        Password::OneTime,
    )
    .await?;
    let token = tokens::issue(&state.db, by, moderator.id, "mixed load").await?;

    // As `kintsugi serve` runs: the indexer in the background, the app on a socket.
    let indexer = tokio::spawn(indexing::run(state.db.clone(), Arc::clone(&state.index)));
    let acceptor = server::bind("127.0.0.1:0".parse()?).await?;
    let address = server::local_url(&acceptor)
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server::serve(acceptor, state.clone(), async {
        let _ = stopped.await;
    }));

    let search_paths = queries::mix(&vocabulary, args.seed_reports.max(1))
        .iter()
        .map(|q| format!("/api/v1/search?{}&limit=10", q.url_query()))
        .collect();
    let shared = Arc::new(Shared::new(
        address,
        token,
        search_paths,
        vocabulary,
        args.seed_reports,
    ));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let workers: Vec<_> = (0..args.clients)
        .map(|n| tokio::spawn(clients::client(Arc::clone(&shared), n, deadline)))
        .collect();
    let mut figures = Figures::default();
    for worker in workers {
        figures.add(worker.await?);
    }
    let elapsed = started.elapsed();

    // Publications reach the index through the outbox: how long until the last one did.
    let published = shared.published.load(Ordering::Relaxed);
    let expected = state.index.num_docs().max(args.seed_reports + published);
    let waited = Instant::now();
    while state.index.num_docs() < expected && waited.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let lag = waited.elapsed();
    let indexed = state.index.num_docs();
    let _ = stop.send(());
    serving.await??;
    indexer.abort();

    let title = format!(
        "mixed load on {name}, {} clients, {} s",
        args.clients, args.seconds
    );
    figures.print_table(&title, elapsed);
    println!();
    println!(
        "seeded {} published reports in {:.1} s; during the load {} reports were submitted and {published} published; the index held {indexed} reports {:.1} s after the load ended",
        summary.imported,
        seed_time.as_secs_f64(),
        shared.submitted(),
        lag.as_secs_f64()
    );
    figures.print_errors();
    Ok(figures.errors())
}
