//! Graded matching: one ranked list in which lessons matching more of the query's words come
//! first, with the thesaurus's words counting for less and the words' nearness for a little.
//!
//! Each word (or phrase, or OR of them) typed is one item. A lesson must match a share of the
//! items that loosens with the query's length: all of one or two, two of three, three of four
//! or five, a half and one beyond. Every item a lesson matches adds [`MATCHED`] to its score, so that
//! matching more items always outranks matching fewer more often; BM25 orders lessons that
//! match as many. An item matched only through the thesaurus adds half as much, so the words
//! typed are never drowned by their synonyms.

use std::sync::Arc;

use tantivy::{
    Searcher, Term,
    query::{
        AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
    },
    schema::{Field, IndexRecordOption},
};

use crate::{
    analyzer,
    checks::Matching,
    error::Result,
    index::SearchIndex,
    reading::{Part, Reading},
    suggest::Distance,
    within::{Candidates, Within},
};

/// What matching one more item is worth: more than BM25 ever gives one word.
pub(crate) const MATCHED: f32 = 1_000.0;
/// What matching an item only through the thesaurus is worth, relative to [`MATCHED`].
const MATCHED_BY_SYNONYM: f32 = 0.5;
/// The weight of a synonym's BM25 relative to the words typed.
pub(crate) const SYNONYM_WEIGHT: f32 = 0.4;
/// The share of lessons past which a word is common: its BM25 is nearly the same in every
/// lesson, so that a query of such words alone cannot tell the best matches apart.
const COMMON_SHARE: f64 = 0.8;
/// Lessons from which a word can be common: below, every search is cheap and exact.
const COMMON_FROM: u64 = 10_000;
/// Positions the words of a query may stray apart and still count as near.
const NEAR_SLOP: u32 = 6;
/// The weight of the words' being near one another.
const NEAR_WEIGHT: f32 = 0.5;
/// Words so common that matching them says nothing, as typed: they rank but never count as
/// matched (Lucene's English stop words, with pronouns and quantifiers).
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "about", "all", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "did",
    "do", "does", "every", "for", "from", "had", "has", "have", "he", "her", "his", "i", "if",
    "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "so",
    "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "to", "us", "was", "we", "were", "what", "when", "which", "while", "who", "will",
    "with", "you", "your",
];

/// How loosely items must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Grade {
    /// A share of the items that loosens with the query's length.
    Graded,
    /// Any one item.
    AnyItem,
}

/// Tokens the thesaurus adds to an item, with how many items its phrase spans.
type Synonym = (Vec<String>, usize);

/// One item: the token sequences that satisfy it as typed, and through the thesaurus.
#[derive(Clone, Debug, Default)]
struct Item {
    typed: Vec<Vec<String>>,
    /// With the number of items the thesaurus's phrase spans, which shares its weight.
    synonyms: Vec<Synonym>,
    stop: bool,
}

/// The query for a reading, and what the reader is told about it.
pub(crate) struct Graded {
    /// Ranks and selects the lessons (filters not included).
    pub(crate) query: Box<dyn Query>,
    /// Selects what `query` selects, from the one field holding every text: what a scan, a
    /// check or a count reads, at a seventh of the posting lists.
    pub(crate) matching: Matching,
    /// Matches lessons that match every item: those that do not match "only some words".
    pub(crate) every_item: Option<Matching>,
    /// A union of single terms whose score approximates `query`'s, for pruning: every word
    /// typed (those of phrases too) and the thesaurus's single words.
    pub(crate) terms: Box<dyn Query>,
    /// How many of the items that count a lesson must match, of how many.
    pub(crate) required: usize,
    pub(crate) counted: usize,
    /// Whether the union of terms only approximates `query`'s ranking: when matching an
    /// item scores [`MATCHED`] (lessons may match different numbers of items), or when
    /// phrases or the words' nearness score.
    pub(crate) approximate: bool,
    /// Whether matching an item scores [`MATCHED`].
    coordinate: bool,
    /// What the query was built from, to build its ranking again for a few candidates.
    items: Vec<Item>,
    /// The thesaurus's words searched for besides the words typed, as written there.
    pub(crate) also: Vec<String>,
    /// Whether every word typed is in most lessons (see [`COMMON_SHARE`]).
    pub(crate) common: bool,
    /// Words the index does not hold, with the known word searched for instead.
    pub(crate) corrected: Vec<(String, String)>,
}

