//! The retention period: the reporter's raw text and the conversation are purged some time
//! after a decision, so that the confidential record does not live forever. The published
//! version, the de-identified one, stays.

use std::time::Duration;

use entities::{publication, report, report_message};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, QueryFilter,
};

use crate::{error::Result, today, vocabulary::Status};

/// What is left of a purged report's own title in the moderators' view.
pub const PURGED_TITLE: &str = "[removed after the retention period]";

/// Purges the raw text of every report decided at least `days` days ago. Returns how many.
pub async fn purge(db: &DatabaseConnection, days: u32) -> Result<u64> {
    let cutoff = today() - time::Duration::days(i64::from(days));
    let decided = [
        Status::Published.slug(),
        Status::Rejected.slug(),
        Status::Merged.slug(),
        Status::Withdrawn.slug(),
    ];
    let refs: Vec<String> = report::Entity::find()
        .filter(report::Column::RawPurged.eq(false))
        .filter(report::Column::DecidedOn.lte(cutoff))
        .filter(report::Column::Status.is_in(decided))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if refs.is_empty() {
        return Ok(0);
    }
    let tx = crate::db::begin_write(db).await?;
    // A draft of a report that was never published began as a copy of the raw text: it goes
    // with it. A published lesson keeps its published version.
    let unpublished: Vec<String> = report::Entity::find()
        .filter(report::Column::Id.is_in(refs.clone()))
        .filter(report::Column::Status.ne(Status::Published.slug()))
        .all(&tx)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if !unpublished.is_empty() {
        publication::Entity::delete_many()
            .filter(publication::Column::ReportId.is_in(unpublished))
            .exec(&tx)
            .await?;
    }
    report_message::Entity::delete_many()
        .filter(report_message::Column::ReportId.is_in(refs.clone()))
        .exec(&tx)
        .await?;
    let purged = report::Entity::update_many()
        .set(report::ActiveModel {
            title: Set(PURGED_TITLE.to_owned()),
            narrative: Set(String::new()),
            what_helped: Set(String::new()),
            lesson: Set(String::new()),
            raw_purged: Set(true),
            ..Default::default()
        })
        .filter(report::Column::Id.is_in(refs))
        .exec(&tx)
        .await?
        .rows_affected;
    tx.commit().await?;
    // SQLite keeps the pages as they were in its write-ahead log until a checkpoint: copy
    // them into the database file (where secure_delete has zeroed the old text) and empty it.
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }
    Ok(purged)
}

/// Purges once an hour for as long as the server runs.
pub async fn run(db: DatabaseConnection, days: u32) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match purge(&db, days).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(
                reports = count,
                days,
                "raw text purged after the retention period"
            ),
            Err(error) => {
                tracing::warn!(%error, "the retention purge failed; it will be tried again in an hour")
            }
        }
    }
}
