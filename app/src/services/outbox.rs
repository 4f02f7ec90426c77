//! Appending to the outbox that feeds the search index.

use entities::outbox;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, NotSet};

use crate::error::Result;

/// Records that a report changed. Call it inside the transaction of the change itself, so the
/// index can never miss a write that committed.
pub async fn record_change(tx: &impl ConnectionTrait, report_id: &str) -> Result<()> {
    outbox::Entity::insert(outbox::ActiveModel {
        id: NotSet,
        report_id: Set(report_id.to_owned()),
    })
    .exec(tx)
    .await?;
    Ok(())
}

/// Records that several reports changed, in one statement.
pub async fn record_changes(tx: &impl ConnectionTrait, report_ids: &[String]) -> Result<()> {
    if report_ids.is_empty() {
        return Ok(());
    }
    outbox::Entity::insert_many(report_ids.iter().map(|id| outbox::ActiveModel {
        id: NotSet,
        report_id: Set(id.clone()),
    }))
    .exec_without_returning(tx)
    .await?;
    Ok(())
}
