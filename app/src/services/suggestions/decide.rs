//! What a policy owner decides about a suggestion: accept it (after editing), reject it with a
//! rationale, or defer it to a date. Each decision is one transaction with its audit entry,
//! and the suggestion's row is locked first, so two people deciding at once get one decision
//! and one refusal.

use entities::{guideline, guideline_revision, pattern, pattern_member, report, suggestion};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QuerySelect,
};
use search::patterns::Month;
use time::Date;

use super::{GRACE_MONTHS, SuggestionKind, SuggestionStatus, read::SuggestionView};
use crate::{
    error::{AppError, Result},
    services::{
        accounts::{Account, Role},
        audit::{self, AuditAction},
        guidelines::{self, ChangeNote, MAX_EVIDENCE, MAX_RATIONALE, SectionEdit},
        patterns::{PatternStatus, month_of_day},
    },
    today,
    vocabulary::Status,
};

/// What a policy owner accepts: the text as they edited it, and the change's note.
#[derive(Clone, Debug, Default)]
pub struct Acceptance {
    /// The section's heading; the drafted one when absent.
    pub heading: Option<String>,
    /// The section's whole Markdown as it will stand.
    pub text: String,
    pub rationale: String,
    /// `YYYY-MM-DD`; today when blank.
    pub effective_from: Option<String>,
}

fn require_policy_owner(actor: &Account) -> Result<()> {
    if actor.role.includes(Role::PolicyOwner) {
        Ok(())
    } else {
        Err(AppError::Forbidden("a policy owner or admin account"))
    }
}

