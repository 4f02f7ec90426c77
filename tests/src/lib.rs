//! The test harness: the real app on a fresh database — SQLite always, PostgreSQL when
//! `KINTSUGI_TEST_POSTGRES_URL` is set — with an in-process client.

pub mod browser;
mod staff;
pub use staff::{PASSWORD, Staff, csrf_token_in};

use std::path::{Path, PathBuf};

use anyhow::Context;
use kintsugi::{
    config::{Config, DatabaseUrl, ReadAccess},
    routes,
    server::{self, Background},
    state::AppState,
};
use poem::{EndpointExt, Response, endpoint::BoxEndpoint, test::TestClient};
use sea_orm::{ConnectionTrait, Database};
use tempfile::TempDir;

pub const POSTGRES_ENV: &str = "KINTSUGI_TEST_POSTGRES_URL";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One app on its own database and data directory, shared with nothing else.
pub struct TestApp {
    pub backend: Backend,
    pub state: AppState,
    pub client: TestClient<BoxEndpoint<'static, Response>>,
    /// Stopped when the app is dropped, before its data directory goes (fields drop in order).
    pub background: Background,
    pub data_dir: TempDir,
}

impl TestApp {
    pub fn config(&self) -> &Config {
        &self.state.config
    }
}

/// Runs `test` on a fresh SQLite app, then on a fresh PostgreSQL app when configured.
///
/// Reading is open (`ReadAccess::Open`) in these apps, so that tests of search and reading
/// need no account; the access tests use [`each_backend_with`] for the signed-in default.
pub async fn each_backend(
    test: impl AsyncFnMut(TestApp) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    each_backend_with(|config| config.access.read_access = ReadAccess::Open, test).await
}

/// As [`each_backend`], with the configuration adjusted by `configure`.
pub async fn each_backend_with(
    configure: impl Fn(&mut Config),
    mut test: impl AsyncFnMut(TestApp) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    each_database(async |url| {
        let backend = if url.is_some() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        test(TestApp::start_with(backend, url, &configure).await?).await
    })
    .await
}

/// Runs `test` with no database URL (SQLite in a data directory), then with the URL of a fresh
/// PostgreSQL database when `KINTSUGI_TEST_POSTGRES_URL` is set. That database is dropped
/// afterwards, whatever the outcome.
pub async fn each_database(
    mut test: impl AsyncFnMut(Option<String>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    test(None).await.context("on SQLite")?;

    let Some(base_url) = postgres_url() else {
        return Ok(());
    };
    let database = format!("kintsugi_test_{}", random_suffix());
    let admin = Database::connect(&base_url)
        .await
        .with_context(|| format!("connecting to {POSTGRES_ENV}"))?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{database}\""))
        .await?;
    let outcome = test(Some(with_database(&base_url, &database)))
        .await
        .context("on PostgreSQL");
    admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
        ))
        .await?;
    outcome
}

impl TestApp {
    pub async fn start_with_url(backend: Backend, url: Option<String>) -> anyhow::Result<Self> {
        Self::start_with(backend, url, |config| {
            config.access.read_access = ReadAccess::Open;
        })
        .await
    }

    pub async fn start_with(
        backend: Backend,
        url: Option<String>,
        configure: impl Fn(&mut Config),
    ) -> anyhow::Result<Self> {
        let data_dir = tempfile::tempdir()?;
        let mut config = Config::with_data_dir(data_dir.path());
        config.database.url = url.map(DatabaseUrl);
        configure(&mut config);
        Self::start_in(backend, data_dir, config).await
    }

    /// Starts the app of `config`, whose data directory is `data_dir`.
    pub async fn start_in(
        backend: Backend,
        data_dir: TempDir,
        config: Config,
    ) -> anyhow::Result<Self> {
        let (state, background) = server::build_state(config).await?;
        let endpoint = routes::endpoint(state.clone()).map_to_response().boxed();
        Ok(Self {
            backend,
            state,
            client: TestClient::new(endpoint),
            background,
            data_dir,
        })
    }
}

pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_ENV)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// The same server URL with another database name.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

pub fn random_suffix() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..12)
        .map(|_| rng.random_range(b'a'..=b'z') as char)
        .collect()
}

