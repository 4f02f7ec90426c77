//! Importing reports from JSON Lines: one object a line, bad lines reported by number while
//! the good ones still go in.

use std::{collections::HashMap, io::BufRead};

use sea_orm::{DatabaseConnection, TransactionTrait};
use serde::Deserialize;

use super::{
    reports::{Origin, ReportInput, insert_validated, validate},
    taxonomy, units,
};
use crate::{error::Result, today, vocabulary::Status};

/// Lines committed together: large enough to be fast, small enough to lose little on a crash.
const BATCH: usize = 500;

/// One line of an import file, as described in the public contract.
#[derive(Debug, Deserialize)]
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
        let tx = db.begin().await?;
        for (index, line) in lines.by_ref().take(BATCH) {
            let number = index + 1;
            let fail = |message: String| LineError {
                line: number,
                message,
            };
            let line = match line {
                Ok(line) => line,
                Err(e) => {
                    summary.errors.push(fail(format!("cannot be read: {e}")));
                    continue;
                }
            };
            bytes_read += line.len() as u64 + 1;
            if line.trim().is_empty() {
                summary.skipped_blank += 1;
                continue;
            }
            let parsed: ImportLine = match serde_json::from_str(&line) {
                Ok(parsed) => parsed,
                Err(e) => {
                    summary
                        .errors
                        .push(fail(format!("is not a valid report: {e}")));
                    continue;
                }
            };
            let valid = match validate(&parsed.into(), Origin::Import, &factors, today) {
                Ok(valid) => valid,
                Err(errors) => {
                    let reasons: Vec<String> = errors
                        .iter()
                        .map(|e| format!("{}: {}", e.field, e.reason))
                        .collect();
                    summary.errors.push(fail(reasons.join("; ")));
                    continue;
                }
            };
            let unit_id = match &valid.unit_path {
                Some(path) => match unit_ids.get(path) {
                    Some(id) => Some(*id),
                    None => {
                        let id = units::find_or_create(&tx, path).await?;
                        unit_ids.insert(path.clone(), id);
                        Some(id)
                    }
                },
                None => None,
            };
            // A savepoint per line: a line the database refuses must not take the batch with it.
            let line_tx = tx.begin().await?;
            match insert_validated(&line_tx, valid, unit_id, status, None, today).await {
                Ok(_) => {
                    line_tx.commit().await?;
                    summary.imported += 1;
                }
                Err(e) => {
                    line_tx.rollback().await?;
                    summary
                        .errors
                        .push(fail(format!("was refused by the database: {e}")));
                }
            }
        }
        tx.commit().await?;
        progress(bytes_read);
    }
    tracing::info!(
        imported = summary.imported,
        failed = summary.errors.len(),
        "import finished"
    );
    Ok(summary)
}
