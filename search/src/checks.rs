//! Asking whether single candidates match, without scanning the index on the way.
//!
//! The pruned plan (see [`crate::topk`]) finds candidates in a union of terms and asks each
//! whether it matches the query. tantivy answers such a question with a seek, which moves
//! on to the query's next match: for a phrase, or a union holding one, that means reading
//! positions up to wherever the next match is, which for a synonym made of common words
//! ("reply to all") is most of the index. Here a query is asked in the danger zone's way
//! instead, one candidate at a time, and a union or a share of items is counted from its
//! parts' answers, so that no part ever reads past the candidate it is asked about.

use tantivy::{
    DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED,
    query::{BooleanQuery, EnableScoring, Occur, Query, Scorer, Weight},
};

use crate::error::Result;

/// What a lesson must hold to match: at least `required` of the items (an item is held when
/// any of its alternatives is), and none of the things to leave out.
#[derive(Debug)]
pub(crate) struct Matching {
    pub(crate) items: Vec<Vec<Box<dyn Query>>>,
    pub(crate) required: usize,
    pub(crate) unwanted: Vec<Box<dyn Query>>,
    /// Every lesson: what matches when there are no items.
    pub(crate) lessons: Box<dyn Query>,
}

impl Clone for Matching {
    fn clone(&self) -> Self {
        let clone_all =
            |queries: &[Box<dyn Query>]| queries.iter().map(|q| q.box_clone()).collect();
        Self {
            items: self.items.iter().map(|item| clone_all(item)).collect(),
            required: self.required,
            unwanted: clone_all(&self.unwanted),
            lessons: self.lessons.box_clone(),
        }
    }
}

impl Matching {
    /// The same as one query, for scans and counts.
    pub(crate) fn query(&self) -> Box<dyn Query> {
        let any = |item: &[Box<dyn Query>]| -> Box<dyn Query> {
            match item {
                [only] => only.box_clone(),
                _ => Box::new(BooleanQuery::union(
                    item.iter().map(|q| q.box_clone()).collect(),
                )),
            }
        };
        let core: Box<dyn Query> = match self.items.as_slice() {
            [] => self.lessons.box_clone(),
            [only] => any(only),
            items => Box::new(BooleanQuery::with_minimum_required_clauses(
                items
                    .iter()
                    .map(|item| (Occur::Should, any(item)))
                    .collect(),
                self.required,
            )),
        };
        if self.unwanted.is_empty() {
            return core;
        }
        let mut clauses = vec![(Occur::Must, core)];
        clauses.extend(
            self.unwanted
                .iter()
                .map(|q| (Occur::MustNot, q.box_clone())),
        );
        Box::new(BooleanQuery::new(clauses))
    }

    /// Its parts' weights, with scoring disabled, to ask segments with.
    pub(crate) fn weights(&self, scoring: EnableScoring<'_>) -> Result<MatchingWeights> {
        let weigh = |queries: &[Box<dyn Query>]| {
            queries
                .iter()
                .map(|q| q.weight(scoring))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        Ok(MatchingWeights {
            items: self
                .items
                .iter()
                .map(|item| weigh(item))
                .collect::<tantivy::Result<_>>()?,
            required: self.required,
            unwanted: weigh(&self.unwanted)?,
            lessons: self
                .items
                .is_empty()
                .then(|| self.lessons.weight(scoring))
                .transpose()?,
        })
    }
}

pub(crate) struct MatchingWeights {
    items: Vec<Vec<Box<dyn Weight>>>,
    required: usize,
    unwanted: Vec<Box<dyn Weight>>,
    lessons: Option<Box<dyn Weight>>,
}

impl MatchingWeights {
    /// The checks of one segment.
    pub(crate) fn checks(&self, reader: &SegmentReader) -> Result<MatchingChecks> {
        let check = |weight: &dyn Weight| Check::new(weight, reader);
        let checks = |weights: &[Box<dyn Weight>]| {
            weights
                .iter()
                .map(|weight| check(weight.as_ref()))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        Ok(MatchingChecks {
            items: self
                .items
                .iter()
                .map(|item| checks(item))
                .collect::<tantivy::Result<_>>()?,
            required: self.required,
            unwanted: checks(&self.unwanted)?,
            lessons: self
                .lessons
                .as_ref()
                .map(|weight| check(weight.as_ref()))
                .transpose()?,
        })
    }
}

/// A segment's checks of a [`Matching`], asked of documents in increasing order.
pub(crate) struct MatchingChecks {
    items: Vec<Vec<Check>>,
    required: usize,
    unwanted: Vec<Check>,
    lessons: Option<Check>,
}

impl MatchingChecks {
    /// Whether nothing in the segment can match.
    pub(crate) fn none(&self) -> bool {
        let held = self
            .items
            .iter()
            .filter(|item| item.iter().any(|check| !check.exhausted()))
            .count();
        held < self.required || self.lessons.as_ref().is_some_and(Check::exhausted)
    }

    pub(crate) fn holds(&mut self, doc: DocId) -> bool {
        if let Some(lessons) = &mut self.lessons
            && !lessons.holds(doc)
        {
            return false;
        }
        let mut held = 0;
        let mut left = self.items.len();
        for item in &mut self.items {
            if held >= self.required {
                break;
            }
            if held + left < self.required {
                return false;
            }
            left -= 1;
            if item.iter_mut().any(|check| check.holds(doc)) {
                held += 1;
            }
        }
        held >= self.required && !self.unwanted.iter_mut().any(|check| check.holds(doc))
    }
}

/// A query asked of one document at a time, in increasing order.
pub(crate) struct Check {
    scorer: Box<dyn Scorer>,
    /// No document below this one matches: those need no asking.
    from: DocId,
    /// The document last found, which the scorer may not be asked again.
    found: Option<DocId>,
}

impl Check {
    /// `weight`'s check in a segment. A scorer made the usual way starts at its first match,
    /// which for a rare phrase of common words means reading positions through most of the
    /// segment; this one starts at its first document, unread.
    pub(crate) fn new(weight: &dyn Weight, reader: &SegmentReader) -> tantivy::Result<Self> {
        Self::starting_at(weight, reader, 0, 1.0)
    }

    /// `weight`'s check in a segment, first asked about `first`, its scores boosted by
    /// `boost`.
    pub(crate) fn starting_at(
        weight: &dyn Weight,
        reader: &SegmentReader,
        first: DocId,
        boost: Score,
    ) -> tantivy::Result<Self> {
        let (answer, scorer) = weight.scorer_danger(reader, first, boost)?;
        let mut check = Self {
            scorer,
            from: first,
            found: None,
        };
        check.learn(first, answer);
        Ok(check)
    }

    pub(crate) fn exhausted(&self) -> bool {
        self.found.is_none() && self.from == TERMINATED
    }

    /// Whether `doc` matches. The danger zone's seek only answers for `doc`, and tells
    /// below which document nothing else matches.
    pub(crate) fn holds(&mut self, doc: DocId) -> bool {
        if self.found == Some(doc) {
            return true;
        }
        if doc < self.from {
            return false;
        }
        let answer = self.scorer.seek_danger(doc);
        self.learn(doc, answer)
    }

    /// The score of the document last found to match.
    pub(crate) fn score(&mut self) -> Score {
        self.scorer.score()
    }

    fn learn(&mut self, doc: DocId, answer: SeekDangerResult) -> bool {
        match answer {
            SeekDangerResult::Found => {
                self.found = Some(doc);
                self.from = doc + 1;
                true
            }
            SeekDangerResult::SeekLowerBound(bound) => {
                self.found = None;
                self.from = bound;
                false
            }
        }
    }
}
