//! A search by graded matching: the graded query, then any one word, then spellings to offer.

use std::sync::Arc;

use tantivy::{
    DocSet, Searcher, TERMINATED, Term, query::EnableScoring, schema::IndexRecordOption,
};

use crate::{
    checks::Matching,
    error::Result,
    graded::{Grade, MATCHED},
    index::SearchIndex,
    query::{Notice, Plan, SearchRequest, SearchResults},
    reading::Reading,
    topk::{Pruning, Rescoring},
    within::Candidates,
};

impl SearchIndex {
    /// Graded matching of plain words, phrases, exclusions and OR; then, when nothing
    /// matched, any one of them; then, when still nothing, other spellings to offer.
    pub(crate) fn search_graded(
        &self,
        searcher: &Searcher,
        reading: &Reading,
        request: &SearchRequest,
    ) -> Result<SearchResults> {
        let mut notices = Vec::new();
        let mut results = SearchResults::default();
        let mut tried = None;
        for grade in [Grade::Graded, Grade::AnyItem] {
            let Some(graded) = self.graded(searcher, reading, grade)? else {
                break;
            };
            // A query of one word already asked for any one of them.
            if tried == Some(graded.required) {
                break;
            }
            tried = Some(graded.required);
            let pruning = Pruning {
                scoring: graded.terms.box_clone(),
                matching: graded.matching.clone(),
                rescore: graded.approximate.then(|| {
                    Box::new(|candidates: &Arc<Candidates>| self.rescoring(&graded, candidates))
                        as Rescoring
                }),
                common: graded.common,
            };
            let plan = Plan {
                scoring: graded.query.box_clone(),
                matching: graded.matching.query(),
                pruning: Some(pruning),
            };
            results = self.run(searcher, plan, request)?;
            notices = graded
                .corrected
                .iter()
                .map(|(typed, searched)| Notice::Corrected {
                    typed: typed.clone(),
                    searched: searched.clone(),
                })
                .collect();
            if !graded.also.is_empty() {
                notices.push(Notice::AlsoSearched {
                    words: graded.also.clone(),
                });
            }
            results.also_searched_for = graded.also.clone();
            if results.total > 0 {
                if grade == Grade::AnyItem {
                    notices.push(Notice::AnyWord);
                } else if let Some(every) = &graded.every_item {
                    // A score of a match for every item, each as typed, needs no check.
                    let every_typed = graded.counted as f32 * MATCHED;
                    let shown: Vec<&str> = results
                        .hits
                        .iter()
                        .filter(|h| h.score < every_typed)
                        .map(|h| h.report_ref.as_str())
                        .collect();
                    if !self.all_match(searcher, every, &shown)? {
                        notices.push(Notice::SomeWords);
                    }
                }
                break;
            }
        }
        if results.total == 0 {
            results.did_you_mean = self.did_you_mean(searcher, reading)?;
        }
        results.notices = notices;
        Ok(results)
    }

    /// Whether every report of `refs` matches `matching`.
    fn all_match(&self, searcher: &Searcher, matching: &Matching, refs: &[&str]) -> Result<bool> {
        let weights = matching.weights(EnableScoring::disabled_from_searcher(searcher))?;
        for report_ref in refs {
            let term = Term::from_field_text(self.fields.report_ref, report_ref);
            let mut matched = false;
            for reader in searcher.segment_readers() {
                let Some(mut postings) = reader
                    .inverted_index(self.fields.report_ref)?
                    .read_postings(&term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED && reader.is_deleted(doc) {
                    doc = postings.advance();
                }
                if doc != TERMINATED {
                    matched = weights.checks(reader)?.holds(doc);
                    break;
                }
            }
            if !matched {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
