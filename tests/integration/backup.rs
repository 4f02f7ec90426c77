//! `kintsugi backup`: a copy taken while reports arrive restores into a working app, and an
//! existing file is never overwritten.

use std::{
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst},
    },
    time::Duration,
};

use anyhow::Context;
use kintsugi::{
    config::{Config, DATABASE_FILE, DatabaseUrl, ReadAccess},
    services::reports,
};
use kintsugi_tests::{Backend, TestApp};
use poem::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::support::{import, indexed, json as read_json, post_json, search_refs};

/// Searches whose hits all fit on one page, so that their sets can be compared.
const QUERIES: [&str; 4] = [
    "q=embargo&limit=100",
    "q=distribution+list&limit=100",
    "channel=meeting&limit=100",
    "q=press&impact=serious&limit=100",
];

/// What the writers and the test tell each other.
#[derive(Default)]
struct Progress {
    backup_started: AtomicBool,
    stop: AtomicBool,
    acknowledged: AtomicUsize,
}

/// A report logged through the API, and whether its answer came before the backup began.
struct Logged {
    report_ref: String,
    receipt: String,
    before_backup: bool,
}

#[tokio::test]
async fn a_backup_taken_while_reports_arrive_restores_every_acknowledged_one() -> anyhow::Result<()>
{
    let app = Arc::new(
        TestApp::start_with(Backend::Sqlite, None, |config| {
            config.access.read_access = ReadAccess::Open;
            config.access.submissions_per_hour = 0;
        })
        .await?,
    );
    let summary = import(&app, &lessons("before", 360), true).await?;
    anyhow::ensure!(summary.errors.is_empty(), "{:?}", summary.errors);
    indexed(&app).await?;
    let mut expected = Vec::new();
    for query in QUERIES {
        expected.push(sorted(search_refs(&app, query).await?));
    }
    anyhow::ensure!(expected.iter().all(|hits| !hits.is_empty()));

    let progress = Arc::new(Progress::default());
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            tokio::spawn(keep_logging(
                Arc::clone(&app),
                writer,
                Arc::clone(&progress),
            ))
        })
        .collect();

    let backups = tempfile::tempdir()?;
    let dest = backups.path().join("kintsugi-backup.db");
    let acknowledged = || progress.acknowledged.load(SeqCst);
    until(|| acknowledged() >= 20).await?;
    progress.backup_started.store(true, SeqCst);
    let at_start = acknowledged();
    anyhow::ensure!(kintsugi::cli::backup(app.config(), &dest).await?);
    // Writers keep going after the copy, and what they log then need not be in it.
    until(|| acknowledged() >= at_start + 20).await?;
    progress.stop.store(true, SeqCst);
    let mut logged = Vec::new();
    for writer in writers {
        logged.extend(writer.await??);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dest)?.permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner may read a backup");
    }

    // The restore: the copy becomes the database of a fresh data folder, with no index yet.
    let restored = start_on_copy(&dest).await?;
    let db = &restored.state.db;
    let check = Statement::from_string(db.get_database_backend(), "PRAGMA integrity_check");
    let row = db
        .query_one_raw(check)
        .await?
        .context("no integrity check")?;
    assert_eq!(row.try_get_by_index::<String>(0)?, "ok");
    let before: Vec<&Logged> = logged.iter().filter(|l| l.before_backup).collect();
    assert!(
        before.len() >= 20,
        "{} logged before the backup",
        before.len()
    );
    for report in &before {
        // The receipt still opens it: the salt it was hashed with came along.
        let found = reports::status(db, &restored.state.receipts, &report.receipt)
            .await
            .with_context(|| format!("{} is missing from the copy", report.report_ref))?;
        assert_eq!(found.report_ref, report.report_ref);
    }
    for (query, hits) in QUERIES.iter().zip(&expected) {
        assert_eq!(
            &sorted(search_refs(&restored, query).await?),
            hits,
            "{query}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn an_existing_destination_is_refused_and_left_as_it_was() -> anyhow::Result<()> {
    let app = TestApp::start_with_url(Backend::Sqlite, None).await?;
    import(&app, &lessons("kept", 5), true).await?;
    let backups = tempfile::tempdir()?;
    let dest = backups.path().join("existing.db");
    std::fs::write(&dest, b"an older backup")?;

    let refused = kintsugi::cli::backup(app.config(), &dest).await;
    let message = format!(
        "{:#}",
        refused.err().context("an existing file was overwritten")?
    );
    assert!(message.contains("already exists"), "{message}");
    assert_eq!(std::fs::read(&dest)?, b"an older backup");

    // Not even the live database itself.
    let live = app.data_dir.path().join(DATABASE_FILE);
    assert!(kintsugi::cli::backup(app.config(), &live).await.is_err());
    assert_eq!(reports::count_published(&app.state.db).await?, 5);

    // A mistyped data folder is reported, not created empty.
    let missing = backups.path().join("no-such-folder");
    let config = Config::with_data_dir(&missing);
    assert!(kintsugi::cli::backup(&config, &dest).await.is_err());
    assert!(!missing.exists());

    // PostgreSQL: no file, and the answer that pg_dump is the tool.
    let mut config = Config::with_data_dir(backups.path());
    config.database.url = Some(DatabaseUrl(
        "postgres://kintsugi@db.invalid/kintsugi".into(),
    ));
    let other = backups.path().join("never.db");
    assert!(!kintsugi::cli::backup(&config, &other).await?);
    assert!(!other.exists());
    Ok(())
}

/// Starts an app on a fresh data folder whose database is the backup at `copy`.
async fn start_on_copy(copy: &Path) -> anyhow::Result<TestApp> {
    let data_dir = tempfile::tempdir()?;
    std::fs::copy(copy, data_dir.path().join(DATABASE_FILE))?;
    let mut config = Config::with_data_dir(data_dir.path());
    config.access.read_access = ReadAccess::Open;
    TestApp::start_in(Backend::Sqlite, data_dir, config).await
}

/// Logs reports one after the other until told to stop.
async fn keep_logging(
    app: Arc<TestApp>,
    writer: usize,
    progress: Arc<Progress>,
) -> anyhow::Result<Vec<Logged>> {
    let mut logged = Vec::new();
    for n in 0.. {
        if progress.stop.load(SeqCst) {
            break;
        }
        let (report_ref, receipt) = submit(&app, &format!("writer {writer} {n}"))
            .await
            .with_context(|| format!("writer {writer}, report {n}"))?;
        // Read after the answer came: still unset means it came before the backup began.
        let before_backup = !progress.backup_started.load(SeqCst);
        progress.acknowledged.fetch_add(1, SeqCst);
        logged.push(Logged {
            report_ref,
            receipt,
            before_backup,
        });
    }
    Ok(logged)
}

/// Logs a report through the API and returns `(ref, receipt)`.
async fn submit(app: &TestApp, title: &str) -> anyhow::Result<(String, String)> {
    let response = post_json(app, "/api/v1/reports", &kintsugi_tests::new_report(title)).await;
    let status = response.0.status();
    let body = read_json(response).await?;
    anyhow::ensure!(status == StatusCode::CREATED, "{status}: {body}");
    let field = |name: &str| body[name].as_str().map(str::to_owned);
    Ok((
        field("ref").context("no ref")?,
        field("receipt").context("no receipt")?,
    ))
}

/// Waits, for at most a minute, until `done` holds.
async fn until(done: impl Fn() -> bool) -> anyhow::Result<()> {
    for _ in 0..6_000 {
        if done() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    anyhow::bail!("gave up waiting for the writers")
}

/// `count` published lessons in JSON Lines, spread over a few themes, channels and impacts.
fn lessons(label: &str, count: usize) -> String {
    const THEMES: [&str; 5] = [
        "The embargoed figure went out in a draft",
        "A reply reached the whole distribution list",
        "The press office quoted an unchecked number",
        "The post went out from the official account",
        "The meeting invitation showed every guest",
    ];
    const CHANNELS: [&str; 4] = ["email", "media_press", "meeting", "public_social"];
    const IMPACTS: [&str; 3] = ["minor", "serious", "near_miss"];
    (0..count)
        .map(|n| {
            let line = json!({
                "title": format!("{label} lesson {n}"),
                "narrative": THEMES[n % THEMES.len()],
                "channel": CHANNELS[n % CHANNELS.len()],
                "impact": IMPACTS[n % IMPACTS.len()],
            });
            format!("{line}\n")
        })
        .collect()
}

fn sorted(mut refs: Vec<String>) -> Vec<String> {
    refs.sort();
    refs
}
