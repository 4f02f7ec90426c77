//! Computing the term set of every published lesson at once: the first time, and whenever
//! the analyzer changes. In batches, logged as it goes, and resumable.

use std::collections::HashMap;

use entities::{outbox, publication_term, report};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait, sea_query::Query,
};
use search::patterns::Words;

use super::{ANALYZER, WATERMARK, analyse, remember, upsert};
use crate::{
    error::Result,
    services::outbox::{self as followed, Subject},
    vocabulary::Status,
};

/// Lessons read, analysed and written together.
const BATCH: u64 = 1_000;

/// Computes the set of every published lesson that has none by this analyzer, as of its
/// latest change; then forgets the sets of lessons no longer published. A backfill cut short
/// starts again where it stopped: sets already computed are kept.
pub(super) async fn backfill(
    db: &DatabaseConnection,
    mut words: Words,
    analyzer: i64,
) -> Result<(Words, usize, i64)> {
    // Changes after this one are followed by the next sync, even those of lessons read here.
    let upto = followed::latest_id(db).await?;
    let latest = latest_changes(db).await?;
    let total = report::Entity::find()
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .count(db)
        .await?;
    tracing::info!(
        lessons = total,
        "computing the term sets of published lessons"
    );
    let (mut after, mut read, mut computed) = (String::new(), 0u64, 0usize);
    loop {
        let ids: Vec<String> = report::Entity::find()
            .select_only()
            .column(report::Column::Id)
            .filter(report::Column::Status.eq(Status::Published.slug()))
            .filter(report::Column::Id.gt(after.as_str()))
            .order_by_asc(report::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = ids.last().cloned() else {
            break;
        };
        read += ids.len() as u64;
        let current: HashMap<String, (i64, i64)> = publication_term::Entity::find()
            .select_only()
            .column(publication_term::Column::ReportId)
            .column(publication_term::Column::Analyzer)
            .column(publication_term::Column::OutboxId)
            .filter(publication_term::Column::ReportId.is_in(ids.clone()))
            .into_tuple::<(String, i64, i64)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, version, outbox_id)| (id, (version, outbox_id)))
            .collect();
        let stale: Vec<(String, i64)> = ids
            .into_iter()
            .map(|id| {
                let changed = latest.get(&id).copied().unwrap_or(0);
                (id, changed)
            })
            .filter(|(id, changed)| current.get(id) != Some(&(analyzer, *changed)))
            .collect();
        let (back, rows) = analyse::rows(db, words, analyzer, &stale).await?;
        words = back;
        computed += rows.len();
        let txn = db.begin().await?;
        upsert(&txn, rows).await?;
        txn.commit().await?;
        tracing::info!(
            done = read,
            of = total,
            computed,
            "term sets of published lessons"
        );
        after = last;
    }
    let txn = db.begin().await?;
    // Sets of lessons withdrawn or rejected since they were computed, or by another analyzer.
    publication_term::Entity::delete_many()
        .filter(
            publication_term::Column::ReportId.not_in_subquery(
                Query::select()
                    .column(report::Column::Id)
                    .from(report::Entity)
                    .and_where(report::Column::Status.eq(Status::Published.slug()))
                    .to_owned(),
            ),
        )
        .exec(&txn)
        .await?;
    remember(&txn, WATERMARK, upto).await?;
    remember(&txn, ANALYZER, analyzer).await?;
    txn.commit().await?;
    tracing::info!(computed, "term sets of published lessons complete");
    Ok((words, computed, upto))
}

/// Each lesson's latest outbox row, for those that have one: one pass over the outbox, which
/// has no index by subject.
async fn latest_changes(db: &impl ConnectionTrait) -> Result<HashMap<String, i64>> {
    let rows: Vec<(String, Option<i64>)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Subject)
        .column_as(outbox::Column::Id.max(), "latest")
        .filter(outbox::Column::Kind.eq(Subject::REPORT))
        .group_by(outbox::Column::Subject)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, latest)| Some((id, latest?)))
        .collect())
}
