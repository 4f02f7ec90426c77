//! Guideline sections in the index: their documents, and searching them apart from lessons.
//!
//! Sections share the index with lessons but have text fields of their own, so a lesson
//! query never matches one. They are scored as a corpus of their own (BM25 over the sections
//! alone), so that the thousands of lessons do not skew their word weights and lengths.

use std::collections::HashSet;

use tantivy::{
    DocAddress, Searcher, TantivyDocument, Term,
    collector::{Collector, Count, DocSetCollector, TopDocs},
    query::{Bm25StatisticsProvider, BooleanQuery, BoostQuery, ConstScoreQuery, Query, TermQuery},
    schema::{Facet, Field, IndexRecordOption, Value},
};

use crate::{
    analyzer,
    document::IndexedSection,
    error::Result,
    graded::{STOP_WORDS, SYNONYM_WEIGHT, phrase},
    index::SearchIndex,
    snippets::{self, SNIPPET_CHARS},
};

/// The `kind` of a lesson's document.
pub(crate) const LESSON: &str = "lesson";
/// The `kind` of a section's document.
pub(crate) const GUIDELINE: &str = "guideline";

/// Words of a question that say nothing of its topic, besides the stop words of lesson
/// searches: "how should I …" asks about what follows.
const QUESTION_WORDS: &[&str] = &["can", "could", "how", "should", "would", "why"];

/// A heading says what a section is about: its words count twice.
const HEADING_BOOST: f32 = 2.0;

/// A section that matched a search.
#[derive(Clone, Debug)]
pub struct SectionHit {
    /// The guideline's slug.
    pub guideline: String,
    pub anchor: String,
    pub score: f32,
    /// The heading with matches in `<mark>`, HTML-escaped.
    pub heading_html: String,
    /// A passage of the text with matches in `<mark>`, HTML-escaped.
    pub snippet_html: String,
    /// Every word of the query (common words aside), or another way of saying it that the
    /// thesaurus knows, is in the heading or the text.
    pub all_words: bool,
    /// At least one word of the query is in the heading.
    pub in_heading: bool,
}

/// Sections matching a search, best first.
#[derive(Clone, Debug, Default)]
pub struct SectionResults {
    /// How many sections match at least one word.
    pub total: u64,
    pub hits: Vec<SectionHit>,
}

impl SearchIndex {
    /// Sections matching any word of `text`, best first, `limit` of them. Search syntax is
    /// read as plain words, and the thesaurus's other ways of saying a word or phrase count
    /// too, for less. Sections matching more of the words score higher, as do rarer words and
    /// words in the heading.
    pub fn search_sections(&self, text: &str, limit: usize) -> Result<SectionResults> {
        let searcher = self.reader.searcher();
        let items = self.section_items(text);
        if items.is_empty() || limit == 0 {
            return Ok(SectionResults::default());
        }
        let f = &self.fields;
        let any_item = any_of(items.iter().flat_map(|item| {
            [
                item.within(f.heading, HEADING_BOOST),
                item.within(f.section_text, 1.0),
                item.within(f.guideline_title, 1.0),
            ]
        }));
        let statistics = SectionStatistics {
            searcher: &searcher,
            sections: searcher.doc_freq(&self.kind_term(GUIDELINE))?,
        };
        let (top, total) = searcher.search_with_statistics_provider(
            &*any_item,
            &(TopDocs::with_limit(limit).order_by_score(), Count),
            &statistics,
        )?;
        // Sections are few: the sets of those matching every item, and an item in the
        // heading, are cheap to collect whole.
        let every_item = BooleanQuery::intersection(
            items
                .iter()
                .map(|item| {
                    any_of([
                        item.within(f.heading, 1.0),
                        item.within(f.section_text, 1.0),
                    ])
                })
                .collect(),
        );
        let all_words = searcher.search(&every_item, &DocSetCollector)?;
        let heading = any_of(items.iter().map(|item| item.within(f.heading, 1.0)));
        let in_heading = searcher.search(&*heading, &DocSetCollector)?;
        let hits = self.section_hits(&searcher, &*any_item, text, top, &all_words, &in_heading)?;
        Ok(SectionResults {
            total: total as u64,
            hits,
        })
    }

