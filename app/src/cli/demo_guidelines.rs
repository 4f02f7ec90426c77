//! The demo's communication guidelines: imported from the Markdown files shipped in the
//! binary, with the demo lessons linked to the sections they explain.

use std::collections::BTreeMap;

use rust_embed::RustEmbed;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Deserialize;

use crate::{
    codes::ReportRef,
    error::{AppError, Result},
    services::{
        accounts::{Account, Role},
        guidelines::{self, ChangeNote, IMPORT_AUTHOR, SectionRef},
    },
    vocabulary::Status,
};

/// One Markdown file per guideline, and `links.toml`.
#[derive(RustEmbed)]
#[folder = "demo/guidelines/"]
struct Files;

/// Who the demo's lesson links are recorded as made by: no person made them.
const LINKED_BY: &str = "demo";

/// The demo lessons, by title, and the sections (`guideline#anchor`) each one explains.
#[derive(Deserialize)]
struct Links {
    lessons: BTreeMap<String, Vec<String>>,
}

/// What loading the demo guidelines did.
#[derive(Debug, Default)]
pub struct Loaded {
    pub created: usize,
    pub sections: usize,
    pub linked: usize,
}

/// A file shipped with the binary: one that is missing or unreadable is a fault of the build.
fn text_of(name: &str) -> Result<String> {
    let file =
        Files::get(name).ok_or_else(|| AppError::Internal(format!("the demo has no {name}")))?;
    String::from_utf8(file.data.into_owned())
        .map_err(|_| AppError::Internal(format!("the demo's {name} is not UTF-8")))
}

/// Imports every demo guideline (a guideline already there is left as it is, as the import
/// of an unchanged file changes nothing) and links the demo lessons to the sections of the
/// guidelines created now, so that running the demo again adds nothing.
pub async fn load(db: &DatabaseConnection) -> Result<Loaded> {
    let mut names: Vec<String> = Files::iter()
        .filter(|name| name.ends_with(".md"))
        .map(|name| name.into_owned())
        .collect();
    names.sort();
    let note = ChangeNote::because("The guideline as it stood when it was first recorded here.");
    let mut loaded = Loaded::default();
    let mut created: Vec<String> = Vec::new();
    for name in &names {
        let text = text_of(name)?;
        let outcome = guidelines::import_markdown(db, IMPORT_AUTHOR, &text, None, &note).await?;
        if outcome.created {
            loaded.created += 1;
            loaded.sections += guidelines::get(db, &outcome.slug).await?.sections.len();
            created.push(outcome.slug);
        }
    }
    let links: Links = toml::from_str(&text_of("links.toml")?)
        .map_err(|e| AppError::Internal(format!("the demo's links.toml: {e}")))?;
    // Linking is a moderator's action, audited under a name; the demo's is its own.
    let actor = Account {
        id: 0,
        name: LINKED_BY.to_owned(),
        role: Role::Moderator,
        must_change_password: false,
    };
    for (title, sections) in &links.lessons {
        let sections = sections
            .iter()
            .map(|s| SectionRef::parse("section", s))
            .collect::<Result<Vec<_>>>()?;
        let sections: Vec<SectionRef> = sections
            .into_iter()
            .filter(|s| created.contains(&s.guideline))
            .collect();
        if sections.is_empty() {
            continue;
        }
        let Some(lesson) = published_titled(db, title).await? else {
            continue;
        };
        loaded.linked += guidelines::link(db, &actor, &lesson, &sections).await?;
    }
    Ok(loaded)
}

/// The published lesson with this title, if the demo lessons are loaded.
async fn published_titled(db: &DatabaseConnection, title: &str) -> Result<Option<ReportRef>> {
    let found = entities::report::Entity::find()
        .filter(entities::report::Column::Title.eq(title))
        .filter(entities::report::Column::Status.eq(Status::Published.slug()))
        .one(db)
        .await?;
    found.map(|r| ReportRef::of_stored(&r.id)).transpose()
}