impl SearchIndex {
    /// The graded query for `reading`; `None` when it asks for nothing (no word at all).
    pub(crate) fn graded(
        &self,
        searcher: &Searcher,
        reading: &Reading,
        grade: Grade,
    ) -> Result<Option<Graded>> {
        let mut analyzer = analyzer::query_analyzer();
        let mut corrected = Vec::new();
        let mut items: Vec<Item> = Vec::new();
        // Runs of unquoted single words, where the thesaurus looks for its phrases.
        let mut runs: Vec<Vec<usize>> = vec![Vec::new()];
        for clause in &reading.wanted {
            let mut item = Item::default();
            for part in clause {
                let mut tokens = analyzer::tokens(&mut analyzer, &part.text);
                if tokens.is_empty() {
                    continue;
                }
                if let [token] = tokens.as_slice()
                    && !part.quoted
                    && !self.is_known(searcher, token)?
                    && let Some(known) = self
                        .closest_words(searcher, &part.text, Distance::Typo, 1)?
                        .pop()
                {
                    tokens = analyzer::tokens(&mut analyzer, &known);
                    corrected.push((part.text.clone(), known));
                }
                item.typed.push(tokens);
            }
            if item.typed.is_empty() {
                continue;
            }
            let single_word = clause.len() == 1
                && !clause.iter().any(|p: &Part| p.quoted)
                && item.typed[0].len() == 1;
            if single_word {
                item.stop = STOP_WORDS.contains(&clause[0].text.to_lowercase().as_str());
                if let Some(run) = runs.last_mut() {
                    run.push(items.len());
                }
            } else {
                runs.push(Vec::new());
            }
            items.push(item);
        }
        if items.is_empty() && reading.unwanted.is_empty() {
            return Ok(None);
        }
        let also = self.expand(&mut items, &runs);
        if items.iter().all(|item| item.stop) {
            items.iter_mut().for_each(|item| item.stop = false);
        }
        let counted = items.iter().filter(|item| !item.stop).count();
        let required = match grade {
            Grade::AnyItem => 1,
            Grade::Graded if counted <= 2 => counted,
            Grade::Graded => counted / 2 + 1,
        };
        let common = self.all_common(searcher, &items)?;
        Ok(Some(self.assemble(
            reading, items, required, also, corrected, common,
        )))
    }

    /// Adds the thesaurus's other words to the items it finds phrases of; returns them as
    /// written, for the reader.
    fn expand(&self, items: &mut [Item], runs: &[Vec<usize>]) -> Vec<String> {
        let thesaurus = self.thesaurus();
        let mut also: Vec<String> = Vec::new();
        for run in runs {
            let tokens: Vec<&str> = run.iter().map(|&i| items[i].typed[0][0].as_str()).collect();
            let mut additions: Vec<(usize, Vec<Synonym>)> = Vec::new();
            for found in thesaurus.find(&tokens) {
                let typed = &tokens[found.start..found.start + found.len];
                // A synonym that holds the words typed ("under embargo" for "embargo") finds
                // nothing they do not, and its phrase is costly to check in long texts.
                let others: Vec<_> = thesaurus
                    .others(found.group, typed)
                    .into_iter()
                    .filter(|entry| !holds(&entry.tokens, typed))
                    .collect();
                for entry in &others {
                    if !also.contains(&entry.text) {
                        also.push(entry.text.clone());
                    }
                }
                for &item in &run[found.start..found.start + found.len] {
                    additions.push((
                        item,
                        others
                            .iter()
                            .map(|e| (e.tokens.clone(), found.len))
                            .collect(),
                    ));
                }
            }
            for (item, synonyms) in additions {
                items[item].synonyms.extend(synonyms);
                // A synonym of a common word makes it a word that counts.
                items[item].stop = false;
            }
        }
        also
    }

