//! The best matches of a plain-words query, found with block-max pruning.
//!
//! tantivy prunes a union of terms (block-WAND: whole blocks of postings whose best possible
//! score cannot enter the top are skipped), but not a conjunction of unions — which is what
//! "all these words, in any of the text fields" is — nor a query with filters. Both are read
//! here as the union of all their terms, pruned, with every candidate that could enter the
//! top checked against the words it must contain and the filters it must pass. On the
//! documents that pass, the union's score is the conjunction's score (both sum the same term
//! scores), so the result is the same as scoring every match.

use std::{
    cmp::Reverse,
    collections::{BinaryHeap, HashSet},
    sync::Arc,
};

use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, Term,
    query::{
        Bm25StatisticsProvider, BooleanQuery, BoostQuery, EnableScoring, Query, Scorer, TermQuery,
    },
    schema::{Field, IndexRecordOption},
};

use crate::{
    analyzer::ANALYZER,
    checks::{Check, Matching},
    error::Result,
    index::SearchIndex,
    within::Candidates,
};

/// Builds the query that ranks a few candidates again (see [`crate::within`]).
pub(crate) type Rescoring<'a> = Box<dyn Fn(&Arc<Candidates>) -> Box<dyn Query> + 'a>;

/// A cheaper plan for the best matches of a query: the union of its terms, pruned, each
/// candidate checked against what it must match.
pub(crate) struct Pruning<'a> {
    /// A union of term queries (for block-max pruning) scoring as the query does, or close.
    pub(crate) scoring: Box<dyn Query>,
    /// What a candidate must match.
    pub(crate) matching: Matching,
    /// The query whose score the union's only approximates, when it does: more candidates
    /// are then taken and ranked again by it.
    pub(crate) rescore: Option<Rescoring<'a>>,
    /// Whether the query's words are all common: block-max pruning skips nothing when
    /// every lesson scores about the same, and would read every match.
    pub(crate) common: bool,
}

/// Candidates taken per result wanted when the union's score only approximates the query's.
const RESCORED_PER_RESULT: usize = 2;
/// Candidates taken at least in that case.
const RESCORED_AT_LEAST: usize = 20;

impl SearchIndex {
    /// The best `k` matches of plain words, all required, with the filters: the union of
    /// every word in every text field, pruned, each candidate checked for every word and
    /// filter (see [`top_k`]). Scores are those the query parser's reading gives.
    #[cfg(test)]
    pub(crate) fn pruned_top(
        &self,
        searcher: &Searcher,
        words: &[String],
        filters: &[Box<dyn Query>],
        k: usize,
    ) -> Result<Vec<(Score, DocAddress)>> {
        self.pruned(searcher, &self.all_words(words), filters, k)
    }

