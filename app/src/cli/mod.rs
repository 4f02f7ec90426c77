//! The command line: `serve` (the default), `migrate`, `import`, `reindex`, `user`,
//! `guidelines`, `demo`, `backup` and `trends`.

mod backup;
pub mod demo_guidelines;
mod guidelines;
mod import;
mod index;
mod patterns;
mod suggestions;
mod trends;
mod users;

use std::{net::SocketAddr, path::PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{
    AddressRange, Config, DEFAULT_BIND, DEFAULT_DATA_DIR, DatabaseUrl, HttpConfig, PatternsConfig,
    ReadAccess, SmtpUrl,
};

pub use backup::backup;
pub use guidelines::{GuidelineCommand, guidelines, import_file as import_guideline_file};
pub use import::{demo, import};
pub use index::reindex;
pub use patterns::patterns;
pub use suggestions::suggestions;
pub use trends::{TrendCommand, trends};
pub use users::{UserCommand, users};

/// Kintsugi: a blameless registry of communication mistakes.
///
/// Staff log mistakes and near misses anonymously; moderators make them into shared lessons;
/// recurring patterns become better guidelines. With no subcommand, the server starts on the
/// embedded default: SQLite and the search index under ./data, migrations applied.
#[derive(Debug, Parser)]
#[command(name = "kintsugi", version, about, long_about)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Folder for the SQLite database and the search index; created if missing.
    #[arg(long, global = true, env = "KINTSUGI_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
    pub data_dir: PathBuf,

    /// Database to use instead of SQLite in the data folder, e.g. postgres://user@host/kintsugi.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Address and port for the web server to listen on.
    #[arg(long, global = true, env = "KINTSUGI_BIND", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,

    /// Read page templates from this folder on every request (for working on the pages).
    #[arg(long, global = true, env = "KINTSUGI_TEMPLATES_DIR")]
    pub templates_dir: Option<PathBuf>,

    /// Whether reading published lessons needs signing in (`signed_in`) or is open to anyone
    /// who can reach the server (`open`, for an intranet). Logging a mistake never needs it.
    #[arg(long, global = true, env = "KINTSUGI_READ_ACCESS", value_enum, default_value_t = ReadAccess::SignedIn)]
    pub read_access: ReadAccess,

    /// Anonymous reports accepted from one network address in an hour (counted under a hash
    /// of the address with a salt kept in memory only); 0 turns the limit off, as needed behind
    /// a reverse proxy, where every report seems to come from the proxy.
    #[arg(
        long,
        global = true,
        env = "KINTSUGI_SUBMISSIONS_PER_HOUR",
        default_value_t = 30
    )]
    pub submissions_per_hour: u32,

    /// Receipt codes that find no report, accepted from one network address in an hour
    /// (counted like reports, under a salted hash of the address); 0 turns the limit off.
    #[arg(
        long,
        global = true,
        env = "KINTSUGI_RECEIPT_TRIES_PER_HOUR",
        default_value_t = 60
    )]
    pub receipt_tries_per_hour: u32,

    /// Addresses or CIDR ranges, comma-separated, that may read /metrics without a token (the
    /// Prometheus server's); with none, only an admin's API token opens it.
    #[arg(
        long,
        global = true,
        env = "KINTSUGI_METRICS_ALLOW",
        value_delimiter = ','
    )]
    pub metrics_allow: Vec<AddressRange>,

    /// Days a moderator waits for the reporter to approve the de-identified version before
    /// publishing without that approval.
    #[arg(
        long,
        global = true,
        env = "KINTSUGI_APPROVAL_WAIT_DAYS",
        default_value_t = 7
    )]
    pub approval_wait_days: u32,

    /// Days after publication or rejection before the reporter's raw text is purged (the
    /// published version stays); 0 keeps it forever.
    #[arg(
        long,
        global = true,
        env = "KINTSUGI_RETENTION_DAYS",
        default_value_t = 365
    )]
    pub retention_days: u32,

    /// A TOML rule file replacing the default blameless-language hints and redaction rules
    /// (staff-number patterns, names to redact).
    #[arg(long, global = true, env = "KINTSUGI_RULES_FILE")]
    pub rules_file: Option<PathBuf>,

    /// A TOML thesaurus file replacing the default groups of words that mean the same thing
    /// in communication mistakes (Bcc / blind copy), which searches also look for. Groups an
    /// admin has edited on /admin/thesaurus take precedence over it until the admin drops
    /// the edits there.
    #[arg(long, global = true, env = "KINTSUGI_THESAURUS_FILE")]
    pub thesaurus_file: Option<PathBuf>,

    /// Occurrences at least for a recurring pattern (N): the report, reports merged into it
    /// and readers' "happened to us too" each count.
    #[arg(long, global = true, env = "KINTSUGI_PATTERN_OCCURRENCES", default_value_t = 3, value_parser = clap::value_parser!(u32).range(2..))]
    pub pattern_occurrences: u32,
    /// Distinct units at least for a pattern across teams (M); fewer make a local pattern.
    #[arg(long, global = true, env = "KINTSUGI_PATTERN_UNITS", default_value_t = 3, value_parser = clap::value_parser!(u32).range(2..))]
    pub pattern_units: u32,
    /// Days within which a pattern's occurrences must fall (W).
    #[arg(long, global = true, env = "KINTSUGI_PATTERN_WINDOW_DAYS", default_value_t = 365, value_parser = clap::value_parser!(u32).range(28..))]
    pub pattern_window_days: u32,
    /// Whether the server keeps every lesson's term set in memory between pattern runs (about
    /// 4.5 KB a lesson: 450 MB at 100,000), so that a run after a few publications reads only
    /// those. `false` reads every stored set again on each run and frees the memory between.
    #[arg(long, global = true, env = "KINTSUGI_PATTERN_KEEP_COLLECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub pattern_keep_collection: bool,
    /// Mail server for the monthly digest, e.g. smtp://mail.example.org:587?tls=required or
    /// smtps://user:password@mail.example.org; with none, no digest is emailed.
    #[arg(long, global = true, env = "KINTSUGI_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The digest's sender, e.g. "Kintsugi <kintsugi@example.org>".
    #[arg(long, global = true, env = "KINTSUGI_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// The site's address as readers open it (https://kintsugi.example.org), for the links in
    /// emails; http:// and the bind address when unset.
    #[arg(long, global = true, env = "KINTSUGI_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Trend reports show a count resting on fewer than this many reports (k) as suppressed,
    /// so that a small team cannot be singled out; at least 3.
    #[arg(long, global = true, env = "KINTSUGI_TREND_MIN_CELL", default_value_t = 5, value_parser = clap::value_parser!(u64).range(3..))]
    pub trend_min_cell: u64,
    /// Log format: human-readable text or one JSON object a line.
    #[arg(long, global = true, env = "KINTSUGI_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (the default when no subcommand is given).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Import reports from a JSON Lines file, one report a line.
    ///
    /// Each line is an object with `title` and `narrative` (or `body`), and optionally
    /// `lesson`, `what_helped`, `channel`, `audience`, `impact`, `factors` (list of slugs),
    /// `tags` (list), `unit` (a path like "Agency/Department/Team"; created if missing),
    /// `occurred_on` (YYYY-MM or YYYY-MM-DD) and `source_url`. Bad lines are reported by number
    /// and the good ones still go in. The exit status is 1 if any line was refused.
    ///
    /// Lines are committed 5,000 at a time, and the search index follows the import as it
    /// commits; when the server is running, its own indexer picks the reports up instead.
    Import {
        /// Publish the imported reports at once instead of queueing them for moderation.
        #[arg(long)]
        publish: bool,
        /// The .jsonl file to read.
        file: PathBuf,
    },
    /// Rebuild the search index from the database (stop the server first).
    ///
    /// Rarely needed: the server rebuilds a missing, damaged or outdated index on start, and
    /// keeps it up to date as reports change.
    Reindex,
    /// Manage staff accounts: readers, moderators, policy owners and admins.
    ///
    /// Reporters never need an account. Start with `kintsugi user add NAME --role admin`.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Import a guideline from Markdown, or export one to Markdown.
    ///
    /// `kintsugi guidelines import FILE.md [--slug S]` and `kintsugi guidelines export SLUG
    /// [--out FILE]`; see `kintsugi guidelines import --help` for the file's form.
    Guidelines {
        #[command(subcommand)]
        command: GuidelineCommand,
    },
    /// Load the demo data set: about sixty communication mistakes across several units,
    /// published, so that search, patterns and trends have something to show, and seven
    /// communication guidelines whose sections list the lessons behind them. A second run
    /// changes nothing.
    Demo,
    /// Detect recurring patterns across teams now and list them.
    ///
    /// The server also runs detection by itself, after publications settle and at least
    /// daily; this runs it on demand (unless another instance is running it) and prints the
    /// patterns: the same mistake made in several units, each with the sentence that explains
    /// it, then the ones that repeat inside a single unit.
    Patterns {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Draft the suggested guideline updates from the recurring patterns, and list the open
    /// ones.
    ///
    /// Each suggestion either reinforces the guideline section that already covers a pattern
    /// (its rule exists but did not help) or adds a section where none does, with the reason
    /// in a sentence. The server drafts them by itself after each detection run; while it
    /// runs, this lists its latest. Policy owners decide on them at /suggestions.
    Suggestions {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Copy the SQLite database into a new file, safely while the server runs.
    ///
    /// The copy is consistent even while reports arrive; it is created readable by its owner
    /// only, and an existing file is never overwritten. To restore, stop the server and put the
    /// copy in the data folder in place of kintsugi.db (the README says how). On PostgreSQL
    /// this prints the pg_dump recipe instead and exits with status 1.
    Backup {
        /// The new file to write, e.g. /var/backups/kintsugi-2025-01-31.db.
        dest: PathBuf,
    },
    /// Recount the counts kept for trend reports: `kintsugi trends rebuild`.
    Trends {
        #[command(subcommand)]
        command: TrendCommand,
    },
}

impl GlobalArgs {
    pub fn config(&self) -> Config {
        let mut config = Config::with_data_dir(&self.data_dir);
        config.http = HttpConfig { bind: self.bind };
        config.database.url = self
            .database_url
            .as_ref()
            .filter(|url| !url.trim().is_empty())
            .map(|url| DatabaseUrl(url.clone()));
        config.templates.dev_dir = self.templates_dir.clone();
        config.access.read_access = self.read_access;
        config.access.submissions_per_hour = self.submissions_per_hour;
        config.access.receipt_tries_per_hour = self.receipt_tries_per_hour;
        config.metrics.allow = self.metrics_allow.clone();
        config.moderation.approval_wait_days = self.approval_wait_days;
        config.moderation.retention_days = (self.retention_days > 0).then_some(self.retention_days);
        config.moderation.rules_file = self.rules_file.clone();
        config.search.thesaurus_file = self.thesaurus_file.clone();
        config.patterns = PatternsConfig {
            min_occurrences: self.pattern_occurrences as usize,
            min_units: self.pattern_units as usize,
            window_days: self.pattern_window_days,
            keep_collection: self.pattern_keep_collection,
        };
        config.trends.min_cell = self.trend_min_cell;
        config.digests.smtp_url = self
            .smtp_url
            .as_ref()
            .filter(|url| !url.trim().is_empty())
            .map(|url| SmtpUrl(url.clone()));
        config.digests.from = self
            .smtp_from
            .clone()
            .filter(|from| !from.trim().is_empty());
        config.digests.public_url = self.public_url.clone().filter(|url| !url.trim().is_empty());
        config
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::Cli;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_metrics_allow_list_is_comma_separated() {
        let cli = Cli::try_parse_from(["kintsugi", "--metrics-allow", "10.0.0.5, 192.168.0.0/24"]);
        let config = cli.map(|cli| cli.global.config());
        let allowed = config.map(|c| c.metrics.allow.len());
        assert_eq!(allowed.ok(), Some(2));
        let cli = Cli::try_parse_from(["kintsugi", "--metrics-allow", "10.0.0.0/40"]);
        assert!(cli.is_err(), "a malformed range stops the start");
    }

    #[test]
    fn the_trend_cell_threshold_is_never_below_three() {
        let cli = Cli::try_parse_from(["kintsugi", "--trend-min-cell", "2"]);
        assert!(
            cli.is_err(),
            "k = 2 would let two people tell each other apart"
        );
        let cli = Cli::try_parse_from(["kintsugi", "--trend-min-cell", "10"]);
        assert_eq!(
            cli.ok().map(|c| c.global.config().trends.min_cell),
            Some(10)
        );
    }

    #[test]
    fn the_pattern_collection_is_kept_unless_told_otherwise() {
        let keep = |args: &[&str]| {
            Cli::try_parse_from(args)
                .ok()
                .map(|c| c.global.config().patterns.keep_collection)
        };
        assert_eq!(keep(&["kintsugi"]), Some(true));
        assert_eq!(
            keep(&["kintsugi", "--pattern-keep-collection", "false"]),
            Some(false)
        );
        assert_eq!(
            keep(&["kintsugi", "--pattern-keep-collection", "maybe"]),
            None
        );
    }
}
