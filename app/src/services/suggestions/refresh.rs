//! Drafting every pattern's suggestion: after each detection run and on demand.
//!
//! One suggestion per pattern and target section (a *round* more after a regression): an open
//! or deferred one is redrafted with the pattern's latest numbers; a rejected one stays
//! rejected until its pattern has grown clearly, then opens again with its rejection shown; an
//! accepted one stays as it was decided, and a regression of its pattern opens the next round.
//! Drafts nobody decided on are dropped when their pattern no longer needs one.

use std::sync::Arc;

use entities::{pattern, pattern_member, suggestion};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    sea_query::OnConflict,
};
use search::{
    SearchIndex,
    patterns::{Words, grown_clearly},
};

use super::{
    SuggestionKind, SuggestionStatus,
    draft::{self, Draft, Earlier},
    target::{self, Target},
    templates,
};
use crate::{
    error::Result,
    services::{
        patterns::{PatternKind, PatternStatus},
        search::SearchTurns,
    },
    today,
};

/// What a refresh did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefreshSummary {
    /// Suggestions drafted for the first time.
    pub drafted: usize,
    /// Open or deferred ones redrafted with new numbers.
    pub updated: usize,
    /// Rejected ones back because their pattern grew, and deferred ones back on their date.
    pub reopened: usize,
    /// Undecided drafts dropped because their pattern no longer needs one.
    pub dropped: usize,
}

/// Whether a pattern wants a suggestion: a cross-unit pattern nobody has dealt with, one
/// acknowledged and still growing, or one that regressed.
fn wants_one(pattern: &pattern::Model) -> bool {
    let status = PatternStatus::from_slug(&pattern.status);
    pattern.active
        && PatternKind::from_slug(&pattern.kind).is_some_and(|k| k != PatternKind::Local)
        && match status {
            Some(PatternStatus::New | PatternStatus::Regressed) => true,
            Some(PatternStatus::Acknowledged) => pattern.trend == "rising",
            _ => false,
        }
}

/// Drafts or updates the suggestions of every pattern.
pub async fn refresh(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    turns: &SearchTurns,
) -> Result<RefreshSummary> {
    let mut summary = RefreshSummary::default();
    let reinforce = templates::current(db, SuggestionKind::Reinforce).await?;
    let add = templates::current(db, SuggestionKind::Add).await?;
    let mut words = Words::new();
    let patterns = pattern::Entity::find()
        .order_by_asc(pattern::Column::Id)
        .all(db)
        .await?;
    for pattern in patterns {
        let rows = suggestion::Entity::find()
            .filter(suggestion::Column::PatternId.eq(pattern.id))
            .all(db)
            .await?;
        if !wants_one(&pattern) {
            summary.dropped += drop_undecided(db, &rows, None).await?;
            continue;
        }
        let members: Vec<(String, usize)> = pattern_member::Entity::find()
            .filter(pattern_member::Column::PatternId.eq(pattern.id))
            .all(db)
            .await?
            .into_iter()
            .map(|m| {
                let matched: Vec<String> = serde_json::from_str(&m.matched).unwrap_or_default();
                (m.report_id, matched.len())
            })
            .collect();
        let accepted = rows
            .iter()
            .filter(|r| r.status == SuggestionStatus::Accepted.slug())
            .max_by_key(|r| (r.decided_on, r.id));
        let regressed = pattern.status == PatternStatus::Regressed.slug();
        let (target, earlier) =
            match accepted.filter(|_| regressed) {
                Some(change) => {
                    let again = target::section_again(
                        db,
                        &mut words,
                        &pattern,
                        change.guideline_id,
                        &change.anchor,
                    )
                    .await?;
                    let earlier = change.revision.zip(change.effective_from).map(
                        |(revision, effective_from)| Earlier {
                            revision,
                            effective_from,
                        },
                    );
                    (again, earlier)
                }
                None => (None, None),
            };
        let target = match target {
            Some(target) => Some(target),
            None => {
                let refs: Vec<String> = members.iter().map(|m| m.0.clone()).collect();
                target::choose(db, index, turns, &mut words, &pattern, &refs).await?
            }
        };
        let Some(target) = target else {
            tracing::debug!(
                pattern.id = pattern.id,
                "no guideline section comes near it"
            );
            summary.dropped += drop_undecided(db, &rows, None).await?;
            continue;
        };
        let template = match target.kind {
            SuggestionKind::Reinforce => &reinforce,
            SuggestionKind::Add => &add,
        };
        let draft = match draft::draft(db, &pattern, &members, &target, earlier.as_ref(), template)
            .await
        {
            Ok(draft) => draft,
            // An admin's template that stopped rendering must not stop the others' drafts.
            Err(error) if template.customised => {
                tracing::warn!(%error, kind = target.kind.slug(), "suggestion template failed; the shipped one is used");
                let shipped = templates::Template::shipped(target.kind);
                draft::draft(db, &pattern, &members, &target, earlier.as_ref(), &shipped).await?
            }
            Err(error) => return Err(error),
        };
        let kept = apply(
            db,
            &pattern,
            &rows,
            &draft,
            &target,
            regressed,
            &mut summary,
        )
        .await?;
        summary.dropped += drop_undecided(db, &rows, kept).await?;
    }
    Ok(summary)
}

