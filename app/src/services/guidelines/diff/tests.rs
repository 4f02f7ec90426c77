//! Comparing revisions: additions, edits, moves, retirements and restorations.

use super::*;
use crate::services::reports::with_markers;

fn section(anchor: &str, markdown: &str) -> SnapshotSection {
    SnapshotSection {
        anchor: anchor.to_owned(),
        heading: anchor.to_uppercase(),
        markdown: markdown.to_owned(),
        retired_on: None,
        replaced_by: None,
    }
}

fn guideline(sections: Vec<SnapshotSection>) -> Snapshot {
    Snapshot {
        title: "Email".to_owned(),
        summary: "How we write email.".to_owned(),
        owner_role: "Head of communications".to_owned(),
        sections,
    }
}

/// A section's anchor, status and move, as the tests compare them.
type Fate = (String, SectionStatus, Option<(usize, usize)>);

fn statuses(diff: &GuidelineDiff) -> Vec<Fate> {
    diff.sections
        .iter()
        .map(|s| (s.anchor.clone(), s.status, s.moved))
        .collect()
}

#[test]
fn a_first_revision_adds_everything() {
    let new = guideline(vec![section("a", "one"), section("b", "two")]);
    let diff = compare(&Snapshot::default(), &new);
    assert_eq!(
        statuses(&diff),
        [
            ("a".into(), SectionStatus::Added, None),
            ("b".into(), SectionStatus::Added, None)
        ]
    );
    assert_eq!(with_markers(&diff.title), "[+Email]");
    assert_eq!(with_markers(&diff.sections[1].markdown_pieces), "[+two]");
}

#[test]
fn an_edit_is_marked_word_by_word_and_nothing_else_changes() {
    let old = guideline(vec![
        section("a", "Use Bcc for lists."),
        section("b", "two"),
    ]);
    let new = guideline(vec![
        section("a", "Use Bcc for external lists."),
        section("b", "two"),
    ]);
    let diff = compare(&old, &new);
    assert_eq!(diff.sections[0].status, SectionStatus::Edited);
    assert_eq!(
        with_markers(&diff.sections[0].markdown_pieces),
        "Use Bcc for [+external ]lists."
    );
    assert_eq!(diff.sections[1].status, SectionStatus::Unchanged);
    assert_eq!(diff.changed_sections().count(), 1);
    assert!(!differs(&diff.title));
}

#[test]
fn a_move_names_both_places_and_only_the_moved_section() {
    let old = guideline(vec![
        section("a", "1"),
        section("b", "2"),
        section("c", "3"),
    ]);
    let new = guideline(vec![
        section("c", "3"),
        section("a", "1"),
        section("b", "2"),
    ]);
    let diff = compare(&old, &new);
    assert_eq!(
        statuses(&diff),
        [
            ("c".into(), SectionStatus::Moved, Some((3, 1))),
            ("a".into(), SectionStatus::Unchanged, None),
            ("b".into(), SectionStatus::Unchanged, None)
        ]
    );
}

#[test]
fn an_added_section_does_not_make_the_others_moved() {
    let old = guideline(vec![section("a", "1"), section("b", "2")]);
    let new = guideline(vec![
        section("x", "new"),
        section("a", "1"),
        section("b", "2"),
    ]);
    let changed: Vec<_> = compare(&old, &new)
        .changed_sections()
        .map(|s| (s.anchor.clone(), s.status))
        .collect();
    assert_eq!(changed, [("x".to_owned(), SectionStatus::Added)]);
}

#[test]
fn retiring_shows_the_text_removed_and_the_replacement() {
    let old = guideline(vec![section("a", "old rule"), section("b", "2")]);
    let mut retired = section("a", "old rule");
    retired.retired_on = Some("2026-11-28".to_owned());
    retired.replaced_by = Some("b".to_owned());
    let new = guideline(vec![retired.clone(), section("b", "2")]);
    let diff = compare(&old, &new);
    let last = diff.sections.last().cloned();
    assert_eq!(
        last.as_ref()
            .map(|s| (s.anchor.as_str(), s.status, s.replaced_by.as_deref())),
        Some(("a", SectionStatus::Retired, Some("b")))
    );
    assert_eq!(
        last.map(|s| with_markers(&s.markdown_pieces)).as_deref(),
        Some("[-old rule]")
    );
    // Once retired, it is no longer listed between later revisions.
    let later = compare(&new, &new);
    assert_eq!(later.changed_sections().count(), 0);
    assert!(later.sections.iter().all(|s| s.anchor != "a"));
    // Brought back, it is restored.
    let back = compare(&new, &old);
    assert_eq!(back.sections[0].status, SectionStatus::Restored);
}
