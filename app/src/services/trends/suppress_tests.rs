//! Suppression on hand-built tables and on random ones, checked by trying subtractions.

use super::*;

fn sum(total: CellId, parts: &[CellId]) -> Sum {
    Sum {
        total,
        parts: parts.to_vec(),
    }
}

/// Every combination of up to three sums, each added or subtracted, restricted to the hidden
/// cells: a combination that leaves one hidden cell alone is a subtraction that recovers it.
/// Independent of the elimination in `determined`, so that each checks the other.
pub(super) fn recovered_by_subtraction(
    counts: &[u64],
    sums: &[Sum],
    hidden: &[bool],
) -> Vec<CellId> {
    let row = |s: &Sum| {
        let mut row = vec![0i64; counts.len()];
        row[s.total] += 1;
        for &p in &s.parts {
            row[p] -= 1;
        }
        row
    };
    let rows: Vec<Vec<i64>> = sums.iter().map(row).collect();
    let mut found = Vec::new();
    let mut check = |combined: &[i64]| {
        let nonzero: Vec<usize> = (0..counts.len())
            .filter(|&c| hidden[c] && combined[c] != 0)
            .collect();
        if let [only] = nonzero[..] {
            found.push(only);
        }
    };
    let signs = [1i64, -1];
    for a in 0..rows.len() {
        check(&rows[a]);
        for b in a + 1..rows.len() {
            for sb in signs {
                let ab: Vec<i64> = (0..counts.len())
                    .map(|c| rows[a][c] + sb * rows[b][c])
                    .collect();
                check(&ab);
                for third in &rows[b + 1..] {
                    for sc in signs {
                        let abc: Vec<i64> =
                            (0..counts.len()).map(|i| ab[i] + sc * third[i]).collect();
                        check(&abc);
                    }
                }
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

fn assert_safe(counts: &[u64], sums: &[Sum], hidden: &[bool], k: u64) {
    for (c, &n) in counts.iter().enumerate() {
        if n > 0 && n < k {
            assert!(hidden[c], "cell {c} = {n} is under {k} and shown");
        }
        if n == 0 {
            assert!(!hidden[c], "zero cell {c} is hidden");
        }
    }
    assert_eq!(determined(counts, sums, hidden), Vec::<CellId>::new());
    assert_eq!(
        recovered_by_subtraction(counts, sums, hidden),
        Vec::<CellId>::new()
    );
    for s in sums.iter().filter(|s| !hidden[s.total]) {
        let parts: Vec<u64> = s
            .parts
            .iter()
            .filter(|&&c| hidden[c])
            .map(|&c| counts[c])
            .collect();
        assert!(
            parts.len() != 1 && (parts.len() < 2 || parts.iter().sum::<u64>() > parts.len() as u64),
            "sum {s:?} gives its hidden parts away"
        );
    }
}

#[test]
fn large_cells_are_all_shown() {
    let counts = [30, 10, 20];
    let sums = [sum(0, &[1, 2])];
    assert_eq!(suppress(&counts, &sums, 5), [false, false, false]);
}

#[test]
fn cells_under_k_are_hidden_and_k_itself_and_zero_are_shown() {
    let counts = [0, 1, 4, 5, 6];
    assert_eq!(suppress(&counts, &[], 5), [false, true, true, false, false]);
    assert_eq!(
        suppress(&counts, &[], 3),
        [false, true, false, false, false]
    );
}

#[test]
fn a_lone_hidden_cell_in_a_row_takes_the_next_smallest_with_it() {
    // 25 = 3 + 7 + 15: hiding 3 alone leaves it as 25 − 7 − 15.
    let counts = [25, 3, 7, 15];
    let sums = [sum(0, &[1, 2, 3])];
    let hidden = suppress(&counts, &sums, 5);
    assert_eq!(hidden, [false, true, true, false]);
    assert_safe(&counts, &sums, &hidden, 5);
}

#[test]
fn a_zero_is_never_the_complement() {
    // 10 = 0 + 2 + 8: the zero would protect nothing, so the 8 goes with the 2.
    let counts = [10, 0, 2, 8];
    let sums = [sum(0, &[1, 2, 3])];
    let hidden = suppress(&counts, &sums, 5);
    assert_eq!(hidden, [false, false, true, true]);
}

#[test]
fn with_only_the_total_left_the_total_is_hidden() {
    // 3 = 3 + 0: the part is its total; the total is under k anyway.
    let counts = [3, 3, 0];
    let sums = [sum(0, &[1, 2])];
    let hidden = suppress(&counts, &sums, 5);
    assert_eq!(hidden, [true, true, false]);
    // 12 = 2 + 10, where 10 is part of nothing else: both parts are hidden.
    let counts = [12, 2, 10];
    let hidden = suppress(&counts, &[sum(0, &[1, 2])], 5);
    assert_eq!(hidden, [false, true, true]);
}

#[test]
fn hidden_ones_that_the_total_would_give_away_take_another_cell() {
    // 20 = 1 + 1 + 18: the two hidden cells can only be 1 and 1.
    let counts = [20, 1, 1, 18];
    let sums = [sum(0, &[1, 2, 3])];
    let hidden = suppress(&counts, &sums, 5);
    assert_eq!(hidden, [false, true, true, true]);
    assert_safe(&counts, &sums, &hidden, 5);
}

#[test]
fn a_total_shared_by_two_tables_is_safe_in_both() {
    // Published 40, by channel 2 + 38 and by impact 35 + 5: each table on its own.
    let counts = [40, 2, 38, 35, 5];
    let sums = [sum(0, &[1, 2]), sum(0, &[3, 4])];
    let hidden = suppress(&counts, &sums, 5);
    assert_eq!(hidden, [false, true, true, false, false]);
    assert_safe(&counts, &sums, &hidden, 5);
}

#[test]
fn a_cross_table_with_its_margins_is_safe_by_row_and_by_column() {
    // Factor × channel, 2 × 3, margins shared with the factor and channel tables:
    //        c0  c1  c2 | row
    //   f0    2  10  10 |  22
    //   f1   10  10  10 |  30
    //  col   12  20  20 |  52
    let counts = [2, 10, 10, 10, 10, 10, 22, 30, 12, 20, 20, 52];
    let sums = [
        sum(6, &[0, 1, 2]),
        sum(7, &[3, 4, 5]),
        sum(8, &[0, 3]),
        sum(9, &[1, 4]),
        sum(10, &[2, 5]),
        sum(11, &[6, 7]),
        sum(11, &[8, 9, 10]),
    ];
    let hidden = suppress(&counts, &sums, 5);
    assert!(hidden[0]);
    assert_safe(&counts, &sums, &hidden, 5);
}

#[test]
fn a_cycle_of_sums_that_no_single_table_betrays_is_caught() {
    // a + b = S1, b + c = S2, a + c = S3: each sum hides two cells, yet
    // a = (S1 − S2 + S3) / 2. Cells: a, b, c = 1, 2, 3, shown totals 3, 5, 4, and larger
    // cells d, e, f that make the three sums part of bigger tables.
    let counts = [1, 2, 3, 3, 5, 4];
    let sums = [sum(3, &[0, 1]), sum(4, &[1, 2]), sum(5, &[0, 2])];
    let before = [true, true, true, false, false, false];
    assert_eq!(determined(&counts, &sums, &before), vec![0, 1, 2]);
    let hidden = suppress(&counts, &sums, 4);
    assert_safe(&counts, &sums, &hidden, 4);
}

#[test]
fn a_cell_recoverable_only_across_three_tables_is_protected() {
    // Unit table: P = u1 + u2; channel table: P = c1 + c2; cross-table u1 = x + y, with
    // c1 = x + z. Built so that each table alone has two hidden cells.
    let counts = [60, 3, 57, 4, 56, 1, 2, 2];
    let sums = [
        sum(0, &[1, 2]),
        sum(0, &[3, 4]),
        sum(1, &[5, 6]),
        sum(3, &[5, 7]),
    ];
    let hidden = suppress(&counts, &sums, 5);
    assert_safe(&counts, &sums, &hidden, 5);
}

/// A small random generator, so that the random tables are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// A report in miniature: a grid of rows × columns (say unit × channel), its row and column
/// margins, the grand total, and a second breakdown of the grand total (say impact).
fn random_report(rng: &mut Lcg) -> (Vec<u64>, Vec<Sum>) {
    let rows = 2 + rng.below(3) as usize;
    let cols = 2 + rng.below(3) as usize;
    let mut counts: Vec<u64> = (0..rows * cols)
        .map(|_| match rng.below(4) {
            0 => 0,
            1 => 1 + rng.below(4),
            _ => rng.below(30),
        })
        .collect();
    let mut sums = Vec::new();
    let row_total = |counts: &[u64], r: usize| (0..cols).map(|c| counts[r * cols + c]).sum::<u64>();
    let row_cells: Vec<u64> = (0..rows).map(|r| row_total(&counts, r)).collect();
    let col_cells: Vec<u64> = (0..cols)
        .map(|c| (0..rows).map(|r| counts[r * cols + c]).sum())
        .collect();
    let grand: u64 = row_cells.iter().sum();
    for (r, &n) in row_cells.iter().enumerate() {
        let id = counts.len();
        counts.push(n);
        sums.push(sum(
            id,
            &(0..cols).map(|c| r * cols + c).collect::<Vec<_>>(),
        ));
    }
    for (c, &n) in col_cells.iter().enumerate() {
        let id = counts.len();
        counts.push(n);
        sums.push(sum(
            id,
            &(0..rows).map(|r| r * cols + c).collect::<Vec<_>>(),
        ));
    }
    let grand_id = counts.len();
    counts.push(grand);
    sums.push(sum(
        grand_id,
        &(rows * cols..rows * cols + rows).collect::<Vec<_>>(),
    ));
    sums.push(sum(
        grand_id,
        &(rows * cols + rows..rows * cols + rows + cols).collect::<Vec<_>>(),
    ));
    let small = grand.min(1 + rng.below(4));
    let first = counts.len();
    counts.extend([small, grand - small]);
    sums.push(sum(grand_id, &[first, first + 1]));
    (counts, sums)
}

#[test]
fn random_reports_never_let_a_hidden_cell_be_recovered() {
    let mut rng = Lcg(7);
    for _ in 0..400 {
        let (counts, sums) = random_report(&mut rng);
        for k in [3, 5, 10] {
            let hidden = suppress(&counts, &sums, k);
            assert_safe(&counts, &sums, &hidden, k);
        }
    }
}

#[test]
fn elimination_agrees_with_subtraction_on_a_simple_case() {
    let counts = [10, 3, 7];
    let sums = [sum(0, &[1, 2])];
    let hidden = [false, true, false];
    assert_eq!(determined(&counts, &sums, &hidden), vec![1]);
    assert_eq!(recovered_by_subtraction(&counts, &sums, &hidden), vec![1]);
}
