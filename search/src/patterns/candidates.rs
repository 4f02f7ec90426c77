//! The candidate terms of a run, numbered densely, and each report's candidates: what the
//! statistics of themes read, in tables small enough to stay in the processor's caches even
//! when the collection holds millions of terms met once.

use super::{Collection, words::unpack};

/// A term in more than this share of reports is what every report says ("email", "sent").
const UBIQUITOUS_SHARE: f64 = 0.2;
/// Reports a term must be in to pair up with another: two rare words meeting twice is a
/// coincidence among the thousands of pairs a collection holds.
pub(crate) const MIN_TOGETHER: u32 = 3;

/// The candidates by number (ascending with their term ids).
pub(crate) struct Candidates<'c> {
    collection: &'c Collection,
    /// The term of each number.
    pub terms: Vec<u32>,
    /// How much each says beyond ordinary English.
    pub weights: Vec<f64>,
    /// Reports holding each.
    pub documents: Vec<u32>,
    /// For each 64 terms, one bit a term, set for candidates, and how many candidates come
    /// before them: one place to read per term.
    bits: Vec<(u64, u32)>,
}

impl<'c> Candidates<'c> {
    /// Terms too rare to pair up (fewer than three reports), shared by most reports, or made
    /// of ordinary English only, are no candidates.
    pub fn new(collection: &'c Collection) -> Self {
        let total = collection.documents.len() as f64;
        let words = collection.words();
        let mut found: Vec<(u32, u32, f64)> = Vec::new();
        for (key, entry) in collection.entries() {
            let share = f64::from(entry.documents) / total;
            if entry.documents < MIN_TOGETHER || share > UBIQUITOUS_SHARE {
                continue;
            }
            let weight = unpack(key)
                .map(|stem| words.stem_informativeness(stem))
                .fold(0.0, f64::max);
            if weight > 0.0 {
                found.push((entry.id, entry.documents, weight));
            }
        }
        found.sort_unstable_by_key(|(id, _, _)| *id);
        let mut bits = vec![(0u64, 0u32); collection.term_count().div_ceil(64)];
        for (id, _, _) in &found {
            bits[*id as usize / 64].0 |= 1 << (id % 64);
        }
        let mut count = 0;
        for (word, before) in &mut bits {
            *before = count;
            count += word.count_ones();
        }
        Self {
            collection,
            terms: found.iter().map(|(id, _, _)| *id).collect(),
            documents: found.iter().map(|(_, documents, _)| *documents).collect(),
            weights: found.iter().map(|(_, _, weight)| *weight).collect(),
            bits,
        }
    }

    /// The number of a term, if it is a candidate.
    pub fn number(&self, term: u32) -> Option<u32> {
        let (bits, before) = *self.bits.get(term as usize / 64)?;
        let bit = term % 64;
        (bits & (1 << bit) != 0).then(|| before + (bits & ((1u64 << bit) - 1)).count_ones())
    }

    /// The weight of a term; 0 for no candidate.
    pub fn weight(&self, term: u32) -> f64 {
        self.number(term).map_or(0.0, |n| self.weights[n as usize])
    }

    /// A report's candidates, by number, ascending.
    pub fn of(&self, doc: u32) -> impl Iterator<Item = u32> + '_ {
        self.collection.documents[doc as usize]
            .terms
            .iter()
            .filter_map(|term| self.number(*term))
    }

    /// Whether a report holds a candidate.
    pub fn holds(&self, doc: u32, number: u32) -> bool {
        self.collection.contains(doc, self.terms[number as usize])
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }
}
