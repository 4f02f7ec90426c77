//! Configuration: defaults in code, overridden by command-line flags and environment variables.
//!
//! Parsed once at start-up and passed down; nothing reads the environment after that.

use std::{fmt, net::SocketAddr, path::PathBuf};

pub use crate::net::AddressRange;

/// Everything the server needs to know about where it runs.
#[derive(Clone, Debug)]
pub struct Config {
    pub http: HttpConfig,
    pub data_dir: PathBuf,
    pub database: DatabaseConfig,
    pub templates: TemplatesConfig,
    pub access: AccessConfig,
    pub moderation: ModerationConfig,
    pub metrics: MetricsConfig,
    pub search: SearchConfig,
    pub patterns: PatternsConfig,
    pub trends: TrendsConfig,
    pub digests: DigestConfig,
}

/// The monthly digest by email: sent only when a mail server is configured.
#[derive(Clone, Debug)]
pub struct DigestConfig {
    /// `smtp://host:port`, `smtps://user:pass@host` or `smtp://…?tls=required`, as lettre reads it.
    pub smtp_url: Option<SmtpUrl>,
    /// The sender's address, e.g. `Kintsugi <kintsugi@example.org>`.
    pub from: Option<String>,
    /// The site's address as readers open it, for the links in an email, which has no request
    /// to take it from; `http://` and the bind address when unset.
    pub public_url: Option<String>,
    /// How often the sending job looks whether a digest is due.
    pub look_every: std::time::Duration,
}

impl Default for DigestConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: None,
            public_url: None,
            look_every: std::time::Duration::from_secs(15 * 60),
        }
    }
}

/// A mail server URL, which may carry a password: its `Debug` never shows it.
#[derive(Clone)]
pub struct SmtpUrl(pub String);

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.0.split(':').next().unwrap_or("unknown");
        write!(f, "SmtpUrl({scheme}://…)")
    }
}

/// Trend reports: a cell resting on fewer than `min_cell` reports is suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrendsConfig {
    /// k, at least 3 (see `services::trends::suppress::MIN_K`).
    pub min_cell: u64,
}

impl Default for TrendsConfig {
    fn default() -> Self {
        Self { min_cell: 5 }
    }
}

/// When something counts as a recurring pattern: N occurrences in M units within W days; and
/// whether the server keeps its collection of term sets between runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PatternsConfig {
    pub min_occurrences: usize,
    pub min_units: usize,
    pub window_days: u32,
    /// Kept, a run after a few publications reads only those; not kept, every run reads every
    /// stored term set again, and the memory (about 4 KB a lesson) is free between runs.
    pub keep_collection: bool,
}

impl Default for PatternsConfig {
    fn default() -> Self {
        Self {
            min_occurrences: 3,
            min_units: 3,
            window_days: 365,
            keep_collection: true,
        }
    }
}

/// How searches read what people type.
#[derive(Clone, Debug, Default)]
pub struct SearchConfig {
    /// A thesaurus file replacing the default groups of words that mean the same thing.
    pub thesaurus_file: Option<PathBuf>,
}

/// Who may read `/metrics` without an admin's API token.
#[derive(Clone, Debug, Default)]
pub struct MetricsConfig {
    /// Peer addresses allowed to scrape; empty by default, so only admins' tokens open it.
    pub allow: Vec<AddressRange>,
}

/// Who may read published lessons, and how long a sign-in lasts.
#[derive(Clone, Debug)]
pub struct AccessConfig {
    pub read_access: ReadAccess,
    pub session_lifetime: time::Duration,
    /// Anonymous reports accepted from one network address in an hour; 0 for no limit
    /// (behind a reverse proxy every report comes from the proxy's address).
    pub submissions_per_hour: u32,
    /// Receipt codes that found no report, tried from one network address in an hour; 0 for
    /// no limit. Each try costs an argon2id hash, so guessing is slow for the server too.
    pub receipt_tries_per_hour: u32,
}

/// Whether reading published lessons needs a staff account. Logging a mistake never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum ReadAccess {
    /// Readers sign in (the default).
    #[default]
    SignedIn,
    /// Anyone who can reach the server reads published lessons: for an intranet.
    Open,
}

#[derive(Clone, Debug)]
pub struct ModerationConfig {
    /// Days after which a moderator may publish without the reporter's approval.
    pub approval_wait_days: u32,
    /// Days after publication or rejection before the raw text is purged; `None` keeps it.
    pub retention_days: Option<u32>,
    /// A rule file replacing the default blameless-language and redaction rules.
    pub rules_file: Option<PathBuf>,
}

impl Default for AccessConfig {
    fn default() -> Self {
        Self {
            read_access: ReadAccess::SignedIn,
            session_lifetime: time::Duration::hours(8),
            submissions_per_hour: 30,
            receipt_tries_per_hour: 60,
        }
    }
}

impl Default for ModerationConfig {
    fn default() -> Self {
        Self {
            approval_wait_days: 7,
            retention_days: Some(365),
            rules_file: None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Address and port to listen on.
    pub bind: SocketAddr,
}

#[derive(Clone, Debug)]
pub struct DatabaseConfig {
    /// `sqlite://…` or `postgres://…`; `None` means SQLite in the data directory.
    pub url: Option<DatabaseUrl>,
}

#[derive(Clone, Debug, Default)]
pub struct TemplatesConfig {
    /// Read templates from this folder on every render instead of the embedded copies,
    /// for working on the pages without rebuilding.
    pub dev_dir: Option<PathBuf>,
}

/// A database URL, which may carry a password: its `Debug` never shows it.
#[derive(Clone)]
pub struct DatabaseUrl(pub String);

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.0.split(':').next().unwrap_or("unknown");
        write!(f, "DatabaseUrl({scheme}://…)")
    }
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./data";
/// The SQLite database's file name in the data folder; a restored backup goes in its place.
pub const DATABASE_FILE: &str = "kintsugi.db";

impl Config {
    /// The configuration of a fresh installation: SQLite under `./data`, port 8080 on loopback.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            http: HttpConfig {
                bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            },
            data_dir: data_dir.into(),
            database: DatabaseConfig { url: None },
            templates: TemplatesConfig::default(),
            access: AccessConfig::default(),
            moderation: ModerationConfig::default(),
            metrics: MetricsConfig::default(),
            search: SearchConfig::default(),
            patterns: PatternsConfig::default(),
            trends: TrendsConfig::default(),
            digests: DigestConfig::default(),
        }
    }

    /// The URL to connect to: the configured one, or SQLite in WAL mode in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(url) => url.0.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join(DATABASE_FILE).display()
            ),
        }
    }

    /// Where this instance keeps its search index; each instance has its own.
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// The site's address for links that leave it (emails), ending without a slash.
    pub fn public_url(&self) -> String {
        match &self.digests.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.http.bind),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url().starts_with("sqlite:")
    }
}