/// Writes `draft` over the latest suggestion of its target; returns the id kept.
async fn apply(
    db: &DatabaseConnection,
    pattern: &pattern::Model,
    rows: &[suggestion::Model],
    draft: &Draft,
    target: &Target,
    regressed: bool,
    summary: &mut RefreshSummary,
) -> Result<Option<i32>> {
    let latest = rows
        .iter()
        .filter(|r| r.guideline_id == draft.guideline_id && r.anchor == draft.anchor)
        .max_by_key(|r| r.round);
    let status = latest.and_then(|r| SuggestionStatus::from_slug(&r.status));
    let round = match (latest, status) {
        (None, _) => 1,
        (Some(row), Some(SuggestionStatus::Open)) => {
            redraft(db, row, draft, pattern, None).await?;
            summary.updated += 1;
            return Ok(Some(row.id));
        }
        (Some(row), Some(SuggestionStatus::Deferred)) => {
            let due = row.deferred_until.is_none_or(|until| until <= today());
            let reopen = due.then_some(SuggestionStatus::Open);
            redraft(db, row, draft, pattern, reopen).await?;
            if due {
                summary.reopened += 1;
            } else {
                summary.updated += 1;
            }
            return Ok(Some(row.id));
        }
        (Some(row), Some(SuggestionStatus::Rejected)) => {
            let then = row
                .occurrences_at_decision
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0);
            let now = usize::try_from(pattern.occurrences).unwrap_or(0);
            if !grown_clearly(then, now) {
                return Ok(Some(row.id));
            }
            redraft(db, row, draft, pattern, Some(SuggestionStatus::Open)).await?;
            summary.reopened += 1;
            return Ok(Some(row.id));
        }
        (Some(row), _) if !regressed || target.kind != SuggestionKind::Reinforce => {
            return Ok(Some(row.id));
        }
        (Some(row), _) => row.round + 1,
    };
    let inserted = suggestion::Entity::insert(suggestion::ActiveModel {
        pattern_id: Set(pattern.id),
        guideline_id: Set(draft.guideline_id),
        anchor: Set(draft.anchor.clone()),
        round: Set(round),
        kind: Set(draft.kind.slug().to_owned()),
        heading: Set(draft.heading.clone()),
        reason: Set(draft.reason.clone()),
        proposed_text: Set(draft.text.clone()),
        quoted: Set(serde_json::to_string(&draft.quoted).unwrap_or_else(|_| "[]".to_owned())),
        score: Set(draft.score),
        status: Set(SuggestionStatus::Open.slug().to_owned()),
        pattern_occurrences: Set(pattern.occurrences),
        drafted_on: Set(today()),
        ..Default::default()
    })
    // Two refreshes at once (the job and the command line) draft the same row once.
    .on_conflict(
        OnConflict::columns([
            suggestion::Column::PatternId,
            suggestion::Column::GuidelineId,
            suggestion::Column::Anchor,
            suggestion::Column::Round,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted > 0 {
        summary.drafted += 1;
    }
    let kept = suggestion::Entity::find()
        .filter(suggestion::Column::PatternId.eq(pattern.id))
        .filter(suggestion::Column::GuidelineId.eq(draft.guideline_id))
        .filter(suggestion::Column::Anchor.eq(draft.anchor.clone()))
        .filter(suggestion::Column::Round.eq(round))
        .one(db)
        .await?;
    Ok(kept.map(|k| k.id))
}

/// Redrafts a suggestion still to be decided (or coming back), only where the status it was
/// read with still holds, so that a decision taken meanwhile is never overwritten.
async fn redraft(
    db: &DatabaseConnection,
    row: &suggestion::Model,
    draft: &Draft,
    pattern: &pattern::Model,
    status: Option<SuggestionStatus>,
) -> Result<()> {
    let mut update = suggestion::Entity::update_many()
        .col_expr(suggestion::Column::Kind, draft.kind.slug().into())
        .col_expr(suggestion::Column::Heading, draft.heading.clone().into())
        .col_expr(suggestion::Column::Reason, draft.reason.clone().into())
        .col_expr(suggestion::Column::ProposedText, draft.text.clone().into())
        .col_expr(
            suggestion::Column::Quoted,
            serde_json::to_string(&draft.quoted)
                .unwrap_or_else(|_| "[]".to_owned())
                .into(),
        )
        .col_expr(suggestion::Column::Score, draft.score.into())
        .col_expr(
            suggestion::Column::PatternOccurrences,
            pattern.occurrences.into(),
        )
        .col_expr(suggestion::Column::DraftedOn, today().into());
    if let Some(status) = status {
        update = update
            .col_expr(suggestion::Column::Status, status.slug().into())
            .col_expr(
                suggestion::Column::DeferredUntil,
                Option::<time::Date>::None.into(),
            );
    }
    update
        .filter(suggestion::Column::Id.eq(row.id))
        .filter(suggestion::Column::Status.eq(row.status.clone()))
        .exec(db)
        .await?;
    Ok(())
}

/// Drops the pattern's open drafts that nobody decided on, but `kept`.
async fn drop_undecided(
    db: &DatabaseConnection,
    rows: &[suggestion::Model],
    kept: Option<i32>,
) -> Result<usize> {
    let ids: Vec<i32> = rows
        .iter()
        .filter(|r| Some(r.id) != kept)
        .filter(|r| r.status == SuggestionStatus::Open.slug() && r.decided_on.is_none())
        .map(|r| r.id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let done = suggestion::Entity::delete_many()
        .filter(suggestion::Column::Id.is_in(ids))
        // Only while still undecided: a decision taken meanwhile keeps its row.
        .filter(suggestion::Column::Status.eq(SuggestionStatus::Open.slug()))
        .filter(suggestion::Column::DecidedOn.is_null())
        .exec(db)
        .await?;
    Ok(usize::try_from(done.rows_affected).unwrap_or(0))
}
