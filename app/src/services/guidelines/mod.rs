//! Guidelines as living documents: versioned sections with stable anchors, every change a
//! revision with its rationale, effective date and evidence, and the published lessons
//! linked to each section.
//!
//! What the pages and the API call (all plain async functions over the database):
//!
//! - Reading: [`list`] (every guideline), [`get`] (one, with its sections in force, their
//!   rendered HTML and linked lesson refs, and its retired sections), [`section`] (one section
//!   by anchor, retired or not: [`SectionView::retired_on`] and [`SectionView::replaced_by`]
//!   say "retired on …, replaced by …").
//! - History: [`revisions`] (newest first), [`revision`] (one revision with the guideline as
//!   it then stood and its [`GuidelineDiff`] against the one before), [`compare_revisions`]
//!   (any two). A diff is runs of text marked kept, added or removed
//!   ([`crate::services::reports::Piece`]), section by section with a [`SectionStatus`].
//! - Changing (policy owners and admins; the caller checks the role): [`create_guideline`],
//!   [`put_section`] (edits a section, or adds one at the end when the anchor is new),
//!   [`add_section`] (adds one, refusing a heading whose anchor is taken),
//!   [`move_section`], [`retire_section`]. Each takes the author's account name and a
//!   [`ChangeNote`] (rationale required, `effective_from` defaulting to today, evidence as
//!   published lesson refs) and returns an [`Outcome`]; a call that changes nothing makes no
//!   revision. Field errors name `heading`, `markdown`, `rationale`, `effective_from`,
//!   `evidence`, `position`, `replaced_by`, `slug` or `title`.
//! - Lessons (moderators; the caller checks the role): [`link`] and [`unlink`] a published
//!   lesson to sections named by [`SectionRef`] (`guideline#anchor`); [`lessons_of`] a section,
//!   newest first with the count; [`guidance_of`] a lesson.
//! - Files: [`import_markdown`] and [`export_markdown`] (the format is in [`file`]); imports
//!   are authored by [`IMPORT_AUTHOR`].
//! - Safety: [`markdown::render`] is the one way section text becomes HTML.

pub mod anchors;
pub mod diff;
mod fields;
pub mod file;
mod history;
mod import;
mod links;
pub mod markdown;
mod note;
mod read;
mod revisions;
mod snapshot;
mod store;

pub use diff::{GuidelineDiff, SectionDiff, SectionStatus};
pub use fields::{MAX_HEADING, MAX_OWNER_ROLE, MAX_SUMMARY};
pub use history::{
    Comparison, RevisionDetail, RevisionSummary, compare_revisions, revision, revisions,
};
pub use import::{IMPORT_AUTHOR, export_markdown, import_markdown};
pub use links::{
    Guidance, LinkedLesson, SectionLessons, SectionRef, guidance_of, lessons_of, link, unlink,
};
pub use note::{ChangeNote, Evidence, EvidenceKind, MAX_EVIDENCE, MAX_RATIONALE};
pub use read::{GuidelineSummary, GuidelineView, SectionView, by_slugs, count, get, list, section};
pub use revisions::{
    NewGuideline, Outcome, SectionEdit, add_section, create_guideline, move_section, put_section,
    retire_section,
};
pub use snapshot::{Snapshot, SnapshotSection};
pub use store::ChangeKind;
