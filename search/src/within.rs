//! Scoring a few known lessons by a query with phrases, without reading past them.
//!
//! Asked for a lesson it does not match, a phrase scorer moves on to its next match, reading
//! the positions of every lesson holding all its words on the way; when the phrase is a
//! synonym of common words ("reply to all"), or the nearness of two words, that is most of
//! the index. Ranking twenty candidates again must not cost a scan: [`Within`] restricts a
//! query to the candidates and only asks it, of each, whether it matches there.

use std::{collections::HashMap, sync::Arc};

use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED,
    index::SegmentId,
    query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight},
};

use crate::checks::Check;

/// Lessons to score, by segment, each segment's in increasing order.
#[derive(Debug, Default)]
pub(crate) struct Candidates(HashMap<SegmentId, Vec<DocId>>);

impl Candidates {
    pub(crate) fn of(searcher: &Searcher, addresses: &[DocAddress]) -> Self {
        let mut by_segment: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        for address in addresses {
            let segment = searcher.segment_reader(address.segment_ord).segment_id();
            by_segment.entry(segment).or_default().push(address.doc_id);
        }
        for docs in by_segment.values_mut() {
            docs.sort_unstable();
            docs.dedup();
        }
        Self(by_segment)
    }
}

/// `query`, matching only among the candidates.
#[derive(Debug)]
pub(crate) struct Within {
    query: Box<dyn Query>,
    candidates: Arc<Candidates>,
}

impl Within {
    pub(crate) fn new(query: Box<dyn Query>, candidates: Arc<Candidates>) -> Self {
        Self { query, candidates }
    }
}

impl Clone for Within {
    fn clone(&self) -> Self {
        Self::new(self.query.box_clone(), Arc::clone(&self.candidates))
    }
}

impl Query for Within {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(WithinWeight {
            inner: self.query.weight(enable_scoring)?,
            candidates: Arc::clone(&self.candidates),
        }))
    }
}

struct WithinWeight {
    inner: Box<dyn Weight>,
    candidates: Arc<Candidates>,
}

impl Weight for WithinWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = match self.candidates.0.get(&reader.segment_id()) {
            Some(docs) if !docs.is_empty() => docs.clone(),
            _ => return Ok(Box::new(EmptyScorer)),
        };
        // The scorer starts at the first candidate, not at the query's first match.
        let check = Check::starting_at(self.inner.as_ref(), reader, docs[0], boost)?;
        let mut scorer = WithinScorer {
            check,
            docs,
            next: 0,
            doc: TERMINATED,
        };
        scorer.doc = if scorer.check.holds(scorer.docs[0]) {
            scorer.docs[0]
        } else {
            scorer.next_match()
        };
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct WithinScorer {
    /// The inner query, asked of each candidate in turn.
    check: Check,
    docs: Vec<DocId>,
    /// The index in `docs` of the current document.
    next: usize,
    doc: DocId,
}

impl WithinScorer {
    /// Moves to the next candidate the inner query matches.
    fn next_match(&mut self) -> DocId {
        loop {
            self.next += 1;
            let Some(&candidate) = self.docs.get(self.next) else {
                return TERMINATED;
            };
            if self.check.holds(candidate) {
                return candidate;
            }
        }
    }
}

impl DocSet for WithinScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.next_match();
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        // The candidates before the target are passed over unasked.
        let skip = self.docs[self.next..].partition_point(|&doc| doc < target);
        self.next += skip.saturating_sub(1);
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.docs.len() - self.next).unwrap_or(u32::MAX)
    }
}

impl Scorer for WithinScorer {
    fn score(&mut self) -> Score {
        // The inner query was last asked of this document and found it.
        self.check.score()
    }
}
