//! What the guideline pages show: the services' guidelines, revisions and diffs turned into
//! plain page contexts.

use serde::Serialize;
use time::{Date, PrimitiveDateTime, macros::format_description};

use crate::services::{
    guidelines::{
        Evidence, EvidenceKind, GuidelineDiff, GuidelineSummary, RevisionSummary, SectionDiff,
        SectionStatus, SectionView,
    },
    reports::{Mark, Piece},
};

/// A date as pages write it: `2026-11-28`.
pub(super) fn day(date: Date) -> String {
    date.to_string()
}

/// A moment as pages write it, in UTC: `2026-11-28 14:05 UTC`.
fn moment(at: PrimitiveDateTime) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]");
    at.format(format)
        .map(|text| format!("{text} UTC"))
        .unwrap_or_else(|_| day(at.date()))
}

#[derive(Serialize)]
pub(super) struct GuidelineItem {
    slug: String,
    title: String,
    summary: String,
    owner_role: String,
    revision: i32,
    sections: usize,
}

impl From<GuidelineSummary> for GuidelineItem {
    fn from(g: GuidelineSummary) -> Self {
        Self {
            slug: g.slug,
            title: g.title,
            summary: g.summary,
            owner_role: g.owner_role,
            revision: g.revision,
            sections: g.sections,
        }
    }
}

/// A lesson under "Why this rule exists".
#[derive(Serialize)]
pub(super) struct WhyLesson {
    pub report_ref: String,
    pub title: String,
    pub linked_on: String,
}

/// A section of the guideline page: in force with its text and lessons, or retired.
#[derive(Serialize)]
pub(super) struct SectionItem {
    anchor: String,
    heading: String,
    /// Sanitised by the service: the one place where section text becomes HTML.
    html: String,
    retired: Option<Retired>,
    lessons: Vec<WhyLesson>,
    lesson_count: usize,
}

#[derive(Serialize)]
struct Retired {
    on: String,
    replaced_by: Option<Heading>,
}

#[derive(Clone, Serialize)]
pub(super) struct Heading {
    pub anchor: String,
    pub heading: String,
}

impl SectionItem {
    /// A section in force with the lessons that explain it.
    pub(super) fn in_force(section: SectionView, lessons: Vec<WhyLesson>, total: usize) -> Self {
        Self {
            anchor: section.anchor,
            heading: section.heading,
            html: section.html,
            retired: None,
            lessons,
            lesson_count: total,
        }
    }

    /// A retired section: its anchor answers with when, and what replaced it.
    pub(super) fn retired(section: SectionView, headings: &[Heading]) -> Self {
        let replaced_by = section.replaced_by.as_ref().map(|anchor| Heading {
            heading: headings
                .iter()
                .find(|h| &h.anchor == anchor)
                .map_or_else(|| anchor.clone(), |h| h.heading.clone()),
            anchor: anchor.clone(),
        });
        Self {
            retired: Some(Retired {
                on: section.retired_on.map(day).unwrap_or_default(),
                replaced_by,
            }),
            anchor: section.anchor,
            heading: section.heading,
            html: String::new(),
            lessons: Vec::new(),
            lesson_count: 0,
        }
    }
}

/// A piece of evidence behind a revision, as a link.
#[derive(Serialize)]
pub(super) struct EvidenceItem {
    label: String,
    href: String,
}

impl EvidenceItem {
    /// A lesson is named by its title while it is published, by its ref otherwise.
    fn of(evidence: &Evidence, titles: &Titles) -> Self {
        match evidence.kind {
            EvidenceKind::Lesson => Self {
                label: titles
                    .get(&evidence.key)
                    .map_or_else(|| format!("Lesson {}", evidence.key), Clone::clone),
                href: format!("/reports/{}", evidence.key),
            },
            EvidenceKind::Pattern => Self {
                label: format!("Recurring pattern {}", evidence.key),
                href: format!("/patterns/{}", evidence.key),
            },
            EvidenceKind::Suggestion => Self {
                label: format!("Suggestion {}", evidence.key),
                href: format!("/suggestions/{}", evidence.key),
            },
        }
    }
}

/// The titles of the published lessons cited as evidence, by ref.
pub(super) type Titles = std::collections::HashMap<String, String>;

/// One revision in the history or at the top of its own page.
#[derive(Serialize)]
pub(super) struct RevisionItem {
    number: i32,
    changed_on: String,
    effective_from: String,
    author: String,
    rationale: String,
    change: String,
    evidence: Vec<EvidenceItem>,
}