    /// What a query asks about: its words and the thesaurus's phrases, common words left
    /// out (a query of nothing but common words keeps them), each once.
    fn section_items(&self, text: &str) -> Vec<Item> {
        let stems = analyzer::tokens(&mut analyzer::query_analyzer(), text);
        let written = analyzer::tokens(&mut analyzer::words_analyzer(), text);
        // Both analyzers split alike; should they ever not, no word is taken as common.
        let common: Vec<bool> = if stems.len() == written.len() {
            written
                .iter()
                .map(|word| {
                    STOP_WORDS.contains(&word.as_str()) || QUESTION_WORDS.contains(&word.as_str())
                })
                .collect()
        } else {
            vec![false; stems.len()]
        };
        let thesaurus = self.thesaurus();
        let tokens: Vec<&str> = stems.iter().map(String::as_str).collect();
        let mut items: Vec<Item> = Vec::new();
        let push = |items: &mut Vec<Item>, item: Item| {
            if !items.iter().any(|known| known.typed == item.typed) {
                items.push(item);
            }
        };
        let mut at = 0;
        let single = |at: usize| Item {
            typed: vec![stems[at].clone()],
            others: Vec::new(),
        };
        for found in thesaurus.find(&tokens) {
            (at..found.start)
                .filter(|&i| !common[i])
                .for_each(|i| push(&mut items, single(i)));
            let typed = &tokens[found.start..found.start + found.len];
            push(
                &mut items,
                Item {
                    typed: typed.iter().map(|t| (*t).to_owned()).collect(),
                    others: thesaurus
                        .others(found.group, typed)
                        .into_iter()
                        .map(|entry| entry.tokens.clone())
                        .collect(),
                },
            );
            at = found.start + found.len;
        }
        (at..stems.len())
            .filter(|&i| !common[i])
            .for_each(|i| push(&mut items, single(i)));
        if items.is_empty() {
            (0..stems.len()).for_each(|i| push(&mut items, single(i)));
        }
        items
    }

