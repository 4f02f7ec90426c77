//! "Similar reports": more-like-this over the text fields.

use tantivy::{
    DocAddress, Term,
    collector::TopDocs,
    query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery},
    schema::{IndexRecordOption, OwnedValue},
};

use crate::{error::Result, index::SearchIndex, query::Hit};

impl SearchIndex {
    fn like_this() -> tantivy::query::MoreLikeThisQueryBuilder {
        MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency(u64::MAX)
            .with_min_term_frequency(1)
            .with_min_word_length(3)
            .with_max_query_terms(25)
    }

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
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(Self::like_this().with_document(address)) as Box<dyn Query>,
            ),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(own, IndexRecordOption::Basic)),
            ),
        ]);
        self.top(&query, limit)
    }

    /// Published reports most like a text being written, such as a draft on the report form.
    pub fn similar_to_text(&self, title: &str, narrative: &str, limit: usize) -> Result<Vec<Hit>> {
        if title.trim().is_empty() && narrative.trim().is_empty() {
            return Ok(Vec::new());
        }
        let f = self.fields();
        let query = Self::like_this().with_document_fields(vec![
            (f.title, vec![OwnedValue::Str(title.to_owned())]),
            (f.narrative, vec![OwnedValue::Str(narrative.to_owned())]),
        ]);
        self.top(&query, limit)
    }

    fn top(&self, query: &dyn Query, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let found: Vec<(f32, DocAddress)> =
            searcher.search(query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        self.hits(&searcher, query, "", found)
    }
}