    fn assemble(
        &self,
        reading: &Reading,
        items: Vec<Item>,
        required: usize,
        also: Vec<String>,
        corrected: Vec<(String, String)>,
        common: bool,
    ) -> Graded {
        let counting = items.iter().filter(|item| !item.stop).count();
        // When every item must match as typed, every result matches as many: BM25 alone
        // ranks them, and the query stays as cheap as a plain conjunction.
        let coordinate = required < counting || items.iter().any(|i| !i.synonyms.is_empty());
        let mut clauses = self.scoring(&items, required, coordinate, None);
        // Each counted item, anywhere in a lesson: what decides whether it matches.
        let held: Vec<Vec<Box<dyn Query>>> = items
            .iter()
            .filter(|item| !item.stop)
            .map(|item| self.held(item))
            .collect();
        let mut terms: Vec<Box<dyn Query>> = Vec::new();
        for item in &items {
            for token in item.typed.iter().flatten() {
                terms.extend(self.in_every_field(std::slice::from_ref(token), 1.0, None));
            }
            for (tokens, span) in item.synonyms.iter().filter(|(t, _)| t.len() == 1) {
                terms.extend(self.in_every_field(tokens, SYNONYM_WEIGHT / *span as f32, None));
            }
        }
        let mut matching = Matching {
            items: held,
            required,
            unwanted: Vec::new(),
            lessons: self.every_lesson(),
        };
        let every_item = (required < counting).then(|| Matching {
            required: counting,
            ..matching.clone()
        });
        let mut analyzer = analyzer::query_analyzer();
        for part in &reading.unwanted {
            let tokens = analyzer::tokens(&mut analyzer, &part.text);
            if !tokens.is_empty() {
                // Anywhere in a lesson, as one query: what every text field holds.
                let unwanted = self.anywhere(&tokens);
                clauses.push((Occur::MustNot, unwanted.box_clone()));
                matching.unwanted.push(unwanted);
            }
        }
        let phrases = near_words(&items).len() >= 2
            || items.iter().any(|item| {
                item.typed.iter().any(|tokens| tokens.len() > 1)
                    || item.synonyms.iter().any(|(tokens, _)| tokens.len() > 1)
            });
        Graded {
            query: Box::new(BooleanQuery::new(clauses)),
            matching,
            every_item,
            terms: if terms.is_empty() {
                Box::new(AllQuery)
            } else {
                Box::new(BooleanQuery::union(terms))
            },
            required,
            counted: counting,
            approximate: coordinate || phrases,
            coordinate,
            items,
            also,
            corrected,
            common,
        }
    }

    /// Whether every word typed ("the of", "in the") is in more than [`COMMON_SHARE`] of
    /// the lessons, in an index of at least [`COMMON_FROM`], with no thesaurus word added.
    fn all_common(&self, searcher: &Searcher, items: &[Item]) -> Result<bool> {
        let lessons = self.lesson_count(searcher);
        if lessons < COMMON_FROM || items.iter().any(|item| !item.synonyms.is_empty()) {
            return Ok(false);
        }
        let mut any = false;
        for token in items.iter().flat_map(|item| item.typed.iter().flatten()) {
            let with_word = searcher.doc_freq(&Term::from_field_text(self.fields.all, token))?;
            if (with_word as f64) <= COMMON_SHARE * lessons as f64 {
                return Ok(false);
            }
            any = true;
        }
        Ok(any)
    }

