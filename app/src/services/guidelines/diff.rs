//! What changed between two revisions of a guideline, section by section and word by word.
//!
//! The result is plain data: runs of text marked as kept, added or removed, which a template
//! shows with words ("added", "removed") and not colour alone.

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::snapshot::{Snapshot, SnapshotSection};
use crate::{
    services::reports::{Mark, Piece, word_changes},
    vocabulary::vocabulary,
};

vocabulary! {
    /// How one section fared between two revisions.
    SectionStatus {
        Added => ("added", "Added"),
        Edited => ("edited", "Edited"),
        Moved => ("moved", "Moved"),
        Retired => ("retired", "Retired"),
        Restored => ("restored", "Restored"),
        Unchanged => ("unchanged", "Unchanged"),
    }
}

/// One section between two revisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionDiff {
    pub anchor: String,
    /// The heading in the later revision (in the earlier one for a section now retired).
    pub heading: String,
    pub status: SectionStatus,
    /// Its places among the sections in force, from 1, when it moved (an edited section may
    /// have moved too).
    pub moved: Option<(usize, usize)>,
    pub heading_pieces: Vec<Piece>,
    pub markdown_pieces: Vec<Piece>,
    /// For a section retired in favour of another.
    pub replaced_by: Option<String>,
}

impl SectionDiff {
    pub fn changed(&self) -> bool {
        self.status != SectionStatus::Unchanged
    }
}

/// Two revisions of a guideline compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuidelineDiff {
    pub title: Vec<Piece>,
    pub summary: Vec<Piece>,
    pub owner_role: Vec<Piece>,
    /// The sections in force in the later revision in its order, then those it retired.
    pub sections: Vec<SectionDiff>,
}

impl GuidelineDiff {
    /// The sections that changed, leaving out the unchanged ones.
    pub fn changed_sections(&self) -> impl Iterator<Item = &SectionDiff> {
        self.sections.iter().filter(|s| s.changed())
    }
}

/// Compares `old` with `new`; for a first revision, `old` is the empty [`Snapshot`].
pub fn compare(old: &Snapshot, new: &Snapshot) -> GuidelineDiff {
    let old_order: Vec<&str> = old.current().map(|s| s.anchor.as_str()).collect();
    let new_order: Vec<&str> = new.current().map(|s| s.anchor.as_str()).collect();
    let in_order = kept_in_order(&old_order, &new_order);
    let place = |order: &[&str], anchor: &str| order.iter().position(|a| *a == anchor);
    let mut sections = Vec::new();
    for (to, section) in new.current().enumerate() {
        let before = old.section(&section.anchor);
        let status_and_move = match before {
            None => (SectionStatus::Added, None),
            Some(b) if !b.is_current() => (SectionStatus::Restored, None),
            Some(b) => {
                let moved = (!in_order.contains(&section.anchor.as_str()))
                    .then(|| place(&old_order, &section.anchor).map(|from| (from + 1, to + 1)))
                    .flatten();
                let status = if b.heading != section.heading || b.markdown != section.markdown {
                    SectionStatus::Edited
                } else if moved.is_some() {
                    SectionStatus::Moved
                } else {
                    SectionStatus::Unchanged
                };
                (status, moved)
            }
        };
        sections.push(section_diff(before, section, status_and_move));
    }
    // Sections retired by this revision: in force before, not after.
    for section in old.current() {
        let now_retired = new.section(&section.anchor).is_none_or(|s| !s.is_current());
        if now_retired {
            let after = new
                .section(&section.anchor)
                .cloned()
                .unwrap_or_else(|| SnapshotSection {
                    retired_on: Some(String::new()),
                    ..section.clone()
                });
            let mut diff = section_diff(Some(section), &after, (SectionStatus::Retired, None));
            diff.heading = section.heading.clone();
            sections.push(diff);
        }
    }
    GuidelineDiff {
        title: word_changes(&old.title, &new.title),
        summary: word_changes(&old.summary, &new.summary),
        owner_role: word_changes(&old.owner_role, &new.owner_role),
        sections,
    }
}

fn section_diff(
    before: Option<&SnapshotSection>,
    after: &SnapshotSection,
    (status, moved): (SectionStatus, Option<(usize, usize)>),
) -> SectionDiff {
    let (old_heading, old_markdown) = match before {
        // A restored section is compared with its text when it was retired.
        Some(b) => (b.heading.as_str(), b.markdown.as_str()),
        None => ("", ""),
    };
    let (new_heading, new_markdown) = if status == SectionStatus::Retired {
        // Retiring keeps the text in the history; the diff shows it all as removed.
        ("", "")
    } else {
        (after.heading.as_str(), after.markdown.as_str())
    };
    SectionDiff {
        anchor: after.anchor.clone(),
        heading: after.heading.clone(),
        status,
        moved,
        heading_pieces: word_changes(old_heading, new_heading),
        markdown_pieces: word_changes(old_markdown, new_markdown),
        replaced_by: after.replaced_by.clone(),
    }
}

/// The anchors of both orders that keep their relative order: the longest common run found
/// by the diff. Those of both orders that are not in it moved.
fn kept_in_order<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<&'a str> {
    capture_diff_slices(Algorithm::Myers, old, new)
        .into_iter()
        .filter(|op| op.tag() == DiffTag::Equal)
        .flat_map(|op| old[op.old_range()].to_vec())
        .collect()
}

/// Whether any run of `pieces` is added or removed.
pub fn differs(pieces: &[Piece]) -> bool {
    pieces.iter().any(|p| p.mark != Mark::Same)
}

#[cfg(test)]
mod tests;
