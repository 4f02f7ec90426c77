//! Changing a guideline: creating one, and adding, editing, moving and retiring its sections.
//!
//! Each change is one revision, written by [`super::store`] in one transaction with its
//! evidence, its audit entry and the outbox rows that tell the search index. A change that
//! changes nothing makes no revision.

use entities::guideline_section;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DatabaseTransaction, TransactionTrait,
};

use super::{
    anchors,
    fields::{GuidelineFields, MAX_HEADING, clean_markdown, single_line},
    note::{self, ChangeNote},
    store::{self, ChangeKind, Writing},
};
use crate::{
    error::{AppError, Result},
    services::outbox,
    today,
};

/// A new guideline as a person describes it.
#[derive(Clone, Debug, Default)]
pub struct NewGuideline {
    /// Made from the title when absent.
    pub slug: Option<String>,
    pub title: String,
    pub summary: String,
    /// Who in the organisation answers for it, in words; may be blank.
    pub owner_role: String,
}

/// A section's new text. The heading is required for a new section and optional otherwise.
#[derive(Clone, Debug, Default)]
pub struct SectionEdit {
    pub heading: Option<String>,
    pub markdown: String,
}

/// What a change did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub slug: String,
    /// The guideline's latest revision after the call: the new one, or the current one when
    /// nothing changed.
    pub revision: i32,
    /// Whether a revision was made.
    pub changed: bool,
    /// Whether the call created the guideline or the section.
    pub created: bool,
}

/// Creates a guideline with no sections yet: revision 1.
pub async fn create_guideline(
    db: &DatabaseConnection,
    author: &str,
    new: &NewGuideline,
    note: &ChangeNote,
) -> Result<Outcome> {
    let fields = GuidelineFields::validate(new)?;
    let note = note::validate(note)?;
    let w = store::create(db, fields).await?;
    outbox::record_guideline_change(&w.tx, &w.guideline.slug).await?;
    let slug = w.guideline.slug.clone();
    let revision = store::finish(w, author, ChangeKind::Create, None, &note).await?;
    Ok(Outcome {
        slug,
        revision,
        changed: true,
        created: true,
    })
}

/// Sets a section's text (and heading, when given). An anchor the guideline does not hold
/// yet adds a section at the end, and then the heading is required. A retired section cannot
/// be edited: its anchor answers with its retirement.
pub async fn put_section(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    author: &str,
    slug: &str,
    anchor: &str,
    edit: &SectionEdit,
    note: &ChangeNote,
) -> Result<Outcome> {
    write_section(db, author, slug, anchor, edit, note, Placing::AddOrEdit).await
}

/// Adds a section at the end, its anchor made from its heading. A heading whose anchor
/// another section holds (in force or retired) is refused, in the same transaction as the
/// write: two people adding the same heading at once get one section and one refusal, never
/// an edit of the first by the second.
pub async fn add_section(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    author: &str,
    slug: &str,
    edit: &SectionEdit,
    note: &ChangeNote,
) -> Result<(Outcome, String)> {
    let heading = edit
        .heading
        .as_deref()
        .ok_or_else(|| AppError::invalid("heading", "is required for a new section"))?;
    let anchor = anchors::slug_of(heading);
    if anchor.is_empty() {
        return Err(AppError::invalid(
            "heading",
            "needs at least one letter or digit, to make the section's address",
        ));
    }
    let outcome = write_section(db, author, slug, &anchor, edit, note, Placing::AddOnly).await?;
    Ok((outcome, anchor))
}

/// Whether a section write may change a section that exists, or only add one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Placing {
    AddOrEdit,
    AddOnly,
}

async fn write_section(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    author: &str,
    slug: &str,
    anchor: &str,
    edit: &SectionEdit,
    note: &ChangeNote,
    placing: Placing,
) -> Result<Outcome> {
    let anchor = anchors::validate("anchor", anchor)?;
    let heading = edit
        .heading
        .as_deref()
        .map(|h| single_line("heading", h, MAX_HEADING))
        .transpose()?;
    let markdown = clean_markdown("markdown", &edit.markdown)?;
    let note = note::validate(note)?;
    let w = store::begin(db, slug).await?;
    let all = store::sections(&w.tx, w.guideline.id).await?;
    let (change, created) = match all.iter().find(|s| s.anchor == anchor) {
        None => {
            let heading = heading
                .ok_or_else(|| AppError::invalid("heading", "is required for a new section"))?;
            let section = guideline_section::ActiveModel {
                guideline_id: Set(w.guideline.id),
                anchor: Set(anchor.clone()),
                heading: Set(heading),
                markdown: Set(markdown),
                position: Set(i32::try_from(all.len() + 1).unwrap_or(i32::MAX)),
                ..Default::default()
            }
            .insert(&w.tx)
            .await?;
            let mut order: Vec<i32> = current_ids(&all);
            order.push(section.id);
            store::renumber(&w, &order).await?;
            (ChangeKind::Add, true)
        }
        Some(_) if placing == Placing::AddOnly => {
            return Err(AppError::invalid(
                "heading",
                format!(
                    "makes the address #{anchor}, which another section has: word it differently"
                ),
            ));
        }
        Some(section) if section.retired_on.is_some() => return Err(retired(section)),
        Some(section) => {
            let heading = heading.unwrap_or_else(|| section.heading.clone());
            if heading == section.heading && markdown == section.markdown {
                return unchanged(w).await;
            }
            let mut active: guideline_section::ActiveModel = section.clone().into();
            active.heading = Set(heading);
            active.markdown = Set(markdown);
            active.update(&w.tx).await?;
            (ChangeKind::Edit, false)
        }
    };
    finish_section(w, author, change, &anchor, &note, created).await
}

