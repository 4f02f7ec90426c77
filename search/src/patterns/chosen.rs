//! Each report's most specific candidate terms, and the pairs of them that reports choose
//! together: what the seeds of themes are tested on.

use super::{
    Collection,
    candidates::{Candidates, MIN_TOGETHER},
    parallel,
};

/// The terms of a report that may pair up: its most specific ones, which bounds the work.
const TERMS_PER_REPORT: usize = 16;

/// Each report's most specific candidates (by number), and the reports choosing each.
pub(crate) struct Chosen {
    /// Report `d` chose `top[starts[d]..starts[d + 1]]`.
    top: Vec<u32>,
    starts: Vec<usize>,
}

/// The pairs chosen together by at least [`MIN_TOGETHER`] reports, with how many, and how
/// many distinct pairs were chosen together at all.
pub(crate) struct Counted {
    pub pairs: Vec<(u32, u32, u32)>,
    pub met: usize,
}

impl Chosen {
    pub fn new(collection: &Collection, candidates: &Candidates) -> Self {
        let total = collection.documents.len() as f64;
        let specificity: Vec<f64> = candidates
            .weights
            .iter()
            .zip(&candidates.documents)
            .map(|(weight, documents)| weight * (total / f64::from(*documents)).ln().sqrt())
            .collect();
        // The candidates ranked once, most specific first (numbers follow term ids, so ties
        // break alike on every run): a report then keeps its sixteen lowest ranks.
        // Sorted as numbers: the bits of a positive float order as the float does.
        let mut keys: Vec<u128> = specificity
            .iter()
            .enumerate()
            .map(|(number, spec)| u128::from(!spec.to_bits()) << 32 | number as u128)
            .collect();
        keys.sort_unstable();
        let ranked: Vec<u32> = keys.into_iter().map(|key| key as u32).collect();
        let mut rank = vec![0u32; candidates.len()];
        for (place, number) in ranked.iter().enumerate() {
            rank[*number as usize] = place as u32;
        }
        let first = Eligible::new(collection, candidates, &ranked);
        let keep = |chosen: &mut Vec<u32>, here: u32| {
            // Most candidates fall short of the sixteenth chosen so far: one comparison.
            if chosen.len() == TERMS_PER_REPORT && here > chosen[TERMS_PER_REPORT - 1] {
                return;
            }
            let at = chosen.partition_point(|kept| *kept < here);
            chosen.insert(at, here);
            chosen.truncate(TERMS_PER_REPORT);
        };
        // Reports choose independently of one another: a share of them on each core.
        let parts = parallel::split(collection.documents.len(), |reports| {
            let mut top = Vec::with_capacity(reports.len() * TERMS_PER_REPORT);
            let mut ends = Vec::with_capacity(reports.len());
            let mut chosen: Vec<u32> = Vec::with_capacity(TERMS_PER_REPORT + 1);
            for doc in reports {
                chosen.clear();
                let mut found = 0;
                for term in &collection.documents[doc].terms {
                    if let Some(here) = first.rank(*term) {
                        found += 1;
                        keep(&mut chosen, here);
                    }
                }
                // Sixteen among the most specific are the report's sixteen; fewer say nothing
                // of the others, which are then all ranked.
                if found < TERMS_PER_REPORT {
                    chosen.clear();
                    for number in candidates.of(doc as u32) {
                        keep(&mut chosen, rank[number as usize]);
                    }
                }
                let first = top.len();
                top.extend(chosen.iter().map(|place| ranked[*place as usize]));
                top[first..].sort_unstable();
                ends.push(top.len());
            }
            (top, ends)
        });
        let mut top = Vec::with_capacity(parts.iter().map(|(top, _)| top.len()).sum());
        let mut starts = Vec::with_capacity(collection.documents.len() + 1);
        starts.push(0);
        for (part, ends) in parts {
            let base = top.len();
            top.extend(part);
            starts.extend(ends.into_iter().map(|end| base + end));
        }
        Self { top, starts }
    }

    fn of(&self, doc: usize) -> &[u32] {
        &self.top[self.starts[doc]..self.starts[doc + 1]]
    }