    /// A query scoring the candidates as `graded`'s query does, its phrases asked of the
    /// candidates alone: what ranks a few lessons again without reading past them. Only
    /// the candidates' scores are meant (its single words may match others), and words to
    /// leave out are left out: the candidates already passed them.
    pub(crate) fn rescoring(
        &self,
        graded: &Graded,
        candidates: &Arc<Candidates>,
    ) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(self.scoring(
            &graded.items,
            graded.required,
            graded.coordinate,
            Some(candidates),
        )))
    }

    /// The clauses that rank: at least `required` of the counted items (each scoring
    /// [`MATCHED`] when `coordinate`), the common words, and the words' nearness. With
    /// `within`, phrases are asked only of those candidates.
    fn scoring(
        &self,
        items: &[Item],
        required: usize,
        coordinate: bool,
        within: Option<&Arc<Candidates>>,
    ) -> Vec<(Occur, Box<dyn Query>)> {
        let mut counted: Vec<Box<dyn Query>> = Vec::new();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for item in items {
            let typed = self.any_of(item.typed.iter().map(|t| (t.as_slice(), 1.0)), within);
            if item.stop {
                clauses.push((Occur::Should, typed));
                continue;
            }
            counted.push(if !coordinate {
                typed
            } else if item.synonyms.is_empty() {
                scored_match(typed, MATCHED)
            } else {
                let synonyms = self.any_of(
                    item.synonyms
                        .iter()
                        .map(|(t, span)| (t.as_slice(), SYNONYM_WEIGHT / *span as f32)),
                    within,
                );
                Box::new(BooleanQuery::union(vec![
                    scored_match(typed, MATCHED),
                    scored_match(synonyms, MATCHED * MATCHED_BY_SYNONYM),
                ]))
            });
        }
        clauses.insert(0, (Occur::Must, self.at_least(counted, required)));
        if let Some(near) = self.nearness(items, within) {
            clauses.push((Occur::Should, near));
        }
        clauses
    }

    /// Lessons matching at least `required` of `items`; every lesson when there are none
    /// (a query of nothing but words to leave out).
    fn at_least(&self, items: Vec<Box<dyn Query>>, required: usize) -> Box<dyn Query> {
        match <[Box<dyn Query>; 1]>::try_from(items) {
            Ok([only]) => only,
            Err(none) if none.is_empty() => self.every_lesson(),
            Err(items) => Box::new(BooleanQuery::with_minimum_required_clauses(
                items.into_iter().map(|q| (Occur::Should, q)).collect(),
                required,
            )),
        }
    }

    /// What holds the item anywhere in a lesson: each way of writing it, as typed or
    /// through the thesaurus.
    fn held(&self, item: &Item) -> Vec<Box<dyn Query>> {
        item.typed
            .iter()
            .chain(item.synonyms.iter().map(|(tokens, _)| tokens))
            .map(|tokens| self.anywhere(tokens))
            .collect()
    }

    /// A word or phrase anywhere in a lesson. A phrase whose every two neighbouring words
    /// hold a common one is read from the pairs field, whose terms are rare, rather than
    /// from the positions of every lesson holding its common words.
    fn anywhere(&self, tokens: &[String]) -> Box<dyn Query> {
        let paired = tokens.len() > 1
            && tokens
                .windows(2)
                .all(|two| analyzer::is_common(&two[0]) || analyzer::is_common(&two[1]));
        if !paired {
            return phrase(self.fields.all, tokens, 0);
        }
        let pairs: Vec<String> = tokens
            .windows(2)
            .map(|two| analyzer::pair(&two[0], &two[1]))
            .collect();
        phrase(self.fields.pairs, &pairs, 0)
    }

    /// Any of the token sequences, in any text field, each scored with its weight.
    fn any_of<'t>(
        &self,
        alternatives: impl IntoIterator<Item = (&'t [String], f32)>,
        within: Option<&Arc<Candidates>>,
    ) -> Box<dyn Query> {
        Box::new(BooleanQuery::union(
            alternatives
                .into_iter()
                .flat_map(|(tokens, weight)| self.in_every_field(tokens, weight, within))
                .collect(),
        ))
    }

    /// A word or phrase in each text field, boosted by the field's boost and `weight`.
    fn in_every_field(
        &self,
        tokens: &[String],
        weight: f32,
        within: Option<&Arc<Candidates>>,
    ) -> Vec<Box<dyn Query>> {
        self.fields
            .text_with_boosts()
            .iter()
            .map(|&(field, boost)| {
                Box::new(BoostQuery::new(
                    checked(phrase(field, tokens, 0), tokens.len(), within),
                    boost * weight,
                )) as Box<dyn Query>
            })
            .collect()
    }

    /// The counted single words near one another in a long text field, when there are two.
    fn nearness(&self, items: &[Item], within: Option<&Arc<Candidates>>) -> Option<Box<dyn Query>> {
        let words = near_words(items);
        if words.len() < 2 {
            return None;
        }
        let f = &self.fields;
        Some(Box::new(BooleanQuery::union(
            [(f.title, 3.0), (f.lesson, 1.5), (f.narrative, 1.0)]
                .into_iter()
                .map(|(field, boost)| {
                    Box::new(BoostQuery::new(
                        checked(phrase(field, &words, NEAR_SLOP), words.len(), within),
                        boost * NEAR_WEIGHT,
                    )) as Box<dyn Query>
                })
                .collect(),
        )))
    }
}

/// The counted single words, whose nearness to one another scores when there are two.
fn near_words(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .filter(|item| !item.stop && item.typed.len() == 1 && item.typed[0].len() == 1)
        .map(|item| item.typed[0][0].clone())
        .collect()
}

/// A phrase of `len` words, asked only of the candidates when there are some.
fn checked(query: Box<dyn Query>, len: usize, within: Option<&Arc<Candidates>>) -> Box<dyn Query> {
    match within {
        Some(candidates) if len > 1 => Box::new(Within::new(query, Arc::clone(candidates))),
        _ => query,
    }
}

/// Matches what `query` matches, scoring `bonus` plus `query`'s own score.
fn scored_match(query: Box<dyn Query>, bonus: f32) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(query.box_clone(), bonus)),
        ),
        (Occur::Should, query),
    ]))
}

/// A term, or a phrase of terms within `slop` positions.
pub(crate) fn phrase(field: Field, tokens: &[String], slop: u32) -> Box<dyn Query> {
    let mut terms: Vec<Term> = tokens
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    match terms.len() {
        1 => Box::new(TermQuery::new(
            terms.remove(0),
            IndexRecordOption::WithFreqs,
        )),
        _ => {
            let mut query = PhraseQuery::new(terms);
            query.set_slop(slop);
            Box::new(query)
        }
    }
}

/// Whether `tokens` hold `typed` as consecutive words.
fn holds(tokens: &[String], typed: &[&str]) -> bool {
    !typed.is_empty()
        && tokens
            .windows(typed.len())
            .any(|window| window.iter().zip(typed).all(|(a, b)| a == b))
}
