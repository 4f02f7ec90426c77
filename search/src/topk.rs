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
    DocAddress, DocId, DocSet, Score, Searcher, TERMINATED, Term,
    query::{
        Bm25StatisticsProvider, BooleanQuery, BoostQuery, EnableScoring, Query, Scorer, TermQuery,
    },
    schema::{Field, IndexRecordOption},
};

use crate::{analyzer::ANALYZER, error::Result, index::SearchIndex};

/// A cheaper plan for the best matches of a query: the union of its terms, pruned, each
/// candidate checked against what it must match.
pub(crate) struct Pruning {
    /// A union of term queries (for block-max pruning) scoring as the query does, or close.
    pub(crate) scoring: Box<dyn Query>,
    /// What a candidate must match.
    pub(crate) required: Vec<Box<dyn Query>>,
    /// Whether the union's score only approximates the query's: more candidates are then
    /// taken and ranked again by the first of `required`.
    pub(crate) rescore: bool,
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
    pub(crate) fn all_words(&self, words: &[String]) -> Pruning {
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
        let mut required: Vec<Box<dyn Query>> = Vec::new();
        if words.len() > 1 {
            for word in words {
                required.push(Box::new(BooleanQuery::union(
                    fields.iter().map(|&(field, _)| term(field, word)).collect(),
                )));
            }
        }
        Pruning {
            scoring: Box::new(scoring),
            required,
            rescore: false,
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
        // Filters first: a facet's postings answer a check more cheaply than the words'
        // union over every text field, and most candidates fail a filter when there is one.
        let required: Vec<Box<dyn Query>> = filters
            .iter()
            .chain(&pruning.required)
            .map(|query| query.box_clone())
            .collect();
        let statistics = self.lesson_statistics(searcher)?;
        if !pruning.rescore {
            return top_k(searcher, &statistics, &*pruning.scoring, &required, k);
        }
        let wanted = (k * RESCORED_PER_RESULT).max(RESCORED_AT_LEAST);
        let candidates = top_k(searcher, &statistics, &*pruning.scoring, &required, wanted)?;
        let Some(query) = pruning.required.first() else {
            return Ok(candidates);
        };
        let mut top = rescore(
            searcher,
            &statistics,
            query.as_ref(),
            candidates.into_iter().map(|(_, address)| address).collect(),
        )?;
        top.truncate(k);
        Ok(top)
    }

    /// The best `k` of `seen` by `query`'s score, best first: for matches a scan collected
    /// without scoring them.
    pub(crate) fn best_of(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        seen: impl IntoIterator<Item = DocAddress>,
        k: usize,
    ) -> Result<Vec<(Score, DocAddress)>> {
        let statistics = self.lesson_statistics(searcher)?;
        let mut top = rescore(searcher, &statistics, query, seen.into_iter().collect())?;
        top.truncate(k);
        Ok(top)
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

/// The `k` best documents by `scoring`'s score among those matching every query of
/// `required`, best first; equal scores in index order. `scoring` must be a union of term
/// queries for the pruning to apply (other queries work, unpruned).
pub fn top_k(
    searcher: &Searcher,
    statistics: &dyn Bm25StatisticsProvider,
    scoring: &dyn Query,
    required: &[Box<dyn Query>],
    k: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let weight = scoring.weight(EnableScoring::enabled_from_statistics_provider(
        statistics, searcher,
    ))?;
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

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;

    use crate::{Change, Filters, IndexedReport, SearchIndex, query::with_clauses};

    /// Words drawn unevenly from a small vocabulary, so that some are common and some rare.
    struct Words(u64);

    impl Words {
        fn next(&mut self) -> String {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let a = (self.0 >> 33) % 40;
            let b = (self.0 >> 17) % 40;
            format!("w{}", a * b / 40)
        }

        fn text(&mut self, words: usize) -> String {
            (0..words)
                .map(|_| self.next())
                .collect::<Vec<_>>()
                .join(" ")
        }
    }

    #[test]
    fn pruning_finds_what_scoring_every_match_finds() -> crate::Result<()> {
        let dir = tempfile::tempdir()?;
        let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
        let mut words = Words(7);
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
