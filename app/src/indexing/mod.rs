//! Keeping the search index in step with the database, through the outbox.
//!
//! The database is the truth. The indexer applies outbox rows in id order, in batches, and
//! commits each batch with the id of its last row, so that after a crash it resumes exactly
//! where the index stopped. Applying a row reads the current state of what it names: published
//! reports and sections in force are (re)added, all others removed, so replaying a row twice
//! does no harm.

mod changes;
mod sections;
pub mod thesaurus;

pub use sections::plain_text;

use std::{
    collections::BTreeSet,
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use entities::{outbox, report};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use search::{Change, IndexedReport, SearchIndex};
use tokio::task::JoinHandle;

use self::{changes::changes_for, sections::section_changes};
use crate::{
    blocking,
    error::{AppError, Result},
    services::outbox::{self as followed, Subject},
    vocabulary::Status,
};

/// Outbox rows read and indexed together.
const BATCH: u64 = 5_000;
/// Outbox rows applied between index commits while catching up on a long lag.
const COMMIT_EVERY: u64 = 50_000;
/// How often the indexer looks for rows written by other instances sharing the database.
const POLL: Duration = Duration::from_millis(200);
/// How often indexing alongside a bulk write looks for the rows it has committed since.
const FOLLOW_POLL: Duration = Duration::from_millis(20);

/// Applies every outbox row the index has not seen yet. Returns how many rows were applied.
pub async fn catch_up(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64> {
    apply_outbox(db, index, progress, &|| true).await
}

/// Runs `writing` (a bulk import) and indexes what it commits while it runs, rather than
/// after it: the database and the index then share the machine's cores. Returns what
/// `writing` returned and how many outbox rows were applied. When it fails, what it
/// committed before failing is indexed all the same.
pub async fn alongside<T>(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    progress: &(dyn Fn(u64) + Sync),
    writing: impl Future<Output = Result<T>>,
) -> Result<(T, u64)> {
    let finished = AtomicBool::new(false);
    let writing = async {
        let written = writing.await;
        finished.store(true, Ordering::Release);
        written
    };
    let is_finished = || finished.load(Ordering::Acquire);
    let following = apply_outbox(db, index, progress, &is_finished);
    let (written, applied) = tokio::join!(writing, following);
    Ok((written?, applied?))
}

/// Applies outbox rows in order until none is left and `finished` says no more are coming.
///
/// Reading the next batch from the database overlaps with indexing the current one. A long
/// lag (a bulk import) is committed every [`COMMIT_EVERY`] rows rather than every batch:
/// commits cost the most, and rows staged but not yet committed are simply applied again
/// after a crash, from the outbox id of the last commit.
async fn apply_outbox(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    progress: &(dyn Fn(u64) + Sync),
    finished: &(dyn Fn() -> bool + Sync),
) -> Result<u64> {
    let mut applied = 0;
    let mut uncommitted = 0;
    let mut after = index.applied_outbox_id()?;
    let mut indexing: Option<JoinHandle<Result<()>>> = None;
    loop {
        // Asked before reading: rows committed just before the writer finished are then
        // still read by this round.
        let last_round = finished();
        let rows = followed::rows_after(db, after, BATCH).await?;
        let Some(last) = rows.last().map(|row| row.id) else {
            if last_round {
                break;
            }
            tokio::time::sleep(FOLLOW_POLL).await;
            continue;
        };
        let changes = changes_of(db, &rows).await?;
        finish(indexing.take()).await?;
        progress(applied);
        applied += rows.len() as u64;
        uncommitted += rows.len() as u64;
        let commit = uncommitted >= COMMIT_EVERY;
        if commit {
            uncommitted = 0;
        }
        let target = Arc::clone(index);
        indexing = Some(tokio::task::spawn_blocking(move || {
            target.stage(&changes)?;
            if commit {
                target.commit(last)?;
            }
            Ok(())
        }));
        after = last;
    }
    finish(indexing.take()).await?;
    if uncommitted > 0 {
        let target = Arc::clone(index);
        blocking(move || Ok(target.commit(after)?)).await?;
    }
    progress(applied);
    Ok(applied)
}

/// What the index must do for a batch of outbox rows, each subject read once.
async fn changes_of(db: &DatabaseConnection, rows: &[outbox::Model]) -> Result<Vec<Change>> {
    let mut refs = BTreeSet::new();
    let mut guidelines = BTreeSet::new();
    let mut sections = BTreeSet::new();
    for row in rows {
        match Subject::of(row) {
            Some(Subject::Report(id)) => {
                refs.insert(id);
            }
            Some(Subject::Section { guideline, anchor }) => {
                sections.insert((guideline, anchor));
            }
            Some(Subject::Guideline(slug)) => {
                guidelines.insert(slug);
            }
            None => tracing::warn!(
                outbox.id = row.id,
                outbox.kind = %row.kind,
                "an outbox row of a kind this version does not know; skipped"
            ),
        }
    }
    let refs: Vec<String> = refs.into_iter().collect();
    let mut changes = changes_for(db, &refs).await?;
    if !(guidelines.is_empty() && sections.is_empty()) {
        changes.extend(section_changes(db, &guidelines, &sections).await?);
    }
    Ok(changes)
}

/// Waits for a batch being indexed, if any.
async fn finish(indexing: Option<JoinHandle<Result<()>>>) -> Result<()> {
    match indexing {
        Some(task) => task
            .await
            .map_err(|e| AppError::Internal(format!("index task: {e}")))?,
        None => Ok(()),
    }
}

/// How many outbox rows the index has yet to apply.
pub async fn lag(db: &DatabaseConnection, index: &SearchIndex) -> Result<i64> {
    let pending = followed::latest_id(db).await? - index.applied_outbox_id()?;
    Ok(pending.max(0))
}

/// Whether the index has applied outbox rows that the database does not hold, as after the
/// database is restored from a backup: the index may then hold reports published after the
/// backup, and would skip the ids the database hands out next. Only a rebuild can put it right.
pub async fn is_ahead_of_database(db: &DatabaseConnection, index: &SearchIndex) -> Result<bool> {
    Ok(index.applied_outbox_id()? > followed::latest_id(db).await?)
}

/// Runs forever: catches up, then looks again after a short pause. Polling rather than
/// waiting for a signal also picks up rows written by other instances on the same database.
pub async fn run(db: DatabaseConnection, index: Arc<SearchIndex>) {
    loop {
        match catch_up(&db, &index, &|_| {}).await {
            Ok(0) => {}
            Ok(rows) => tracing::debug!(rows, "search index caught up"),
            Err(error) => {
                tracing::error!(%error, "search indexing failed; retrying shortly");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Rebuilds the index from the published reports and the guideline sections in force,
/// recording the newest outbox row as applied.
pub async fn rebuild(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<u64> {
    // Taken first: whatever changes while the rebuild runs is applied afterwards from here.
    let newest = followed::latest_id(db).await?;
    let total = sea_orm::PaginatorTrait::count(
        report::Entity::find().filter(report::Column::Status.eq(Status::Published.slug())),
        db,
    )
    .await?;
    let target = Arc::clone(index);
    blocking(move || Ok(target.clear()?)).await?;
    let mut done = 0;
    let mut after = String::new();
    loop {
        // Walked in primary-key order; `changes_for` leaves out what is not published.
        let refs: Vec<String> = report::Entity::find()
            .filter(report::Column::Id.gt(after.clone()))
            .order_by_asc(report::Column::Id)
            .select_only()
            .column(report::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = refs.last().cloned() else {
            break;
        };
        let reports: Vec<IndexedReport> = changes_for(db, &refs)
            .await?
            .into_iter()
            .filter_map(|change| match change {
                Change::Upsert(report) => Some(*report),
                _ => None,
            })
            .collect();
        done += reports.len() as u64;
        let target = Arc::clone(index);
        blocking(move || Ok(target.add(&reports)?)).await?;
        progress(done, total);
        after = last;
    }
    let sections = sections::every_section(db).await?;
    let target = Arc::clone(index);
    blocking(move || {
        target.add_sections(&sections)?;
        Ok(target.commit(newest)?)
    })
    .await?;
    Ok(done)
}
