//! Importing a guideline file into the database, and exporting one back to a file.
//!
//! Importing the file a guideline was exported to changes nothing; a changed file makes one
//! revision holding every change: sections added, edited, moved, retired (those no longer in
//! the file) or restored (a retired anchor back in the file).

use entities::{guideline, guideline_section};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};

use super::{
    fields::{GuidelineFields, clean_markdown, find},
    file::{self, FileSection, GuidelineFile},
    note::{self, ChangeNote},
    revisions::{NewGuideline, Outcome},
    store::{self, ChangeKind, Writing},
};
use crate::{
    error::{AppError, Result},
    services::outbox,
    today,
};

/// The author that revisions made by an import are recorded under: a file has no account.
pub const IMPORT_AUTHOR: &str = "import";

/// Imports a guideline file as the guideline `slug` — given, else the title's `{#slug}`, else
/// made from the title. Creates the guideline when it does not exist.
pub async fn import_markdown(
    db: &DatabaseConnection,
    author: &str,
    text: &str,
    slug: Option<&str>,
    note: &ChangeNote,
) -> Result<Outcome> {
    let parsed = file::parse(text)?;
    let fields = GuidelineFields::validate(&NewGuideline {
        slug: slug.map(str::to_owned).or_else(|| parsed.slug.clone()),
        title: parsed.title.clone(),
        summary: parsed.summary.clone(),
        owner_role: parsed.owner_role.clone(),
    })?;
    for section in &parsed.sections {
        clean_markdown(&format!("line {}", section.line), &section.markdown)?;
    }
    let note = note::validate(note)?;
    match store::begin(db, &fields.slug).await {
        Ok(w) => update(w, author, &fields, &parsed.sections, &note).await,
        Err(AppError::NotFound(_)) => create(db, author, fields, &parsed.sections, &note).await,
        Err(error) => Err(error),
    }
}

/// The guideline as a file, which [`import_markdown`] reads back unchanged.
pub async fn export_markdown(db: &DatabaseConnection, slug: &str) -> Result<String> {
    let g = find(db, slug).await?;
    let sections = store::sections(db, g.id)
        .await?
        .into_iter()
        .filter(|s| s.retired_on.is_none())
        .map(|s| FileSection {
            anchor: s.anchor,
            heading: s.heading,
            markdown: s.markdown,
            line: 0,
        })
        .collect();
    Ok(file::render(&GuidelineFile {
        slug: Some(g.slug),
        title: g.title,
        owner_role: g.owner_role,
        summary: g.summary,
        sections,
    }))
}

async fn create(
    db: &DatabaseConnection,
    author: &str,
    fields: GuidelineFields,
    sections: &[FileSection],
    note: &note::Note,
) -> Result<Outcome> {
    let w = store::create(db, fields).await?;
    for (place, section) in sections.iter().enumerate() {
        insert(&w, section, place).await?;
    }
    finish(w, author, note, true).await
}

async fn update(
    mut w: Writing,
    author: &str,
    fields: &GuidelineFields,
    sections: &[FileSection],
    note: &note::Note,
) -> Result<Outcome> {
    let mut changed = false;
    let g = &w.guideline;
    if (g.title.as_str(), g.summary.as_str(), g.owner_role.as_str())
        != (
            fields.title.as_str(),
            fields.summary.as_str(),
            fields.owner_role.as_str(),
        )
    {
        let mut active: guideline::ActiveModel = g.clone().into();
        active.title = Set(fields.title.clone());
        active.summary = Set(fields.summary.clone());
        active.owner_role = Set(fields.owner_role.clone());
        w.guideline = active.update(&w.tx).await?;
        changed = true;
    }
    let all = store::sections(&w.tx, w.guideline.id).await?;
    let mut order = Vec::with_capacity(sections.len());
    for (place, section) in sections.iter().enumerate() {
        match all.iter().find(|s| s.anchor == section.anchor) {
            None => {
                order.push(insert(&w, section, all.len() + place).await?);
                changed = true;
            }
            Some(existing) => {
                let same = existing.heading == section.heading
                    && existing.markdown == section.markdown
                    && existing.retired_on.is_none();
                if !same {
                    let mut active: guideline_section::ActiveModel = existing.clone().into();
                    active.heading = Set(section.heading.clone());
                    active.markdown = Set(section.markdown.clone());
                    active.retired_on = Set(None);
                    active.replaced_by = Set(None);
                    active.update(&w.tx).await?;
                    changed = true;
                }
                order.push(existing.id);
            }
        }
    }
    for gone in all
        .iter()
        .filter(|s| s.retired_on.is_none() && !sections.iter().any(|f| f.anchor == s.anchor))
    {
        let mut active: guideline_section::ActiveModel = gone.clone().into();
        active.retired_on = Set(Some(today()));
        active.update(&w.tx).await?;
        changed = true;
    }
    changed |= order != super::revisions::current_ids(&all);
    if !changed {
        return super::revisions::unchanged(w).await;
    }
    store::renumber(&w, &order).await?;
    finish(w, author, note, false).await
}

async fn insert(w: &Writing, section: &FileSection, place: usize) -> Result<i32> {
    let model = guideline_section::ActiveModel {
        guideline_id: Set(w.guideline.id),
        anchor: Set(section.anchor.clone()),
        heading: Set(section.heading.clone()),
        markdown: Set(section.markdown.clone()),
        position: Set(i32::try_from(place + 1).unwrap_or(i32::MAX)),
        ..Default::default()
    }
    .insert(&w.tx)
    .await?;
    Ok(model.id)
}

async fn finish(w: Writing, author: &str, note: &note::Note, created: bool) -> Result<Outcome> {
    outbox::record_guideline_change(&w.tx, &w.guideline.slug).await?;
    let slug = w.guideline.slug.clone();
    let revision = store::finish(w, author, ChangeKind::Import, None, note).await?;
    Ok(Outcome {
        slug,
        revision,
        changed: true,
        created,
    })
}
