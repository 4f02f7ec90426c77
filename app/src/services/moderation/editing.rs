//! Preparing the published version: the moderator's edits, and one-click decisions on
//! suggested redactions. Each change is one transaction with its audit entry, and with an
//! outbox row when the lesson is already published.

use entities::{publication, report};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DatabaseTransaction, EntityTrait,
};

use super::{
    Draft, EDITABLE, ReporterReview, TextField,
    classify::{self, Classification},
    ensure_in, find_to_change, status_of,
    view::{dismissed_of, suggestions},
};
use crate::{
    codes::ReportRef,
    error::{AppError, Result},
    services::{
        accounts::Account,
        audit::{self, AuditAction},
        outbox,
        reports::normalise_tags,
        trends::Recount,
        units,
    },
    text_checks::{self, TextRules},
    today,
    vocabulary::{Status, vocabulary},
};

/// A moderator's edit of the published version, as the page and the API send it.
#[derive(Clone, Debug, Default)]
pub struct DraftEdit {
    pub title: String,
    pub narrative: String,
    pub what_helped: String,
    pub lesson: String,
    /// The tags to publish; `None` keeps the version's current tags.
    pub tags: Option<Vec<String>>,
}

/// Saves the published version. With `offer`, the reporter is asked to approve it through the
/// receipt; a version that changes after it was offered is offered again.
pub async fn save_draft(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &ReportRef,
    edit: DraftEdit,
    offer: bool,
) -> Result<()> {
    save_draft_classified(db, actor, report_ref, edit, None, offer).await
}

