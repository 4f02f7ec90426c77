//! Importing reports from JSON Lines: one object a line, bad lines reported by number while
//! the good ones still go in.

use std::{collections::HashMap, io::BufRead};

use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use serde::Deserialize;

use time::Date;

use super::{
    reports::{
        Origin, ReportInput, ValidReport, insert_many_validated, insert_validated, validate,
    },
    taxonomy::{self, Factor},
    units,
};
use crate::{error::Result, today, vocabulary::Status};

/// Lines inserted by one multi-row statement: a bad line costs a retry of this many alone.
const BATCH: usize = 500;
/// Lines committed together: each commit writes every index page it touched, and reports are
/// keyed by random refs, so larger transactions write each page once for many lines. A crash
/// rolls back at most this many lines; the progress shown counts committed lines only.
const LINES_PER_TRANSACTION: usize = 5_000;

/// Parses and checks one line: `Ok(None)` for a blank line, `Err` with the reasons.
fn check_line(
    line: &str,
    factors: &HashMap<String, Factor>,
    today: Date,
) -> Result<Option<ValidReport>, String> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let parsed: ImportLine =
        serde_json::from_str(line).map_err(|e| format!("is not a valid report: {e}"))?;
    validate(&parsed.into(), Origin::Import, factors, today)
        .map(Some)
        .map_err(|errors| {
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.reason))
                .collect::<Vec<_>>()
                .join("; ")
        })
}

/// One line of an import file, as described in the public contract. A field it does not
/// know refuses the line: a misspelt `lessons` would otherwise lose the lesson unseen.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportLine {
    title: String,
    #[serde(alias = "body")]
    narrative: String,
    #[serde(default)]
    lesson: String,
    #[serde(default)]
    what_helped: String,
    channel: Option<String>,
    audience: Option<String>,
    impact: Option<String>,
    #[serde(default)]
    factors: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    unit: Option<String>,
    occurred_on: Option<String>,
    source_url: Option<String>,
}

