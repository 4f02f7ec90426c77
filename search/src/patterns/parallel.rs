//! Detection's heaviest passes split across the processor's cores. Each part runs on a thread
//! of its own that ends with the pass, so that lowering its priority (on Linux) leaves the
//! server's requests ahead of detection without touching the threads that answer them.

use std::ops::Range;

/// The most parts a pass is split into; more only add threads on a machine this size.
const MAX_PARTS: usize = 4;

/// Detection's niceness: well below requests, above nothing else.
#[cfg(target_os = "linux")]
const NICENESS: i32 = 10;

/// How many parts a pass is split into: one per core, at most [`MAX_PARTS`].
fn parts() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_PARTS)
}

/// Runs `work` on consecutive ranges of `0..len` that each carry about the same share of the
/// cost, given as its running total: `cost_before(i)` is the cost of items `0..i`, rising
/// with `i`. The results come back in the order of their ranges.
pub(crate) fn split_by_cost<T: Send>(
    len: usize,
    cost_before: impl Fn(usize) -> u64,
    work: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    let ranges = ranges(len, parts(), cost_before);
    if ranges.len() < 2 {
        return ranges.into_iter().map(work).collect();
    }
    std::thread::scope(|scope| {
        let running: Vec<_> = ranges
            .into_iter()
            .map(|range| {
                let work = &work;
                scope.spawn(move || {
                    lower_priority();
                    work(range)
                })
            })
            .collect();
        running
            .into_iter()
            .map(|part| match part.join() {
                Ok(result) => result,
                // A part that panicked panics the pass, as it would have on one thread.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// Runs `work` on consecutive ranges of `0..len` of about the same length.
pub(crate) fn split<T: Send>(len: usize, work: impl Fn(Range<usize>) -> T + Sync) -> Vec<T> {
    split_by_cost(len, |i| i as u64, work)
}

/// `0..len` cut into at most `parts` consecutive, non-empty ranges of about equal cost.
fn ranges(len: usize, parts: usize, cost_before: impl Fn(usize) -> u64) -> Vec<Range<usize>> {
    let total = cost_before(len);
    let mut ranges = Vec::with_capacity(parts);
    let mut start = 0;
    for part in 1..=parts {
        let end = if part == parts {
            len
        } else {
            // The first item at which the running cost reaches this part's share.
            let goal = total / parts as u64 * part as u64;
            let (mut low, mut high) = (start, len);
            while low < high {
                let middle = low + (high - low) / 2;
                if cost_before(middle) < goal {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            low
        };
        if end > start {
            ranges.push(start..end);
            start = end;
        }
    }
    ranges
}

/// Detection is background work: on Linux, this thread yields to the server's requests.
fn lower_priority() {
    // On Linux each thread has a priority of its own, and "this process" (no id) names the
    // calling thread. Failing to lower it only leaves the pass as fast as it was.
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(None, NICENESS);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_everything_once_in_order() {
        for len in [0, 1, 2, 3, 10, 1001] {
            for parts in 1..=4 {
                let cut = ranges(len, parts, |i| i as u64);
                let joined: Vec<usize> = cut.iter().flat_map(Clone::clone).collect();
                assert_eq!(joined, (0..len).collect::<Vec<_>>(), "{len} in {parts}");
                assert!(cut.len() <= parts && cut.iter().all(|r| !r.is_empty()));
            }
        }
    }

    #[test]
    fn ranges_follow_the_cost() {
        // The first item costs as much as all the others together.
        let cost = |i: usize| if i == 0 { 0 } else { 99 + i as u64 };
        let cut = ranges(100, 2, cost);
        assert_eq!(cut, vec![0..1, 1..100]);
    }

    #[test]
    fn results_come_back_in_order() {
        let sums = split(10_000, |range| range.sum::<usize>());
        assert_eq!(sums.iter().sum::<usize>(), (0..10_000).sum::<usize>());
        let firsts = split(10, |range| range.start);
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
    }
}
