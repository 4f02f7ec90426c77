//! Building the application state and serving it on a listener.

use std::{future::Future, sync::Arc, time::Duration};

use poem::{
    Server,
    listener::{Acceptor, Listener, TcpAcceptor, TcpListener},
};

use sea_orm::DatabaseConnection;
use search::{Opened, SearchIndex};
use tokio::task::JoinHandle;

use crate::{
    auth,
    config::Config,
    db, indexing, routes,
    services::{
        limits::{AddressLimits, SignInLimits},
        moderation::retention,
        receipts::ReceiptHasher,
        secrets,
        thesaurus::{self, ThesaurusKeeper},
    },
    state::AppState,
    templates::Templates,
    text_checks::TextRules,
};

/// Everything [`prepare_state`] does, then starts the background tasks, which run until
/// the returned [`Background`] is stopped or dropped.
pub async fn build_state(config: Config) -> anyhow::Result<(AppState, Background)> {
    let state = prepare_state(config).await?;
    let background = Background::start(&state);
    Ok((state, background))
}

/// The tasks that run beside the requests: the indexer, the follower of thesaurus edits made
/// on other instances, and the purge of reporters' raw text when a retention period is set. Dropping this stops them, so that nothing outlives
/// the app it belongs to (a test's indexer, say, after its data directory is gone).
pub struct Background {
    tasks: Vec<JoinHandle<()>>,
}

impl Background {
    pub fn start(state: &AppState) -> Self {
        let mut tasks = vec![tokio::spawn(indexing::run(
            state.db.clone(),
            Arc::clone(&state.index),
        ))];
        tasks.push(tokio::spawn(thesaurus::follow(
            state.db.clone(),
            Arc::clone(&state.index),
            Arc::clone(&state.thesaurus),
        )));
        tasks.push(tokio::spawn(crate::services::patterns::job::run_forever(
            state.db.clone(),
            state.config.patterns,
            Arc::clone(&state.index),
            Arc::clone(&state.search_turns),
        )));
        match crate::services::digests::job::Sender::of(state) {
            Ok(Some(sender)) => tasks.push(tokio::spawn(
                crate::services::digests::job::run_forever(sender, state.config.digests.look_every),
            )),
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "the monthly digest will not be emailed"),
        }
        if let Some(days) = state.config.moderation.retention_days {
            tasks.push(tokio::spawn(retention::run(state.db.clone(), days)));
        }
        Self { tasks }
    }

    /// Stops the tasks and waits until they have stopped.
    pub async fn stop(mut self) {
        for task in std::mem::take(&mut self.tasks) {
            task.abort();
            // A stopped task answers that it was cancelled: that is what was asked.
            let _ = task.await;
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Connects to the database, applies migrations, loads the templates and opens the search
/// index (rebuilding it when missing, corrupt or of an older schema), without starting the
/// indexer: for tools that drive indexing themselves.
pub async fn prepare_state(config: Config) -> anyhow::Result<AppState> {
    use anyhow::Context;
    let db = db::connect(&config).await?;
    db::migrate(&db)
        .await
        .context("while applying migrations")?;
    let templates =
        Templates::load(config.templates.dev_dir.clone()).context("while loading templates")?;
    let receipts = ReceiptHasher::load(&db)
        .await
        .context("while loading the receipt salt")?;
    let index = open_index(&config, &db).await?;
    // An admin's edits, stored in the database, take precedence over these defaults.
    let thesaurus = Arc::new(match &config.search.thesaurus_file {
        Some(path) => ThesaurusKeeper::new(
            indexing::thesaurus::load(path)
                .with_context(|| format!("while reading the thesaurus file {}", path.display()))?,
            format!("the file {}", path.display()),
        ),
        None => ThesaurusKeeper::new(
            indexing::thesaurus::defaults().context("while reading the built-in thesaurus")?,
            "the groups shipped with Kintsugi",
        ),
    });
    thesaurus::refresh(&db, &index, &thesaurus)
        .await
        .context("while reading the thesaurus")?;
    let cookie_secret = secrets::installation_key(&db, "cookie_key")
        .await
        .context("while loading the cookie key")?;
    let signal_key = secrets::installation_key(&db, "signal_key")
        .await
        .context("while loading the signal key")?;
    let submissions_per_hour = config.access.submissions_per_hour;
    let receipt_tries_per_hour = config.access.receipt_tries_per_hour;
    let rules = match &config.moderation.rules_file {
        Some(path) => TextRules::load(path)
            .with_context(|| format!("while reading the rule file {}", path.display()))?,
        None => TextRules::defaults(),
    };
    Ok(AppState {
        db,
        config: Arc::new(config),
        templates: Arc::new(templates),
        receipts,
        index,
        thesaurus,
        search_turns: Arc::default(),
        cookie_key: Arc::new(auth::cookie_key(&cookie_secret)),
        signal_key: Arc::new(signal_key),
        sign_in_limits: Arc::new(SignInLimits::default()),
        submission_limits: Arc::new(AddressLimits::new(submissions_per_hour)),
        receipt_limits: Arc::new(AddressLimits::new(receipt_tries_per_hour)),
        sent_forms: Arc::default(),
        rules: Arc::new(rules),
        metrics: Arc::default(),
    })
}

/// Opens the search index in the data directory, rebuilding it from the database when it
/// cannot be used as it is.
pub async fn open_index(
    config: &Config,
    db: &DatabaseConnection,
) -> anyhow::Result<Arc<SearchIndex>> {
    use anyhow::Context;
    let dir = config.index_dir();
    let shown = dir.display().to_string();
    let (index, opened) = crate::blocking(move || Ok(SearchIndex::open(&dir)?))
        .await
        .with_context(|| format!("while opening the search index in {shown}"))?;
    let index = Arc::new(index);
    let rebuild = match opened {
        Opened::Created { reason } => Some(reason),
        Opened::Existing { .. } if indexing::is_ahead_of_database(db, &index).await? => Some(
            "the index holds changes the database does not have (restored from a backup?)"
                .to_owned(),
        ),
        Opened::Existing { .. } => None,
    };
    if let Some(reason) = rebuild {
        tracing::info!(%reason, "building the search index from the database");
        let count = indexing::rebuild(db, &index, &|_, _| {})
            .await
            .context("while building the search index")?;
        tracing::info!(reports = count, "search index built");
    }
    Ok(index)
}

/// Binds the listening socket; port 0 picks a free one, which [`local_url`] then tells.
pub async fn bind(addr: std::net::SocketAddr) -> std::io::Result<TcpAcceptor> {
    TcpListener::bind(addr).into_acceptor().await
}

/// The address a person should open, e.g. `http://127.0.0.1:8080/`.
pub fn local_url(acceptor: &TcpAcceptor) -> String {
    acceptor
        .local_addr()
        .first()
        .and_then(|addr| addr.as_socket_addr().copied())
        .map(|addr| format!("http://{addr}/"))
        .unwrap_or_else(|| "the configured address".to_owned())
}

/// Serves until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    acceptor: TcpAcceptor,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(
            routes::endpoint(state),
            shutdown,
            Some(Duration::from_secs(10)),
        )
        .await
}