impl RevisionItem {
    pub(super) fn of(r: RevisionSummary, titles: &Titles) -> Self {
        let change = match &r.anchor {
            Some(anchor) => format!("{} (#{anchor})", r.change.label()),
            None => r.change.label().to_owned(),
        };
        Self {
            number: r.number,
            changed_on: moment(r.changed_on),
            effective_from: day(r.effective_from),
            author: r.author,
            rationale: r.rationale,
            change,
            evidence: r
                .evidence
                .iter()
                .map(|e| EvidenceItem::of(e, titles))
                .collect(),
        }
    }
}

/// A run of text in a diff: kept, added or removed. The template says which in words.
#[derive(Serialize)]
struct PieceItem {
    text: String,
    added: bool,
    removed: bool,
}

fn pieces(pieces: &[Piece]) -> Vec<PieceItem> {
    pieces
        .iter()
        .map(|p| PieceItem {
            text: p.text.clone(),
            added: p.mark == Mark::Added,
            removed: p.mark == Mark::Removed,
        })
        .collect()
}

/// Whether a run of pieces holds any change at all.
fn differs(pieces: &[Piece]) -> bool {
    pieces.iter().any(|p| p.mark != Mark::Same)
}

/// One section that changed between two revisions.
#[derive(Serialize)]
struct SectionChange {
    anchor: String,
    heading: String,
    change_label: &'static str,
    note: Option<String>,
    heading_pieces: Vec<PieceItem>,
    body_pieces: Vec<PieceItem>,
}

impl From<&SectionDiff> for SectionChange {
    fn from(s: &SectionDiff) -> Self {
        let mut notes = Vec::new();
        if let Some((from, to)) = s.moved {
            notes.push(format!("Moved from place {from} to place {to}."));
        }
        if let Some(replacement) = &s.replaced_by {
            notes.push(format!("Replaced by #{replacement}."));
        }
        // A moved or retired section keeps its text: showing it all again adds nothing.
        let text_shown = matches!(
            s.status,
            SectionStatus::Added | SectionStatus::Edited | SectionStatus::Restored
        );
        Self {
            anchor: s.anchor.clone(),
            heading: s.heading.clone(),
            change_label: s.status.label(),
            note: (!notes.is_empty()).then(|| notes.join(" ")),
            heading_pieces: if differs(&s.heading_pieces) {
                pieces(&s.heading_pieces)
            } else {
                Vec::new()
            },
            body_pieces: if text_shown && differs(&s.markdown_pieces) {
                pieces(&s.markdown_pieces)
            } else {
                Vec::new()
            },
        }
    }
}

/// The changes between two revisions, unchanged sections left out.
#[derive(Serialize)]
pub(super) struct DiffView {
    title: Vec<PieceItem>,
    summary: Vec<PieceItem>,
    sections: Vec<SectionChange>,
}

impl From<&GuidelineDiff> for DiffView {
    fn from(diff: &GuidelineDiff) -> Self {
        let shown = |p: &[Piece]| if differs(p) { pieces(p) } else { Vec::new() };
        Self {
            title: shown(&diff.title),
            summary: shown(&diff.summary),
            sections: diff.changed_sections().map(SectionChange::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(mark: Mark, text: &str) -> Piece {
        Piece {
            mark,
            text: text.to_owned(),
        }
    }

    #[test]
    fn a_moved_section_shows_where_not_its_whole_text_again() {
        let diff = SectionDiff {
            anchor: "bcc".to_owned(),
            heading: "Use BCC".to_owned(),
            status: SectionStatus::Moved,
            moved: Some((3, 1)),
            heading_pieces: vec![piece(Mark::Same, "Use BCC")],
            markdown_pieces: vec![piece(Mark::Same, "Text")],
            replaced_by: None,
        };
        let change = SectionChange::from(&diff);
        assert_eq!(
            change.note.as_deref(),
            Some("Moved from place 3 to place 1.")
        );
        assert!(change.heading_pieces.is_empty() && change.body_pieces.is_empty());
    }

    #[test]
    fn an_edit_marks_what_was_added_and_removed() {
        let diff = SectionDiff {
            anchor: "bcc".to_owned(),
            heading: "Use BCC".to_owned(),
            status: SectionStatus::Edited,
            moved: None,
            heading_pieces: vec![piece(Mark::Same, "Use BCC")],
            markdown_pieces: vec![
                piece(Mark::Same, "Put "),
                piece(Mark::Removed, "all"),
                piece(Mark::Added, "every"),
            ],
            replaced_by: None,
        };
        let change = SectionChange::from(&diff);
        let marks: Vec<(bool, bool)> = change
            .body_pieces
            .iter()
            .map(|p| (p.added, p.removed))
            .collect();
        assert_eq!(marks, [(false, false), (false, true), (true, false)]);
    }
}
