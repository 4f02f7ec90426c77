//! Gathering what detection runs on: each published lesson's stored term set with its unit
//! and month, each report merged into it and each "happened to us too" — published text
//! only, never a reporter's own words. The collection can be kept between runs: a run after a
//! few publications then reads only those.

use std::collections::HashMap;

use entities::{factor, outbox, publication, publication_term};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use search::patterns::{Collection, DocId, Month};

use super::terms::{Synced, published_text};
use crate::{
    error::{AppError, Result},
    services::outbox::Subject,
};

/// Stored sets read together.
const PAGE: u64 = 2_000;
/// Lessons asked for by ref in one query.
const REFS: usize = 1_000;

/// The lessons detection last ran on, as of an outbox row.
pub(super) struct Loaded {
    pub collection: Collection,
    analyzer: i64,
    outbox_id: i64,
    /// Each lesson's unit and month, in the collection's order.
    places: Vec<(Option<i32>, Option<Month>)>,
    docs: HashMap<String, DocId>,
}

/// The collection as of `synced`: `previous` with the lessons published since added, when
/// nothing else changed, else every stored set read again. Returns how many lessons were read.
pub(super) async fn update(
    db: &DatabaseConnection,
    previous: Option<Loaded>,
    synced: &Synced,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(Loaded, usize)> {
    let stored = publication_term::Entity::find().count(db).await?;
    let slugs: HashMap<i32, String> = factor::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.slug))
        .collect();
    let added = match &previous {
        Some(kept) if kept.analyzer == synced.analyzer && kept.outbox_id <= synced.outbox_id => {
            added_since(db, kept, synced.outbox_id).await?
        }
        _ => None,
    };
    let (mut loaded, read) = match (previous, added) {
        // A kept collection holds every stored set but those added: it is the one a new load
        // would build, in the same order.
        (Some(mut kept), Some(rows)) if kept.docs.len() + rows.len() == stored as usize => {
            let read = rows.len();
            kept.outbox_id = synced.outbox_id;
            (add(db, kept, rows, &slugs).await?, read)
        }
        _ => (
            everything(db, synced, stored, &slugs, progress).await?,
            stored as usize,
        ),
    };
    let Loaded {
        collection,
        places,
        docs,
        ..
    } = &mut loaded;
    super::occurrences::count(db, collection, places, docs).await?;
    Ok((loaded, read))
}

/// The stored sets of the lessons the outbox names after the collection's row, in the order a
/// new load reads them; `None` when one of those lessons is already in the collection (it
/// changed or left), which only a new load reflects.
async fn added_since(
    db: &DatabaseConnection,
    kept: &Loaded,
    upto: i64,
) -> Result<Option<Vec<publication_term::Model>>> {
    let named: Vec<String> = outbox::Entity::find()
        .filter(outbox::Column::Id.gt(kept.outbox_id))
        .filter(outbox::Column::Id.lte(upto))
        .all(db)
        .await?
        .iter()
        .filter_map(|row| match Subject::of(row) {
            Some(Subject::Report(id)) => Some(id),
            _ => None,
        })
        .collect();
    if named.iter().any(|id| kept.docs.contains_key(id)) {
        return Ok(None);
    }
    let mut named = named;
    named.sort_unstable();
    named.dedup();
    let mut rows = Vec::new();
    for refs in named.chunks(REFS) {
        rows.extend(
            publication_term::Entity::find()
                .filter(publication_term::Column::ReportId.is_in(refs.to_vec()))
                .all(db)
                .await?,
        );
    }
    rows.sort_by(|a, b| (a.outbox_id, &a.report_id).cmp(&(b.outbox_id, &b.report_id)));
    Ok(Some(rows))
}