    /// The plan for plain words, all required: each word in any text field.
    pub(crate) fn all_words(&self, words: &[String]) -> Pruning<'static> {
        let fields = self.fields.text_with_boosts();
        let term = |field: Field, word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            ))
        };
        let scoring = BooleanQuery::union(
            words
                .iter()
                .flat_map(|word| {
                    fields.iter().map(move |&(field, boost)| {
                        Box::new(BoostQuery::new(term(field, word), boost)) as Box<dyn Query>
                    })
                })
                .collect(),
        );
        Pruning {
            scoring: Box::new(scoring),
            matching: Matching {
                items: words
                    .iter()
                    .map(|word| vec![term(self.fields.all, word)])
                    .collect(),
                required: words.len(),
                unwanted: Vec::new(),
                lessons: self.every_lesson(),
            },
            rescore: None,
            common: false,
        }
    }

    /// The best `k` matches by a pruning plan, with the filters.
    pub(crate) fn pruned(
        &self,
        searcher: &Searcher,
        pruning: &Pruning,
        filters: &[Box<dyn Query>],
        k: usize,
    ) -> Result<Vec<(Score, DocAddress)>> {
        let statistics = self.lesson_statistics(searcher)?;
        let required = Required {
            filters,
            matching: &pruning.matching,
        };
        let Some(rescoring) = &pruning.rescore else {
            return top_k(searcher, &statistics, &*pruning.scoring, &required, k);
        };
        let candidates: Vec<DocAddress> = top_k(
            searcher,
            &statistics,
            &*pruning.scoring,
            &required,
            rescored(k),
        )?
        .into_iter()
        .map(|(_, address)| address)
        .collect();
        rank_again(searcher, &statistics, rescoring, candidates, k)
    }

    /// The best `k` of `seen` by `query`'s score, best first: for matches a scan collected
    /// without scoring them. When a pruning plan's union of terms only approximates `query`
    /// (which then holds phrases, or counts items), the union ranks them first, and the
    /// plan's rescoring scores only the best of those.
    pub(crate) fn best_of(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        pruning: Option<&Pruning>,
        seen: impl IntoIterator<Item = DocAddress>,
        k: usize,
    ) -> Result<Vec<(Score, DocAddress)>> {
        let statistics = self.lesson_statistics(searcher)?;
        let mut seen: Vec<DocAddress> = seen.into_iter().collect();
        let Some((pruning, rescoring)) =
            pruning.and_then(|p| p.rescore.as_ref().map(|rescoring| (p, rescoring)))
        else {
            let mut top = rescore(searcher, &statistics, query, seen)?;
            top.truncate(k);
            return Ok(top);
        };
        let candidates = rescored(k);
        if seen.len() > candidates {
            let ranked = rescore(searcher, &statistics, &*pruning.scoring, seen.clone())?;
            let mut best: Vec<DocAddress> = ranked
                .into_iter()
                .take(candidates)
                .map(|(_, address)| address)
                .collect();
            // What the union leaves out (a lesson holding only a synonym's phrase) ranks
            // below every lesson it holds, as with the pruned plan.
            if best.len() < candidates {
                let kept: HashSet<DocAddress> = best.iter().copied().collect();
                best.extend(
                    seen.iter()
                        .filter(|address| !kept.contains(address))
                        .take(candidates - kept.len()),
                );
            }
            seen = best;
        }
        rank_again(searcher, &statistics, rescoring, seen, k)
    }

    /// The query's words as the analyzer reads them, when the query is nothing but plain
    /// words (no syntax, each word one term): the case with a pruned plan.
    pub(crate) fn plain_words(&self, text: &str) -> Option<Vec<String>> {
        let mut analyzer = self.query_tokenizers.get(ANALYZER)?;
        let mut words = Vec::new();
        for word in text.split_whitespace() {
            // Upper-case operators, and anything not alphanumeric, are search syntax.
            if !word.chars().all(char::is_alphanumeric)
                || matches!(word, "AND" | "OR" | "NOT" | "IN" | "TO")
            {
                return None;
            }
            let mut stream = analyzer.token_stream(word);
            let mut tokens = Vec::new();
            while stream.advance() {
                tokens.push(stream.token().text.clone());
            }
            match <[String; 1]>::try_from(tokens) {
                Ok([token]) => words.push(token),
                Err(_) => return None,
            }
        }
        (!words.is_empty()).then_some(words)
    }
}

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

/// What a candidate must match: every filter, and the query's words.
struct Required<'r> {
    filters: &'r [Box<dyn Query>],
    matching: &'r Matching,
}

