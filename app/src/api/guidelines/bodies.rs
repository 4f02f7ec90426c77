//! The JSON shapes of guidelines as readers get them: the list, one guideline, one section,
//! the history and the differences between revisions.

use poem_openapi::{Enum, Object};

use crate::services::{
    guidelines::{
        ChangeKind, Comparison, Evidence, EvidenceKind, GuidelineDiff, GuidelineSummary,
        GuidelineView, LinkedLesson, RevisionDetail, RevisionSummary, SectionDiff, SectionStatus,
        SectionView,
    },
    reports::{Mark, Piece},
};

/// Every guideline, by title.
#[derive(Debug, Object)]
pub struct GuidelineListBody {
    pub guidelines: Vec<GuidelineListEntry>,
}

#[derive(Debug, Object)]
pub struct GuidelineListEntry {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub owner_role: String,
    /// The number of the latest revision.
    pub revision: u32,
    /// How many sections are in force.
    pub sections: u64,
}

impl From<GuidelineSummary> for GuidelineListEntry {
    fn from(g: GuidelineSummary) -> Self {
        Self {
            slug: g.slug,
            title: g.title,
            summary: g.summary,
            owner_role: g.owner_role,
            revision: number(g.revision),
            sections: g.sections as u64,
        }
    }
}

/// A guideline as it stands, with its sections in force in order.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct GuidelineBody {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub owner_role: String,
    /// The number of the latest revision.
    pub revision: u32,
    /// `YYYY-MM-DD`: when the latest revision took effect.
    pub effective_from: Option<String>,
    pub sections: Vec<SectionBody>,
    /// Retired sections: their anchors still answer, with the retirement.
    pub retired: Vec<SectionBody>,
}

impl From<GuidelineView> for GuidelineBody {
    fn from(g: GuidelineView) -> Self {
        Self {
            slug: g.slug,
            title: g.title,
            summary: g.summary,
            owner_role: g.owner_role,
            revision: number(g.revision),
            effective_from: g.effective_from.map(|d| d.to_string()),
            sections: g.sections.into_iter().map(Into::into).collect(),
            retired: g.retired.into_iter().map(Into::into).collect(),
        }
    }
}

/// One section: its Markdown, the same rendered to safe HTML, and the published lessons
/// linked to it, newest link first.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SectionBody {
    pub anchor: String,
    pub heading: String,
    pub markdown: String,
    /// Sanitised: no raw HTML, no script links; links carry `rel="noopener noreferrer"`.
    pub html: String,
    /// Refs of the linked lessons.
    pub lessons: Vec<String>,
    /// Its place among the sections in force, from 1; absent once retired.
    pub position: Option<u64>,
    /// `YYYY-MM-DD`, for a retired section.
    pub retired_on: Option<String>,
    /// The anchor of the section that replaces a retired one.
    pub replaced_by: Option<String>,
}

impl From<SectionView> for SectionBody {
    fn from(s: SectionView) -> Self {
        Self {
            position: (s.position > 0).then_some(s.position as u64),
            retired_on: s.retired_on.map(|d| d.to_string()),
            anchor: s.anchor,
            heading: s.heading,
            markdown: s.markdown,
            html: s.html,
            lessons: s.lessons,
            replaced_by: s.replaced_by,
        }
    }
}

/// One section with the lessons that explain it.
#[derive(Debug, Object)]
pub struct SectionDetailBody {
    pub section: SectionBody,
    /// How many published lessons are linked.
    pub lesson_count: u64,
    /// The linked lessons, newest link first.
    pub linked_lessons: Vec<LinkedLessonBody>,
}

#[derive(Debug, Object)]
pub struct LinkedLessonBody {
    #[oai(rename = "ref")]
    pub report_ref: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub linked_on: String,
}

impl From<LinkedLesson> for LinkedLessonBody {
    fn from(l: LinkedLesson) -> Self {
        Self {
            report_ref: l.report_ref,
            title: l.title,
            linked_on: l.linked_on.to_string(),
        }
    }
}

/// A guideline's revisions, newest first.
#[derive(Debug, Object)]
pub struct RevisionsBody {
    pub revisions: Vec<RevisionBody>,
}

/// One piece of evidence behind a change.
#[derive(Debug, Object)]
pub struct EvidenceBody {
    pub kind: EvidenceKind,
    /// For a lesson, its ref.
    #[oai(rename = "ref")]
    pub key: String,
}

impl From<Evidence> for EvidenceBody {
    fn from(e: Evidence) -> Self {
        Self {
            kind: e.kind,
            key: e.key,
        }
    }
}