/// Every stored set, read page by page in their order while the previous page is added.
async fn everything(
    db: &DatabaseConnection,
    synced: &Synced,
    stored: u64,
    slugs: &HashMap<i32, String>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Loaded> {
    // Here between pages; in the task adding a page meanwhile.
    let mut idle = Some(Loaded {
        collection: Collection::new(),
        analyzer: synced.analyzer,
        outbox_id: synced.outbox_id,
        places: Vec::new(),
        docs: HashMap::new(),
    });
    let slugs = std::sync::Arc::new(slugs.clone());
    let mut after: Option<(i64, String)> = None;
    let mut adding: Option<tokio::task::JoinHandle<(Loaded, Failed)>> = None;
    loop {
        let mut page = publication_term::Entity::find()
            .order_by_asc(publication_term::Column::OutboxId)
            .order_by_asc(publication_term::Column::ReportId)
            .limit(PAGE);
        if let Some((outbox_id, report_id)) = &after {
            page = page.filter(
                Condition::any()
                    .add(publication_term::Column::OutboxId.gt(*outbox_id))
                    .add(
                        Condition::all()
                            .add(publication_term::Column::OutboxId.eq(*outbox_id))
                            .add(publication_term::Column::ReportId.gt(report_id.as_str())),
                    ),
            );
        }
        let rows = page.all(db).await?;
        if let Some(task) = adding.take() {
            let (mut loaded, failed) = task
                .await
                .map_err(|e| AppError::Internal(format!("loading task: {e}")))?;
            for (row, factors) in failed {
                add_from_text(db, &mut loaded, row, &factors).await?;
            }
            progress(loaded.docs.len() as u64, stored);
            idle = Some(loaded);
        }
        let Some(last) = rows.last() else {
            break;
        };
        after = Some((last.outbox_id, last.report_id.clone()));
        let mut loaded = idle.take().ok_or_else(lost)?;
        let slugs = std::sync::Arc::clone(&slugs);
        adding = Some(tokio::task::spawn_blocking(move || {
            let failed = add_sets(&mut loaded, rows, &slugs);
            (loaded, failed)
        }));
    }
    idle.ok_or_else(lost)
}

fn lost() -> AppError {
    AppError::Internal("the collection being loaded was lost".to_owned())
}

/// Adds `rows` to the collection, off the async executor.
async fn add(
    db: &DatabaseConnection,
    mut loaded: Loaded,
    rows: Vec<publication_term::Model>,
    slugs: &HashMap<i32, String>,
) -> Result<Loaded> {
    let slugs = slugs.clone();
    let (mut loaded, failed) = crate::blocking(move || {
        let failed = add_sets(&mut loaded, rows, &slugs);
        Ok((loaded, failed))
    })
    .await?;
    for (row, factors) in failed {
        add_from_text(db, &mut loaded, row, &factors).await?;
    }
    Ok(loaded)
}

/// Rows whose set could not be read, with their factors' slugs.
type Failed = Vec<(publication_term::Model, Vec<String>)>;

/// Adds `rows` to the collection; those whose set cannot be read (damaged, or written by an
/// instance of another version since this sync) are returned, to be read from their text.
fn add_sets(
    loaded: &mut Loaded,
    rows: Vec<publication_term::Model>,
    slugs: &HashMap<i32, String>,
) -> Failed {
    let mut failed = Vec::new();
    for row in rows {
        let factors = factor_slugs(&row.factors, slugs);
        let added = (row.analyzer == loaded.analyzer)
            .then(|| {
                loaded.collection.add_term_set(
                    &row.report_id,
                    &row.terms,
                    &factors,
                    row.channel.as_deref(),
                )
            })
            .flatten();
        match added {
            Some(doc) => place(loaded, doc, &row),
            None => failed.push((row, factors)),
        }
    }
    failed
}

async fn add_from_text(
    db: &DatabaseConnection,
    loaded: &mut Loaded,
    row: publication_term::Model,
    factors: &[String],
) -> Result<()> {
    tracing::warn!(report.ref = %row.report_id, "stored terms unreadable: reading the published text");
    let Some(publication) = publication::Entity::find_by_id(row.report_id.clone())
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let doc = loaded.collection.add_report(
        &row.report_id,
        &published_text(&publication),
        factors,
        row.channel.as_deref(),
    );
    place(loaded, doc, &row);
    Ok(())
}

fn place(loaded: &mut Loaded, doc: DocId, row: &publication_term::Model) {
    let month = row.month.and_then(|m| u32::try_from(m).ok()).map(Month);
    loaded.places.push((row.unit_id, month));
    loaded.docs.insert(row.report_id.clone(), doc);
}

/// The slugs of a stored list of factor ids, sorted; ids no longer in the taxonomy are left
/// out.
fn factor_slugs(stored: &str, slugs: &HashMap<i32, String>) -> Vec<String> {
    let ids: Vec<i32> = serde_json::from_str(stored).unwrap_or_default();
    let mut found: Vec<String> = ids.iter().filter_map(|id| slugs.get(id).cloned()).collect();
    found.sort_unstable();
    found
}
