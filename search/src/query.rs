//! Searching: a forgiving query reading, filters, facet counts, snippets and paging.

use std::{
    collections::{HashMap, HashSet},
    ops::Bound,
    sync::Arc,
};

use tantivy::{
    DocAddress, Order, Score, Searcher, TantivyDocument, Term,
    collector::{Collector, Count, DocSetCollector, TopDocs},
    query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery},
    schema::{Facet, Field, IndexRecordOption, Value},
};

use crate::{
    budget::{Budgeted, Sampled},
    error::Result,
    facets::{FacetCounter, Tallies},
    index::SearchIndex,
    reading,
    schema::Fields,
    topk::Pruning,
};

/// The matches a scan saw: ranked when it scored them, else only noted.
enum Seen {
    Ranked(Vec<(Score, DocAddress)>),
    Unranked(HashSet<DocAddress>),
}

/// How a search finds its results.
pub(crate) struct Plan<'a> {
    /// Ranks the results, and says which words a snippet highlights.
    pub(crate) scoring: Box<dyn Query>,
    /// Selects the same lessons as `scoring`, possibly more cheaply: what scans and counts
    /// read.
    pub(crate) matching: Box<dyn Query>,
    /// A cheaper way to the best results when there are many.
    pub(crate) pruning: Option<Pruning<'a>>,
}

/// Values shown per facet.
const FACET_VALUES: usize = 30;

/// Matches counted and whose facet values are read; past this, the total is estimated and
/// facet counts are scaled from the sample.
pub(crate) const MATCH_BUDGET: u64 = 2_000;

/// Restrictions on the results; values within one list are alternatives (OR), the lists
/// together must all hold (AND).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub channel: Vec<String>,
    pub impact: Vec<String>,
    pub factor: Vec<String>,
    pub tag: Vec<String>,
    /// A unit path from the root; the unit and everything under it match.
    pub unit: Vec<String>,
    /// `YYYYMM`, inclusive.
    pub from_month: Option<u32>,
    /// `YYYYMM`, inclusive.
    pub to_month: Option<u32>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
}

#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Clone, Debug)]
pub struct Hit {
    pub report_ref: String,
    pub score: Score,
    /// The title with matches in `<mark>`, HTML-escaped.
    pub title_html: String,
    /// A passage with matches in `<mark>`, HTML-escaped.
    pub snippet_html: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacetCount {
    /// The value (for units, the full path joined by `/`).
    pub value: String,
    pub count: u64,
}

/// Counts by value among the matches. A facet with values chosen is counted as if none
/// were: its other values are alternatives to add, not results already excluded.
#[derive(Clone, Debug, Default)]
pub struct Facets {
    pub channel: Vec<FacetCount>,
    pub impact: Vec<FacetCount>,
    pub factor: Vec<FacetCount>,
    pub category: Vec<FacetCount>,
    pub tag: Vec<FacetCount>,
    /// The top-level units, then the children of the selected unit.
    pub unit: Vec<FacetCount>,
}

/// Something the reader should know about how the query was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Part of the query could not be read as search syntax and was read as plain words.
    Lenient { problems: Vec<String> },
    /// Nothing matched every word exactly, so close spellings were allowed.
    Fuzzy,
    /// No lesson holds a word typed, so the closest word the lessons hold was searched for.
    Corrected { typed: String, searched: String },
    /// Nothing matched every word, so results match any of them.
    AnyWord,
    /// Some of the results shown match only some of the words (those matching more come
    /// first).
    SomeWords,
    /// The thesaurus's words for the same thing were searched for too, with less weight.
    AlsoSearched { words: Vec<String> },
}

#[derive(Clone, Debug, Default)]
pub struct SearchResults {
    /// Matching reports; estimated when `total_is_estimate`.
    pub total: u64,
    /// Whether the search stopped counting early (more matches than it counts exactly):
    /// then the total and the facet counts are estimates.
    pub total_is_estimate: bool,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub notices: Vec<Notice>,
    /// The thesaurus's words searched for besides the words typed.
    pub also_searched_for: Vec<String>,
    /// When nothing matched: the query with unknown words replaced by the closest known.
    pub did_you_mean: Vec<String>,
}