/// The suggestion, locked until the decision commits, if it still waits for one.
async fn undecided(tx: &DatabaseTransaction, id: i32) -> Result<suggestion::Model> {
    let row = suggestion::Entity::find_by_id(id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(AppError::NotFound("suggestion"))?;
    match SuggestionStatus::from_slug(&row.status) {
        Some(SuggestionStatus::Open | SuggestionStatus::Deferred) => Ok(row),
        Some(SuggestionStatus::Accepted) => Err(AppError::Conflict(format!(
            "this suggestion was accepted on {} (revision {}): nothing is left to decide",
            row.decided_on.map(|d| d.to_string()).unwrap_or_default(),
            row.revision.unwrap_or_default()
        ))),
        _ => Err(AppError::Conflict(format!(
            "this suggestion was rejected on {}: it comes back by itself if its pattern grows",
            row.decided_on.map(|d| d.to_string()).unwrap_or_default()
        ))),
    }
}

async fn pattern_of(tx: &DatabaseTransaction, row: &suggestion::Model) -> Result<pattern::Model> {
    pattern::Entity::find_by_id(row.pattern_id)
        .one(tx)
        .await?
        .ok_or(AppError::NotFound("pattern"))
}

/// Accepts a suggestion: writes the guideline revision (the pattern, the suggestion and the
/// pattern's published lessons as its evidence), marks the pattern addressed and records the
/// decision, all in one transaction.
pub async fn accept(
    db: &DatabaseConnection,
    actor: &Account,
    id: i32,
    acceptance: &Acceptance,
) -> Result<SuggestionView> {
    require_policy_owner(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let row = undecided(&txn, id).await?;
    let pattern = pattern_of(&txn, &row).await?;
    let slug = guideline::Entity::find_by_id(row.guideline_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("guideline"))?
        .slug;
    let note = ChangeNote {
        rationale: acceptance.rationale.clone(),
        effective_from: acceptance.effective_from.clone(),
        evidence: evidence(&txn, &row).await?,
    };
    let heading = acceptance
        .heading
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .unwrap_or(&row.heading)
        .to_owned();
    let edit = SectionEdit {
        heading: Some(heading.clone()),
        markdown: acceptance.text.clone(),
    };
    let kind = SuggestionKind::from_slug(&row.kind).unwrap_or(SuggestionKind::Add);
    let (outcome, anchor) = match kind {
        SuggestionKind::Reinforce => {
            let outcome =
                guidelines::put_section(&txn, &actor.name, &slug, &row.anchor, &edit, &note)
                    .await?;
            (outcome, row.anchor.clone())
        }
        SuggestionKind::Add => {
            guidelines::add_section(&txn, &actor.name, &slug, &edit, &note).await?
        }
    };
    if !outcome.changed {
        return Err(AppError::invalid(
            "text",
            "is the section as it stands: change it, or reject the suggestion",
        ));
    }
    let effective_from = guideline_revision::Entity::find()
        .filter(guideline_revision::Column::GuidelineId.eq(row.guideline_id))
        .filter(guideline_revision::Column::Number.eq(outcome.revision))
        .one(&txn)
        .await?
        .map_or_else(today, |r| r.effective_from);
    let mut decided: suggestion::ActiveModel = row.clone().into();
    decided.status = Set(SuggestionStatus::Accepted.slug().to_owned());
    decided.anchor = Set(anchor);
    decided.heading = Set(heading);
    decided.proposed_text = Set(acceptance.text.clone());
    decided.decided_by = Set(Some(actor.name.clone()));
    decided.decided_on = Set(Some(today()));
    decided.decision_rationale = Set(Some(acceptance.rationale.trim().to_owned()));
    decided.occurrences_at_decision = Set(Some(pattern.occurrences));
    decided.revision = Set(Some(outcome.revision));
    decided.effective_from = Set(Some(effective_from));
    decided.deferred_until = Set(None);
    decided.update(&txn).await?;
    let mut addressed: pattern::ActiveModel = pattern.clone().into();
    addressed.status = Set(PatternStatus::Addressed.slug().to_owned());
    addressed.addressed_in = Set(Some(grace_end(effective_from).to_string()));
    addressed.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        AuditAction::SuggestionAccept,
        Some(&id.to_string()),
        format!("{slug} revision {}", outcome.revision),
    )
    .await?;
    txn.commit().await?;
    super::get(db, id).await
}

/// The last month of the grace period after a change effective on `day`: occurrences after
/// it are a regression.
fn grace_end(day: Date) -> Month {
    Month(month_of_day(day).0 + GRACE_MONTHS)
}

/// The evidence of an accepted suggestion: its pattern, itself, the lessons it quotes and the
/// pattern's other published lessons, as many as a change may cite.
async fn evidence(tx: &DatabaseTransaction, row: &suggestion::Model) -> Result<Vec<String>> {
    let quoted: Vec<String> = serde_json::from_str(&row.quoted).unwrap_or_default();
    let members: Vec<String> = pattern_member::Entity::find()
        .select_only()
        .column(pattern_member::Column::ReportId)
        .filter(pattern_member::Column::PatternId.eq(row.pattern_id))
        .into_tuple()
        .all(tx)
        .await?;
    let mut refs: Vec<String> = quoted;
    refs.extend(members);
    let mut seen = std::collections::HashSet::new();
    refs.retain(|r| seen.insert(r.clone()));
    let published: std::collections::HashSet<String> = report::Entity::find()
        .select_only()
        .column(report::Column::Id)
        .filter(report::Column::Id.is_in(refs.clone()))
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .into_tuple()
        .all(tx)
        .await?
        .into_iter()
        .collect();
    let mut evidence = vec![
        format!("pattern:{}", row.pattern_id),
        format!("suggestion:{}", row.id),
    ];
    evidence.extend(
        refs.into_iter()
            .filter(|r| published.contains(r))
            .take(MAX_EVIDENCE - 2),
    );
    Ok(evidence)
}

/// Rejects a suggestion with a rationale; it comes back only when its pattern grows clearly.
pub async fn reject(
    db: &DatabaseConnection,
    actor: &Account,
    id: i32,
    rationale: &str,
) -> Result<SuggestionView> {
    require_policy_owner(actor)?;
    let rationale = rationale.trim();
    if rationale.is_empty() {
        return Err(AppError::invalid(
            "rationale",
            "is required: say why the guideline should not change, so that it is shown if the \
             pattern comes back",
        ));
    }
    let length = rationale.chars().count();
    if length > MAX_RATIONALE {
        return Err(AppError::invalid(
            "rationale",
            format!("is {length} characters long; the limit is {MAX_RATIONALE}"),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let row = undecided(&txn, id).await?;
    let pattern = pattern_of(&txn, &row).await?;
    let mut decided: suggestion::ActiveModel = row.into();
    decided.status = Set(SuggestionStatus::Rejected.slug().to_owned());
    decided.decided_by = Set(Some(actor.name.clone()));
    decided.decided_on = Set(Some(today()));
    decided.decision_rationale = Set(Some(rationale.to_owned()));
    decided.occurrences_at_decision = Set(Some(pattern.occurrences));
    decided.deferred_until = Set(None);
    decided.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        AuditAction::SuggestionReject,
        Some(&id.to_string()),
        rationale,
    )
    .await?;
    txn.commit().await?;
    super::get(db, id).await
}

/// How far ahead a suggestion may be deferred.
const MAX_DEFERRAL_DAYS: i64 = 730;

/// Defers a suggestion to `until` (`YYYY-MM-DD`, after today): it is open again on that day.
pub async fn defer(
    db: &DatabaseConnection,
    actor: &Account,
    id: i32,
    until: &str,
) -> Result<SuggestionView> {
    require_policy_owner(actor)?;
    let until = parse_until(until)?;
    let txn = crate::db::begin_write(db).await?;
    let row = undecided(&txn, id).await?;
    let mut deferred: suggestion::ActiveModel = row.into();
    deferred.status = Set(SuggestionStatus::Deferred.slug().to_owned());
    deferred.deferred_until = Set(Some(until));
    deferred.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        AuditAction::SuggestionDefer,
        Some(&id.to_string()),
        format!("until {until}"),
    )
    .await?;
    txn.commit().await?;
    super::get(db, id).await
}

fn parse_until(text: &str) -> Result<Date> {
    let text = text.trim();
    let until = crate::parse_day("until", text)?;
    let today = today();
    if until <= today {
        return Err(AppError::invalid(
            "until",
            format!("must be after today ({today}): a suggestion is deferred to a later day"),
        ));
    }
    if (until - today).whole_days() > MAX_DEFERRAL_DAYS {
        return Err(AppError::invalid(
            "until",
            "must be within two years: reject the suggestion instead if it should not come back",
        ));
    }
    Ok(until)
}
