//! Facet counts for the other values of a facet already chosen from, so that choosing one
//! channel still lists the channels it could be combined with.
//!
//! Values of one facet are alternatives (OR): counting them among results already narrowed
//! to the chosen value would leave that value alone in its list. So a facet with a choice is
//! counted once more, on the search with every filter but its own.

use tantivy::{Searcher, query::Query};

use crate::{
    budget::Budgeted,
    error::Result,
    facets::{FIELDS, FacetCounter},
    index::SearchIndex,
    query::{FacetCount, Facets, Filters, MATCH_BUDGET, with_clauses},
};

/// The facets whose values are alternatives, with where each keeps its choice and its counts,
/// and its name in [`FIELDS`].
type Facet = (
    fn(&mut Filters) -> &mut Vec<String>,
    fn(&mut Facets) -> &mut Vec<FacetCount>,
    &'static str,
);

const ALTERNATIVES: [Facet; 4] = [
    (|f| &mut f.channel, |f| &mut f.channel, "channel"),
    (|f| &mut f.impact, |f| &mut f.impact, "impact"),
    (|f| &mut f.factor, |f| &mut f.factor, "factor"),
    (|f| &mut f.tag, |f| &mut f.tag, "tag"),
];

impl SearchIndex {
    /// Replaces the counts of each facet with a choice by its counts without that choice.
    pub(crate) fn count_alternatives(
        &self,
        searcher: &Searcher,
        text_query: &dyn Query,
        filters: &Filters,
        facets: &mut Facets,
    ) -> Result<()> {
        for (choice, counts, field) in ALTERNATIVES {
            let mut others = filters.clone();
            if choice(&mut others).is_empty() {
                continue;
            }
            choice(&mut others).clear();
            let query = with_clauses(text_query.box_clone(), &self.filter_clauses(&others));
            let sample = searcher.search(
                &*query,
                // Only this facet's counts are kept: the others are counted with every filter.
                &Budgeted::new(
                    FacetCounter {
                        only: FIELDS.iter().position(|name| *name == field),
                        ..self.facet_counter()
                    },
                    MATCH_BUDGET,
                    searcher.num_docs(),
                ),
            )?;
            let scale = if sample.complete || sample.matched == 0 {
                1.0
            } else {
                sample.total as f64 / sample.matched as f64
            };
            let mut wider = self.facets(sample.fruit, &others, scale);
            *counts(facets) = std::mem::take(counts(&mut wider));
        }
        Ok(())
    }
}