    /// Counts the pairs chosen together by at least [`MIN_TOGETHER`] reports, term by term
    /// (no map of pairs, which a large collection holds by the hundred million), over the
    /// terms chosen by that many reports. How many distinct pairs were chosen at all
    /// is every pair of every report's choice less the repeats: a pair repeats only between
    /// terms chosen twice or more, and one of a term chosen exactly twice repeats when both its
    /// reports chose the other term too.
    pub fn pairs(&self, candidates: usize) -> Counted {
        let reports = self.starts.len() - 1;
        let mut chosen_by = vec![0u32; candidates];
        for number in &self.top {
            chosen_by[*number as usize] += 1;
        }
        let mut twice = vec![(u32::MAX, u32::MAX); candidates];
        let often = |number: u32| chosen_by[number as usize] >= MIN_TOGETHER;
        // Each report's terms chosen often, ascending; and for each such term, where it stands
        // in each report choosing it, with the end of that report's list: the terms it pairs
        // with are those after it.
        let mut holding_starts = vec![0usize; candidates + 1];
        for (number, count) in chosen_by.iter().enumerate() {
            if *count >= MIN_TOGETHER {
                holding_starts[number + 1] = *count as usize;
            }
        }
        for number in 0..candidates {
            holding_starts[number + 1] += holding_starts[number];
        }
        let mut holding = vec![(0u32, 0u32); holding_starts[candidates]];
        let mut next = holding_starts.clone();
        let mut kept: Vec<u32> = Vec::new();
        let mut incidences = 0usize;
        for doc in 0..reports {
            let chosen = self.of(doc);
            incidences += chosen.len() * chosen.len().saturating_sub(1) / 2;
            for number in chosen {
                if chosen_by[*number as usize] == 2 {
                    let reports = &mut twice[*number as usize];
                    if reports.0 == u32::MAX {
                        reports.0 = doc as u32;
                    } else {
                        reports.1 = doc as u32;
                    }
                }
            }
            let first = kept.len();
            kept.extend(chosen.iter().filter(|n| often(**n)));
            let end = kept.len() as u32;
            for (at, number) in kept.iter().enumerate().skip(first) {
                let number = *number as usize;
                holding[next[number]] = (at as u32 + 1, end);
                next[number] += 1;
            }
        }
        let mut repeats = 0usize;
        for (a, (one, other)) in twice.iter().enumerate() {
            if *other == u32::MAX {
                continue;
            }
            repeats += shared(self.of(*one as usize), self.of(*other as usize))
                .filter(|b| *b as usize != a && (often(*b) || *b as usize > a))
                .count();
        }
        // The terms after `a` in each report choosing it, sorted: a run of one term is how
        // many reports chose both. A few dozen numbers, sorted where they lie, cost less than
        // counting them in a table of every candidate.
        // Terms are counted independently of one another: a share of them on each core, by
        // how many reports chose them.
        let parts = parallel::split_by_cost(
            candidates,
            |a| holding_starts[a] as u64,
            |terms| {
                let mut partners: Vec<u32> = Vec::new();
                let mut pairs = Vec::new();
                let mut repeats = 0usize;
                for a in terms {
                    partners.clear();
                    for (after, end) in &holding[holding_starts[a]..holding_starts[a + 1]] {
                        partners.extend_from_slice(&kept[*after as usize..*end as usize]);
                    }
                    partners.sort_unstable();
                    for run in partners.chunk_by(|x, y| x == y) {
                        let both = run.len() as u32;
                        repeats += run.len() - 1;
                        if both >= MIN_TOGETHER {
                            pairs.push((a as u32, run[0], both));
                        }
                    }
                }
                (pairs, repeats)
            },
        );
        let mut pairs = Vec::new();
        for (part, repeated) in parts {
            pairs.extend(part);
            repeats += repeated;
        }
        Counted {
            pairs,
            met: incidences - repeats,
        }
    }
}

/// The numbers in both of two ascending lists.
fn shared<'l>(a: &'l [u32], b: &'l [u32]) -> impl Iterator<Item = u32> + 'l {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    return Some(a[i - 1]);
                }
            }
        }
        None
    })
}

/// Reports choose on average this many of the most specific candidates: nearly all find
/// their sixteen among them, and read nothing else.
const ELIGIBLE_PER_REPORT: u64 = 32;

/// The most specific candidates, by term, with their ranks: a bit a term in a table small
/// enough to stay in the processor's caches while every report's terms are read.
struct Eligible {
    bits: Vec<u64>,
    /// How many eligible terms come before each 64.
    before: Vec<u32>,
    /// The ranks of the eligible terms, in the order of their ids.
    ranks: Vec<u32>,
}

impl Eligible {
    fn new(collection: &Collection, candidates: &Candidates, ranked: &[u32]) -> Self {
        let goal = collection.documents.len() as u64 * ELIGIBLE_PER_REPORT;
        let mut held = 0u64;
        let mut eligible = 0;
        let mut bits = vec![0u64; collection.term_count().div_ceil(64)];
        for number in ranked {
            if held >= goal {
                break;
            }
            held += u64::from(candidates.documents[*number as usize]);
            let term = candidates.terms[*number as usize];
            bits[term as usize / 64] |= 1 << (term % 64);
            eligible += 1;
        }
        let mut before = Vec::with_capacity(bits.len());
        let mut count = 0;
        for word in &bits {
            before.push(count);
            count += word.count_ones();
        }
        let mut eligible = Self {
            bits,
            before,
            ranks: vec![0; eligible],
        };
        for (place, number) in ranked.iter().take(eligible.ranks.len()).enumerate() {
            if let Some(at) = eligible.index(candidates.terms[*number as usize]) {
                eligible.ranks[at] = place as u32;
            }
        }
        eligible
    }

    /// Where a term's rank is, if it is eligible.
    fn index(&self, term: u32) -> Option<usize> {
        let (word, bit) = (term as usize / 64, term % 64);
        let bits = *self.bits.get(word)?;
        (bits & (1 << bit) != 0)
            .then(|| (self.before[word] + (bits & ((1u64 << bit) - 1)).count_ones()) as usize)
    }

    /// The rank of a term, if it is among the most specific.
    fn rank(&self, term: u32) -> Option<u32> {
        self.index(term).map(|at| self.ranks[at])
    }
}
