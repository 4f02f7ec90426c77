//! Each published lesson's term set, kept in step with the outbox: computed once when a lesson
//! is published or changes, removed when it leaves, so that detection reads term sets rather
//! than text. The outbox is the one place every change to a published lesson already goes
//! through (publication, edits, redactions, withdrawal, rejection, import), in the change's
//! own transaction; only the detection job, under its lease, writes the sets.

use std::collections::HashMap;

use entities::{publication_term, report, setting};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait, sea_query::OnConflict,
};
use search::patterns::Words;

use crate::{
    error::Result,
    services::outbox::{self as followed, Subject},
    vocabulary::Status,
};

mod analyse;
mod backfill;

pub use analyse::{month_of, published_text};

/// The outbox row the stored sets reflect, and the analyzer that computed them.
pub(super) const WATERMARK: &str = "patterns.terms_outbox_id";
pub(super) const ANALYZER: &str = "patterns.terms_analyzer";
/// Outbox rows read together.
const OUTBOX_BATCH: u64 = 5_000;

/// Where the stored sets stand after [`sync`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Synced {
    /// The outbox row they reflect: every change up to it, none after.
    pub outbox_id: i64,
    pub analyzer: i64,
    /// Sets computed from text by this sync.
    pub computed: usize,
}

/// Brings the stored term sets up to date: all of them when there are none yet or another
/// analyzer wrote them (a backfill, in batches, logged as it goes), else those of the
/// lessons the outbox names since the last sync. `words` comes back for the next sync.
pub async fn sync(db: &DatabaseConnection, words: Words) -> Result<(Words, Synced)> {
    let analyzer = words.analyzer_version();
    let stored = (number(db, WATERMARK).await?, number(db, ANALYZER).await?);
    let (words, computed, outbox_id) = match stored {
        (Some(outbox_id), Some(version)) if version == analyzer => {
            follow(db, words, analyzer, outbox_id).await?
        }
        _ => backfill::backfill(db, words, analyzer).await?,
    };
    Ok((
        words,
        Synced {
            outbox_id,
            analyzer,
            computed,
        },
    ))
}

/// Follows the outbox from `outbox_id`: the set of each lesson named there is computed again
/// if it is published, and removed otherwise.
async fn follow(
    db: &DatabaseConnection,
    mut words: Words,
    analyzer: i64,
    mut outbox_id: i64,
) -> Result<(Words, usize, i64)> {
    let mut computed = 0;
    loop {
        let rows = followed::rows_after(db, outbox_id, OUTBOX_BATCH).await?;
        let Some(last) = rows.last().map(|row| row.id) else {
            break;
        };
        let mut changed: HashMap<String, i64> = HashMap::new();
        for row in &rows {
            if let Some(Subject::Report(id)) = Subject::of(row) {
                changed.insert(id, row.id);
            }
        }
        let ids: Vec<String> = changed.keys().cloned().collect();
        let published: Vec<String> = report::Entity::find()
            .select_only()
            .column(report::Column::Id)
            .filter(report::Column::Id.is_in(ids.clone()))
            .filter(report::Column::Status.eq(Status::Published.slug()))
            .into_tuple()
            .all(db)
            .await?;
        let stale: Vec<(String, i64)> = published
            .iter()
            .map(|id| (id.clone(), changed.get(id).copied().unwrap_or(last)))
            .collect();
        let (back, rows) = analyse::rows(db, words, analyzer, &stale).await?;
        words = back;
        computed += rows.len();
        let gone: Vec<String> = ids
            .into_iter()
            .filter(|id| !published.contains(id))
            .collect();
        let txn = db.begin().await?;
        if !gone.is_empty() {
            publication_term::Entity::delete_many()
                .filter(publication_term::Column::ReportId.is_in(gone))
                .exec(&txn)
                .await?;
        }
        upsert(&txn, rows).await?;
        remember(&txn, WATERMARK, last).await?;
        txn.commit().await?;
        outbox_id = last;
    }
    Ok((words, computed, outbox_id))
}

pub(super) async fn upsert(
    db: &impl ConnectionTrait,
    rows: Vec<publication_term::ActiveModel>,
) -> Result<()> {
    use publication_term::Column;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        // Nine values a row, within what one SQLite statement may bind.
        let chunk: Vec<_> = rows.by_ref().take(UPSERT_ROWS).collect();
        publication_term::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::column(Column::ReportId)
                    .update_columns([
                        Column::Analyzer,
                        Column::OutboxId,
                        Column::UnitId,
                        Column::Month,
                        Column::Channel,
                        Column::Factors,
                        Column::Terms,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Rows written by one statement.
const UPSERT_ROWS: usize = 1_000;

async fn number(db: &impl ConnectionTrait, key: &str) -> Result<Option<i64>> {
    Ok(setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .and_then(|row| row.value.parse().ok()))
}

pub(super) async fn remember(db: &impl ConnectionTrait, key: &str, value: i64) -> Result<()> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_string()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_column(setting::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
