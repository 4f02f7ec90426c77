//! Loading what an effect is measured from: the pattern's occurrences by month, the published
//! reports by month (one grouped query), and the guideline changes that cite the pattern.

use entities::{guideline, guideline_evidence, guideline_revision, pattern, report};
use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use search::patterns::Month;
use time::Date;

use super::{Effect, measure, month_of_day};
use crate::{
    error::{AppError, Result},
    services::{
        accounts::{Account, Role},
        guidelines::{Evidence, EvidenceKind},
        patterns::PatternKind,
    },
    vocabulary::Status,
};

/// The guideline change an effect is measured for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The guideline's slug.
    pub guideline: String,
    pub guideline_title: String,
    pub revision: i32,
    pub effective_from: Date,
    /// The section it changed, when it changed one.
    pub anchor: Option<String>,
}

/// A change and its measured effect.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    pub change: Change,
    pub effect: Effect,
}

/// One cited pattern's effect, for a revision's page.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternEffect {
    pub id: i32,
    pub title: String,
    pub effect: Effect,
}

/// Published reports by the month they count in, as detection counts them
/// (`patterns::load::month_of`): the month they happened when known, else the day they were
/// decided on, else the day they were logged. One grouped query for each, each read from the
/// index `idx_reports_published_month` alone, so that 1M reports stay fast.
pub async fn published_by_month(db: &impl ConnectionTrait) -> Result<Vec<(Month, u64)>> {
    use report::Column;
    let published = || report::Entity::find().filter(Column::Status.eq(Status::Published.slug()));
    let by_month: Vec<(Option<String>, i64)> = published()
        .filter(Column::OccurredMonth.is_not_null())
        .select_only()
        .column(Column::OccurredMonth)
        .column_as(Column::Id.count(), "reports")
        .group_by(Column::OccurredMonth)
        .into_tuple()
        .all(db)
        .await?;
    let by_decision: Vec<(Option<Date>, i64)> = published()
        .filter(Column::OccurredMonth.is_null())
        .filter(Column::DecidedOn.is_not_null())
        .select_only()
        .column(Column::DecidedOn)
        .column_as(Column::Id.count(), "reports")
        .group_by(Column::DecidedOn)
        .into_tuple()
        .all(db)
        .await?;
    let by_submission: Vec<(Date, i64)> = published()
        .filter(Column::OccurredMonth.is_null())
        .filter(Column::DecidedOn.is_null())
        .select_only()
        .column(Column::SubmittedOn)
        .column_as(Column::Id.count(), "reports")
        .group_by(Column::SubmittedOn)
        .into_tuple()
        .all(db)
        .await?;
    let days = by_decision
        .into_iter()
        .filter_map(|(day, n)| Some((day?, n)))
        .chain(by_submission)
        .map(|(day, n)| (Some(month_of_day(day)), n));
    let mut counts: BTreeMap<Month, u64> = BTreeMap::new();
    for (month, n) in by_month
        .into_iter()
        .map(|(month, n)| (month.as_deref().and_then(Month::parse), n))
        .chain(days)
    {
        if let (Some(month), Ok(n)) = (month, u64::try_from(n)) {
            *counts.entry(month).or_default() += n;
        }
    }
    Ok(counts.into_iter().collect())
}

/// The pattern's occurrences by month, as its last detection run counted them.
pub fn occurrences(row: &pattern::Model) -> Vec<(Month, u64)> {
    serde_json::from_str::<Vec<(String, u64)>>(&row.by_month)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(month, n)| Some((Month::parse(&month)?, n)))
        .collect()
}

async fn find_pattern(db: &impl ConnectionTrait, id: i32) -> Result<pattern::Model> {
    pattern::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("pattern"))
}

/// The effect on pattern `pattern_id` of a change effective from `effective_from`.
pub async fn of_pattern(
    db: &impl ConnectionTrait,
    pattern_id: i32,
    effective_from: Date,
    as_of: Date,
    window_days: u32,
) -> Result<Effect> {
    let row = find_pattern(db, pattern_id).await?;
    let reports = published_by_month(db).await?;
    Ok(measure(
        &occurrences(&row),
        &reports,
        effective_from,
        as_of,
        window_days,
    ))
}