    fn section_hits(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        text: &str,
        top: Vec<(f32, DocAddress)>,
        all_words: &HashSet<DocAddress>,
        in_heading: &HashSet<DocAddress>,
    ) -> Result<Vec<SectionHit>> {
        let f = &self.fields;
        let headings = snippets::generator(searcher, query, f.heading, 400)?;
        let passages = snippets::generator(searcher, query, f.section_text, SNIPPET_CHARS)?;
        let needles = snippets::needles(text);
        top.into_iter()
            .map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text_of = |field: Field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                let heading = snippets::highlighted(headings.snippet_from_doc(&doc));
                let body = text_of(f.section_text);
                let passage = passages.snippet(snippets::window(&body, &needles));
                let snippet_html = if passage.highlighted().is_empty() {
                    snippets::opening(&body)
                } else {
                    snippets::highlighted(passage)
                };
                Ok(SectionHit {
                    guideline: text_of(f.guideline),
                    anchor: text_of(f.anchor),
                    score,
                    heading_html: if heading.is_empty() {
                        snippets::escape(&text_of(f.heading))
                    } else {
                        heading
                    },
                    snippet_html,
                    all_words: all_words.contains(&address),
                    in_heading: in_heading.contains(&address),
                })
            })
            .collect()
    }

    pub(crate) fn section_document(&self, section: &IndexedSection) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_facet(f.kind, Facet::from_path([GUIDELINE]));
        doc.add_text(f.section, section_key(&section.guideline, &section.anchor));
        doc.add_text(f.guideline, &section.guideline);
        doc.add_text(f.anchor, &section.anchor);
        doc.add_text(f.guideline_title, &section.guideline_title);
        doc.add_text(f.heading, &section.heading);
        doc.add_text(f.section_text, &section.text);
        doc
    }

    pub(crate) fn section_term(&self, guideline: &str, anchor: &str) -> Term {
        Term::from_field_text(self.fields.section, &section_key(guideline, anchor))
    }

    pub(crate) fn kind_term(&self, kind: &str) -> Term {
        Term::from_facet(self.fields.kind, &Facet::from_path([kind]))
    }

    /// The statistics lesson searches score with, sections left out.
    pub(crate) fn lesson_statistics<'s>(
        &self,
        searcher: &'s Searcher,
    ) -> tantivy::Result<LessonStatistics<'s>> {
        Ok(LessonStatistics {
            searcher,
            sections: searcher.doc_freq(&self.kind_term(GUIDELINE))?,
        })
    }

    /// Runs a lesson search, scored as if the index held lessons alone.
    pub(crate) fn search_lessons<C: Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        let statistics = self.lesson_statistics(searcher)?;
        searcher.search_with_statistics_provider(query, collector, &statistics)
    }

    /// Every lesson and nothing else: what a search with no words matches, each scoring 1
    /// as with tantivy's query of every document.
    pub(crate) fn every_lesson(&self) -> Box<dyn Query> {
        let lessons = TermQuery::new(self.kind_term(LESSON), IndexRecordOption::Basic);
        Box::new(ConstScoreQuery::new(Box::new(lessons), 1.0))
    }

    /// How many lessons `searcher` sees: every live document that is not a section.
    pub(crate) fn lesson_count(&self, searcher: &Searcher) -> u64 {
        searcher
            .num_docs()
            .saturating_sub(self.section_count(searcher))
    }

    /// How many sections the index holds, as readers see it.
    pub fn num_sections(&self) -> u64 {
        self.section_count(&self.reader.searcher())
    }

    fn section_count(&self, searcher: &Searcher) -> u64 {
        let sections = TermQuery::new(self.kind_term(GUIDELINE), IndexRecordOption::Basic);
        // Counting reads one small posting list held in memory; should it fail, the index
        // is unreadable and the search that follows reports it.
        searcher
            .search(&sections, &Count)
            .map_or(0, |count| count as u64)
    }
}

fn section_key(guideline: &str, anchor: &str) -> String {
    format!("{guideline}#{anchor}")
}

/// One thing a query asks about: a word or a phrase as typed, and the thesaurus's other
/// ways of saying it.
struct Item {
    typed: Vec<String>,
    others: Vec<Vec<String>>,
}

impl Item {
    /// The item in `field`, the other ways of saying it weighing less than the words typed.
    fn within(&self, field: Field, boost: f32) -> Box<dyn Query> {
        let boosted = |tokens: &[String], boost: f32| -> Box<dyn Query> {
            Box::new(BoostQuery::new(phrase(field, tokens, 0), boost))
        };
        any_of(
            std::iter::once(boosted(&self.typed, boost)).chain(
                self.others
                    .iter()
                    .map(|tokens| boosted(tokens, boost * SYNONYM_WEIGHT)),
            ),
        )
    }
}

fn any_of(queries: impl IntoIterator<Item = Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::union(queries.into_iter().collect()))
}

/// BM25 statistics of the lessons alone: every document but the sections (deleted ones
/// included on both sides, as tantivy's own statistics include them). Lesson fields hold no
/// section's words, so only the count of documents needs correcting; with it, lessons score
/// exactly as in an index without sections.
pub(crate) struct LessonStatistics<'s> {
    searcher: &'s Searcher,
    sections: u64,
}

impl Bm25StatisticsProvider for LessonStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        let documents = Bm25StatisticsProvider::total_num_docs(self.searcher)?;
        Ok(documents.saturating_sub(self.sections).max(1))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(self.searcher.doc_freq(term)?.min(self.total_num_docs()?))
    }
}

/// BM25 statistics of the sections alone. Section fields hold tokens in sections only; the
/// count of documents is the count of sections, deleted ones included as tantivy's own
/// statistics include them, so that no word is in more documents than there are.
struct SectionStatistics<'s> {
    searcher: &'s Searcher,
    sections: u64,
}

impl Bm25StatisticsProvider for SectionStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.sections.max(1))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(self.searcher.doc_freq(term)?.min(self.sections.max(1)))
    }
}
