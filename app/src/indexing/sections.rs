//! What the index must do for guideline sections: their current state in the database, the
//! Markdown read as plain text. Retired sections leave the index.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entities::{guideline, guideline_section};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use search::{Change, IndexedSection};

use crate::error::Result;

/// What the index must do for these whole guidelines (every section brought up to date, the
/// ones they no longer hold removed) and these single sections, `(slug, anchor)`.
pub(super) async fn section_changes(
    db: &DatabaseConnection,
    guidelines: &BTreeSet<String>,
    sections: &BTreeSet<(String, String)>,
) -> Result<Vec<Change>> {
    // A section of a guideline refreshed whole needs no refreshing of its own.
    let single: Vec<&(String, String)> = sections
        .iter()
        .filter(|(slug, _)| !guidelines.contains(slug))
        .collect();
    let mut slugs: BTreeSet<&String> = guidelines.iter().collect();
    slugs.extend(single.iter().map(|(slug, _)| slug));
    let documents = current(db, slugs.into_iter().cloned().collect()).await?;
    let mut changes = Vec::new();
    for slug in guidelines {
        // Removed first: the additions after it in the same batch survive the removal.
        changes.push(Change::RemoveGuideline(slug.clone()));
        if let Some(sections) = documents.get(slug) {
            changes.extend(
                sections
                    .values()
                    .map(|section| Change::Section(Box::new(section.clone()))),
            );
        }
    }
    for (slug, anchor) in single {
        changes.push(
            match documents
                .get(slug)
                .and_then(|sections| sections.get(anchor))
            {
                Some(section) => Change::Section(Box::new(section.clone())),
                None => Change::RemoveSection {
                    guideline: slug.clone(),
                    anchor: anchor.clone(),
                },
            },
        );
    }
    Ok(changes)
}

/// Every section in force of every guideline, for a rebuild.
pub(super) async fn every_section(db: &DatabaseConnection) -> Result<Vec<IndexedSection>> {
    let guidelines = guideline::Entity::find().all(db).await?;
    let slugs = guidelines.into_iter().map(|g| g.slug).collect();
    Ok(current(db, slugs)
        .await?
        .into_values()
        .flat_map(BTreeMap::into_values)
        .filter(|section| !section.retired)
        .collect())
}

/// The sections of these guidelines as the index holds them, retired ones marked, by slug
/// and anchor. A guideline that does not exist has no entry.
async fn current(
    db: &DatabaseConnection,
    slugs: Vec<String>,
) -> Result<HashMap<String, BTreeMap<String, IndexedSection>>> {
    if slugs.is_empty() {
        return Ok(HashMap::new());
    }
    let guidelines = crate::services::guidelines::by_slugs(db, slugs).await?;
    let mut documents: HashMap<String, BTreeMap<String, IndexedSection>> = guidelines
        .values()
        .map(|g| (g.slug.clone(), BTreeMap::new()))
        .collect();
    let rows = guideline_section::Entity::find()
        .filter(guideline_section::Column::GuidelineId.is_in(guidelines.keys().copied()))
        .all(db)
        .await?;
    for row in rows {
        let Some(guideline) = guidelines.get(&row.guideline_id) else {
            continue;
        };
        let section = IndexedSection {
            guideline: guideline.slug.clone(),
            guideline_title: guideline.title.clone(),
            text: plain_text(&row.markdown),
            retired: row.retired_on.is_some(),
            anchor: row.anchor,
            heading: row.heading,
        };
        documents
            .entry(guideline.slug.clone())
            .or_default()
            .insert(section.anchor.clone(), section);
    }
    Ok(documents)
}

/// A section's Markdown as the words a reader sees: no markup, no link targets, blocks
/// apart, so that the words of two paragraphs do not run together.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            Event::Start(Tag::Item | Tag::TableCell) => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => text.push('\n'),
            // Raw HTML is refused when text is stored; what is left of any is not words.
            _ => {}
        }
    }
    text.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn markdown_becomes_the_words_a_reader_sees() {
        let text = plain_text(
            "Put external addresses in **Bcc**, see [the policy](https://example.org/p).\n\n\
             - one `list`\n- two\n\n| a | b |\n|---|---|\n| c | d |\n\n<b>raw</b>",
        );
        assert!(
            text.contains("Put external addresses in Bcc, see the policy."),
            "{text}"
        );
        assert!(
            !text.contains("example.org"),
            "link targets are not words: {text}"
        );
        assert!(text.contains("one list") && text.contains("two"), "{text}");
        assert!(
            !text.contains('*') && !text.contains('|') && !text.contains("<b>"),
            "{text}"
        );
        assert!(!text.contains("listtwo") && !text.contains("cd"), "{text}");
    }
}
