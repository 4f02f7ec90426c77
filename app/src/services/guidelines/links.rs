//! Lessons linked to sections: moderators link a published lesson to the sections it
//! concerns; a section lists its lessons ("why this rule exists") and a lesson its guidance.

use std::collections::HashMap;

use entities::{guideline, guideline_lesson, guideline_section, publication, report};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, sea_query::OnConflict,
};
use time::Date;

use super::anchors;
use crate::{
    codes::ReportRef,
    error::{AppError, Result},
    services::{
        accounts::Account,
        audit::{self, AuditAction},
    },
    today,
    vocabulary::Status,
};

/// A section named across guidelines: `email#bcc-for-external-lists`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SectionRef {
    pub guideline: String,
    pub anchor: String,
}

impl SectionRef {
    /// Reads `slug#anchor` given in `field`.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let (guideline, anchor) = text.trim().split_once('#').ok_or_else(|| {
            AppError::invalid(
                field,
                format!(
                    "'{}' does not name a section: write guideline#anchor",
                    text.trim()
                ),
            )
        })?;
        Ok(Self {
            guideline: anchors::validate(field, guideline)?,
            anchor: anchors::validate(field, anchor)?,
        })
    }
}

impl std::fmt::Display for SectionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.guideline, self.anchor)
    }
}

/// A lesson linked to a section.
#[derive(Clone, Debug)]
pub struct LinkedLesson {
    pub report_ref: String,
    pub title: String,
    pub linked_on: Date,
}

/// The lessons of a section, newest link first, and how many there are.
#[derive(Clone, Debug)]
pub struct SectionLessons {
    pub total: usize,
    pub lessons: Vec<LinkedLesson>,
}

/// A section that applies to a lesson.
#[derive(Clone, Debug)]
pub struct Guidance {
    pub guideline: String,
    pub guideline_title: String,
    pub anchor: String,
    pub heading: String,
    pub retired_on: Option<Date>,
    pub replaced_by: Option<String>,
}