impl From<ImportLine> for ReportInput {
    fn from(line: ImportLine) -> Self {
        Self {
            title: line.title,
            narrative: line.narrative,
            channel: line.channel,
            audience: line.audience,
            impact: line.impact,
            factors: line.factors,
            what_helped: line.what_helped,
            lesson: line.lesson,
            unit: line.unit,
            occurred_on: line.occurred_on,
            tags: line.tags,
            source_url: line.source_url,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct ImportSummary {
    pub imported: usize,
    pub skipped_blank: usize,
    pub errors: Vec<LineError>,
}

/// Imports every line of `input`. With `publish`, the reports become shared lessons at once
/// (they come from an existing, already reviewed source); otherwise they wait for moderation.
/// `progress` is told how many bytes have been read so far.
pub async fn import_jsonl(
    db: &DatabaseConnection,
    input: impl BufRead,
    publish: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportSummary> {
    let factors = taxonomy::factors_by_slug(db).await?;
    let status = if publish {
        Status::Published
    } else {
        Status::Submitted
    };
    let today = today();
    let mut summary = ImportSummary::default();
    let mut unit_ids: HashMap<String, i32> = HashMap::new();
    let mut bytes_read = 0u64;
    let mut lines = input.lines().enumerate().peekable();

    while lines.peek().is_some() {
        let tx = bulk::begin(db).await?;
        for _ in 0..LINES_PER_TRANSACTION / BATCH {
            if lines.peek().is_none() {
                break;
            }
            let valid = read_batch(&mut lines, &factors, today, &mut summary, &mut bytes_read);
            insert_batch(&tx, valid, status, today, &mut unit_ids, &mut summary).await?;
        }
        bulk::commit(tx).await?;
        progress(bytes_read);
    }
    tracing::info!(
        imported = summary.imported,
        failed = summary.errors.len(),
        "import finished"
    );
    Ok(summary)
}

/// Reads and checks the next [`BATCH`] lines: the valid reports with their line numbers; the
/// others are counted in `summary`.
fn read_batch(
    lines: &mut impl Iterator<Item = (usize, std::io::Result<String>)>,
    factors: &HashMap<String, Factor>,
    today: Date,
    summary: &mut ImportSummary,
    bytes_read: &mut u64,
) -> Vec<(usize, ValidReport)> {
    let mut valid = Vec::new();
    for (index, line) in lines.take(BATCH) {
        let number = index + 1;
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                summary.errors.push(LineError {
                    line: number,
                    message: format!("cannot be read: {e}"),
                });
                continue;
            }
        };
        *bytes_read += line.len() as u64 + 1;
        match check_line(&line, factors, today) {
            Ok(None) => summary.skipped_blank += 1,
            Ok(Some(report)) => valid.push((number, report)),
            Err(message) => summary.errors.push(LineError {
                line: number,
                message,
            }),
        }
    }
    valid
}

/// Inserts one batch of checked lines inside `tx`, creating their units as needed.
async fn insert_batch(
    tx: &DatabaseTransaction,
    valid: Vec<(usize, ValidReport)>,
    status: Status,
    today: Date,
    unit_ids: &mut HashMap<String, i32>,
    summary: &mut ImportSummary,
) -> Result<()> {
    let mut with_units = Vec::with_capacity(valid.len());
    for (number, report) in valid {
        let unit_id = match &report.unit_path {
            Some(path) => Some(match unit_ids.get(path) {
                Some(id) => *id,
                None => {
                    let id = units::find_or_create(tx, path).await?;
                    unit_ids.insert(path.clone(), id);
                    id
                }
            }),
            None => None,
        };
        with_units.push((number, report, unit_id));
    }
    // Fast path: the whole batch in a few multi-row inserts. Should the database refuse
    // it, each line is tried on its own, so that one bad line does not sink the rest.
    let batch: Vec<_> = with_units
        .iter()
        .map(|(_, report, unit)| (report.clone(), *unit))
        .collect();
    let attempt = tx.begin().await?;
    match insert_many_validated(&attempt, batch, status, today).await {
        Ok(refs) => {
            attempt.commit().await?;
            summary.imported += refs.len();
        }
        Err(_) => {
            attempt.rollback().await?;
            for (number, report, unit_id) in with_units {
                let line_tx = tx.begin().await?;
                match insert_validated(&line_tx, report, unit_id, status, None, today).await {
                    Ok(_) => {
                        line_tx.commit().await?;
                        summary.imported += 1;
                    }
                    Err(e) => {
                        line_tx.rollback().await?;
                        summary.errors.push(LineError {
                            line: number,
                            message: format!("was refused by the database: {e}"),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// Transactions for bulk writes. On SQLite, such a transaction touches far more pages than
/// the connection's default cache (2 MB) holds, which would spill dirty pages to the log in
/// the middle of it and read the same index pages again and again; it gets a larger cache,
/// given back before the commit.
mod bulk {
    use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction};

    use crate::error::Result;

    /// SQLite's cache for a bulk transaction, in KiB (a negative `cache_size`).
    const BULK_CACHE_KIB: i64 = 64 * 1024;
    /// SQLite's default `cache_size`, restored afterwards.
    const DEFAULT_CACHE_KIB: i64 = 2_000;

    pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
        let tx = crate::db::begin_write(db).await?;
        set_cache(&tx, BULK_CACHE_KIB).await?;
        Ok(tx)
    }

    /// Shrinking the cache only drops clean pages: those the transaction changed stay until
    /// the commit writes them.
    pub async fn commit(tx: DatabaseTransaction) -> Result<()> {
        set_cache(&tx, DEFAULT_CACHE_KIB).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_cache(tx: &DatabaseTransaction, kib: i64) -> Result<()> {
        if tx.get_database_backend() == DatabaseBackend::Sqlite {
            tx.execute_unprepared(&format!("PRAGMA cache_size = -{kib}"))
                .await?;
        }
        Ok(())
    }
}
