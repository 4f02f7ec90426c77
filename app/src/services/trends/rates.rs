//! Published lessons per 1,000 staff beside the breakdown by unit: each row's lessons over
//! the people of the units that row counts.
//!
//! A row counts its unit and the small units rolled up into it, but not the units under it
//! that have rows of their own. Sizes include everything under a unit (see
//! `services::units::sizes`), so a row's people are its unit's size less the sizes of those
//! units with rows of their own just below it; not known when any of these is not known.

use std::collections::HashMap;

use super::{rollup::Node, sheet::Slot, suppress::CellId};

/// Rates are per this many people: per 1,000 reads as a small number with one decimal
/// for a large unit ("2.4") and stays below a few hundred for a small one.
pub const PER: u64 = 1000;

/// The rate of `count` lessons (its cell `cell`) over `people`, or unknown.
pub fn rate(cell: CellId, count: u64, people: Option<u64>) -> Slot {
    match people {
        Some(people) if people > 0 => Slot::Rate {
            count: cell,
            value: count as f64 * PER as f64 / people as f64,
        },
        _ => Slot::Unknown,
    }
}

/// The people of the whole scope: the chosen unit's size, or the top-level units' together
/// when every one of them is known (lessons without a unit come from the same people).
pub fn people_in_scope(
    nodes: &[Node],
    sizes: &HashMap<i32, u64>,
    root: Option<i32>,
) -> Option<u64> {
    match root {
        Some(root) => sizes.get(&root).copied(),
        None => {
            let tops: Vec<&Node> = nodes.iter().filter(|n| n.parent_id.is_none()).collect();
            if tops.is_empty() {
                return None;
            }
            tops.iter().map(|n| sizes.get(&n.id)).sum()
        }
    }
}

/// The people behind each row of the breakdown, in the rows' order. `rows` are the rows'
/// unit paths, `None` for the small top-level units counted together.
pub fn people_by_row(
    nodes: &[Node],
    sizes: &HashMap<i32, u64>,
    root: Option<i32>,
    rows: &[Option<String>],
) -> Vec<Option<u64>> {
    let by_id: HashMap<i32, &Node> = nodes.iter().map(|n| (n.id, n)).collect();
    let row_of_path: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, path)| Some((path.as_deref()?, i)))
        .collect();
    let others = rows.iter().position(Option::is_none);
    let in_scope = |node: &Node| match root {
        None => true,
        Some(root) => ancestry(node, &by_id).any(|n| n.id == root),
    };
    // The row that counts a unit: the nearest unit up from it (itself included) with a row
    // of its own, or the row of small top-level units.
    let row_of = |node: &Node| -> Option<usize> {
        for up in ancestry(node, &by_id) {
            if let Some(&row) = row_of_path.get(up.path.as_str()) {
                return Some(row);
            }
            if Some(up.id) == root {
                return None;
            }
        }
        others
    };
    let mut added: Vec<Option<u64>> = vec![Some(0); rows.len()];
    let mut counted = vec![false; rows.len()];
    for node in nodes.iter().filter(|n| in_scope(n)) {
        let parent = node
            .parent_id
            .and_then(|id| by_id.get(&id))
            .filter(|p| in_scope(p) && Some(node.id) != root);
        let (own, above) = (row_of(node), parent.and_then(|p| row_of(p)));
        if own == above {
            continue;
        }
        let size = sizes.get(&node.id).copied();
        // The highest unit of a row adds its people to it...
        if let Some(row) = own {
            counted[row] = true;
            added[row] = added[row].zip(size).map(|(a, s)| a + s);
        }
        // ...and takes them from the row above, which its size also includes.
        if let Some(row) = above {
            added[row] = added[row].zip(size).and_then(|(a, s)| a.checked_sub(s));
        }
    }
    added
        .into_iter()
        .zip(counted)
        .map(|(people, counted)| people.filter(|&p| counted && p > 0))
        .collect()
}