/// The `k` best documents by `scoring`'s score among those matching `required`, best
/// first; equal scores in index order. `scoring` must be a union of term queries for the
/// pruning to apply (other queries work, unpruned).
fn top_k(
    searcher: &Searcher,
    statistics: &dyn Bm25StatisticsProvider,
    scoring: &dyn Query,
    required: &Required,
    k: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let weight = scoring.weight(EnableScoring::enabled_from_statistics_provider(
        statistics, searcher,
    ))?;
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    let filters = required
        .filters
        .iter()
        .map(|query| query.weight(unscored))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let matching = required.matching.weights(unscored)?;
    // The worst of the best so far, across segments: the lowest score (and, among equal
    // scores, the latest address) is the first to go.
    let mut best: BinaryHeap<Reverse<(Ranked, Reverse<DocAddress>)>> = BinaryHeap::new();
    if k == 0 {
        return Ok(Vec::new());
    }
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut filters = filters
            .iter()
            .map(|weight| Check::new(weight.as_ref(), reader))
            .collect::<tantivy::Result<Vec<Check>>>()?;
        let mut matching = matching.checks(reader)?;
        if filters.iter().any(Check::exhausted) || matching.none() {
            continue;
        }
        let alive = reader.alive_bitset();
        let mut threshold = match best.peek() {
            Some(Reverse((Ranked(score), _))) if best.len() >= k => *score,
            _ => Score::MIN,
        };
        weight.for_each_pruning(threshold, reader, &mut |doc: DocId, score: Score| {
            // Filters first: a facet's postings answer more cheaply than the words, and most
            // candidates fail a filter when there is one.
            if alive.is_some_and(|bits| bits.is_deleted(doc))
                || !filters.iter_mut().all(|check| check.holds(doc))
                || !matching.holds(doc)
            {
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

/// How many candidates are ranked again for `k` results.
fn rescored(k: usize) -> usize {
    (k * RESCORED_PER_RESULT).max(RESCORED_AT_LEAST)
}

/// The best `k` of `candidates` by the query `rescoring` builds for them.
fn rank_again(
    searcher: &Searcher,
    statistics: &dyn Bm25StatisticsProvider,
    rescoring: &Rescoring,
    candidates: Vec<DocAddress>,
    k: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let query = rescoring(&Arc::new(Candidates::of(searcher, &candidates)));
    let mut top = rescore(searcher, statistics, &*query, candidates)?;
    top.truncate(k);
    Ok(top)
}

/// `addresses` scored by `query`, best first (those it does not match left out).
fn rescore(
    searcher: &Searcher,
    statistics: &dyn Bm25StatisticsProvider,
    query: &dyn Query,
    mut addresses: Vec<DocAddress>,
) -> Result<Vec<(Score, DocAddress)>> {
    let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
        statistics, searcher,
    ))?;
    addresses.sort();
    let mut scored = Vec::with_capacity(addresses.len());
    let mut current: Option<(u32, Box<dyn Scorer>)> = None;
    for address in addresses {
        if current
            .as_ref()
            .is_none_or(|(segment, _)| *segment != address.segment_ord)
        {
            let reader = searcher.segment_reader(address.segment_ord);
            current = Some((address.segment_ord, weight.scorer(reader, 1.0)?));
        }
        if let Some((_, scorer)) = current.as_mut() {
            if scorer.doc() < address.doc_id {
                scorer.seek(address.doc_id);
            }
            if scorer.doc() == address.doc_id {
                scored.push((scorer.score(), address));
            }
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(scored)
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;

    use crate::{
        Change, Filters, IndexedReport, SearchIndex, query::with_clauses, test_words::Words,
    };

    #[test]
    fn pruning_finds_what_scoring_every_match_finds() -> crate::Result<()> {
        let dir = tempfile::tempdir()?;
        let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
        let mut words = Words::new(7, 40);
        // Several commits make several segments; the last batch replaces some reports, which
        // leaves deleted documents behind.
        for (batch, range) in [
            (1, 0..1_500),
            (2, 1_500..3_000),
            (3, 3_000..4_000),
            (4, 0..300),
        ] {
            let changes: Vec<Change> = range
                .map(|n| {
                    Change::Upsert(Box::new(IndexedReport {
                        report_ref: format!("r{n:09}"),
                        title: words.text(3),
                        narrative: words.text(40),
                        lesson: words.text(8),
                        channel: Some(["email", "meeting", "phone"][n % 3].to_owned()),
                        month: 202501,
                        ..Default::default()
                    }))
                })
                .collect();
            index.apply(&changes, batch)?;
        }
        let searcher = index.reader.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let email = Filters {
            channel: vec!["email".to_owned()],
            ..Filters::default()
        };
        for (text, filters) in [
            ("w0", Filters::default()),
            ("w3", email.clone()),
            ("w1 w5", Filters::default()),
            ("w0 w2 w9", email),
            ("w20 w0", Filters::default()),
        ] {
            let words = index.plain_words(text).unwrap_or_default();
            let filters = index.filter_clauses(&filters);
            let (parsed, _) = index.parse(text, crate::query::Strictness::AllWords);
            let query = with_clauses(parsed, &filters);
            for k in [1, 10, 25] {
                let pruned = index.pruned_top(&searcher, &words, &filters, k)?;
                let exact = searcher.search(&*query, &TopDocs::with_limit(k).order_by_score())?;
                assert_eq!(pruned.len(), exact.len(), "{text}, top {k}");
                for (a, b) in pruned.iter().zip(&exact) {
                    assert!(
                        (a.0 - b.0).abs() <= 1e-4 * b.0.abs(),
                        "{text}: {pruned:?} {exact:?}"
                    );
                }
                // Equal scores may come in either order at the edge; above it, the same reports.
                let Some(&(last, _)) = exact.last() else {
                    continue;
                };
                let above = |top: &[(f32, tantivy::DocAddress)]| {
                    let mut docs: Vec<_> = top
                        .iter()
                        .filter(|(score, _)| *score > last + 1e-4)
                        .map(|(_, address)| *address)
                        .collect();
                    docs.sort();
                    docs
                };
                assert_eq!(above(&pruned), above(&exact), "{text}, top {k}");
            }
        }
        Ok(())
    }

    #[test]
    fn only_plain_words_take_the_pruned_plan() -> crate::Result<()> {
        let dir = tempfile::tempdir()?;
        let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
        assert_eq!(
            index.plain_words("Emails  sent"),
            Some(vec!["email".to_owned(), "sent".to_owned()])
        );
        for syntax in [
            "reply-all",
            "a OR b",
            "\"a b\"",
            "-a b",
            "title:a",
            "a*",
            "don't",
        ] {
            assert_eq!(index.plain_words(syntax), None, "{syntax}");
        }
        Ok(())
    }
}
