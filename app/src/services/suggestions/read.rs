//! Reading suggestions as the policy owner's inbox shows them.

use std::collections::HashMap;

use entities::{guideline, guideline_section, pattern, suggestion};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use time::Date;

use super::{SuggestionKind, SuggestionStatus};
use crate::{
    error::{AppError, Result},
    services::patterns::PatternStatus,
    today,
};

/// What a policy owner decided, or decided before (a rejected suggestion back because its
/// pattern grew shows its rejection).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Decided {
    pub by: String,
    pub on: Date,
    pub rationale: Option<String>,
    /// The pattern's occurrences when it was decided.
    pub occurrences: Option<i32>,
    /// The guideline revision accepting it made.
    pub revision: Option<i32>,
    pub effective_from: Option<Date>,
}

/// A suggestion with its pattern and the section as it stands.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SuggestionView {
    pub id: i32,
    pub pattern_id: i32,
    pub pattern_title: String,
    pub pattern_explanation: String,
    pub pattern_status: PatternStatus,
    /// The pattern's occurrences now.
    pub pattern_occurrences: i32,
    pub pattern_units: i32,
    pub guideline: String,
    pub guideline_title: String,
    /// The section reinforced, or the section accepting an `add` made; `None` for an `add`
    /// still open.
    pub section: Option<String>,
    /// Its place among the sections in force, from 1, when it is in force.
    pub section_number: Option<i32>,
    /// The section's Markdown as it stands, for the diff; `None` for a new section.
    pub current_text: Option<String>,
    pub current_heading: Option<String>,
    pub kind: SuggestionKind,
    pub heading: String,
    pub reason: String,
    pub proposed_text: String,
    /// Refs of the lessons the draft quotes.
    pub quoted: Vec<String>,
    pub score: f64,
    /// `deferred` until its date, `open` from then on.
    pub status: SuggestionStatus,
    pub deferred_until: Option<Date>,
    pub decided: Option<Decided>,
    pub round: i32,
    pub drafted_on: Date,
}

/// Which suggestions to list.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub status: Option<SuggestionStatus>,
    /// A guideline's slug.
    pub guideline: Option<String>,
}

/// The status a person sees: a deferral ends on its date.
fn status_of(row: &suggestion::Model) -> SuggestionStatus {
    match SuggestionStatus::from_slug(&row.status) {
        Some(SuggestionStatus::Deferred) if row.deferred_until.is_none_or(|d| d <= today()) => {
            SuggestionStatus::Open
        }
        Some(status) => status,
        None => SuggestionStatus::Open,
    }
}

/// Suggestions by the filters: open ones by score, decided ones newest decision first.
pub async fn list(db: &DatabaseConnection, filters: &Filters) -> Result<Vec<SuggestionView>> {
    let mut query = suggestion::Entity::find().order_by_asc(suggestion::Column::Id);
    if let Some(slug) = &filters.guideline {
        let Some(found) = guideline::Entity::find()
            .filter(guideline::Column::Slug.eq(slug.clone()))
            .one(db)
            .await?
        else {
            return Ok(Vec::new());
        };
        query = query.filter(suggestion::Column::GuidelineId.eq(found.id));
    }
    let rows: Vec<suggestion::Model> = query
        .all(db)
        .await?
        .into_iter()
        .filter(|row| filters.status.is_none_or(|s| s == status_of(row)))
        .collect();
    let mut views = complete(db, rows).await?;
    let decided = |v: &SuggestionView| v.decided.as_ref().map(|d| d.on);
    if filters
        .status
        .is_some_and(|s| matches!(s, SuggestionStatus::Accepted | SuggestionStatus::Rejected))
    {
        views.sort_by(|a, b| decided(b).cmp(&decided(a)).then(b.id.cmp(&a.id)));
    } else {
        views.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    }
    Ok(views)
}

/// One suggestion; 404 when there is none.
pub async fn get(db: &DatabaseConnection, id: i32) -> Result<SuggestionView> {
    let row = suggestion::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("suggestion"))?;
    complete(db, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound("suggestion"))
}

/// How many suggestions wait for a decision, for the policy owner's home page.
pub async fn open_count(db: &DatabaseConnection) -> Result<usize> {
    Ok(suggestion::Entity::find()
        .filter(suggestion::Column::Status.is_in([
            SuggestionStatus::Open.slug(),
            SuggestionStatus::Deferred.slug(),
        ]))
        .all(db)
        .await?
        .iter()
        .filter(|row| status_of(row) == SuggestionStatus::Open)
        .count())
}

async fn complete(
    db: &DatabaseConnection,
    rows: Vec<suggestion::Model>,
) -> Result<Vec<SuggestionView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let patterns: HashMap<i32, pattern::Model> = pattern::Entity::find()
        .filter(pattern::Column::Id.is_in(rows.iter().map(|r| r.pattern_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let guidelines: HashMap<i32, guideline::Model> = guideline::Entity::find()
        .filter(guideline::Column::Id.is_in(rows.iter().map(|r| r.guideline_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let sections: HashMap<(i32, String), guideline_section::Model> =
        guideline_section::Entity::find()
            .filter(
                guideline_section::Column::GuidelineId.is_in(rows.iter().map(|r| r.guideline_id)),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|s| ((s.guideline_id, s.anchor.clone()), s))
            .collect();
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let (Some(pattern), Some(guideline)) = (
            patterns.get(&row.pattern_id),
            guidelines.get(&row.guideline_id),
        ) else {
            continue;
        };
        let section = sections.get(&(row.guideline_id, row.anchor.clone()));
        let in_force = section.filter(|s| s.retired_on.is_none());
        let status = status_of(&row);
        let decided = row.decided_on.map(|on| Decided {
            by: row.decided_by.clone().unwrap_or_default(),
            on,
            rationale: row.decision_rationale.clone(),
            occurrences: row.occurrences_at_decision,
            revision: row.revision,
            effective_from: row.effective_from,
        });
        views.push(SuggestionView {
            id: row.id,
            pattern_id: row.pattern_id,
            pattern_title: pattern.title.clone(),
            pattern_explanation: pattern.explanation.clone(),
            pattern_status: PatternStatus::from_slug(&pattern.status).unwrap_or(PatternStatus::New),
            pattern_occurrences: pattern.occurrences,
            pattern_units: pattern.unit_count,
            guideline: guideline.slug.clone(),
            guideline_title: guideline.title.clone(),
            section: (!row.anchor.is_empty()).then(|| row.anchor.clone()),
            section_number: in_force.map(|s| s.position),
            current_text: in_force.map(|s| s.markdown.clone()),
            current_heading: in_force.map(|s| s.heading.clone()),
            kind: SuggestionKind::from_slug(&row.kind).unwrap_or(SuggestionKind::Add),
            heading: row.heading,
            reason: row.reason,
            proposed_text: row.proposed_text,
            quoted: serde_json::from_str(&row.quoted).unwrap_or_default(),
            score: row.score,
            status,
            deferred_until: row
                .deferred_until
                .filter(|_| status == SuggestionStatus::Deferred),
            decided,
            round: row.round,
            drafted_on: row.drafted_on,
        });
    }
    Ok(views)
}
