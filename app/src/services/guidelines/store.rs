//! The one way a change of a guideline is written: begin, change the sections, finish with a
//! numbered revision, its evidence and its audit entry, all in one transaction.

use entities::{guideline, guideline_evidence, guideline_revision, guideline_section};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    SqlErr, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use time::{OffsetDateTime, PrimitiveDateTime};

use super::{
    fields::GuidelineFields,
    note::Note,
    snapshot::{Snapshot, SnapshotSection},
};
use crate::{
    error::{AppError, Result},
    services::audit::{self, AuditAction},
    vocabulary::vocabulary,
};

vocabulary! {
    /// What one revision did.
    ChangeKind {
        Create => ("create", "Guideline created"),
        Add => ("add", "Section added"),
        Edit => ("edit", "Section edited"),
        Move => ("move", "Section moved"),
        Retire => ("retire", "Section retired"),
        Import => ("import", "Imported from a file"),
    }
}

/// A change under way: the transaction, and the guideline with its revision number already
/// taken.
pub(super) struct Writing {
    pub tx: DatabaseTransaction,
    pub guideline: guideline::Model,
}

/// Begins a change of the guideline `slug` by taking the next revision number. The update
/// comes first on purpose: it locks the guideline's row until commit, so a concurrent change
/// of the same guideline waits here and then takes the number after this one.
pub(super) async fn begin(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    slug: &str,
) -> Result<Writing> {
    let tx = crate::db::begin_write(db).await?;
    let taken = guideline::Entity::update_many()
        .col_expr(
            guideline::Column::Revision,
            Expr::col(guideline::Column::Revision).add(1),
        )
        .filter(guideline::Column::Slug.eq(slug))
        .exec(&tx)
        .await?;
    if taken.rows_affected == 0 {
        return Err(AppError::NotFound("guideline"));
    }
    let guideline = guideline::Entity::find()
        .filter(guideline::Column::Slug.eq(slug))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound("guideline"))?;
    Ok(Writing { tx, guideline })
}

/// Begins the change that creates a guideline: its row, at revision 1. A slug already taken,
/// even by a guideline created a moment ago by someone else, is a field error.
pub(super) async fn create(db: &DatabaseConnection, fields: GuidelineFields) -> Result<Writing> {
    let tx = crate::db::begin_write(db).await?;
    let slug = fields.slug.clone();
    let inserted = guideline::ActiveModel {
        slug: Set(fields.slug),
        title: Set(fields.title),
        summary: Set(fields.summary),
        owner_role: Set(fields.owner_role),
        revision: Set(1),
        ..Default::default()
    }
    .insert(&tx)
    .await;
    match inserted {
        Ok(guideline) => Ok(Writing { tx, guideline }),
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Err(
            AppError::invalid("slug", format!("a guideline '{slug}' already exists")),
        ),
        Err(error) => Err(error.into()),
    }
}

/// Every section of a guideline in order, retired ones included.
pub(super) async fn sections(
    db: &impl sea_orm::ConnectionTrait,
    guideline_id: i32,
) -> Result<Vec<guideline_section::Model>> {
    Ok(guideline_section::Entity::find()
        .filter(guideline_section::Column::GuidelineId.eq(guideline_id))
        .order_by_asc(guideline_section::Column::Position)
        .order_by_asc(guideline_section::Column::Id)
        .all(db)
        .await?)
}

/// Numbers the sections in force 1, 2, … in the order of `current` (ids), and the retired
/// ones after them in their existing order; only rows whose place changes are written.
pub(super) async fn renumber(w: &Writing, current: &[i32]) -> Result<()> {
    let all = sections(&w.tx, w.guideline.id).await?;
    let retired = all
        .iter()
        .filter(|s| s.retired_on.is_some() && !current.contains(&s.id))
        .map(|s| s.id);
    for (place, id) in current.iter().copied().chain(retired).enumerate() {
        let position = i32::try_from(place + 1)
            .map_err(|_| AppError::Internal("too many sections".to_owned()))?;
        if let Some(section) = all.iter().find(|s| s.id == id && s.position != position) {
            let mut active: guideline_section::ActiveModel = section.clone().into();
            active.position = Set(position);
            active.update(&w.tx).await?;
        }
    }
    Ok(())
}

/// The guideline as the transaction sees it now.
pub(super) async fn snapshot(w: &Writing) -> Result<Snapshot> {
    let sections = sections(&w.tx, w.guideline.id).await?;
    Ok(Snapshot {
        title: w.guideline.title.clone(),
        summary: w.guideline.summary.clone(),
        owner_role: w.guideline.owner_role.clone(),
        sections: sections
            .into_iter()
            .map(|s| SnapshotSection {
                anchor: s.anchor,
                heading: s.heading,
                markdown: s.markdown,
                retired_on: s.retired_on.map(|d| d.to_string()),
                replaced_by: s.replaced_by,
            })
            .collect(),
    })
}

/// Ends the change: stores the revision with the guideline as it now stands, its evidence
/// (checked to be published lessons) and the audit entry, then commits. Returns the number.
pub(super) async fn finish(
    w: Writing,
    author: &str,
    change: ChangeKind,
    anchor: Option<&str>,
    note: &Note,
) -> Result<i32> {
    super::note::verify(&w.tx, note).await?;
    let snapshot = snapshot(&w).await?;
    let now = OffsetDateTime::now_utc();
    let number = w.guideline.revision;
    let revision = guideline_revision::ActiveModel {
        guideline_id: Set(w.guideline.id),
        number: Set(number),
        author: Set(author.to_owned()),
        changed_on: Set(PrimitiveDateTime::new(now.date(), now.time())),
        effective_from: Set(note.effective_from),
        rationale: Set(note.rationale.clone()),
        change: Set(change.slug().to_owned()),
        anchor: Set(anchor.map(str::to_owned)),
        snapshot: Set(snapshot.to_json()?),
        ..Default::default()
    }
    .insert(&w.tx)
    .await?;
    if !note.evidence.is_empty() {
        guideline_evidence::Entity::insert_many(note.evidence.iter().map(|e| {
            guideline_evidence::ActiveModel {
                revision_id: Set(revision.id),
                kind: Set(e.kind.slug().to_owned()),
                key: Set(e.key.clone()),
                ..Default::default()
            }
        }))
        .exec_without_returning(&w.tx)
        .await?;
    }
    let action = match change {
        ChangeKind::Create => AuditAction::GuidelineCreate,
        ChangeKind::Import => AuditAction::GuidelineImport,
        _ => AuditAction::GuidelineRevise,
    };
    // The anchor goes in the detail: with the slug it could overflow the target column.
    let detail = match anchor {
        Some(anchor) => format!("revision {number}: {} ({anchor})", change.label()),
        None => format!("revision {number}: {}", change.label()),
    };
    audit::record_as(&w.tx, author, action, Some(&w.guideline.slug), detail).await?;
    w.tx.commit().await?;
    Ok(number)
}