/// Every file under `dir`, read as bytes, for checks of what is on disk.
pub fn files_under(dir: &Path) -> anyhow::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push((path.clone(), std::fs::read(&path)?));
            }
        }
    }
    Ok(found)
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Where the shared sample data lives, beside the repository; `None` where it is absent.
pub fn shared_data(file: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(file);
    path.exists().then_some(path)
}

/// A JSON body for `POST /api/v1/reports` with every required field.
pub fn new_report(title: &str) -> serde_json::Value {
    serde_json::json!({
        "title": title,
        "narrative": "I sent the draft to the whole distribution list instead of my manager.",
        "channel": "email",
        "impact": "minor",
        "factors": ["reply_all_default", "time_pressure"],
        "lesson": "Distribution lists should not be the first suggestion.",
        "tags": ["reply-all"],
    })
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(
            with_database("postgres://root@127.0.0.1:5432/test", "x"),
            "postgres://root@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://127.0.0.1", "x"),
            "postgres://127.0.0.1/x"
        );
        assert_eq!(
            with_database("postgres://h/test?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
    }
}

/// Everything the database holds, as bytes to search: the files of the data directory for
/// SQLite (database, WAL and all), every row of every table as JSON for PostgreSQL.
pub async fn stored_bytes(app: &TestApp) -> anyhow::Result<Vec<u8>> {
    use sea_orm::{ConnectionTrait, Statement};
    match app.backend {
        Backend::Sqlite => Ok(files_under(app.data_dir.path())?
            .into_iter()
            .flat_map(|(_, bytes)| bytes)
            .collect()),
        Backend::Postgres => {
            let db = &app.state.db;
            let backend = db.get_database_backend();
            let tables = db
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'",
                ))
                .await?;
            let mut dump = Vec::new();
            for table in tables {
                let name: String = table.try_get("", "name")?;
                let rows = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT row_to_json(t)::text AS row FROM \"{name}\" t"),
                    ))
                    .await?;
                for row in rows {
                    dump.extend(row.try_get::<String>("", "row")?.into_bytes());
                    dump.push(b'\n');
                }
            }
            Ok(dump)
        }
    }
}

/// Every log line of this test process, captured by one global subscriber at TRACE level
/// (with the app's own caps on libraries that would log what people wrote).
/// Global, because log call sites are shared by all tests running at once; a test looks for
/// its own markers in it.
pub fn captured_logs() -> &'static CapturedLogs {
    static LOGS: std::sync::OnceLock<CapturedLogs> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = CapturedLogs::default();
        let sink = logs.clone();
        let installed = tracing_subscriber::fmt()
            .with_env_filter(kintsugi::telemetry::filter("trace"))
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .try_init();
        if installed.is_err() {
            eprintln!("another global log subscriber was already installed");
        }
        logs
    })
}

#[derive(Clone, Default)]
pub struct CapturedLogs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl CapturedLogs {
    pub fn contents(&self) -> Vec<u8> {
        self.0.lock().map(|logs| logs.clone()).unwrap_or_default()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut logs) = self.0.lock() {
            logs.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Publishes a report as a moderator does, through the moderation services: the version as
/// it stands is saved and offered to the reporter, then published without waiting for their
/// approval (an installation may set no wait).
pub async fn publish_report(
    db: &sea_orm::DatabaseConnection,
    report_ref: &str,
) -> anyhow::Result<()> {
    use kintsugi::{
        services::{
            accounts::{Account, Role},
            moderation::{self, DraftEdit},
        },
        text_checks::TextRules,
    };
    let report_ref: kintsugi::codes::ReportRef = report_ref.parse()?;
    let report_ref = &report_ref;
    // Audited under this name; the services need no more of an account than that.
    let moderator = Account {
        id: 0,
        name: "test fixtures".to_owned(),
        role: Role::Moderator,
        must_change_password: false,
    };
    let draft = moderation::detail(db, &TextRules::defaults(), 0, report_ref)
        .await?
        .draft;
    let edit = DraftEdit {
        title: draft.title,
        narrative: draft.narrative,
        what_helped: draft.what_helped,
        lesson: draft.lesson,
        tags: None,
    };
    moderation::save_draft(db, &moderator, report_ref, edit, true).await?;
    moderation::publish(db, &moderator, report_ref, 0).await?;
    Ok(())
}
