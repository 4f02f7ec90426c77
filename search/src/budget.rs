//! Collecting over a bounded number of matches, so that a query matching most of the index
//! costs no more than one matching a few thousand documents.
//!
//! Exact counts and facets over every match mean visiting every match: for a common word in a
//! million reports, that alone breaks a 20 ms budget. Past `budget` matches, the collector
//! stops and estimates totals from the share of each segment it scanned. Below it, which is
//! every search of a small organisation, everything is exact.

use tantivy::{
    DocId, Score, SegmentReader, TERMINATED,
    collector::{Collector, SegmentCollector},
    query::Weight,
};

pub struct Budgeted<C> {
    inner: C,
    budget: u64,
    total_docs: u64,
}

impl<C> Budgeted<C> {
    pub fn new(inner: C, budget: u64, total_docs: u64) -> Self {
        Self {
            inner,
            budget,
            total_docs: total_docs.max(1),
        }
    }
}

/// What a budgeted collection found, and how much of the index it looked at.
pub struct Sampled<F> {
    pub fruit: F,
    /// Matching documents actually collected.
    pub matched: u64,
    /// All matching documents, estimated where the scan stopped early.
    pub total: u64,
    /// Whether every match was collected, making `total` and the fruit exact.
    pub complete: bool,
}

pub struct SegmentSampled<F> {
    fruit: F,
    matched: u64,
    /// The share of the segment's documents scanned, 1.0 when it was scanned to the end.
    scanned: f64,
}

pub struct BudgetedChild<S> {
    inner: S,
    matched: u64,
}

impl<S: SegmentCollector> SegmentCollector for BudgetedChild<S> {
    type Fruit = SegmentSampled<S::Fruit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.inner.collect(doc, score);
        self.matched += 1;
    }

    fn harvest(self) -> Self::Fruit {
        SegmentSampled {
            fruit: self.inner.harvest(),
            matched: self.matched,
            scanned: 1.0,
        }
    }
}

impl<C: Collector> Collector for Budgeted<C> {
    type Fruit = Sampled<C::Fruit>;
    type Child = BudgetedChild<C::Child>;

    fn for_segment(
        &self,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(BudgetedChild {
            inner: self.inner.for_segment(segment_ord, reader)?,
            matched: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<SegmentSampled<<C::Child as SegmentCollector>::Fruit>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut matched = 0;
        let mut total = 0.0;
        let mut complete = true;
        let mut inner = Vec::with_capacity(fruits.len());
        for segment in fruits {
            matched += segment.matched;
            total += segment.matched as f64 / segment.scanned.max(f64::EPSILON);
            complete &= segment.scanned >= 1.0;
            inner.push(segment.fruit);
        }
        Ok(Sampled {
            fruit: self.inner.merge_fruits(inner)?,
            matched,
            total: if complete {
                matched
            } else {
                total.round() as u64
            },
            complete,
        })
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<<Self::Child as SegmentCollector>::Fruit> {
        let mut child = self.inner.for_segment(segment_ord, reader)?;
        let max_doc = u64::from(reader.max_doc()).max(1);
        // Each segment gets its share of the budget, so that the sample spans the index.
        let budget = (self.budget * max_doc / self.total_docs).max(1);
        let scoring = self.inner.requires_scoring();
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut matched = 0;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|bits| bits.is_alive(doc)) {
                let score = if scoring { scorer.score() } else { 0.0 };
                child.collect(doc, score);
                matched += 1;
                if matched >= budget {
                    break;
                }
            }
            doc = scorer.advance();
        }
        let scanned = if doc == TERMINATED || scorer.advance() == TERMINATED {
            1.0
        } else {
            (f64::from(doc) + 1.0) / max_doc as f64
        };
        Ok(SegmentSampled {
            fruit: child.harvest(),
            matched,
            scanned,
        })
    }
}
