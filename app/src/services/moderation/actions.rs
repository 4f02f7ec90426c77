//! What a moderator does to a report. Each action checks the report's state, changes it in one
//! transaction with its outbox row and its audit entry, and tells the reporter through the
//! conversation where they need to know.

use entities::{publication, report};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DatabaseTransaction, EntityTrait,
    TransactionTrait,
};

use super::{
    Draft, ReporterReview, TextField, find, status_of,
    view::{dismissed_of, publish_blocker, suggestions, without_approval_from},
};
use crate::{
    error::{AppError, Result},
    services::{accounts::Account, audit, outbox, reports::messages},
    text_checks::{self, TextRules},
    today,
    vocabulary::Status,
};

/// Most a question or a reason may say: a conversation, not a document.
const MAX_MESSAGE: usize = 5_000;

fn ensure_in(status: Status, allowed: &[Status], action: &str) -> Result<()> {
    if allowed.contains(&status) {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "this report is {}: it cannot be {action}",
            status.label().to_lowercase()
        )))
    }
}

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

const BEING_MODERATED: &[Status] = &[Status::Submitted, Status::NeedsInfo];
const EDITABLE: &[Status] = &[Status::Submitted, Status::NeedsInfo, Status::Published];

/// Saves the published version. With `offer`, the reporter is asked to approve it through the
/// receipt; a version that changes after it was offered is offered again.
pub async fn save_draft(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &str,
    draft: Draft,
    offer: bool,
) -> Result<()> {
    let draft = draft.validated()?;
    let tx = db.begin().await?;
    let report = find(&tx, report_ref).await?;
    let status = status_of(&report)?;
    ensure_in(status, EDITABLE, "edited")?;
    let existing = publication::Entity::find_by_id(report.id.clone())
        .one(&tx)
        .await?;
    let review = review_of(existing.as_ref());
    let changed = existing
        .as_ref()
        .is_none_or(|p| Draft::from_publication(p) != draft);
    let review = if report.receipt_hash.is_none() {
        ReporterReview::NotAsked
    } else if offer
        || (changed && review != ReporterReview::NotAsked && status != Status::Published)
    {
        ReporterReview::Pending
    } else {
        review
    };
    store(&tx, &report, existing, draft, review, None).await?;
    if status == Status::Published {
        outbox::record_change(&tx, &report.id).await?;
    }
    let detail = if offer {
        "offered to the reporter"
    } else {
        "saved"
    };
    audit::record(&tx, actor, "report.draft", Some(&report.id), detail).await?;
    tx.commit().await?;
    Ok(())
}

async fn store(
    tx: &DatabaseTransaction,
    report: &report::Model,
    existing: Option<publication::Model>,
    draft: Draft,
    review: ReporterReview,
    dismissed: Option<Vec<String>>,
) -> Result<()> {
    let dismissed = match dismissed {
        Some(list) => {
            serde_json::to_string(&list).map_err(|e| AppError::Internal(e.to_string()))?
        }
        None => existing
            .as_ref()
            .map(|p| p.dismissed.clone())
            .unwrap_or_else(|| "[]".to_owned()),
    };
    // The day counts from when the reporter was (last) offered the version.
    let prepared_on = match &existing {
        Some(p) if ReporterReview::from_slug(&p.reporter_review) == review => p.prepared_on,
        _ => today(),
    };
    let row = publication::ActiveModel {
        report_id: Set(report.id.clone()),
        title: Set(draft.title),
        narrative: Set(draft.narrative),
        what_helped: Set(draft.what_helped),
        lesson: Set(draft.lesson),
        reporter_review: Set(review.slug().to_owned()),
        dismissed: Set(dismissed),
        prepared_on: Set(prepared_on),
    };
    if existing.is_some() {
        row.update(tx).await?;
    } else {
        publication::Entity::insert(row)
            .exec_without_returning(tx)
            .await?;
    }
    Ok(())
}

/// The suggestion `redaction_id` in `field` of the current version, as the moderator saw it.
async fn suggestion(
    tx: &DatabaseTransaction,
    rules: &TextRules,
    report: &report::Model,
    field: &str,
    redaction_id: &str,
) -> Result<(
    Option<publication::Model>,
    Draft,
    TextField,
    text_checks::Redaction,
)> {
    let field = TextField::from_slug(field).ok_or_else(|| {
        AppError::invalid(
            "field",
            "is not one of title, narrative, what_helped, lesson",
        )
    })?;
    let existing = publication::Entity::find_by_id(report.id.clone())
        .one(tx)
        .await?;
    let draft = existing
        .as_ref()
        .map(Draft::from_publication)
        .unwrap_or_else(|| Draft::from_raw(report));
    let dismissed = dismissed_of(existing.as_ref());
    let found = suggestions(rules, &draft, &dismissed)
        .into_iter()
        .find(|s| s.field == field && s.redaction.id == redaction_id)
        .ok_or_else(|| {
            AppError::Conflict(
                "this suggestion no longer applies: the text has changed since; reload the page"
                    .to_owned(),
            )
        })?;
    Ok((existing, draft, field, found.redaction))
}

/// What the moderator does with one suggested redaction: one click either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedactionDecision {
    /// Redact it in the published version.
    Accept,
    /// Keep the text: the same text is not suggested again for this report.
    Dismiss,
}

