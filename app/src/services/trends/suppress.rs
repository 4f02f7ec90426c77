//! Small-cell suppression: which counts of a report are shown as "fewer than k", so that no
//! small team can be singled out, directly or by subtracting shown cells from shown totals.
//!
//! Plain data in, plain data out: the cells of a whole report (every table) and the sums that
//! bind them (`total = part + part + …`, a total shared by several tables being one cell).
//! A cell is *primary* suppressed when it rests on 1 to k−1 reports. Zero rests on nobody and
//! is shown, so a hidden cell is always known to be at least 1 — never more than that.
//! Then cells are hidden *complementarily* until no hidden value is determined by the shown
//! ones: the sums restricted to the hidden cells form a linear system whose right-hand sides
//! are known, and a hidden cell whose value that system fixes is exactly what a reader could
//! recover by adding and subtracting shown numbers, within a table or across tables.

/// The index of a cell in the report's list of counts.
pub type CellId = usize;

/// `total = parts[0] + parts[1] + …`, a relation every reader of the report can see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sum {
    pub total: CellId,
    pub parts: Vec<CellId>,
}

/// The least k: below three, two people of a team could tell each other apart.
pub const MIN_K: u64 = 3;
/// The default k.
pub const DEFAULT_K: u64 = 5;

/// Which of `counts` to hide, given the sums that bind them and the threshold `k`.
pub fn suppress(counts: &[u64], sums: &[Sum], k: u64) -> Vec<bool> {
    let mut hidden: Vec<bool> = counts.iter().map(|&n| n > 0 && n < k).collect();
    loop {
        one_hidden_in_a_sum(counts, sums, &mut hidden);
        // The cheap rule above leaves combinations across sums; the exact test catches them.
        let Some(exposed) = determined(counts, sums, &hidden).into_iter().next() else {
            return hidden;
        };
        match complement_for(exposed, counts, sums, &hidden) {
            Some(cell) => hidden[cell] = true,
            // Cannot happen (see `complement_for`); hiding every cell of its sums is safe.
            None => {
                let before = hidden.iter().filter(|&&h| h).count();
                for sum in sums.iter().filter(|s| cells_of(s).any(|c| c == exposed)) {
                    for cell in cells_of(sum).filter(|&c| counts[c] > 0) {
                        hidden[cell] = true;
                    }
                }
                if hidden.iter().filter(|&&h| h).count() == before {
                    return hidden;
                }
            }
        }
    }
}

/// Within one sum, a single hidden cell is its total minus the shown parts: hide the next
/// smallest non-zero cell of the sum as well, until no sum has exactly one hidden cell (nor
/// hidden parts that can only all be 1).
fn one_hidden_in_a_sum(counts: &[u64], sums: &[Sum], hidden: &mut [bool]) {
    let mut changed = true;
    while changed {
        changed = false;
        for sum in sums {
            let cells = || std::iter::once(sum.total).chain(sum.parts.iter().copied());
            let hidden_parts: Vec<CellId> =
                sum.parts.iter().copied().filter(|&c| hidden[c]).collect();
            let lone = cells().filter(|&c| hidden[c]).count() == 1;
            // Hidden cells are at least 1 (zeros are shown): if the shown total leaves exactly
            // one for each hidden part, every one of them is 1.
            let all_ones = !hidden[sum.total]
                && hidden_parts.len() > 1
                && hidden_parts.iter().map(|&c| counts[c]).sum::<u64>()
                    == hidden_parts.len() as u64;
            if !lone && !all_ones {
                continue;
            }
            let next = cells()
                .filter(|&c| !hidden[c] && counts[c] > 0)
                .min_by_key(|&c| (counts[c], c == sum.total, c));
            if let Some(cell) = next {
                hidden[cell] = true;
                changed = true;
            }
        }
    }
}