/// Links a published lesson to sections in force; sections already linked stay as they are.
/// Returns how many links are new. Audited as the moderator's action.
pub async fn link(
    db: &DatabaseConnection,
    actor: &Account,
    lesson: &ReportRef,
    sections: &[SectionRef],
) -> Result<usize> {
    if sections.is_empty() {
        return Err(AppError::invalid("sections", "name at least one section"));
    }
    let tx = crate::db::begin_write(db).await?;
    published(&tx, lesson).await?;
    let mut ids = Vec::new();
    for section in sections {
        let found = section_of(&tx, section)
            .await?
            .ok_or_else(|| unknown(section))?;
        if found.retired_on.is_some() {
            return Err(AppError::invalid(
                "sections",
                format!("'{section}' is retired; link the lesson to a section in force"),
            ));
        }
        if !ids.contains(&found.id) {
            ids.push(found.id);
        }
    }
    // Two moderators linking the same lesson at once: the second link is simply not new.
    let added =
        guideline_lesson::Entity::insert_many(ids.iter().map(|id| guideline_lesson::ActiveModel {
            report_id: Set(lesson.to_string()),
            section_id: Set(*id),
            linked_by: Set(actor.name.clone()),
            linked_on: Set(today()),
            ..Default::default()
        }))
        .on_conflict(
            OnConflict::columns([
                guideline_lesson::Column::ReportId,
                guideline_lesson::Column::SectionId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&tx)
        .await?;
    let named: Vec<String> = sections.iter().map(ToString::to_string).collect();
    audit::record(
        &tx,
        actor,
        AuditAction::GuidelineLink,
        Some(lesson.as_str()),
        named.join(", "),
    )
    .await?;
    tx.commit().await?;
    Ok(usize::try_from(added).unwrap_or(usize::MAX))
}

/// Removes the link of a lesson to a section; whether there was one.
pub async fn unlink(
    db: &DatabaseConnection,
    actor: &Account,
    lesson: &ReportRef,
    section: &SectionRef,
) -> Result<bool> {
    let tx = crate::db::begin_write(db).await?;
    let found = section_of(&tx, section)
        .await?
        .ok_or(AppError::NotFound("section"))?;
    let removed = guideline_lesson::Entity::delete_many()
        .filter(guideline_lesson::Column::ReportId.eq(lesson.as_str()))
        .filter(guideline_lesson::Column::SectionId.eq(found.id))
        .exec(&tx)
        .await?
        .rows_affected;
    if removed == 0 {
        return Ok(false);
    }
    audit::record(
        &tx,
        actor,
        AuditAction::GuidelineUnlink,
        Some(lesson.as_str()),
        section.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The published lessons linked to a section (in force or retired), newest link first.
pub async fn lessons_of(db: &DatabaseConnection, section: &SectionRef) -> Result<SectionLessons> {
    let found = section_of(db, section)
        .await?
        .ok_or(AppError::NotFound("section"))?;
    let links = links_of(db, &[found.id]).await?;
    let titles = titles(db, links.iter().map(|l| l.report_id.clone()).collect()).await?;
    let lessons: Vec<LinkedLesson> = links
        .into_iter()
        .filter_map(|l| {
            titles.get(&l.report_id).map(|title| LinkedLesson {
                title: title.clone(),
                report_ref: l.report_id,
                linked_on: l.linked_on,
            })
        })
        .collect();
    Ok(SectionLessons {
        total: lessons.len(),
        lessons,
    })
}

/// The sections linked to a published lesson, by guideline title and then in order; 404 for
/// a lesson that is not published.
pub async fn guidance_of(db: &DatabaseConnection, lesson: &ReportRef) -> Result<Vec<Guidance>> {
    published(db, lesson).await?;
    let links = guideline_lesson::Entity::find()
        .filter(guideline_lesson::Column::ReportId.eq(lesson.as_str()))
        .all(db)
        .await?;
    let sections = guideline_section::Entity::find()
        .filter(guideline_section::Column::Id.is_in(links.iter().map(|l| l.section_id)))
        .all(db)
        .await?;
    let guidelines: HashMap<i32, guideline::Model> = guideline::Entity::find()
        .filter(guideline::Column::Id.is_in(sections.iter().map(|s| s.guideline_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut guidance: Vec<(String, i32, Guidance)> = sections
        .into_iter()
        .filter_map(|s| {
            let g = guidelines.get(&s.guideline_id)?;
            Some((
                g.title.clone(),
                s.position,
                Guidance {
                    guideline: g.slug.clone(),
                    guideline_title: g.title.clone(),
                    anchor: s.anchor,
                    heading: s.heading,
                    retired_on: s.retired_on,
                    replaced_by: s.replaced_by,
                },
            ))
        })
        .collect();
    guidance.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    Ok(guidance.into_iter().map(|(_, _, g)| g).collect())
}

/// The refs of the published lessons linked to each section of a guideline, newest first.
pub(super) async fn lessons_by_section(
    db: &DatabaseConnection,
    guideline_id: i32,
) -> Result<HashMap<i32, Vec<String>>> {
    let ids: Vec<i32> = super::store::sections(db, guideline_id)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    let links = links_of(db, &ids).await?;
    let titles = titles(db, links.iter().map(|l| l.report_id.clone()).collect()).await?;
    let mut by_section: HashMap<i32, Vec<String>> = HashMap::new();
    for link in links
        .into_iter()
        .filter(|l| titles.contains_key(&l.report_id))
    {
        by_section
            .entry(link.section_id)
            .or_default()
            .push(link.report_id);
    }
    Ok(by_section)
}

async fn links_of(
    db: &impl ConnectionTrait,
    section_ids: &[i32],
) -> Result<Vec<guideline_lesson::Model>> {
    Ok(guideline_lesson::Entity::find()
        .filter(guideline_lesson::Column::SectionId.is_in(section_ids.iter().copied()))
        .order_by_desc(guideline_lesson::Column::LinkedOn)
        .order_by_desc(guideline_lesson::Column::Id)
        .all(db)
        .await?)
}

/// The published titles of those of `refs` that are published lessons.
async fn titles(db: &impl ConnectionTrait, refs: Vec<String>) -> Result<HashMap<String, String>> {
    if refs.is_empty() {
        return Ok(HashMap::new());
    }
    let published: Vec<String> = report::Entity::find()
        .filter(report::Column::Id.is_in(refs))
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    Ok(publication::Entity::find()
        .filter(publication::Column::ReportId.is_in(published))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.report_id, p.title))
        .collect())
}

async fn published(db: &impl ConnectionTrait, lesson: &ReportRef) -> Result<()> {
    report::Entity::find_by_id(lesson.to_string())
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .one(db)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound("report"))
}

async fn section_of(
    db: &impl ConnectionTrait,
    section: &SectionRef,
) -> Result<Option<guideline_section::Model>> {
    let Some(g) = guideline::Entity::find()
        .filter(guideline::Column::Slug.eq(section.guideline.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(guideline_section::Entity::find()
        .filter(guideline_section::Column::GuidelineId.eq(g.id))
        .filter(guideline_section::Column::Anchor.eq(section.anchor.as_str()))
        .one(db)
        .await?)
}

fn unknown(section: &SectionRef) -> AppError {
    AppError::invalid("sections", format!("there is no section '{section}'"))
}