/// The latest guideline change citing the pattern: the one that took effect last (the one
/// made last among those that took effect on the same day).
pub async fn latest_change(db: &impl ConnectionTrait, pattern_id: i32) -> Result<Option<Change>> {
    let revisions: Vec<i32> = guideline_evidence::Entity::find()
        .filter(guideline_evidence::Column::Kind.eq(EvidenceKind::Pattern.slug()))
        .filter(guideline_evidence::Column::Key.eq(pattern_id.to_string()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.revision_id)
        .collect();
    if revisions.is_empty() {
        return Ok(None);
    }
    let Some(revision) = guideline_revision::Entity::find()
        .filter(guideline_revision::Column::Id.is_in(revisions))
        .order_by_desc(guideline_revision::Column::EffectiveFrom)
        .order_by_desc(guideline_revision::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let guideline = guideline::Entity::find_by_id(revision.guideline_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(format!("revision {} has no guideline", revision.id)))?;
    Ok(Some(Change {
        guideline: guideline.slug,
        guideline_title: guideline.title,
        revision: revision.number,
        effective_from: revision.effective_from,
        anchor: revision.anchor,
    }))
}

/// The effect of the latest change citing the pattern, if one does.
pub async fn of_latest_change(
    db: &impl ConnectionTrait,
    pattern_id: i32,
    as_of: Date,
    window_days: u32,
) -> Result<Option<Measured>> {
    let Some(change) = latest_change(db, pattern_id).await? else {
        return Ok(None);
    };
    let effect = of_pattern(db, pattern_id, change.effective_from, as_of, window_days).await?;
    Ok(Some(Measured { change, effect }))
}

/// Whether the viewer may read effects: policy owners and admins, who decide the changes.
fn may_measure(viewer: &Account) -> bool {
    viewer.can(Role::PolicyOwner)
}

/// Local patterns are the moderators' and admins': a policy owner does not see them.
fn visible(viewer: &Account, row: &pattern::Model) -> bool {
    row.kind != PatternKind::Local.slug() || viewer.role == Role::Admin
}

/// The effect of the latest change citing a pattern, as the viewer may see it: for the API
/// and the pattern's page.
pub async fn latest_for(
    db: &impl ConnectionTrait,
    viewer: &Account,
    pattern_id: i32,
    as_of: Date,
    window_days: u32,
) -> Result<Measured> {
    if !may_measure(viewer) {
        return Err(AppError::Forbidden("a policy owner or admin account"));
    }
    if !visible(viewer, &find_pattern(db, pattern_id).await?) {
        return Err(AppError::NotFound("pattern"));
    }
    of_latest_change(db, pattern_id, as_of, window_days)
        .await?
        .ok_or(AppError::NotFound(
            "a guideline change citing this pattern (cite it as pattern:N in a change's evidence)",
        ))
}

/// The effects of a revision on the patterns it cites, for a viewer who may see them; none
/// for anyone else.
pub async fn for_revision(
    db: &impl ConnectionTrait,
    viewer: Option<&Account>,
    evidence: &[Evidence],
    effective_from: Date,
    as_of: Date,
    window_days: u32,
) -> Result<Vec<PatternEffect>> {
    let Some(viewer) = viewer.filter(|v| may_measure(v)) else {
        return Ok(Vec::new());
    };
    let ids: Vec<i32> = evidence
        .iter()
        .filter(|e| e.kind == EvidenceKind::Pattern)
        .filter_map(|e| e.key.parse().ok())
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = pattern::Entity::find()
        .filter(pattern::Column::Id.is_in(ids))
        .order_by_asc(pattern::Column::Id)
        .all(db)
        .await?;
    let reports = published_by_month(db).await?;
    Ok(rows
        .into_iter()
        .filter(|row| visible(viewer, row))
        .map(|row| PatternEffect {
            effect: measure(
                &occurrences(&row),
                &reports,
                effective_from,
                as_of,
                window_days,
            ),
            id: row.id,
            title: row.title,
        })
        .collect())
}
