//! The size of each unit as reports divide by it: its own headcount when an admin gave one,
//! else the sum of its children's sizes when every one of them is known, else not known.
//!
//! A headcount counts everyone in the unit, the units under it included, as organisations
//! state theirs. So a unit's own number wins over its children's sum (it also holds the staff
//! attached to the unit itself, whom no child counts), and a unit without one is known only
//! when all its children are: a sum over some of them would undercount it, and a rate over
//! an undercount would overstate how much its people report.

use std::collections::HashMap;

/// A unit's size and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub people: u64,
    /// Added up from the units under it, which all have a size.
    pub summed: bool,
}

/// A unit as sizes need it: `(id, parent id, headcount)`.
pub type Member = (i32, Option<i32>, Option<u32>);

/// The known sizes of `units`, by id; a unit whose size is not known is left out.
pub fn sizes(units: &[Member]) -> HashMap<i32, Size> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for &(id, parent, _) in units {
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(id);
        }
    }
    let own: HashMap<i32, Option<u32>> = units.iter().map(|&(id, _, n)| (id, n)).collect();
    let mut known = HashMap::new();
    let mut done = HashMap::new();
    for &(id, _, _) in units {
        size_of(id, &own, &children, &mut done, &mut known);
    }
    known
}

/// Works out the size of `id` (children first), remembering every unit it settles. A unit
/// met again before it is settled would be a loop in the tree, which the tree never has; it
/// counts as not known rather than recursing for ever.
fn size_of(
    id: i32,
    own: &HashMap<i32, Option<u32>>,
    children: &HashMap<i32, Vec<i32>>,
    done: &mut HashMap<i32, bool>,
    known: &mut HashMap<i32, Size>,
) -> Option<Size> {
    if done.contains_key(&id) {
        return known.get(&id).copied();
    }
    done.insert(id, false);
    let size = match own.get(&id).copied().flatten() {
        Some(n) => Some(Size {
            people: u64::from(n),
            summed: false,
        }),
        None => {
            let under = children.get(&id).map(Vec::as_slice).unwrap_or_default();
            let mut people = 0;
            let mut all = !under.is_empty();
            for &child in under {
                match size_of(child, own, children, done, known) {
                    Some(size) => people += size.people,
                    None => all = false,
                }
            }
            all.then_some(Size {
                people,
                summed: true,
            })
        }
    };
    if let Some(size) = size {
        known.insert(id, size);
    }
    done.insert(id, true);
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(sizes: &HashMap<i32, Size>, id: i32) -> Option<(u64, bool)> {
        sizes.get(&id).map(|s| (s.people, s.summed))
    }

    #[test]
    fn a_unit_is_its_own_headcount_or_the_sum_of_all_its_children() {
        // 1 Agency (none) ─ 2 Comms (none) ─ 3 Social (40), 4 Press (10)
        //                 └ 5 Legal (30)
        // 6 Ministry (500) ─ 7 Cabinet (none)
        // 8 Bureau (none) ─ 9 Desk (12), 10 Annex (none, no children)
        let units: Vec<Member> = vec![
            (1, None, None),
            (2, Some(1), None),
            (3, Some(2), Some(40)),
            (4, Some(2), Some(10)),
            (5, Some(1), Some(30)),
            (6, None, Some(500)),
            (7, Some(6), None),
            (8, None, None),
            (9, Some(8), Some(12)),
            (10, Some(8), None),
        ];
        let sizes = sizes(&units);
        assert_eq!(people(&sizes, 2), Some((50, true)));
        assert_eq!(people(&sizes, 1), Some((80, true)));
        assert_eq!(people(&sizes, 6), Some((500, false)), "its own number wins");
        assert_eq!(people(&sizes, 7), None, "a leaf without a headcount");
        assert_eq!(people(&sizes, 8), None, "one child not known");
        assert_eq!(people(&sizes, 9), Some((12, false)));
    }

    #[test]
    fn a_loop_in_the_tree_ends_as_not_known() {
        let units: Vec<Member> = vec![(1, Some(2), None), (2, Some(1), None)];
        assert!(sizes(&units).is_empty());
    }
}
