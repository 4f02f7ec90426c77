//! Reading guidelines as they stand: the list, one guideline with its sections in force and
//! the lessons linked to each, and one section by anchor, retired or not.

use std::collections::HashMap;

use entities::{guideline, guideline_revision};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use time::Date;

use super::{fields::find, links, markdown, store};
use crate::error::{AppError, Result};

/// A guideline in the list.
#[derive(Clone, Debug)]
pub struct GuidelineSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub owner_role: String,
    pub revision: i32,
    /// How many sections are in force.
    pub sections: usize,
}

/// A guideline as it stands.
#[derive(Clone, Debug)]
pub struct GuidelineView {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub owner_role: String,
    pub revision: i32,
    /// When the latest revision took effect.
    pub effective_from: Option<Date>,
    /// The sections in force, in order.
    pub sections: Vec<SectionView>,
    /// Sections retired, in their last order: their anchors still answer.
    pub retired: Vec<SectionView>,
}

/// One section, with its rendered text and the lessons linked to it.
#[derive(Clone, Debug)]
pub struct SectionView {
    pub anchor: String,
    pub heading: String,
    pub markdown: String,
    /// Sanitised HTML, safe to put in a page as it is.
    pub html: String,
    /// Its place among the sections in force, from 1; 0 once retired.
    pub position: usize,
    pub retired_on: Option<Date>,
    pub replaced_by: Option<String>,
    /// Refs of the published lessons linked to it, newest link first.
    pub lessons: Vec<String>,
}

impl SectionView {
    pub fn is_retired(&self) -> bool {
        self.retired_on.is_some()
    }
}

/// Every guideline, by title.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<GuidelineSummary>> {
    let guidelines = guideline::Entity::find()
        .order_by_asc(guideline::Column::Title)
        .all(db)
        .await?;
    let mut listed = Vec::with_capacity(guidelines.len());
    for g in guidelines {
        let sections = store::sections(db, g.id)
            .await?
            .iter()
            .filter(|s| s.retired_on.is_none())
            .count();
        listed.push(GuidelineSummary {
            slug: g.slug,
            title: g.title,
            summary: g.summary,
            owner_role: g.owner_role,
            revision: g.revision,
            sections,
        });
    }
    Ok(listed)
}

/// One guideline as it stands; 404 for an unknown slug.
pub async fn get(db: &DatabaseConnection, slug: &str) -> Result<GuidelineView> {
    let g = find(db, slug).await?;
    let effective_from = guideline_revision::Entity::find()
        .filter(guideline_revision::Column::GuidelineId.eq(g.id))
        .filter(guideline_revision::Column::Number.eq(g.revision))
        .one(db)
        .await?
        .map(|r| r.effective_from);
    let mut lessons = links::lessons_by_section(db, g.id).await?;
    let (mut sections, mut retired) = (Vec::new(), Vec::new());
    for s in store::sections(db, g.id).await? {
        let view = SectionView {
            html: markdown::render(&s.markdown),
            position: if s.retired_on.is_none() {
                sections.len() + 1
            } else {
                0
            },
            lessons: lessons.remove(&s.id).unwrap_or_default(),
            anchor: s.anchor,
            heading: s.heading,
            markdown: s.markdown,
            retired_on: s.retired_on,
            replaced_by: s.replaced_by,
        };
        if view.is_retired() {
            retired.push(view);
        } else {
            sections.push(view);
        }
    }
    Ok(GuidelineView {
        slug: g.slug,
        title: g.title,
        summary: g.summary,
        owner_role: g.owner_role,
        revision: g.revision,
        effective_from,
        sections,
        retired,
    })
}

/// One section, in force or retired (see [`SectionView::retired_on`]); 404 for an unknown
/// guideline or anchor.
pub async fn section(db: &DatabaseConnection, slug: &str, anchor: &str) -> Result<SectionView> {
    let view = get(db, slug).await?;
    view.sections
        .into_iter()
        .chain(view.retired)
        .find(|s| s.anchor == anchor)
        .ok_or(AppError::NotFound("section"))
}

/// The guidelines these slugs name, by id; a slug that names none is left out.
pub async fn by_slugs(
    db: &DatabaseConnection,
    slugs: Vec<String>,
) -> Result<HashMap<i32, guideline::Model>> {
    Ok(guideline::Entity::find()
        .filter(guideline::Column::Slug.is_in(slugs))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect())
}

/// How many guidelines there are.
pub async fn count(db: &DatabaseConnection) -> Result<u64> {
    Ok(guideline::Entity::find().count(db).await?)
}