/// A unit and the units above it, nearest first.
fn ancestry<'a>(
    node: &'a Node,
    by_id: &'a HashMap<i32, &'a Node>,
) -> impl Iterator<Item = &'a Node> {
    let mut next = Some(node);
    let mut steps = 0;
    std::iter::from_fn(move || {
        let here = next?;
        steps += 1;
        // A tree is never deeper than its number of units; stop a loop all the same.
        next = here
            .parent_id
            .and_then(|id| by_id.get(&id).copied())
            .filter(|_| steps <= by_id.len());
        Some(here)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Vec<Node> {
        let node = |id, parent_id, path: &str| Node {
            id,
            parent_id,
            path: path.to_owned(),
        };
        vec![
            node(1, None, "Agency"),
            node(2, Some(1), "Agency/Comms"),
            node(3, Some(2), "Agency/Comms/Social"),
            node(4, Some(2), "Agency/Comms/Press"),
            node(5, Some(1), "Agency/Legal"),
            node(6, None, "Ministry"),
            node(7, None, "Bureau"),
        ]
    }

    fn rows(paths: &[Option<&str>]) -> Vec<Option<String>> {
        paths.iter().map(|p| p.map(str::to_owned)).collect()
    }

    #[test]
    fn a_row_counts_its_unit_less_the_units_below_with_rows_of_their_own() {
        let sizes = HashMap::from([(1, 1000), (2, 300), (3, 120), (4, 50), (5, 60), (6, 400)]);
        // Agency (with Comms, Press and Legal rolled up), Social on its own, Ministry, and
        // Bureau among the small top-level units.
        let people = people_by_row(
            &tree(),
            &sizes,
            None,
            &rows(&[
                Some("Agency"),
                Some("Agency/Comms/Social"),
                Some("Ministry"),
                None,
            ]),
        );
        // Agency: 1000 − 120 (Social); Bureau has no size, so the small units' row is unknown.
        assert_eq!(people, [Some(880), Some(120), Some(400), None]);
        assert_eq!(people_in_scope(&tree(), &sizes, None), None);
        let with_bureau = HashMap::from([(1, 1000), (6, 400), (7, 25)]);
        assert_eq!(people_in_scope(&tree(), &with_bureau, None), Some(1425));
    }

    #[test]
    fn a_row_below_a_unit_of_unknown_size_leaves_that_unit_unknown() {
        let sizes = HashMap::from([(1, 1000), (3, 120)]);
        let people = people_by_row(
            &tree(),
            &sizes,
            None,
            &rows(&[
                Some("Agency"),
                Some("Agency/Comms"),
                Some("Agency/Comms/Social"),
            ]),
        );
        // Comms is not known, so neither is Agency without Comms, nor Comms without Social.
        assert_eq!(people, [None, None, Some(120)]);
    }

    #[test]
    fn a_chosen_unit_is_the_top_of_its_scope() {
        let sizes = HashMap::from([(1, 1000), (2, 300), (3, 120), (4, 50)]);
        let people = people_by_row(
            &tree(),
            &sizes,
            Some(2),
            &rows(&[Some("Agency/Comms"), Some("Agency/Comms/Social")]),
        );
        assert_eq!(people, [Some(180), Some(120)]);
        assert_eq!(people_in_scope(&tree(), &sizes, Some(2)), Some(300));
    }

    #[test]
    fn sizes_that_do_not_add_up_give_no_rate() {
        // Social said to be larger than the Agency it belongs to.
        let sizes = HashMap::from([(1, 100), (3, 120)]);
        let people = people_by_row(
            &tree(),
            &sizes,
            None,
            &rows(&[Some("Agency"), Some("Agency/Comms/Social")]),
        );
        assert_eq!(people, [None, Some(120)]);
    }

    #[test]
    fn a_rate_is_per_thousand_and_unknown_without_people() {
        assert!(
            matches!(rate(0, 6, Some(1500)), Slot::Rate { count: 0, value } if (value - 4.0).abs() < 1e-12)
        );
        assert!(matches!(rate(0, 6, None), Slot::Unknown));
        assert!(matches!(rate(0, 0, Some(0)), Slot::Unknown));
    }
}
