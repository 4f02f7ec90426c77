//! The real server on 127.0.0.1 and a free port, on a fresh SQLite database, with helpers
//! that put content in it.

use kintsugi::{
    config::{Config, ReadAccess},
    server::{self, Background},
    services::{
        accounts::{self, Account, Password, Role},
        reports::{self, ReportInput},
    },
    state::AppState,
};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// The name and password of the moderator the journeys sign in as.
pub const MODERATOR: &str = "mo.derator";
pub const MODERATOR_PASSWORD: &str = "a long moderator password";

/// One running server, stopped when dropped.
pub struct Site {
    pub state: AppState,
    base: String,
    _stop: oneshot::Sender<()>,
    _background: Background,
    _data_dir: TempDir,
}

impl Site {
    pub async fn start() -> anyhow::Result<Self> {
        let data_dir = tempfile::tempdir()?;
        let mut config = Config::with_data_dir(data_dir.path());
        // Reading open, as on an intranet, so the reader journeys need no account; the
        // moderator's journey signs in.
        config.access.read_access = ReadAccess::Open;
        let (state, background) = server::build_state(config).await?;
        let acceptor = server::bind("127.0.0.1:0".parse()?).await?;
        let base = server::local_url(&acceptor)
            .trim_end_matches('/')
            .to_owned();
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(error) = server::serve(acceptor, serving, shutdown).await {
                eprintln!("the test server stopped: {error}");
            }
        });
        Ok(Self {
            state,
            base,
            _stop: stop,
            _background: background,
            _data_dir: data_dir,
        })
    }

    /// The full address of a path on this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Loads the demo set (about sixty published lessons) and waits until it is searchable.
    pub async fn with_demo_lessons(&self) -> anyhow::Result<()> {
        kintsugi::cli::demo(&self.state.config, &self.state.db).await?;
        self.indexed().await
    }

    /// Logs a report as the form would and returns `(ref, receipt code as shown)`.
    pub async fn logged_report(&self, title: &str) -> anyhow::Result<(String, String)> {
        let input = ReportInput {
            title: title.to_owned(),
            narrative: "The scheduled post went out from the agency account a day early."
                .to_owned(),
            channel: Some("public_social".to_owned()),
            impact: Some("minor".to_owned()),
            ..ReportInput::default()
        };
        let created = reports::create(&self.state.db, &self.state.receipts, input).await?;
        Ok((created.report_ref, created.receipt.display()))
    }

    /// Creates the moderator account ([`MODERATOR`], [`MODERATOR_PASSWORD`]), as the command
    /// line would.
    pub async fn moderator(&self) -> anyhow::Result<Account> {
        Ok(accounts::add(
            &self.state.db,
            "command line",
            MODERATOR,
            Role::Moderator,
            MODERATOR_PASSWORD,
            Password::Chosen,
        )
        .await?)
    }

    /// Brings the search index up to date with the database.
    pub async fn indexed(&self) -> anyhow::Result<()> {
        kintsugi::indexing::catch_up(&self.state.db, &self.state.index, &|_| {}).await?;
        Ok(())
    }
}
