//! The best matches of a plain-words query, found with block-max pruning.
//!
//! tantivy prunes a union of terms (block-WAND: whole blocks of postings whose best possible
//! score cannot enter the top are skipped), but not a conjunction of unions — which is what
//! "all these words, in any of the text fields" is — nor a query with filters. Both are read
//! here as the union of all their terms, pruned, with every candidate that could enter the
//! top checked against the words it must contain and the filters it must pass. On the
//! documents that pass, the union's score is the conjunction's score (both sum the same term
//! scores), so the result is the same as scoring every match.

use std::{cmp::Reverse, collections::BinaryHeap};

use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, TERMINATED,
    query::{EnableScoring, Query, Scorer},
};

use crate::error::Result;

/// A score ordered totally, so that it can sit in a heap.
#[derive(Clone, Copy, PartialEq)]
struct Ranked(Score);

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The `k` best documents by `scoring`'s score among those matching every query of
/// `required`, best first; equal scores in index order. `scoring` must be a union of term
/// queries for the pruning to apply (other queries work, unpruned).
pub fn top_k(
    searcher: &Searcher,
    scoring: &dyn Query,
    required: &[Box<dyn Query>],
    k: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let weight = scoring.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let required = required
        .iter()
        .map(|query| query.weight(EnableScoring::disabled_from_searcher(searcher)))
        .collect::<tantivy::Result<Vec<_>>>()?;
    // The worst of the best so far, across segments: the lowest score (and, among equal
    // scores, the latest address) is the first to go.
    let mut best: BinaryHeap<Reverse<(Ranked, Reverse<DocAddress>)>> = BinaryHeap::new();
    if k == 0 {
        return Ok(Vec::new());
    }
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut checks = required
            .iter()
            .map(|weight| weight.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<Box<dyn Scorer>>>>()?;
        if checks.iter().any(|check| check.doc() == TERMINATED) {
            continue;
        }
        let alive = reader.alive_bitset();
        let mut threshold = match best.peek() {
            Some(Reverse((Ranked(score), _))) if best.len() >= k => *score,
            _ => Score::MIN,
        };
        weight.for_each_pruning(threshold, reader, &mut |doc: DocId, score: Score| {
            if alive.is_some_and(|bits| bits.is_deleted(doc)) || !all_match(&mut checks, doc) {
                return threshold;
            }
            best.push(Reverse((
                Ranked(score),
                Reverse(DocAddress::new(ord as u32, doc)),
            )));
            if best.len() > k {
                best.pop();
            }
            if best.len() >= k
                && let Some(Reverse((Ranked(worst), _))) = best.peek()
            {
                threshold = *worst;
            }
            threshold
        })?;
    }
    let mut top: Vec<(Score, DocAddress)> = best
        .into_iter()
        .map(|Reverse((Ranked(score), Reverse(address)))| (score, address))
        .collect();
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(top)
}

/// Whether `doc` matches every check; candidates come in increasing order, so each check
/// only moves forward.
fn all_match(checks: &mut [Box<dyn Scorer>], doc: DocId) -> bool {
    checks.iter_mut().all(|check| {
        if check.doc() < doc {
            check.seek(doc);
        }
        check.doc() == doc
    })
}
