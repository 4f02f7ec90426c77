//! A moderator's decisions on a report: ask the reporter, publish, reject, merge. Each checks
//! the report's state, changes it in one transaction with its outbox row and its audit entry,
//! and tells the reporter through the conversation where they need to know.

use entities::{publication, report};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DatabaseTransaction, EntityTrait,
};

use super::{
    BEING_MODERATED, EDITABLE, ReporterReview, ensure_in, find_to_change, status_of,
    view::{publish_blocker, without_approval_from},
};
use crate::{
    codes::ReportRef,
    error::{AppError, Result},
    services::{
        accounts::Account,
        audit::{self, AuditAction},
        outbox,
        reports::messages::{self, Author, MessageKind},
        trends::Recount,
    },
    today,
    vocabulary::Status,
};

/// Most a question or a reason may say: a conversation, not a document.
const MAX_MESSAGE: usize = 5_000;

fn message_text(field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, "is required"));
    }
    let length = text.chars().count();
    if length > MAX_MESSAGE {
        return Err(AppError::invalid(
            field,
            format!("is {length} characters long; the limit is {MAX_MESSAGE}"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(AppError::invalid(field, "contains control characters"));
    }
    Ok(text.to_owned())
}

/// Asks the reporter a question; they read and answer it with their receipt.
pub async fn ask(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &ReportRef,
    question: &str,
) -> Result<()> {
    let question = message_text("question", question)?;
    let tx = crate::db::begin_write(db).await?;
    let report = find_to_change(&tx, report_ref).await?;
    ensure_in(status_of(&report)?, BEING_MODERATED, "asked about")?;
    let recount = Recount::before(&tx, &[&report.id]).await?;
    if report.receipt_hash.is_none() {
        return Err(AppError::Conflict(
            "This report was imported: nobody holds a receipt to read a question or answer it."
                .to_owned(),
        ));
    }
    messages::add(
        &tx,
        &report.id,
        Author::Moderator,
        MessageKind::Question,
        &question,
    )
    .await?;
    let id = report.id.clone();
    set_status(&tx, report, Status::NeedsInfo, None).await?;
    recount.apply(&tx).await?;
    audit::record(&tx, actor, AuditAction::ReportAsk, Some(&id), "").await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the saved version. Without the reporter's approval only after the wait.
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &ReportRef,
    approval_wait_days: u32,
) -> Result<()> {
    let tx = crate::db::begin_write(db).await?;
    let report = find_to_change(&tx, report_ref).await?;
    ensure_in(status_of(&report)?, BEING_MODERATED, "published")?;
    let publication = publication::Entity::find_by_id(report.id.clone())
        .one(&tx)
        .await?;
    let review = ReporterReview::of(publication.as_ref());
    let from = publication
        .as_ref()
        .and_then(|p| without_approval_from(review, p.prepared_on, approval_wait_days));
    if let Some(reason) = publish_blocker(
        report.receipt_hash.is_some(),
        review,
        from,
        publication.is_some(),
        today(),
    ) {
        return Err(AppError::Conflict(format!("Not published yet. {reason}")));
    }
    let id = report.id.clone();
    let recount = Recount::before(&tx, &[&id]).await?;
    let mut changed: report::ActiveModel = report.clone().into();
    // Generalised on publication: the day it was logged becomes its month.
    changed.submitted_on = Set(first_of_month(report.submitted_on));
    changed.update(&tx).await?;
    set_status(&tx, report, Status::Published, None).await?;
    recount.apply(&tx).await?;
    audit::record(
        &tx,
        actor,
        AuditAction::ReportPublish,
        Some(&id),
        review.slug(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Rejects a report with a reason the reporter can read. A published one leaves the lessons.
pub async fn reject(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &ReportRef,
    reason: &str,
) -> Result<()> {
    let reason = message_text("reason", reason)?;
    let tx = crate::db::begin_write(db).await?;
    let report = find_to_change(&tx, report_ref).await?;
    ensure_in(status_of(&report)?, EDITABLE, "rejected")?;
    let recount = Recount::before(&tx, &[&report.id]).await?;
    messages::add(
        &tx,
        &report.id,
        Author::Moderator,
        MessageKind::Rejection,
        &reason,
    )
    .await?;
    let id = report.id.clone();
    set_status(&tx, report, Status::Rejected, None).await?;
    recount.apply(&tx).await?;
    audit::record(&tx, actor, AuditAction::ReportReject, Some(&id), "").await?;
    tx.commit().await?;
    Ok(())
}

/// Merges a report into a published lesson as another occurrence of the same mistake.
pub async fn merge(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &ReportRef,
    target_ref: &ReportRef,
) -> Result<()> {
    let tx = crate::db::begin_write(db).await?;
    let report = find_to_change(&tx, report_ref).await?;
    ensure_in(status_of(&report)?, BEING_MODERATED, "merged")?;
    // Held too, so that the lesson cannot be rejected while this joins it.
    let target = match find_to_change(&tx, target_ref).await {
        Err(AppError::NotFound(_)) => Err(AppError::invalid(
            "target",
            "no published lesson has this reference",
        )),
        found => found,
    }?;
    if target.id == report.id || status_of(&target)? != Status::Published {
        return Err(AppError::invalid(
            "target",
            "choose another, published lesson",
        ));
    }
    let recount = Recount::before(&tx, &[&report.id]).await?;
    messages::add(&tx, &report.id, Author::Moderator, MessageKind::Merged, &format!("This is the same lesson as a published one: /reports/{}. Your report counts as another occurrence of it.", target.id)).await?;
    let id = report.id.clone();
    set_status(&tx, report, Status::Merged, Some(target.id.clone())).await?;
    recount.apply(&tx).await?;
    audit::record(
        &tx,
        actor,
        AuditAction::ReportMerge,
        Some(&id),
        format!("into {}", target.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn set_status(
    tx: &DatabaseTransaction,
    report: report::Model,
    status: Status,
    merged_into: Option<String>,
) -> Result<()> {
    let id = report.id.clone();
    let mut changed: report::ActiveModel = report.into();
    changed.status = Set(status.slug().to_owned());
    changed.updated_on = Set(today());
    if matches!(
        status,
        Status::Published | Status::Rejected | Status::Merged
    ) {
        changed.decided_on = Set(Some(today()));
    }
    if merged_into.is_some() {
        changed.merged_into = Set(merged_into);
    }
    changed.update(tx).await?;
    outbox::record_change(tx, &id).await
}

fn first_of_month(date: time::Date) -> time::Date {
    date.replace_day(1).unwrap_or(date)
}
