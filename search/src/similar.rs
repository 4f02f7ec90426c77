//! "Similar reports": a more-like-this query over the text fields.
//!
//! Built here rather than with tantivy's `MoreLikeThisQuery`, which asserts that a word's
//! document frequency never exceeds the number of documents: a replaced or withdrawn report
//! leaves deleted documents behind until segments merge, and that assertion then panics.

use std::collections::HashMap;

use tantivy::{
    DocAddress, Searcher, TantivyDocument, Term,
    collector::TopDocs,
    query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery},
    schema::{Field, IndexRecordOption, Value},
};

use crate::{error::Result, index::SearchIndex, query::Hit};

/// The most telling words a query keeps: enough to find the gist, few enough to stay fast.
const MAX_TERMS: usize = 25;
/// Shorter words say little about what a report is about.
const MIN_WORD_CHARS: usize = 3;
/// Words in more than this share of the reports say little about what one is about either:
/// a report that shares only such words with another is not like it.
const COMMON_SHARE: f64 = 0.2;
/// Reports below which every word is judged telling: in a handful, all words look common.
const COMMON_FROM: u64 = 50;

impl SearchIndex {
    /// Published reports most like the one with `report_ref`, itself excluded. Empty when the
    /// report is not in the index.
    pub fn similar_to(&self, report_ref: &str, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let own = Term::from_field_text(self.fields().report_ref, report_ref);
        let found = searcher.search(
            &TermQuery::new(own.clone(), IndexRecordOption::Basic),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some(&(_, address)) = found.first() else {
            return Ok(Vec::new());
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        let f = self.fields();
        let texts: Vec<(Field, String)> = [f.title, f.narrative, f.lesson]
            .into_iter()
            .map(|field| {
                let text = doc
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned();
                (field, text)
            })
            .collect();
        let Some(like) = self.telling_terms(&searcher, &texts)? else {
            return Ok(Vec::new());
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, like),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(own, IndexRecordOption::Basic)),
            ),
        ]);
        self.top(&searcher, &query, limit)
    }

    /// Published reports most like a text being written, such as a draft on the report form.
    pub fn similar_to_text(&self, title: &str, narrative: &str, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let f = self.fields();
        let texts = [
            (f.title, title.to_owned()),
            (f.narrative, narrative.to_owned()),
        ];
        match self.telling_terms(&searcher, &texts)? {
            Some(query) => self.top(&searcher, query.as_ref(), limit),
            None => Ok(Vec::new()),
        }
    }

    /// A query for the words of `texts` that are frequent there and rare in the index
    /// (tf × idf), each boosted by that weight; `None` when no word is known to the index.
    fn telling_terms(
        &self,
        searcher: &Searcher,
        texts: &[(Field, String)],
    ) -> Result<Option<Box<dyn Query>>> {
        let mut counts: HashMap<Term, u32> = HashMap::new();
        for (field, text) in texts {
            let mut analyzer = searcher.index().tokenizer_for_field(*field)?;
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                let word = &stream.token().text;
                if word.chars().count() >= MIN_WORD_CHARS {
                    *counts
                        .entry(Term::from_field_text(*field, word))
                        .or_default() += 1;
                }
            }
        }
        let documents = searcher.num_docs();
        let mut weighted = Vec::with_capacity(counts.len());
        for (term, frequency) in counts {
            let with_word = searcher.doc_freq(&term)?;
            if documents >= COMMON_FROM && with_word as f64 > COMMON_SHARE * documents as f64 {
                continue;
            }
            if let Some(idf) = idf(with_word, documents) {
                weighted.push((frequency as f32 * idf, term));
            }
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        let clauses: Vec<(Occur, Box<dyn Query>)> = weighted
            .into_iter()
            .take(MAX_TERMS)
            .filter(|(weight, _)| *weight > 0.0)
            .map(|(weight, term)| {
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                let boosted: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(query), weight));
                (Occur::Should, boosted)
            })
            .collect();
        Ok((!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>))
    }

    fn top(&self, searcher: &Searcher, query: &dyn Query, limit: usize) -> Result<Vec<Hit>> {
        let found: Vec<(f32, DocAddress)> =
            searcher.search(query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        self.hits(searcher, query, "", found)
    }
}

/// BM25's inverse document frequency of a word found in `with_word` of `documents`; `None`
/// for a word the index does not know. Deleted documents still count in a word's frequency
/// until a merge, so it may exceed the number of documents: capped here.
fn idf(with_word: u64, documents: u64) -> Option<f32> {
    let with_word = with_word.min(documents);
    (with_word > 0).then(|| {
        (1.0 + (documents - with_word) as f32 / (with_word as f32 + 0.5)
            + 0.5 / (with_word as f32 + 0.5))
            .ln()
    })
}

#[cfg(test)]
mod tests {
    use super::idf;

    #[test]
    fn a_frequency_past_the_document_count_is_capped_not_a_panic() {
        // Three copies of a word in two live documents: one copy belongs to a deleted one.
        assert_eq!(idf(3, 2), idf(2, 2));
        assert!(idf(3, 2).is_some_and(|w| w.is_finite() && w > 0.0));
        assert!(idf(1, 100) > idf(50, 100), "rarer words weigh more");
        assert_eq!(idf(0, 100), None);
        assert_eq!(idf(5, 0), None);
    }
}
