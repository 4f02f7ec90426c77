//! Guideline sections in search: the `kind` of result asked for, the governing section shown
//! above the lessons, the sections search of the API, and the sections suggested for a lesson.

use std::{collections::HashMap, sync::Arc};

use entities::guideline_section;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use search::{SearchIndex, SectionResults};

use super::SearchTurns;
use crate::{
    codes::ReportRef,
    error::{AppError, FieldError, Result},
    services::guidelines,
};

/// Sections searched for the guidance above the lessons: the best is the candidate, and the
/// rest count for the `kind` facet.
pub(super) const GUIDANCE_CANDIDATES: usize = 5;
/// Sections suggested for a lesson.
pub const SUGGESTIONS: usize = 5;
/// The most of a lesson's text read for suggestions: the title, lesson and tags say enough.
const SUGGESTION_CHARS: usize = 4_000;

/// What a search lists: lessons (the default, with the governing section above them) or
/// guideline sections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    Lesson,
    Guideline,
}

impl Kind {
    pub fn slug(self) -> &'static str {
        match self {
            Self::Lesson => "lesson",
            Self::Guideline => "guideline",
        }
    }

    /// Reads the `kind` parameter; a bad value is named in `errors`.
    pub(super) fn read(value: Option<&str>, errors: &mut Vec<FieldError>) -> Self {
        match value.map(str::trim).unwrap_or("") {
            "" | "lesson" => Self::Lesson,
            "guideline" => Self::Guideline,
            other => {
                errors.push(FieldError::new(
                    "kind",
                    format!("'{other}' is not one of: lesson, guideline"),
                ));
                Self::Lesson
            }
        }
    }
}

/// How many results of each kind match; the `kind` facet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub lesson: u64,
    pub guideline: u64,
}

/// A guideline section found by a search, as the database holds it now.
#[derive(Clone, Debug)]
pub struct SectionMatch {
    pub guideline: String,
    pub guideline_title: String,
    pub anchor: String,
    /// Its place among the guideline's sections in force, from 1: "Email §3".
    pub number: i32,
    pub heading: String,
    /// The heading, HTML-escaped, with matches in `<mark>`.
    pub heading_html: String,
    /// A passage, HTML-escaped, with matches in `<mark>`.
    pub snippet_html: String,
    /// BM25 over the sections alone: comparable between sections, not with lessons.
    pub score: f32,
    /// Every word of the query, common words aside, is in its heading or text.
    pub all_words: bool,
    /// A word of the query is in its heading.
    pub in_heading: bool,
}

impl SectionMatch {
    /// Where the section is read.
    pub fn href(&self) -> String {
        format!("/guidelines/{}#{}", self.guideline, self.anchor)
    }

    /// The rule for showing a section first, as the guidance that governs a search: every
    /// word of the query (common words aside) is in its heading or text, and at least one is
    /// in its heading, so that the section is about the topic rather than mentioning it.
    ///
    /// Scores are not compared with the lessons': sections are scored among themselves, and a
    /// short section and a long lesson do not share a scale. Only the best section can
    /// govern; the caller also asks for relevance order, the first page and some words.
    pub fn governs(&self) -> bool {
        self.all_words && self.in_heading
    }
}

/// Sections matching a search, as the database holds them now.
#[derive(Clone, Debug, Default)]
pub struct SectionsOutcome {
    pub total: u64,
    pub hits: Vec<SectionMatch>,
}

/// Sections matching `text`, best first: the guidelines search of the API.
pub async fn search_sections(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    turns: &SearchTurns,
    text: &str,
    limit: usize,
    offset: usize,
) -> Result<SectionsOutcome> {
    let target = Arc::clone(index);
    let text = text.to_owned();
    let found = turns
        .run(move || Ok(target.search_sections(&text, limit + offset)?))
        .await?;
    let mut outcome = complete(db, found).await?;
    outcome.hits.drain(..offset.min(outcome.hits.len()));
    Ok(outcome)
}

/// The sections that best fit a published lesson, found by searching the sections with the
/// lesson's published words (title, lesson, tags, then the narrative), leaving out those it
/// is linked to already; 404 for a lesson that is not published.
pub async fn suggest_sections(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    turns: &SearchTurns,
    lesson: &ReportRef,
) -> Result<Vec<SectionMatch>> {
    let report = crate::services::reports::get_published(db, lesson).await?;
    let linked: Vec<String> = guidelines::guidance_of(db, lesson)
        .await?
        .into_iter()
        .map(|g| format!("{}#{}", g.guideline, g.anchor))
        .collect();
    let text = lesson_words(
        &report.title,
        &report.lesson,
        &report.tags,
        &report.narrative,
    );
    suggest_for_text(db, index, turns, &text, &linked).await
}