/// How strictly the words of a query are matched, from the first attempt to the last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strictness {
    AllWords,
    AllWordsFuzzy,
    AnyWord,
}

impl SearchIndex {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        self.facet_names.retain(
            &searcher
                .segment_readers()
                .iter()
                .map(|s| s.segment_id())
                .collect(),
        );
        let text = request.text.trim();
        if let Some(reading) = reading::read(text)
            && !(reading.wanted.is_empty() && reading.unwanted.is_empty())
        {
            return self.search_graded(&searcher, &reading, request);
        }
        let mut notices = Vec::new();
        let mut results = SearchResults::default();
        let attempts: &[Strictness] = if text.is_empty() {
            &[Strictness::AllWords]
        } else {
            &[
                Strictness::AllWords,
                Strictness::AllWordsFuzzy,
                Strictness::AnyWord,
            ]
        };
        for &strictness in attempts {
            let (text_query, problems) = self.parse(text, strictness);
            if strictness == Strictness::AllWords && !problems.is_empty() {
                notices.push(Notice::Lenient { problems });
            }
            let pruning = match strictness {
                Strictness::AllWords => self.plain_words(text).map(|w| self.all_words(&w)),
                _ => None,
            };
            let plan = Plan {
                matching: text_query.box_clone(),
                scoring: text_query,
                pruning,
            };
            results = self.run(&searcher, plan, request)?;
            if results.total > 0 {
                match strictness {
                    Strictness::AllWords => {}
                    Strictness::AllWordsFuzzy => notices.push(Notice::Fuzzy),
                    Strictness::AnyWord => notices.push(Notice::AnyWord),
                }
                break;
            }
        }
        results.notices = notices;
        Ok(results)
    }

    fn parser(&self, strictness: Strictness) -> QueryParser {
        let fields = self.fields.text_with_boosts();
        let mut parser = QueryParser::new(
            self.index.schema(),
            fields.iter().map(|(field, _)| *field).collect(),
            self.query_tokenizers.clone(),
        );
        for (field, boost) in fields {
            parser.set_field_boost(field, boost);
            if strictness == Strictness::AllWordsFuzzy {
                parser.set_field_fuzzy(field, false, 1, true);
            }
        }
        if strictness != Strictness::AnyWord {
            parser.set_conjunction_by_default();
        }
        parser
    }

    /// Reads the query; syntax it cannot read is read leniently, with the problems returned.
    pub(crate) fn parse(
        &self,
        text: &str,
        strictness: Strictness,
    ) -> (Box<dyn Query>, Vec<String>) {
        if text.is_empty() {
            return (self.every_lesson(), Vec::new());
        }
        let parser = self.parser(strictness);
        match parser.parse_query(text) {
            Ok(query) => (query, Vec::new()),
            Err(_) => {
                let (query, errors) = parser.parse_query_lenient(text);
                (query, errors.iter().map(ToString::to_string).collect())
            }
        }
    }

    pub(crate) fn run(
        &self,
        searcher: &Searcher,
        plan: Plan<'_>,
        request: &SearchRequest,
    ) -> Result<SearchResults> {
        let Plan {
            scoring,
            matching,
            pruning,
        } = plan;
        let filters = self.filter_clauses(&request.filters);
        let filtered = with_clauses(scoring.box_clone(), &filters);
        let selected = with_clauses(matching.box_clone(), &filters);
        let docs = self.lesson_count(searcher);
        // Totals and facets come from a budgeted scan: exact for up to a few thousand matches,
        // estimated from a sample beyond, where an exact count would visit every match.
        let wanted = request.limit.max(1) + request.offset;
        let phrase = request.text.contains('"');
        let (top, sample) = match request.sort {
            Sort::Relevance => {
                // The scan counts and tallies; scoring every match (the nearness of the
                // words included) is wasted when there are more than the budget, where the
                // pruned plan finds the best ones, so the scan only notes which it saw, and
                // when it saw every match only those are scored.
                //
                // A quoted phrase is costly to score: in each text field, its words'
                // positions are read in every lesson holding them all. The graded reading
                // matches phrases cheaply (from word pairs), so only the matches seen are
                // scored; the query parser's reading has no cheaper matching, so its scan
                // scores.
                let common = pruning.as_ref().is_some_and(|p| p.common);
                let (seen, sample) = if phrase && pruning.is_none() {
                    let (top, sample) = self.scan(
                        searcher,
                        &*filtered,
                        TopDocs::with_limit(wanted).order_by_score(),
                        docs,
                    )?;
                    (Seen::Ranked(top), sample)
                } else {
                    let (seen, sample) = self.scan(searcher, &*selected, DocSetCollector, docs)?;
                    (Seen::Unranked(seen), sample)
                };
                let best_seen = |seen: Seen| match seen {
                    Seen::Ranked(top) => Ok(top),
                    Seen::Unranked(seen) => {
                        self.best_of(searcher, &*filtered, pruning.as_ref(), seen, wanted)
                    }
                };
                let top = match pruning {
                    _ if sample.complete => best_seen(seen)?,
                    // Words in most lessons ("the of"): every lesson scores about the same,
                    // so the best of the matches the scan saw (spread over every segment)
                    // are as good as the best of all, which would mean reading them all;
                    // unless the page asked for lies past them.
                    _ if common && wanted <= sample.matched as usize => best_seen(seen)?,
                    // Many matches: the pruned plan skips most of them.
                    Some(pruning) => self.pruned(searcher, &pruning, &filters, wanted)?,
                    None if phrase => best_seen(seen)?,
                    None => self.search_lessons(
                        searcher,
                        &*filtered,
                        &TopDocs::with_limit(wanted).order_by_score(),
                    )?,
                };
                (top, sample)
            }
            Sort::Newest => {
                let sample = searcher.search(
                    &*selected,
                    &Budgeted::new(self.facet_counter(), MATCH_BUDGET, docs),
                )?;
                let top = if sample.total == 0 {
                    Vec::new()
                } else {
                    searcher
                        .search(
                            &*selected,
                            &TopDocs::with_limit(wanted).order_by_u64_field("month", Order::Desc),
                        )?
                        .into_iter()
                        .map(|(_, address)| (0.0, address))
                        .collect()
                };
                (top, sample)
            }
        };
        let addresses = top.into_iter().skip(request.offset).collect();
        let hits = self.hits(searcher, &*scoring, &request.text, addresses)?;
        let unrestricted = request.text.trim().is_empty() && request.filters == Filters::default();
        let (total, estimated) = if unrestricted {
            (docs, false)
        } else {
            (sample.total, !sample.complete)
        };
        // Facets counted on a sample are scaled up to the whole.
        let scale = if sample.complete || sample.matched == 0 {
            1.0
        } else {
            total as f64 / sample.matched as f64
        };
        let mut facets = self.facets(sample.fruit, &request.filters, scale);
        self.count_alternatives(searcher, &*matching, &request.filters, &mut facets)?;
        Ok(SearchResults {
            total,
            total_is_estimate: estimated,
            hits,
            facets,
            ..SearchResults::default()
        })
    }

    /// A budgeted scan of the lessons `query` matches: `first`'s fruit, and the facet tallies
    /// with how many matches the scan saw.
    fn scan<C: Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        first: C,
        docs: u64,
    ) -> Result<(C::Fruit, Sampled<Tallies>)> {
        let sample = self.search_lessons(
            searcher,
            query,
            &Budgeted::new((first, self.facet_counter()), MATCH_BUDGET, docs),
        )?;
        let (fruit, tallies) = sample.fruit;
        Ok((
            fruit,
            Sampled {
                fruit: tallies,
                matched: sample.matched,
                total: sample.total,
                complete: sample.complete,
            },
        ))
    }

    pub(crate) fn facet_counter(&self) -> FacetCounter {
        FacetCounter {
            names: Arc::clone(&self.facet_names),
            only: None,
        }
    }

    /// The queries a result must also match to pass the filters.
    pub(crate) fn filter_clauses(&self, filters: &Filters) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        let mut any_of = |field: Field, values: &[String]| {
            if values.is_empty() {
                return;
            }
            let alternatives: Vec<Box<dyn Query>> = values
                .iter()
                .map(|value| facet_query(field, &Facet::from_path([value.as_str()])))
                .collect();
            clauses.push(Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::union(alternatives)),
                0.0,
            )));
        };
        any_of(f.channel, &filters.channel);
        any_of(f.impact, &filters.impact);
        any_of(f.factor, &filters.factor);
        any_of(f.tag, &filters.tag);
        if !filters.unit.is_empty() {
            // Facet terms are indexed with every ancestor, so one term matches a whole subtree.
            let unit = facet_query(
                f.unit,
                &Facet::from_path(filters.unit.iter().map(String::as_str)),
            );
            clauses.push(Box::new(ConstScoreQuery::new(unit, 0.0)));
        }
        if filters.from_month.is_some() || filters.to_month.is_some() {
            let bound = |month: Option<u32>, inclusive: fn(Term) -> Bound<Term>| match month {
                Some(month) => inclusive(Term::from_field_u64(f.month, u64::from(month))),
                None => Bound::Unbounded,
            };
            let range = RangeQuery::new(
                bound(filters.from_month, Bound::Included),
                bound(filters.to_month, Bound::Included),
            );
            clauses.push(Box::new(ConstScoreQuery::new(Box::new(range), 0.0)));
        }
        clauses
    }

    /// Facet counts, scaled up by `scale` when they come from a sample of the matches.
    pub(crate) fn facets(&self, tallies: Tallies, filters: &Filters, scale: f64) -> Facets {
        let scaled = |count: u64| (count as f64 * scale).round() as u64;
        let mut fields = tallies.fields.into_iter();
        // Most frequent first, ties in alphabetical order.
        let ranked = |counts: HashMap<String, u64>| {
            let mut values: Vec<FacetCount> = counts
                .into_iter()
                .map(|(value, count)| FacetCount {
                    value,
                    count: scaled(count),
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            values
        };
        let mut flat = || {
            let mut values = ranked(fields.next().unwrap_or_default());
            values.truncate(FACET_VALUES);
            values
        };
        let (channel, impact, factor, category, tag) = (flat(), flat(), flat(), flat(), flat());
        // Units come as full paths: count them by top-level unit, and by child of the
        // selected unit.
        let mut top: HashMap<String, u64> = HashMap::new();
        let mut children: HashMap<String, u64> = HashMap::new();
        for (path, count) in fields.next().unwrap_or_default() {
            let parts: Vec<&str> = path.split('/').collect();
            *top.entry(parts[0].to_owned()).or_default() += count;
            let depth = filters.unit.len();
            if depth > 0
                && parts.len() > depth
                && parts[..depth]
                    .iter()
                    .zip(&filters.unit)
                    .all(|(a, b)| a == b)
            {
                *children.entry(parts[..=depth].join("/")).or_default() += count;
            }
        }
        let mut unit = ranked(top);
        unit.extend(ranked(children));
        Facets {
            channel,
            impact,
            factor,
            category,
            tag,
            unit,
        }
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }
}

/// `query`, restricted to the documents that match every one of `filters`.
pub(crate) fn with_clauses(query: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    if filters.is_empty() {
        return query;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    clauses.extend(
        filters
            .iter()
            .map(|filter| (Occur::Must, filter.box_clone())),
    );
    Box::new(BooleanQuery::new(clauses))
}

fn facet_query(field: Field, facet: &Facet) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(field, facet),
        IndexRecordOption::Basic,
    ))
}

impl SearchIndex {
    /// The simplest search there is — the query parser's default reading, top hits by BM25
    /// and an exact count, no facets, no snippets — as a baseline for the benchmark.
    pub fn baseline_search(&self, text: &str, limit: usize) -> Result<(usize, Vec<String>)> {
        let searcher = self.reader.searcher();
        let fields = self
            .fields
            .text_with_boosts()
            .iter()
            .map(|(field, _)| *field)
            .collect();
        let parser = QueryParser::new(self.index.schema(), fields, self.query_tokenizers.clone());
        let (query, _) = parser.parse_query_lenient(text);
        let (top, count) = searcher.search(
            &*query,
            &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count),
        )?;
        let refs = top
            .into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                Ok(doc
                    .get_first(self.fields.report_ref)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned())
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((count, refs))
    }
}