/// One revision: who, when, why, from when, on what evidence.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RevisionBody {
    pub number: u32,
    /// The account's name, or `import` for a revision made by importing a file.
    pub author: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub changed_on: String,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    pub rationale: String,
    pub change: ChangeKind,
    /// The section the change concerns, when it concerns one.
    pub anchor: Option<String>,
    pub evidence: Vec<EvidenceBody>,
}

impl From<RevisionSummary> for RevisionBody {
    fn from(r: RevisionSummary) -> Self {
        let at = r.changed_on;
        Self {
            number: number(r.number),
            author: r.author,
            changed_on: format!(
                "{}T{:02}:{:02}:{:02}Z",
                at.date(),
                at.hour(),
                at.minute(),
                at.second()
            ),
            effective_from: r.effective_from.to_string(),
            rationale: r.rationale,
            change: r.change,
            anchor: r.anchor,
            evidence: r.evidence.into_iter().map(Into::into).collect(),
        }
    }
}

/// One revision with what it changed from the revision before.
#[derive(Debug, Object)]
pub struct RevisionDetailBody {
    #[oai(flatten)]
    pub revision: RevisionBody,
    /// Against revision `number - 1`; the first revision is compared with nothing.
    pub diff: DiffBody,
}

impl From<RevisionDetail> for RevisionDetailBody {
    fn from(d: RevisionDetail) -> Self {
        Self {
            revision: d.revision.into(),
            diff: d.diff.into(),
        }
    }
}

/// Two revisions and what changed from the one to the other.
#[derive(Debug, Object)]
pub struct ComparisonBody {
    pub from: RevisionBody,
    pub to: RevisionBody,
    pub diff: DiffBody,
}

impl From<Comparison> for ComparisonBody {
    fn from(c: Comparison) -> Self {
        Self {
            from: c.from.into(),
            to: c.to.into(),
            diff: c.diff.into(),
        }
    }
}

/// Whether a run of text is in both revisions or only in one.
#[derive(Debug, Enum)]
#[oai(rename_all = "lowercase")]
pub enum DiffMark {
    Same,
    Added,
    Removed,
}

/// A run of text with one mark; the runs of a text in order read as both versions at once.
#[derive(Debug, Object)]
pub struct DiffRun {
    pub mark: DiffMark,
    pub text: String,
}

fn runs(pieces: Vec<Piece>) -> Vec<DiffRun> {
    pieces
        .into_iter()
        .map(|p| DiffRun {
            mark: match p.mark {
                Mark::Same => DiffMark::Same,
                Mark::Added => DiffMark::Added,
                Mark::Removed => DiffMark::Removed,
            },
            text: p.text,
        })
        .collect()
}

/// What changed between two revisions: the guideline's own fields when they changed, and
/// each section that changed (unchanged sections are left out).
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DiffBody {
    pub title: Option<Vec<DiffRun>>,
    pub summary: Option<Vec<DiffRun>>,
    pub owner_role: Option<Vec<DiffRun>>,
    pub sections: Vec<SectionDiffBody>,
}

impl From<GuidelineDiff> for DiffBody {
    fn from(d: GuidelineDiff) -> Self {
        let changed = |pieces: Vec<Piece>| {
            pieces
                .iter()
                .any(|p| p.mark != Mark::Same)
                .then(|| runs(pieces))
        };
        Self {
            title: changed(d.title),
            summary: changed(d.summary),
            owner_role: changed(d.owner_role),
            sections: d
                .sections
                .into_iter()
                .filter(SectionDiff::changed)
                .map(Into::into)
                .collect(),
        }
    }
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SectionDiffBody {
    pub anchor: String,
    pub heading: String,
    pub status: SectionStatus,
    /// Its place before, from 1, when it moved.
    pub moved_from: Option<u64>,
    /// Its place after, when it moved.
    pub moved_to: Option<u64>,
    pub heading_diff: Vec<DiffRun>,
    pub markdown_diff: Vec<DiffRun>,
    pub replaced_by: Option<String>,
}

impl From<SectionDiff> for SectionDiffBody {
    fn from(s: SectionDiff) -> Self {
        Self {
            anchor: s.anchor,
            heading: s.heading,
            status: s.status,
            moved_from: s.moved.map(|(from, _)| from as u64),
            moved_to: s.moved.map(|(_, to)| to as u64),
            heading_diff: runs(s.heading_pieces),
            markdown_diff: runs(s.markdown_pieces),
            replaced_by: s.replaced_by,
        }
    }
}

/// Revision numbers start at 1; a stored number is never negative.
pub(super) fn number(n: i32) -> u32 {
    u32::try_from(n).unwrap_or_default()
}
