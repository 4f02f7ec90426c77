//! "Similar reports": a more-like-this query over what tells a report's mistake apart — its
//! telling words, the thesaurus's other words for the things it names, its contributing
//! factors — with its channel as a tie-breaker.
//!
//! Built here rather than with tantivy's `MoreLikeThisQuery`, which asserts that a word's
//! document frequency never exceeds the number of documents: a replaced or withdrawn report
//! leaves deleted documents behind until segments merge, and that assertion then panics.

use std::collections::HashMap;

use tantivy::{
    DocAddress, Searcher, TantivyDocument, Term,
    collector::TopDocs,
    query::{
        BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryClone, TermQuery,
    },
    schema::{Facet, Field, IndexRecordOption, Value},
};

use crate::{analyzer, error::Result, index::SearchIndex, query::Hit};

/// The most telling words a query keeps: enough to find the gist, few enough to stay fast.
const MAX_TERMS: usize = 25;
/// Shorter words say little about what a report is about.
const MIN_WORD_CHARS: usize = 3;
/// Words in more than this share of the reports say little about what one is about either:
/// a report that shares only such words with another is not like it. The same holds for
/// factors and for the thesaurus's groups.
const COMMON_SHARE: f64 = 0.2;
/// Reports below which every word is judged telling: in a handful, all words look common.
const COMMON_FROM: u64 = 50;
/// What another word for a thing the report names is worth, against a shared word as rare.
const SYNONYM_WEIGHT: f32 = 0.7;
/// About what BM25 gives one occurrence of a word in a text of average length, per unit of
/// its weight: a thesaurus match is scored as such an occurrence would be.
const OCCURRENCE: f32 = 1.2;
/// What sharing all of a report's telling factors is worth, against sharing all of its
/// telling words: its causes count for half as much as its story.
const FACTORS_SHARE: f32 = 0.5;
/// What the same channel is worth on that scale. It only orders reports that are alike
/// already: alone it never makes one similar.
const CHANNEL_SHARE: f32 = 0.05;

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
        let texts: Vec<(Field, String)> = [f.title, f.narrative, f.lesson, f.tags]
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
        let words = self.telling_terms(&searcher, &texts)?;
        let factors = self.telling_factors(&searcher, address)?;
        if words.is_empty() && factors.is_empty() {
            return Ok(Vec::new());
        }
        // The words' score is scaled by the report's own, so that it reads as the share of
        // its telling words another report holds, on the factors' scale.
        let mut telling: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !words.is_empty() {
            let words = BooleanQuery::new(words);
            let own_score = self.own_score(&searcher, &words, own.clone())?;
            telling.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(words), 1.0 / own_score)),
            ));
        }
        let total: f32 = factors.iter().map(|(_, idf)| idf).sum();
        for (term, idf) in factors {
            let query = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            let worth = FACTORS_SHARE * idf / total;
            telling.push((Occur::Should, Box::new(ConstScoreQuery::new(query, worth))));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(BooleanQuery::new(telling))),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(own, IndexRecordOption::Basic)),
            ),
        ];
        if let Some(channel) = self.same_channel(&searcher, address)? {
            clauses.push((Occur::Should, channel));
        }
        self.top(&searcher, &BooleanQuery::new(clauses), limit)
    }

    /// What the report with the term `own` scores for `words`; 1 when nothing (an empty
    /// report), so that scaling by it is harmless.
    fn own_score(&self, searcher: &Searcher, words: &BooleanQuery, own: Term) -> Result<f32> {
        let itself = BooleanQuery::new(vec![
            (Occur::Must, words.box_clone()),
            (
                Occur::Must,
                Box::new(TermQuery::new(own, IndexRecordOption::Basic)),
            ),
        ]);
        let found =
            self.search_lessons(searcher, &itself, &TopDocs::with_limit(1).order_by_score())?;
        Ok(found
            .first()
            .map(|&(score, _)| score)
            .filter(|score| *score > 0.0)
            .unwrap_or(1.0))
    }

    /// Published reports most like a text being written, such as a draft on the report form.
    pub fn similar_to_text(&self, title: &str, narrative: &str, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let f = self.fields();
        let texts = [
            (f.title, title.to_owned()),
            (f.narrative, narrative.to_owned()),
        ];
        let telling = self.telling_terms(&searcher, &texts)?;
        if telling.is_empty() {
            return Ok(Vec::new());
        }
        self.top(&searcher, &BooleanQuery::new(telling), limit)
    }

    /// Clauses for the words of `texts` that are frequent there and rare in the index
    /// (tf × idf), each boosted by that weight, and for the thesaurus's other words for what
    /// the texts name; empty when the index knows none of them.
    fn telling_terms(
        &self,
        searcher: &Searcher,
        texts: &[(Field, String)],
    ) -> Result<Vec<(Occur, Box<dyn Query>)>> {
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
        let documents = self.lesson_count(searcher);
        let mut weighted = Vec::with_capacity(counts.len());
        for (term, frequency) in counts {
            let with_word = searcher.doc_freq(&term)?;
            if let Some(idf) = telling_idf(with_word, documents) {
                weighted.push((frequency as f32 * idf, term));
            }
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = weighted
            .into_iter()
            .take(MAX_TERMS)
            .filter(|(weight, _)| *weight > 0.0)
            .map(|(weight, term)| {
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                let boosted: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(query), weight));
                (Occur::Should, boosted)
            })
            .collect();
        clauses.extend(self.synonyms(searcher, texts)?);
        Ok(clauses)
    }

    /// One clause per thesaurus group that the texts name a thing of: the group's other
    /// words, in the report's main text fields, worth a share of a word as rare as they are.
    /// Two reports about one mistake told in other words ("autofill" and "address
    /// suggestions") then find each other.
    fn synonyms(
        &self,
        searcher: &Searcher,
        texts: &[(Field, String)],
    ) -> Result<Vec<(Occur, Box<dyn Query>)>> {
        let thesaurus = self.thesaurus();
        if thesaurus.is_empty() {
            return Ok(Vec::new());
        }
        let f = self.fields();
        let fields = [f.title, f.narrative, f.lesson];
        let mut analyzer = analyzer::query_analyzer();
        let mut groups: Vec<usize> = Vec::new();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let documents = self.lesson_count(searcher);
        for (_, text) in texts {
            let tokens = analyzer::tokens(&mut analyzer, text);
            let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
            for found in thesaurus.find(&tokens) {
                if groups.contains(&found.group) {
                    continue;
                }
                groups.push(found.group);
                let typed = &tokens[found.start..found.start + found.len];
                let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
                // Reports holding one of the other words, at most: their sum bounds it.
                let mut holding = 0;
                for entry in thesaurus.others(found.group, typed) {
                    for &field in &fields {
                        let rarest = entry
                            .tokens
                            .iter()
                            .map(|t| searcher.doc_freq(&Term::from_field_text(field, t)))
                            .collect::<tantivy::Result<Vec<u64>>>()?
                            .into_iter()
                            .min()
                            .unwrap_or(0);
                        if rarest > 0 {
                            holding += rarest;
                            alternatives.push(phrase(field, &entry.tokens));
                        }
                    }
                }
                let Some(idf) = telling_idf(holding, documents) else {
                    continue;
                };
                let worth = SYNONYM_WEIGHT * OCCURRENCE * idf * idf;
                let any = Box::new(BooleanQuery::union(alternatives));
                clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(any, worth))));
            }
        }
        Ok(clauses)
    }

    /// The contributing factors of the report at `address` that are not common, with their
    /// [`idf`].
    fn telling_factors(
        &self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Result<Vec<(Term, f32)>> {
        let field = self.fields().factor;
        let documents = self.lesson_count(searcher);
        let mut factors = Vec::new();
        for facet in facets_of(searcher, address, field)? {
            let term = Term::from_facet(field, &facet);
            if let Some(idf) = telling_idf(searcher.doc_freq(&term)?, documents) {
                factors.push((term, idf));
            }
        }
        Ok(factors)
    }

    /// A clause for the channel of the report at `address`, if it has one.
    fn same_channel(
        &self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Result<Option<Box<dyn Query>>> {
        let field = self.fields().channel;
        let Some(facet) = facets_of(searcher, address, field)?.into_iter().next() else {
            return Ok(None);
        };
        let query = Box::new(TermQuery::new(
            Term::from_facet(field, &facet),
            IndexRecordOption::Basic,
        ));
        Ok(Some(Box::new(ConstScoreQuery::new(query, CHANNEL_SHARE))))
    }

    fn top(&self, searcher: &Searcher, query: &dyn Query, limit: usize) -> Result<Vec<Hit>> {
        let found: Vec<(f32, DocAddress)> = self.search_lessons(
            searcher,
            query,
            &TopDocs::with_limit(limit.max(1)).order_by_score(),
        )?;
        self.hits(searcher, query, "", found)
    }
}

/// The facets of one document in a facet field, read from its column: facets are not stored.
fn facets_of(searcher: &Searcher, address: DocAddress, field: Field) -> Result<Vec<Facet>> {
    let name = searcher.schema().get_field_name(field);
    let reader = searcher
        .segment_reader(address.segment_ord)
        .facet_reader(name)?;
    let mut facets = Vec::new();
    for ord in reader.facet_ords(address.doc_id) {
        let mut facet = Facet::root();
        reader.facet_from_ord(ord, &mut facet)?;
        facets.push(facet);
    }
    Ok(facets)
}

/// A word or phrase of a thesaurus entry, as it stands.
fn phrase(field: Field, tokens: &[String]) -> Box<dyn Query> {
    let mut terms: Vec<Term> = tokens
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms.remove(0),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
    }
}

/// The [`idf`] of something found in `with_word` of `documents` reports, or `None` when it
/// tells nothing: absent, or common in an index large enough to judge.
fn telling_idf(with_word: u64, documents: u64) -> Option<f32> {
    if documents >= COMMON_FROM && with_word as f64 > COMMON_SHARE * documents as f64 {
        return None;
    }
    idf(with_word, documents)
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
