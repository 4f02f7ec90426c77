//! The statistics of detection: Dunning's log-likelihood ratio on 2×2 tables, set overlaps,
//! and the best window of a recurrence.

use rustc_hash::FxHashMap;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::occurrences::Occurrence;

/// The G² value above which an association is significant at p < 0.001 (one degree of
/// freedom), for one test.
pub fn critical_g2() -> f64 {
    critical_g2_among(1)
}

/// The same when `tests` associations are tested at once (Bonferroni's correction): among
/// thousands of pairs of words, some meet by chance, and a pattern must be more than that.
pub fn critical_g2_among(tests: usize) -> f64 {
    let p = 0.001 / tests.max(1) as f64;
    ChiSquared::new(1.0)
        .map(|chi| chi.inverse_cdf(1.0 - p))
        .unwrap_or(10.83)
}

fn x_ln_x(x: f64) -> f64 {
    if x <= 0.0 { 0.0 } else { x * x.ln() }
}

/// Dunning's G² of a 2×2 table: `both` reports have a and b, `a` and `b` reports have each
/// (including both), out of `total`. Signed: negative when they occur together less than
/// chance would have them.
pub fn g2(both: u64, a: u64, b: u64, total: u64) -> f64 {
    let k11 = both as f64;
    let k12 = a.saturating_sub(both) as f64;
    let k21 = b.saturating_sub(both) as f64;
    let k22 = total.saturating_sub((a + b).saturating_sub(both)) as f64;
    let n = k11 + k12 + k21 + k22;
    let row = x_ln_x(k11 + k12) + x_ln_x(k21 + k22);
    let col = x_ln_x(k11 + k21) + x_ln_x(k12 + k22);
    let cells = x_ln_x(k11) + x_ln_x(k12) + x_ln_x(k21) + x_ln_x(k22);
    let value = (2.0 * (cells - row - col + x_ln_x(n))).max(0.0);
    if lift(both, a, b, total) < 1.0 {
        -value
    } else {
        value
    }
}

/// How many times more often a and b occur together than they would by chance.
pub fn lift(both: u64, a: u64, b: u64, total: u64) -> f64 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    both as f64 * total as f64 / (a as f64 * b as f64)
}

/// |A ∩ B| / |A ∪ B| of two sorted, distinct lists.
pub fn jaccard_sorted<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let shared = intersection_len(a, b);
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

/// The union of two sorted, distinct lists, sorted.
pub fn union_sorted<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out: Vec<T> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

pub fn intersection_len<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// The most occurrences and units that any window of `months` months holds: the window with
/// the most distinct units, then the most occurrences. Occurrences without a unit count, but
/// add no unit.
pub fn best_window(occurrences: &[Occurrence], months: u32) -> (usize, usize) {
    let mut sorted: Vec<&Occurrence> = occurrences.iter().collect();
    sorted.sort_by_key(|o| o.month);
    let mut units: FxHashMap<u32, usize> = FxHashMap::default();
    let (mut best, mut start) = ((0, 0), 0);
    for end in 0..sorted.len() {
        if let Some(unit) = sorted[end].unit {
            *units.entry(unit).or_default() += 1;
        }
        while sorted[end].month.0 - sorted[start].month.0 >= months {
            if let Some(unit) = sorted[start].unit
                && let Some(count) = units.get_mut(&unit)
            {
                *count -= 1;
                if *count == 0 {
                    units.remove(&unit);
                }
            }
            start += 1;
        }
        let here = (units.len(), end + 1 - start);
        if here > best {
            best = here;
        }
    }
    (best.1, best.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Month;

    #[test]
    fn g2_is_zero_for_independence_and_large_for_association() {
        assert!(g2(10, 100, 100, 1000).abs() < 1e-9);
        assert!(g2(10, 10, 10, 1000) > critical_g2());
        assert!(g2(0, 100, 100, 1000) < 0.0);
        assert!((critical_g2() - 10.83).abs() < 0.01);
    }

    #[test]
    fn the_best_window_holds_the_most_units() {
        let at = |month, unit| Occurrence {
            doc: 0,
            unit: Some(unit),
            month: Month(month),
        };
        let spread = [at(0, 1), at(20, 2), at(40, 3)];
        assert_eq!(best_window(&spread, 12), (1, 1));
        let close = [at(0, 1), at(5, 2), at(11, 3), at(30, 3)];
        assert_eq!(best_window(&close, 12), (3, 3));
    }
}