/// Moves a section in force to `position` (from 1) among the sections in force.
pub async fn move_section(
    db: &DatabaseConnection,
    author: &str,
    slug: &str,
    anchor: &str,
    position: usize,
    note: &ChangeNote,
) -> Result<Outcome> {
    let note = note::validate(note)?;
    let w = store::begin(db, slug).await?;
    let all = store::sections(&w.tx, w.guideline.id).await?;
    let section = current_section(&all, anchor)?;
    let mut order = current_ids(&all);
    if position == 0 || position > order.len() {
        return Err(AppError::invalid(
            "position",
            format!(
                "must be from 1 to {}, the number of sections in force",
                order.len()
            ),
        ));
    }
    let from = order.iter().position(|id| *id == section.id).unwrap_or(0);
    if from + 1 == position {
        return unchanged(w).await;
    }
    let id = order.remove(from);
    order.insert(position - 1, id);
    store::renumber(&w, &order).await?;
    let anchor = section.anchor.clone();
    finish_section(w, author, ChangeKind::Move, &anchor, &note, false).await
}

/// Retires a section in force, optionally naming the section in force that replaces it. Its
/// text stays in the history and its anchor answers "retired on …, replaced by …".
pub async fn retire_section(
    db: &DatabaseConnection,
    author: &str,
    slug: &str,
    anchor: &str,
    replaced_by: Option<&str>,
    note: &ChangeNote,
) -> Result<Outcome> {
    let replaced_by = replaced_by
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| anchors::validate("replaced_by", r))
        .transpose()?;
    let note = note::validate(note)?;
    let w = store::begin(db, slug).await?;
    let all = store::sections(&w.tx, w.guideline.id).await?;
    let section = current_section(&all, anchor)?;
    if let Some(replacement) = &replaced_by {
        let in_force = all
            .iter()
            .any(|s| &s.anchor == replacement && s.retired_on.is_none());
        if replacement == &section.anchor || !in_force {
            return Err(AppError::invalid(
                "replaced_by",
                format!("'{replacement}' is not another section in force of this guideline"),
            ));
        }
    }
    let anchor = section.anchor.clone();
    let mut active: guideline_section::ActiveModel = section.clone().into();
    active.retired_on = Set(Some(today()));
    active.replaced_by = Set(replaced_by);
    active.update(&w.tx).await?;
    let order: Vec<i32> = current_ids(&all)
        .into_iter()
        .filter(|id| *id != section.id)
        .collect();
    store::renumber(&w, &order).await?;
    finish_section(w, author, ChangeKind::Retire, &anchor, &note, false).await
}

async fn finish_section(
    w: Writing,
    author: &str,
    change: ChangeKind,
    anchor: &str,
    note: &note::Note,
    created: bool,
) -> Result<Outcome> {
    outbox::record_section_change(&w.tx, &w.guideline.slug, anchor).await?;
    let slug = w.guideline.slug.clone();
    let revision = store::finish(w, author, change, Some(anchor), note).await?;
    Ok(Outcome {
        slug,
        revision,
        changed: true,
        created,
    })
}

/// Nothing to change: rolling back gives the revision number taken back.
pub(super) async fn unchanged(w: Writing) -> Result<Outcome> {
    let outcome = Outcome {
        slug: w.guideline.slug.clone(),
        revision: w.guideline.revision - 1,
        changed: false,
        created: false,
    };
    w.tx.rollback().await?;
    Ok(outcome)
}

pub(super) fn current_ids(all: &[guideline_section::Model]) -> Vec<i32> {
    all.iter()
        .filter(|s| s.retired_on.is_none())
        .map(|s| s.id)
        .collect()
}

fn current_section<'a>(
    all: &'a [guideline_section::Model],
    anchor: &str,
) -> Result<&'a guideline_section::Model> {
    match all.iter().find(|s| s.anchor == anchor) {
        None => Err(AppError::NotFound("section")),
        Some(section) if section.retired_on.is_some() => Err(retired(section)),
        Some(section) => Ok(section),
    }
}

fn retired(section: &guideline_section::Model) -> AppError {
    let when = section
        .retired_on
        .map(|d| d.to_string())
        .unwrap_or_default();
    AppError::Conflict(match &section.replaced_by {
        Some(by) => format!(
            "the section '{}' was retired on {when}, replaced by '{by}'",
            section.anchor
        ),
        None => format!("the section '{}' was retired on {when}", section.anchor),
    })
}
