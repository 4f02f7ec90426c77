//! A guideline's own fields and a section's text, checked and made ready to store.

use entities::guideline;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{anchors, markdown, revisions::NewGuideline};
use crate::error::{AppError, Result};

/// The longest title or heading.
pub const MAX_HEADING: usize = 200;
/// The longest summary.
pub const MAX_SUMMARY: usize = 2_000;
/// The longest owner role.
pub const MAX_OWNER_ROLE: usize = 100;

/// A guideline's own fields, checked.
pub(super) struct GuidelineFields {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub owner_role: String,
}

impl GuidelineFields {
    pub(super) fn validate(new: &NewGuideline) -> Result<Self> {
        let title = single_line("title", &new.title, MAX_HEADING)?;
        let slug = match new.slug.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(slug) => anchors::validate_slug("slug", slug)?,
            None => anchors::validate_slug("slug", &anchors::slug_of(&title)).map_err(|_| {
                AppError::invalid("slug", "the title gives no usable slug; give one")
            })?,
        };
        let summary = new.summary.trim().replace("\r\n", "\n");
        check_length("summary", &summary, MAX_SUMMARY)?;
        check_controls("summary", &summary)?;
        let owner_role = new.owner_role.trim();
        let owner_role = if owner_role.is_empty() {
            String::new()
        } else {
            single_line("owner_role", owner_role, MAX_OWNER_ROLE)?
        };
        Ok(Self {
            slug,
            title,
            summary,
            owner_role,
        })
    }
}

/// A required one-line text: a title, a heading.
pub(super) fn single_line(field: &str, text: &str, max: usize) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, "is required"));
    }
    check_length(field, text, max)?;
    if text.chars().any(char::is_control) {
        return Err(AppError::invalid(
            field,
            "must be one line, without control characters",
        ));
    }
    Ok(text.to_owned())
}

/// A section's Markdown as stored: line breaks as `\n`, no blank lines around, checked.
pub(super) fn clean_markdown(field: &str, text: &str) -> Result<String> {
    let text = text.replace("\r\n", "\n");
    // Blank lines around go, but not the indentation of the first line (a code block).
    let start = text
        .find(|c: char| !c.is_whitespace())
        .map_or(text.len(), |i| text[..i].rfind('\n').map_or(0, |n| n + 1));
    let text = text[start..].trim_end();
    markdown::check(field, text)?;
    Ok(text.to_owned())
}

fn check_length(field: &str, text: &str, max: usize) -> Result<()> {
    let length = text.chars().count();
    if length > max {
        return Err(AppError::invalid(
            field,
            format!("is {length} characters long; the limit is {max}"),
        ));
    }
    Ok(())
}

fn check_controls(field: &str, text: &str) -> Result<()> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Err(AppError::invalid(field, "contains control characters"));
    }
    Ok(())
}

/// The guideline with this slug; 404 when there is none.
pub(super) async fn find(db: &impl ConnectionTrait, slug: &str) -> Result<guideline::Model> {
    guideline::Entity::find()
        .filter(guideline::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("guideline"))
}