/// The sections that best fit a lesson's words, leaving out those named in `linked`
/// (`guideline#anchor`).
pub async fn suggest_for_text(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    turns: &SearchTurns,
    text: &str,
    linked: &[String],
) -> Result<Vec<SectionMatch>> {
    let wanted = SUGGESTIONS + linked.len();
    let found = search_sections(db, index, turns, text, wanted, 0).await?;
    Ok(found
        .hits
        .into_iter()
        .filter(|hit| !linked.contains(&format!("{}#{}", hit.guideline, hit.anchor)))
        .take(SUGGESTIONS)
        .collect())
}

/// A lesson's words for finding its sections: the title and the lesson first, since they say
/// what went wrong and what helps; the narrative last, cut to keep the query short.
pub fn lesson_words(title: &str, lesson: &str, tags: &[String], narrative: &str) -> String {
    let text = format!("{title}\n{lesson}\n{}\n{narrative}", tags.join(" "));
    text.chars().take(SUGGESTION_CHARS).collect()
}

/// Adds what the database knows to the index's section hits, dropping any section that is
/// retired or gone (the index may be a moment behind): a retired section is never shown as
/// current.
pub(super) async fn complete(
    db: &DatabaseConnection,
    found: SectionResults,
) -> Result<SectionsOutcome> {
    if found.hits.is_empty() {
        return Ok(SectionsOutcome {
            total: found.total,
            hits: Vec::new(),
        });
    }
    let slugs: Vec<String> = found.hits.iter().map(|h| h.guideline.clone()).collect();
    let guidelines = crate::services::guidelines::by_slugs(db, slugs).await?;
    let anchors: Vec<String> = found.hits.iter().map(|h| h.anchor.clone()).collect();
    let sections: HashMap<(String, String), (guideline_section::Model, String)> =
        guideline_section::Entity::find()
            .filter(guideline_section::Column::GuidelineId.is_in(guidelines.keys().copied()))
            .filter(guideline_section::Column::Anchor.is_in(anchors))
            .filter(guideline_section::Column::RetiredOn.is_null())
            .all(db)
            .await?
            .into_iter()
            .filter_map(|s| {
                let g = guidelines.get(&s.guideline_id)?;
                Some(((g.slug.clone(), s.anchor.clone()), (s, g.title.clone())))
            })
            .collect();
    let before = found.hits.len() as u64;
    let hits: Vec<SectionMatch> = found
        .hits
        .into_iter()
        .filter_map(|hit| {
            let (section, title) = sections.get(&(hit.guideline.clone(), hit.anchor.clone()))?;
            Some(SectionMatch {
                guideline_title: title.clone(),
                number: section.position,
                heading: section.heading.clone(),
                guideline: hit.guideline,
                anchor: hit.anchor,
                heading_html: hit.heading_html,
                snippet_html: hit.snippet_html,
                score: hit.score,
                all_words: hit.all_words,
                in_heading: hit.in_heading,
            })
        })
        .collect();
    let dropped = before - hits.len() as u64;
    Ok(SectionsOutcome {
        total: found.total.saturating_sub(dropped),
        hits,
    })
}

/// Reads the `kind` parameter alone, for callers that check nothing else.
pub fn kind(value: Option<&str>) -> Result<Kind> {
    let mut errors = Vec::new();
    let kind = Kind::read(value, &mut errors);
    if errors.is_empty() {
        Ok(kind)
    } else {
        Err(AppError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(all_words: bool, in_heading: bool) -> SectionMatch {
        SectionMatch {
            guideline: "email".into(),
            guideline_title: "Email".into(),
            anchor: "bcc-for-external-lists".into(),
            number: 3,
            heading: "Use Bcc for external lists".into(),
            heading_html: String::new(),
            snippet_html: String::new(),
            score: 1.0,
            all_words,
            in_heading,
        }
    }

    #[test]
    fn a_section_governs_only_with_every_word_and_one_in_its_heading() {
        assert!(hit(true, true).governs());
        assert!(!hit(true, false).governs(), "mentioned in passing");
        assert!(!hit(false, true).governs(), "about part of the query only");
        assert!(!hit(false, false).governs());
        assert_eq!(
            hit(true, true).href(),
            "/guidelines/email#bcc-for-external-lists"
        );
    }

    #[test]
    fn the_kind_is_read_or_named_as_wrong() {
        assert_eq!(kind(None).ok(), Some(Kind::Lesson));
        assert_eq!(kind(Some(" guideline ")).ok(), Some(Kind::Guideline));
        let Err(AppError::Invalid(errors)) = kind(Some("pattern")) else {
            panic!("a bad kind is refused");
        };
        assert_eq!(errors[0].field, "kind");
    }
}
