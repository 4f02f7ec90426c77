//! Which guideline section a pattern concerns, and whether that section already covers it.
//!
//! Candidates are the sections a search with the pattern's title and terms finds, and the
//! sections moderators linked the pattern's lessons to. A section *covers* the pattern when
//! moderators linked at least a third of its lessons there, or when its text holds at least
//! half of the pattern's terms (compared stemmed, as detection counted them): the rule exists,
//! and the suggestion reinforces it. One linked lesson among eleven is not enough: a factor
//! such as "no second pair of eyes" runs through lessons linked to many unrelated rules.
//! Otherwise the guideline that holds most of the pattern's links (or, without links, the best
//! search hit) gets a new section.

use std::{collections::HashMap, sync::Arc};

use entities::{factor, guideline, guideline_lesson, guideline_section, pattern};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use search::{SearchIndex, patterns::Words};

use super::SuggestionKind;
use crate::{
    error::Result,
    services::search::{SearchTurns, search_sections},
};

/// Sections asked of the search for one pattern.
const SEARCHED: usize = 5;
/// A section covers a pattern by its words only when it holds at least this many of them: one
/// shared word ("tone") is a topic, not a rule.
const MIN_COVERED: usize = 2;

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
    fn covers(&self, terms: usize, members: usize) -> bool {
        (self.linked > 0 && self.linked * 3 >= members)
            || (self.covered >= MIN_COVERED && self.covered * 2 >= terms)
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
    /// How many member lessons it has, for "2 of its 6 lessons are linked there".
    pub members: usize,
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
    // A factor's description says what the factor means in words a rule would use.
    let slugs: Vec<String> = serde_json::from_str(&pattern.factors).unwrap_or_default();
    let described: Vec<String> = factor::Entity::find()
        .filter(factor::Column::Slug.is_in(slugs))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.description)
        .collect();
    let query = format!(
        "{} {} {}",
        pattern.title,
        terms.join(" "),
        described.join(" ")
    );
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
    Ok(pick(candidates, stems.len(), members.len()))
}

/// The candidate that covers the pattern best; when none does, the closest section of the
/// guideline that holds most of the pattern's links, to add a section to.
fn pick(mut candidates: Vec<Candidate>, terms: usize, members: usize) -> Option<Target> {
    let closeness = |c: &Candidate| (c.linked, c.covered);
    candidates.sort_by(|a, b| {
        b.covers(terms, members)
            .cmp(&a.covers(terms, members))
            .then(closeness(b).cmp(&closeness(a)))
            .then(b.score.total_cmp(&a.score))
            .then(a.section.id.cmp(&b.section.id))
    });
    let first = candidates.first()?;
    if first.covers(terms, members) {
        let best = candidates.swap_remove(0);
        return Some(Target {
            kind: SuggestionKind::Reinforce,
            best,
            terms,
            members,
        });
    }
    let mut links: HashMap<i32, (usize, f32)> = HashMap::new();
    for c in &candidates {
        let entry = links.entry(c.guideline.id).or_default();
        entry.0 += c.linked;
        entry.1 = entry.1.max(c.score);
    }
    let guideline = links
        .iter()
        .max_by(|a, b| {
            (a.1.0)
                .cmp(&b.1.0)
                .then(a.1.1.total_cmp(&b.1.1))
                .then(b.0.cmp(a.0))
        })
        .map(|(id, _)| *id)?;
    let best = candidates
        .into_iter()
        .find(|c| c.guideline.id == guideline)?;
    Some(Target {
        kind: SuggestionKind::Add,
        best,
        terms,
        members,
    })
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
        members: 0,
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
        let target = pick(vec![candidate(1, 0, 1, 9.0), candidate(2, 0, 3, 2.0)], 6, 9);
        assert_eq!(
            target.map(|t| (t.kind, t.best.section.id)),
            Some((SuggestionKind::Reinforce, 2))
        );
        // One shared word of one is a topic, not a rule.
        let target = pick(vec![candidate(1, 0, 1, 9.0)], 1, 9);
        assert_eq!(target.map(|t| t.kind), Some(SuggestionKind::Add));
        let target = pick(vec![candidate(1, 0, 1, 9.0), candidate(2, 0, 3, 2.0)], 6, 9);
        assert_eq!(
            target.map(|t| (t.kind, t.best.section.id)),
            Some((SuggestionKind::Reinforce, 2))
        );
        let target = pick(vec![candidate(1, 0, 2, 9.0), candidate(2, 3, 0, 0.0)], 6, 9);
        assert_eq!(
            target.map(|t| (t.kind, t.best.section.id)),
            Some((SuggestionKind::Reinforce, 2))
        );
    }

    #[test]
    fn no_section_covering_it_means_adding_one_beside_the_closest() {
        let target = pick(vec![candidate(1, 0, 1, 2.0), candidate(2, 0, 2, 1.0)], 6, 9);
        assert_eq!(
            target.map(|t| (t.kind, t.best.section.id)),
            Some((SuggestionKind::Add, 2))
        );
        // One linked lesson of eleven: the rule is not the pattern's.
        let target = pick(vec![candidate(1, 1, 0, 2.0)], 6, 11);
        assert_eq!(target.map(|t| t.kind), Some(SuggestionKind::Add));
        assert!(pick(Vec::new(), 6, 9).is_none());
    }
}
