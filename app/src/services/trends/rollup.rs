//! The breakdown by unit, rolled up so that it never goes below the level where a unit would
//! rest on fewer than k reports: a small unit is counted with its parent.

use std::collections::HashMap;

/// A unit of the tree, as the roll-up needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub path: String,
}

/// One row of the breakdown: a unit with the small units under it that were counted with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRow {
    /// The unit's path, or `None` for the small top-level units taken together.
    pub path: Option<String>,
    pub count: u64,
    /// How many smaller units were counted in this row.
    pub absorbed: usize,
}

/// Rows for the units under `root` (or the whole tree), each with at least `k` reports where
/// rolling up can make it so; only the scope's root, or the top-level units together, may
/// stay under k, and the suppression of cells takes care of them.
pub fn roll_up(
    nodes: &[Node],
    counts: &HashMap<i32, u64>,
    root: Option<i32>,
    k: u64,
) -> Vec<UnitRow> {
    let mut children: HashMap<Option<i32>, Vec<&Node>> = HashMap::new();
    for node in nodes {
        children.entry(node.parent_id).or_default().push(node);
    }
    let mut rows = Vec::new();
    match root.and_then(|id| nodes.iter().find(|n| n.id == id)) {
        Some(node) => {
            let (count, absorbed) = visit(node, &children, counts, k, &mut rows);
            if count > 0 {
                rows.push(UnitRow {
                    path: Some(node.path.clone()),
                    count,
                    absorbed,
                });
            }
        }
        None => {
            let (mut count, mut absorbed) = (0, 0);
            for top in children.get(&None).into_iter().flatten() {
                let (n, under) = visit(top, &children, counts, k, &mut rows);
                if n >= k {
                    rows.push(UnitRow {
                        path: Some(top.path.clone()),
                        count: n,
                        absorbed: under,
                    });
                } else if n > 0 {
                    count += n;
                    absorbed += under + 1;
                }
            }
            if count > 0 {
                rows.push(UnitRow {
                    path: None,
                    count,
                    absorbed,
                });
            }
        }
    }
    rows.sort_by(|a, b| {
        a.path
            .is_none()
            .cmp(&b.path.is_none())
            .then(a.path.cmp(&b.path))
    });
    rows
}

/// The count of `node` with the small units under it, and how many those are; units under
/// it with at least k reports become rows of their own.
fn visit(
    node: &Node,
    children: &HashMap<Option<i32>, Vec<&Node>>,
    counts: &HashMap<i32, u64>,
    k: u64,
    rows: &mut Vec<UnitRow>,
) -> (u64, usize) {
    let mut count = counts.get(&node.id).copied().unwrap_or(0);
    let mut absorbed = 0;
    for child in children.get(&Some(node.id)).into_iter().flatten() {
        let (n, under) = visit(child, children, counts, k, rows);
        if n >= k {
            rows.push(UnitRow {
                path: Some(child.path.clone()),
                count: n,
                absorbed: under,
            });
        } else if n > 0 {
            count += n;
            absorbed += under + 1;
        }
    }
    (count, absorbed)
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
        ]
    }

    #[test]
    fn small_units_are_counted_with_their_parent() {
        let counts = HashMap::from([(1, 1), (2, 2), (3, 6), (4, 2), (5, 3), (6, 20)]);
        let rows = roll_up(&tree(), &counts, None, 5);
        let shown: Vec<(Option<&str>, u64, usize)> = rows
            .iter()
            .map(|r| (r.path.as_deref(), r.count, r.absorbed))
            .collect();
        // Press (2) goes into Comms (2 + 2 = 4, still small), which goes into Agency with
        // Legal (3): Agency = 1 + 4 + 3 = 8, counting three smaller units.
        assert_eq!(
            shown,
            [
                (Some("Agency"), 8, 3),
                (Some("Agency/Comms/Social"), 6, 0),
                (Some("Ministry"), 20, 0),
            ]
        );
        assert_eq!(rows.iter().map(|r| r.count).sum::<u64>(), 34);
    }

    #[test]
    fn small_top_level_units_go_together_and_a_chosen_root_stays() {
        let counts = HashMap::from([(1, 2), (6, 1)]);
        let rows = roll_up(&tree(), &counts, None, 5);
        assert_eq!(
            rows,
            [UnitRow {
                path: None,
                count: 3,
                absorbed: 2
            }]
        );
        let counts = HashMap::from([(2, 1), (3, 2)]);
        let rows = roll_up(&tree(), &counts, Some(2), 5);
        assert_eq!(
            rows,
            [UnitRow {
                path: Some("Agency/Comms".to_owned()),
                count: 3,
                absorbed: 1
            }]
        );
    }
}
