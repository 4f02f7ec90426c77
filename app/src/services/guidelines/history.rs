//! A guideline's history: its revisions, any one of them as it stood, and the differences
//! between any two.

use entities::{guideline_evidence, guideline_revision};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use time::{Date, PrimitiveDateTime};

use super::{
    diff::{GuidelineDiff, compare},
    fields::find,
    note::{Evidence, EvidenceKind},
    snapshot::Snapshot,
    store::ChangeKind,
};
use crate::error::{AppError, Result};

/// One revision: who, when, why, from when, on what evidence.
#[derive(Clone, Debug)]
pub struct RevisionSummary {
    pub number: i32,
    pub author: String,
    /// UTC.
    pub changed_on: PrimitiveDateTime,
    pub effective_from: Date,
    pub rationale: String,
    pub change: ChangeKind,
    /// The section concerned, when the change concerns one.
    pub anchor: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// One revision with the guideline as it then stood and what it changed from the one before.
#[derive(Clone, Debug)]
pub struct RevisionDetail {
    pub slug: String,
    pub revision: RevisionSummary,
    pub snapshot: Snapshot,
    /// Against the revision before (against nothing for the first).
    pub diff: GuidelineDiff,
}

/// Two revisions compared.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub slug: String,
    pub from: RevisionSummary,
    pub to: RevisionSummary,
    pub diff: GuidelineDiff,
}

/// Every revision of a guideline, newest first.
pub async fn revisions(db: &DatabaseConnection, slug: &str) -> Result<Vec<RevisionSummary>> {
    let g = find(db, slug).await?;
    let rows = guideline_revision::Entity::find()
        .filter(guideline_revision::Column::GuidelineId.eq(g.id))
        .order_by_desc(guideline_revision::Column::Number)
        .all(db)
        .await?;
    let evidence = guideline_evidence::Entity::find()
        .filter(guideline_evidence::Column::RevisionId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(guideline_evidence::Column::Id)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let id = row.id;
            let cited = evidence.iter().filter(move |e| e.revision_id == id);
            summary(row, cited)
        })
        .collect()
}

/// Revision `number` of a guideline, with its differences from the one before; 404 when the
/// guideline or the revision does not exist.
pub async fn revision(db: &DatabaseConnection, slug: &str, number: i32) -> Result<RevisionDetail> {
    let (summary, snapshot) = load(db, slug, number).await?;
    let before = if number > 1 {
        load(db, slug, number - 1).await?.1
    } else {
        Snapshot::default()
    };
    Ok(RevisionDetail {
        slug: slug.to_owned(),
        diff: compare(&before, &snapshot),
        revision: summary,
        snapshot,
    })
}

/// What changed from revision `from` to revision `to` (either order).
pub async fn compare_revisions(
    db: &DatabaseConnection,
    slug: &str,
    from: i32,
    to: i32,
) -> Result<Comparison> {
    let (from, old) = load(db, slug, from).await?;
    let (to, new) = load(db, slug, to).await?;
    Ok(Comparison {
        slug: slug.to_owned(),
        diff: compare(&old, &new),
        from,
        to,
    })
}

async fn load(
    db: &DatabaseConnection,
    slug: &str,
    number: i32,
) -> Result<(RevisionSummary, Snapshot)> {
    let g = find(db, slug).await?;
    let row = guideline_revision::Entity::find()
        .filter(guideline_revision::Column::GuidelineId.eq(g.id))
        .filter(guideline_revision::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("revision"))?;
    let evidence = guideline_evidence::Entity::find()
        .filter(guideline_evidence::Column::RevisionId.eq(row.id))
        .order_by_asc(guideline_evidence::Column::Id)
        .all(db)
        .await?;
    let snapshot = Snapshot::from_json(&row.snapshot)?;
    Ok((summary(row, evidence.iter())?, snapshot))
}

fn summary<'a>(
    row: guideline_revision::Model,
    evidence: impl Iterator<Item = &'a guideline_evidence::Model>,
) -> Result<RevisionSummary> {
    let change = ChangeKind::from_slug(&row.change)
        .ok_or_else(|| AppError::Internal(format!("revision {} has an unknown change", row.id)))?;
    Ok(RevisionSummary {
        number: row.number,
        author: row.author,
        changed_on: row.changed_on,
        effective_from: row.effective_from,
        rationale: row.rationale,
        change,
        anchor: row.anchor,
        // A kind written by a newer version is left out rather than misread.
        evidence: evidence
            .filter_map(|e| {
                EvidenceKind::from_slug(&e.kind).map(|kind| Evidence {
                    kind,
                    key: e.key.clone(),
                })
            })
            .collect(),
    })
}