/// As [`save_draft`], and with `classification` also corrects the report's channel, impact
/// and contributing factors, in the same transaction and with its own audit entry.
pub async fn save_draft_classified(
    db: &DatabaseConnection,
    actor: &Account,
    report_ref: &ReportRef,
    edit: DraftEdit,
    classification: Option<Classification>,
    offer: bool,
) -> Result<()> {
    let tx = crate::db::begin_write(db).await?;
    let report = find_to_change(&tx, report_ref).await?;
    let status = status_of(&report)?;
    ensure_in(status, EDITABLE, "edited")?;
    // The reporter's review and the classification count in trend reports.
    let recount = Recount::before(&tx, &[&report.id]).await?;
    let existing = publication::Entity::find_by_id(report.id.clone())
        .one(&tx)
        .await?;
    let (draft, checked) = checked(&tx, &report, existing.as_ref(), edit, classification).await?;
    store(&tx, &report, existing, draft, offer, None).await?;
    if let Some(checked) = checked
        && let Some(changes) = classify::store(&tx, &report, checked).await?
    {
        audit::record(
            &tx,
            actor,
            AuditAction::ReportClassify,
            Some(&report.id),
            changes,
        )
        .await?;
    }
    recount.apply(&tx).await?;
    if status == Status::Published {
        outbox::record_change(&tx, &report.id).await?;
    }
    let detail = if offer {
        "offered to the reporter"
    } else {
        "saved"
    };
    audit::record(
        &tx,
        actor,
        AuditAction::ReportDraft,
        Some(&report.id),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The edited version and the classification, checked together: one answer names every
/// problem, the texts' and the classification's alike.
async fn checked(
    tx: &DatabaseTransaction,
    report: &report::Model,
    existing: Option<&publication::Model>,
    edit: DraftEdit,
    classification: Option<Classification>,
) -> Result<(Draft, Option<classify::Checked>)> {
    let tags = match edit.tags {
        // Each listed tag stays one, spaces and all; tags that cannot be go on as typed, for
        // the check below to name them.
        Some(tags) => normalise_tags(&tags).map_or_else(|_| tags.join(", "), |t| t.join(" ")),
        None => Draft::current(report, existing).tags,
    };
    let draft = Draft {
        title: edit.title,
        narrative: edit.narrative,
        what_helped: edit.what_helped,
        lesson: edit.lesson,
        tags,
    }
    .validated();
    let checked = match &classification {
        Some(c) => Some(classify::check(tx, report, c).await?),
        None => None,
    };
    match (draft, checked.transpose()) {
        (Ok(draft), Ok(checked)) => Ok((draft, checked)),
        (draft, checked) => {
            let mut errors = match draft {
                Err(AppError::Invalid(errors)) => errors,
                Err(other) => return Err(other),
                Ok(_) => Vec::new(),
            };
            errors.extend(checked.err().unwrap_or_default());
            Err(AppError::Invalid(errors))
        }
    }
}

/// Stores the published version. A version offered to the reporter, or changed after it was
/// offered, waits for their approval again, and the wait before publishing without it starts
/// over; a version the reporter never saw stays unasked.
async fn store(
    tx: &DatabaseTransaction,
    report: &report::Model,
    existing: Option<publication::Model>,
    draft: Draft,
    offer: bool,
    dismissed: Option<Vec<String>>,
) -> Result<()> {
    let previous = ReporterReview::of(existing.as_ref());
    let changed = existing
        .as_ref()
        .is_none_or(|p| Draft::from_publication(p) != draft);
    let asked_again = report.receipt_hash.is_some()
        && (offer || (changed && previous != ReporterReview::NotAsked));
    let review = match (report.receipt_hash.is_some(), asked_again) {
        (false, _) => ReporterReview::NotAsked,
        (true, true) => ReporterReview::Pending,
        (true, false) => previous,
    };
    let dismissed = match dismissed {
        Some(list) => {
            serde_json::to_string(&list).map_err(|e| AppError::Internal(e.to_string()))?
        }
        None => existing
            .as_ref()
            .map(|p| p.dismissed.clone())
            .unwrap_or_else(|| "[]".to_owned()),
    };
    // The wait counts from when the reporter was last offered this very version.
    let prepared_on = match &existing {
        Some(p) if !asked_again => p.prepared_on,
        _ => today(),
    };
    let row = publication::ActiveModel {
        report_id: Set(report.id.clone()),
        title: Set(draft.title),
        narrative: Set(draft.narrative),
        what_helped: Set(draft.what_helped),
        lesson: Set(draft.lesson),
        tags: Set(draft.tags),
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
    let draft = Draft::current(report, existing.as_ref());
    let dismissed = dismissed_of(existing.as_ref());
    let not_names = units::not_names(tx).await?;
    let found = suggestions(rules, &not_names, &draft, &dismissed)
        .into_iter()
        .find(|s| s.field == field && s.redaction.id == redaction_id)
        .ok_or_else(|| {
            AppError::Conflict(
                "This suggestion no longer applies: the text has changed since. Reload the page to see the current suggestions."
                    .to_owned(),
            )
        })?;
    Ok((existing, draft, field, found.redaction))
}

// The page's form and the API's body are both read into this type: both refuse any other.
vocabulary! {
    /// What the moderator does with one suggested redaction: `accept` redacts it in the
    /// published version; `dismiss` keeps the text and stops suggesting it for this report.
    RedactionDecision {
        Accept => ("accept", "Redact"),
        Dismiss => ("dismiss", "Keep the text"),
    }
}

pub async fn decide_redaction(
    db: &DatabaseConnection,
    rules: &TextRules,
    actor: &Account,
    report_ref: &ReportRef,
    field: &str,
    redaction_id: &str,
    decision: RedactionDecision,
) -> Result<()> {
    let tx = crate::db::begin_write(db).await?;
    let report = find_to_change(&tx, report_ref).await?;
    let status = status_of(&report)?;
    ensure_in(status, EDITABLE, "edited")?;
    // Saving the version may ask the reporter's review again, which trend reports count.
    let recount = Recount::before(&tx, &[&report.id]).await?;
    let (existing, mut draft, field, redaction) =
        suggestion(&tx, rules, &report, field, redaction_id).await?;
    let action = match decision {
        RedactionDecision::Accept => {
            let redacted = if field == TextField::Tags {
                // A tag that identifies someone goes altogether: `[name]` is no tag.
                let removed = text_checks::Redaction {
                    replacement: String::new(),
                    ..redaction.clone()
                };
                let tags = text_checks::apply(draft.get(field), &[removed]);
                tags.split_whitespace().collect::<Vec<_>>().join(" ")
            } else {
                text_checks::apply(draft.get(field), std::slice::from_ref(&redaction))
            };
            draft.set(field, redacted);
            store(&tx, &report, existing, draft, false, None).await?;
            if status == Status::Published {
                outbox::record_change(&tx, &report.id).await?;
            }
            AuditAction::ReportRedact
        }
        RedactionDecision::Dismiss => {
            let mut dismissed = dismissed_of(existing.as_ref());
            dismissed.push(redaction.original.clone());
            store(&tx, &report, existing, draft, false, Some(dismissed)).await?;
            AuditAction::ReportDismissRedaction
        }
    };
    recount.apply(&tx).await?;
    let detail = format!("{} in {}", redaction.kind.slug(), field.slug());
    audit::record(&tx, actor, action, Some(&report.id), detail).await?;
    tx.commit().await?;
    Ok(())
}
