//! Moderation: turning a reporter's words into a shared lesson that identifies nobody.
//!
//! The reporter's raw text stays in `reports`, for moderators only; the moderator prepares the
//! published version in `publications` with suggested redactions and blameless-language hints,
//! may offer it to the reporter through the receipt for approval, and publishes, rejects or
//! merges. Every action is audited in the same transaction.

mod classify;
mod decisions;
mod draft;
mod editing;
mod queue;
pub mod retention;
mod view;
mod workspace;

pub use classify::Classification;
pub use decisions::{ask, merge, publish, reject};
pub use draft::{Draft, ReporterReview, TextField};
pub use editing::{
    DraftEdit, RedactionDecision, decide_redaction, save_draft, save_draft_classified,
};
pub use queue::{Decided, QueueCounts, QueueItem, decided, queue};
pub use view::{FieldHint, FieldRedaction, ModerationView, detail};
pub use workspace::{Workspace, workspace};

use entities::report;
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, QuerySelect};

use crate::{
    codes::ReportRef,
    error::{AppError, Result},
    vocabulary::Status,
};

/// The report behind `report_ref`, whatever its state; unknown refs are a 404.
async fn find(db: &impl ConnectionTrait, report_ref: &ReportRef) -> Result<report::Model> {
    report::Entity::find_by_id(report_ref.as_str())
        .one(db)
        .await?
        .ok_or(AppError::NotFound("report"))
}

/// As [`find`], for a change: the report's row is held until the transaction ends (on
/// PostgreSQL; a SQLite write transaction holds the whole database), so that two moderators
/// acting on one report take turns, each reading what the other wrote, instead of both
/// inserting its first draft or both replacing its factors.
async fn find_to_change(tx: &DatabaseTransaction, report_ref: &ReportRef) -> Result<report::Model> {
    report::Entity::find_by_id(report_ref.as_str())
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(AppError::NotFound("report"))
}

/// States in which a report waits for a moderator's decision.
const BEING_MODERATED: &[Status] = &[Status::Submitted, Status::NeedsInfo];
/// States in which the published version may still change.
const EDITABLE: &[Status] = &[Status::Submitted, Status::NeedsInfo, Status::Published];

fn ensure_in(status: Status, allowed: &[Status], action: &str) -> Result<()> {
    if allowed.contains(&status) {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "This report can no longer be {action}: it is “{}”.",
            status.label()
        )))
    }
}

fn status_of(report: &report::Model) -> Result<Status> {
    Status::from_slug(&report.status)
        .ok_or_else(|| AppError::Internal(format!("unknown status {}", report.status)))
}

/// Records that a moderator opened a report's raw text: who read the confidential record is
/// part of the audit log, like every other privileged action.
pub async fn record_reading(
    db: &sea_orm::DatabaseConnection,
    actor: &crate::services::accounts::Account,
    report_ref: &ReportRef,
) -> Result<()> {
    let report = find(db, report_ref).await?;
    crate::services::audit::record(
        db,
        actor,
        crate::services::audit::AuditAction::ReportRead,
        Some(&report.id),
        "",
    )
    .await
}