pub async fn decide_redaction(
    db: &DatabaseConnection,
    rules: &TextRules,
    actor: &Account,
    report_ref: &str,
    field: &str,
    redaction_id: &str,
    decision: RedactionDecision,
) -> Result<()> {
    let tx = db.begin().await?;
    let report = find(&tx, report_ref).await?;
    let status = status_of(&report)?;
    ensure_in(status, EDITABLE, "edited")?;
    let (existing, mut draft, field, redaction) =
        suggestion(&tx, rules, &report, field, redaction_id).await?;
    let review = review_of(existing.as_ref());
    let action = match decision {
        RedactionDecision::Accept => {
            let redacted = text_checks::apply(draft.get(field), std::slice::from_ref(&redaction));
            draft.set(field, redacted);
            // A changed version must be seen again by a reporter who was already asked.
            let review = if review == ReporterReview::NotAsked {
                review
            } else {
                ReporterReview::Pending
            };
            store(&tx, &report, existing, draft, review, None).await?;
            if status == Status::Published {
                outbox::record_change(&tx, &report.id).await?;
            }
            "report.redact"
        }
        RedactionDecision::Dismiss => {
            let mut dismissed = dismissed_of(existing.as_ref());
            dismissed.push(redaction.original.clone());
            store(&tx, &report, existing, draft, review, Some(dismissed)).await?;
            "report.dismiss_redaction"
        }
    };
    let detail = format!("{} in {}", redaction.kind.slug(), field.slug());
    audit::record(&tx, actor, action, Some(&report.id), detail).await?;
    tx.commit().await?;
    Ok(())
}

fn review_of(publication: Option<&publication::Model>) -> ReporterReview {
    publication
        .map(|p| ReporterReview::from_slug(&p.reporter_review))
        .unwrap_or(ReporterReview::NotAsked)
}

/// Asks the reporter a question; they read and answer it with their receipt.
pub async fn ask(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &str,
    question: &str,
) -> Result<()> {
    let question = message_text("question", question)?;
    let tx = db.begin().await?;
    let report = find(&tx, report_ref).await?;
    ensure_in(status_of(&report)?, BEING_MODERATED, "asked about")?;
    if report.receipt_hash.is_none() {
        return Err(AppError::Conflict(
            "this report was imported: nobody holds a receipt to answer".to_owned(),
        ));
    }
    messages::add(&tx, &report.id, "moderator", "question", &question).await?;
    let id = report.id.clone();
    set_status(&tx, report, Status::NeedsInfo, None).await?;
    audit::record(&tx, actor, "report.ask", Some(&id), "").await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the saved version. Without the reporter's approval only after the wait.
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &str,
    approval_wait_days: u32,
) -> Result<()> {
    let tx = db.begin().await?;
    let report = find(&tx, report_ref).await?;
    ensure_in(status_of(&report)?, BEING_MODERATED, "published")?;
    let publication = publication::Entity::find_by_id(report.id.clone())
        .one(&tx)
        .await?;
    let review = review_of(publication.as_ref());
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
        return Err(AppError::Conflict(format!("not published yet: {reason}")));
    }
    let id = report.id.clone();
    let mut changed: report::ActiveModel = report.clone().into();
    // Generalised on publication: the day it was logged becomes its month.
    changed.submitted_on = Set(first_of_month(report.submitted_on));
    changed.update(&tx).await?;
    set_status(&tx, report, Status::Published, None).await?;
    audit::record(&tx, actor, "report.publish", Some(&id), review.slug()).await?;
    tx.commit().await?;
    Ok(())
}

/// Rejects a report with a reason the reporter can read. A published one leaves the lessons.
pub async fn reject(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &str,
    reason: &str,
) -> Result<()> {
    let reason = message_text("reason", reason)?;
    let tx = db.begin().await?;
    let report = find(&tx, report_ref).await?;
    ensure_in(status_of(&report)?, EDITABLE, "rejected")?;
    messages::add(&tx, &report.id, "moderator", "rejection", &reason).await?;
    let id = report.id.clone();
    set_status(&tx, report, Status::Rejected, None).await?;
    audit::record(&tx, actor, "report.reject", Some(&id), "").await?;
    tx.commit().await?;
    Ok(())
}

/// Merges a report into a published lesson as another occurrence of the same mistake.
pub async fn merge(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &str,
    target_ref: &str,
) -> Result<()> {
    let target_ref = target_ref.trim();
    let tx = db.begin().await?;
    let report = find(&tx, report_ref).await?;
    ensure_in(status_of(&report)?, BEING_MODERATED, "merged")?;
    let target = find(&tx, target_ref)
        .await
        .map_err(|_| AppError::invalid("target", "no published lesson has this reference"))?;
    if target.id == report.id || status_of(&target)? != Status::Published {
        return Err(AppError::invalid(
            "target",
            "choose another, published lesson",
        ));
    }
    messages::add(&tx, &report.id, "moderator", "merged", &format!("This is the same lesson as a published one: /reports/{}. Your report counts as another occurrence of it.", target.id)).await?;
    let id = report.id.clone();
    set_status(&tx, report, Status::Merged, Some(target.id.clone())).await?;
    audit::record(
        &tx,
        actor,
        "report.merge",
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