/// The smallest shown non-zero cell that shares a sum with `exposed`, looking further out
/// through sums that share hidden cells when the nearest sums have none. One exists: if every
/// non-zero cell around were hidden, the shown cells would all be zeros, the system's
/// right-hand sides all zero, and a determined cell would be zero, which a hidden cell is not.
fn complement_for(
    exposed: CellId,
    counts: &[u64],
    sums: &[Sum],
    hidden: &[bool],
) -> Option<CellId> {
    let mut reached = vec![false; counts.len()];
    reached[exposed] = true;
    let mut frontier = vec![exposed];
    while !frontier.is_empty() {
        let touching: Vec<&Sum> = sums
            .iter()
            .filter(|s| cells_of(s).any(|c| frontier.contains(&c)))
            .collect();
        let best = touching
            .iter()
            .flat_map(|s| cells_of(s))
            .filter(|&c| !hidden[c] && counts[c] > 0)
            .min_by_key(|&c| (counts[c], c));
        if best.is_some() {
            return best;
        }
        let mut next = Vec::new();
        for cell in touching.iter().flat_map(|s| cells_of(s)) {
            if hidden[cell] && !reached[cell] {
                reached[cell] = true;
                next.push(cell);
            }
        }
        frontier = next;
    }
    None
}

fn cells_of(sum: &Sum) -> impl Iterator<Item = CellId> + '_ {
    std::iter::once(sum.total).chain(sum.parts.iter().copied())
}

/// The hidden cells whose value the shown cells fix through the sums.
///
/// Each sum, with its shown cells moved to the right-hand side, is a row over the hidden
/// cells; in the reduced row echelon form of those rows, a hidden cell is fixed exactly when
/// its pivot row has no other non-zero entry. Coefficients are 0 and ±1 and the systems are
/// a few hundred cells at most, so floating point with a tolerance is exact enough.
pub fn determined(counts: &[u64], sums: &[Sum], hidden: &[bool]) -> Vec<CellId> {
    let vars: Vec<CellId> = (0..counts.len()).filter(|&c| hidden[c]).collect();
    if vars.is_empty() {
        return Vec::new();
    }
    let column = |cell: CellId| vars.binary_search(&cell).ok();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for sum in sums {
        let mut row = vec![0.0_f64; vars.len()];
        if let Some(i) = column(sum.total) {
            row[i] += 1.0;
        }
        for &part in &sum.parts {
            if let Some(i) = column(part) {
                row[i] -= 1.0;
            }
        }
        if row.iter().any(|v| v.abs() > EPSILON) {
            rows.push(row);
        }
    }
    let pivots = reduce(&mut rows, vars.len());
    pivots
        .into_iter()
        .filter(|&(row, col)| {
            rows[row]
                .iter()
                .enumerate()
                .all(|(j, v)| j == col || v.abs() < EPSILON)
        })
        .map(|(_, col)| vars[col])
        .collect()
}

const EPSILON: f64 = 1e-9;

/// Gauss–Jordan elimination in place; returns the (row, column) of each pivot.
fn reduce(rows: &mut [Vec<f64>], width: usize) -> Vec<(usize, usize)> {
    let mut pivots = Vec::new();
    let mut next_row = 0;
    for col in 0..width {
        if next_row == rows.len() {
            break;
        }
        let Some(best) = (next_row..rows.len()).max_by(|&a, &b| {
            rows[a][col]
                .abs()
                .partial_cmp(&rows[b][col].abs())
                .unwrap_or(std::cmp::Ordering::Equal)
        }) else {
            break;
        };
        if rows[best][col].abs() < EPSILON {
            continue;
        }
        rows.swap(next_row, best);
        let pivot = rows[next_row][col];
        for v in rows[next_row].iter_mut() {
            *v /= pivot;
        }
        let pivot_row = rows[next_row].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r == next_row || row[col].abs() < EPSILON {
                continue;
            }
            let factor = row[col];
            for (v, p) in row.iter_mut().zip(&pivot_row) {
                *v -= factor * p;
            }
        }
        pivots.push((next_row, col));
        next_row += 1;
    }
    pivots
}

#[cfg(test)]
#[path = "suppress_tests.rs"]
mod tests;
