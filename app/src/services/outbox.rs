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
