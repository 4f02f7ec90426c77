//! The candidate terms of a run, numbered densely, and each report's candidates: what the
//! statistics of themes read, in tables small enough to stay in the processor's caches even
//! when the collection holds millions of terms met once.

use super::Collection;

/// A term in more than this share of reports is what every report says ("email", "sent").
const UBIQUITOUS_SHARE: f64 = 0.2;
/// Reports a term must be in to pair up with another: two rare words meeting twice is a
/// coincidence among the thousands of pairs a collection holds.
pub(crate) const MIN_TOGETHER: u32 = 3;

/// The candidates by number (ascending with their term ids), and each report's numbers.
pub(crate) struct Candidates {
    /// The term of each number.
    pub terms: Vec<u32>,
    /// How much each says beyond ordinary English.
    pub weights: Vec<f64>,
    /// Reports holding each.
    pub documents: Vec<u32>,
    /// Report `d`'s candidates are `numbers[starts[d]..starts[d + 1]]`, ascending.
    starts: Vec<usize>,
    numbers: Vec<u32>,
    /// One bit a term, set for candidates, and how many candidates come before each word.
    bits: Vec<u64>,
    before: Vec<u32>,
}

impl Candidates {
    /// Terms too rare to pair up (fewer than three reports), shared by most reports, or made
    /// of ordinary English only, are no candidates.
    pub fn new(collection: &Collection) -> Self {
        let total = collection.documents.len() as f64;
        let words = collection.words();
        let mut bits = vec![0u64; collection.terms.len().div_ceil(64)];
        let (mut terms, mut weights, mut documents) = (Vec::new(), Vec::new(), Vec::new());
        for (id, term) in collection.terms.iter().enumerate() {
            let share = f64::from(term.documents) / total;
            if term.documents < MIN_TOGETHER || share > UBIQUITOUS_SHARE {
                continue;
            }
            let weight = collection
                .stems_of(id as u32)
                .map(|stem| words.stem_informativeness(stem))
                .fold(0.0, f64::max);
            if weight > 0.0 {
                bits[id / 64] |= 1 << (id % 64);
                terms.push(id as u32);
                weights.push(weight);
                documents.push(term.documents);
            }
        }
        let mut before = Vec::with_capacity(bits.len());
        let mut count = 0;
        for word in &bits {
            before.push(count);
            count += word.count_ones();
        }
        let mut candidates = Self {
            terms,
            weights,
            documents,
            starts: Vec::with_capacity(collection.documents.len() + 1),
            numbers: Vec::new(),
            bits,
            before,
        };
        for document in &collection.documents {
            candidates.starts.push(candidates.numbers.len());
            for term in &document.terms {
                if let Some(number) = candidates.number(*term) {
                    candidates.numbers.push(number);
                }
            }
        }
        candidates.starts.push(candidates.numbers.len());
        candidates
    }

    /// The number of a term, if it is a candidate.
    pub fn number(&self, term: u32) -> Option<u32> {
        let (word, bit) = (term as usize / 64, term % 64);
        let bits = *self.bits.get(word)?;
        (bits & (1 << bit) != 0)
            .then(|| self.before[word] + (bits & ((1u64 << bit) - 1)).count_ones())
    }

    /// The weight of a term; 0 for no candidate.
    pub fn weight(&self, term: u32) -> f64 {
        self.number(term).map_or(0.0, |n| self.weights[n as usize])
    }

    /// A report's candidates, by number.
    pub fn of(&self, doc: u32) -> &[u32] {
        &self.numbers[self.starts[doc as usize]..self.starts[doc as usize + 1]]
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }
}
