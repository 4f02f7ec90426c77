//! Which guideline section a pattern concerns, and whether that section already covers it.
//!
//! Candidates are the sections a search with the pattern's title and terms finds, and the
//! sections moderators linked the pattern's lessons to. A section *covers* the pattern when a
//! moderator linked one of its lessons there, or when its text holds at least half of the
//! pattern's terms (compared stemmed, as detection counted them): the rule exists, and the
//! suggestion reinforces it. Otherwise the best candidate's guideline gets a new section.

use std::{collections::HashMap, sync::Arc};

use entities::{guideline, guideline_lesson, guideline_section, pattern};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use search::{SearchIndex, patterns::Words};

use super::SuggestionKind;
use crate::{
    error::Result,
    services::search::{SearchTurns, search_sections},
};

/// Sections asked of the search for one pattern.
const SEARCHED: usize = 5;

/// A section the pattern may concern, with what says so.
#[derive(Clone, Debug)]
pub(super) struct Candidate {
    pub guideline: guideline::Model,
    pub section: guideline_section::Model,
    /// The pattern's member lessons a moderator linked to it.
    pub linked: usize,
    /// The pattern's terms its heading and text contain.
    pub covered: usize,
    /// BM25 among the sections for the pattern's words; 0 when only a link found it.
    pub score: f32,
}

impl Candidate {
    fn covers(&self, terms: usize) -> bool {
        self.linked > 0 || (terms > 0 && self.covered * 2 >= terms)
    }
}

/// Where a suggestion goes: the section to reinforce, or the guideline to add a section to
/// with the closest section there is.
#[derive(Clone, Debug)]
pub(super) struct Target {
    pub kind: SuggestionKind,
    pub best: Candidate,
    /// How many terms the pattern has, for "holds 3 of its 5 terms".
    pub terms: usize,
}

/// The target of `pattern`, or `None` when no section of any guideline comes near it.
pub(super) async fn choose(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    turns: &SearchTurns,
    words: &mut Words,
    pattern: &pattern::Model,
    members: &[String],
) -> Result<Option<Target>> {
    let stems: Vec<String> = serde_json::from_str(&pattern.stems).unwrap_or_default();
    let terms: Vec<String> = serde_json::from_str(&pattern.terms).unwrap_or_default();
    let query = format!("{} {}", pattern.title, terms.join(" "));
    let hits = search_sections(db, index, turns, &query, SEARCHED, 0).await?;
    let mut scores: HashMap<(String, String), f32> = HashMap::new();
    for hit in hits.hits {
        scores.insert((hit.guideline, hit.anchor), hit.score);
    }
    let mut linked: HashMap<i32, usize> = HashMap::new();
    if !members.is_empty() {
        for link in guideline_lesson::Entity::find()
            .filter(guideline_lesson::Column::ReportId.is_in(members.iter().cloned()))
            .all(db)
            .await?
        {
            *linked.entry(link.section_id).or_default() += 1;
        }
    }
    let guidelines: HashMap<i32, guideline::Model> = guideline::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let sections = guideline_section::Entity::find()
        .filter(guideline_section::Column::RetiredOn.is_null())
        .all(db)
        .await?;
    let mut candidates: Vec<Candidate> = Vec::new();
    for section in sections {
        let Some(guideline) = guidelines.get(&section.guideline_id) else {
            continue;
        };
        let score = scores
            .get(&(guideline.slug.clone(), section.anchor.clone()))
            .copied();
        let links = linked.get(&section.id).copied().unwrap_or(0);
        if score.is_none() && links == 0 {
            continue;
        }
        let covered = covered_terms(words, &stems, &section);
        candidates.push(Candidate {
            guideline: guideline.clone(),
            section,
            linked: links,
            covered,
            score: score.unwrap_or(0.0),
        });
    }
    Ok(pick(candidates, stems.len()))
}

/// The candidate that covers the pattern best, or the closest one when none covers it.
fn pick(mut candidates: Vec<Candidate>, terms: usize) -> Option<Target> {
    candidates.sort_by(|a, b| {
        b.covers(terms)
            .cmp(&a.covers(terms))
            .then(b.linked.cmp(&a.linked))
            .then(b.covered.cmp(&a.covered))
            .then(b.score.total_cmp(&a.score))
            .then(a.section.id.cmp(&b.section.id))
    });
    let best = candidates.into_iter().next()?;
    let kind = if best.covers(terms) {
        SuggestionKind::Reinforce
    } else {
        SuggestionKind::Add
    };
    Some(Target { kind, best, terms })
}

/// The section a change was made to, as a target to reinforce again; `None` once retired.
pub(super) async fn section_again(
    db: &DatabaseConnection,
    words: &mut Words,
    pattern: &pattern::Model,
    guideline_id: i32,
    anchor: &str,
) -> Result<Option<Target>> {
    let Some(guideline) = guideline::Entity::find_by_id(guideline_id).one(db).await? else {
        return Ok(None);
    };
    let Some(section) = guideline_section::Entity::find()
        .filter(guideline_section::Column::GuidelineId.eq(guideline_id))
        .filter(guideline_section::Column::Anchor.eq(anchor))
        .filter(guideline_section::Column::RetiredOn.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let stems: Vec<String> = serde_json::from_str(&pattern.stems).unwrap_or_default();
    let covered = covered_terms(words, &stems, &section);
    Ok(Some(Target {
        kind: SuggestionKind::Reinforce,
        best: Candidate {
            guideline,
            section,
            linked: 0,
            covered,
            score: 0.0,
        },
        terms: stems.len(),
    }))
}

/// How many of the pattern's stemmed terms the section's heading and text contain.
fn covered_terms(words: &mut Words, stems: &[String], section: &guideline_section::Model) -> usize {
    let mut found = std::collections::HashSet::new();
    let text = format!("{}\n{}", section.heading, section.markdown);
    words.terms(&text, |key, _| {
        if stems.iter().any(|s| s == key) {
            found.insert(key.to_owned());
        }
    });
    found.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: i32, linked: usize, covered: usize, score: f32) -> Candidate {
        Candidate {
            guideline: guideline::Model {
                id: 1,
                slug: "email".to_owned(),
                title: "Email".to_owned(),
                summary: String::new(),
                owner_role: String::new(),
                revision: 1,
            },
            section: guideline_section::Model {
                id,
                guideline_id: 1,
                anchor: format!("s{id}"),
                heading: String::new(),
                markdown: String::new(),
                position: id,
                retired_on: None,
                replaced_by: None,
            },
            linked,
            covered,
            score,
        }
    }

    #[test]
    fn a_linked_lesson_or_half_the_terms_make_a_section_cover_the_pattern() {
        let target = pick(vec![candidate(1, 0, 1, 9.0), candidate(2, 0, 3, 2.0)], 6);
        assert_eq!(
            target.map(|t| (t.kind, t.best.section.id)),
            Some((SuggestionKind::Reinforce, 2))
        );
        let target = pick(vec![candidate(1, 0, 2, 9.0), candidate(2, 1, 0, 0.0)], 6);
        assert_eq!(
            target.map(|t| (t.kind, t.best.section.id)),
            Some((SuggestionKind::Reinforce, 2))
        );
    }

    #[test]
    fn no_section_covering_it_means_adding_one_beside_the_closest() {
        let target = pick(vec![candidate(1, 0, 1, 2.0), candidate(2, 0, 2, 1.0)], 6);
        assert_eq!(
            target.map(|t| (t.kind, t.best.section.id)),
            Some((SuggestionKind::Add, 2))
        );
        assert!(pick(Vec::new(), 6).is_none());
    }
}
