//! A report as its reporter sees it with the receipt: status, conversation, the version
//! offered for publication with what it changes in their words, and the published lesson.

use serde::Serialize;

use super::{paragraphs, reports::LessonView};
use crate::{
    services::{
        moderation::Draft,
        reports::{FieldChanges, Mark, ReceiptView, messages::Author, typed_tags},
    },
    vocabulary::Status,
};

#[derive(Serialize)]
struct MessageItem {
    author: &'static str,
    who: &'static str,
    created_on: String,
    paragraphs: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct ReceiptSummary {
    report_ref: String,
    title: String,
    status_label: &'static str,
    /// The day it was logged while that is kept, else only its month.
    logged_day: Option<String>,
    logged_month: String,
    can_change: bool,
    needs_info: bool,
    messages: Vec<MessageItem>,
    proposed: Option<ProposedView>,
    review_label: &'static str,
    lesson: Option<LessonView>,
    /// Whether the visitor may also open the lesson among the shared ones.
    lesson_link: bool,
}

#[derive(Serialize)]
struct ProposedView {
    version: String,
    title: String,
    narrative: Vec<String>,
    what_helped: Vec<String>,
    lesson: Vec<String>,
    tags: String,
    changes: Vec<ChangeView>,
    unchanged: bool,
}

/// One text of the offered version, marked against the reporter's own.
#[derive(Serialize)]
struct ChangeView {
    label: &'static str,
    changed: bool,
    pieces: Vec<PieceView>,
}

#[derive(Serialize)]
struct PieceView {
    text: String,
    added: bool,
    removed: bool,
}

impl From<FieldChanges> for ChangeView {
    fn from(changes: FieldChanges) -> Self {
        Self {
            label: changes.field.label(),
            changed: changes.changed(),
            pieces: changes
                .pieces
                .into_iter()
                .map(|piece| PieceView {
                    added: piece.mark == Mark::Added,
                    removed: piece.mark == Mark::Removed,
                    text: piece.text,
                })
                .collect(),
        }
    }
}

fn proposed(offered: &Draft, changes: Vec<FieldChanges>) -> ProposedView {
    let changes: Vec<ChangeView> = changes.into_iter().map(ChangeView::from).collect();
    ProposedView {
        version: offered.version(),
        title: offered.title.clone(),
        narrative: paragraphs(&offered.narrative),
        what_helped: paragraphs(&offered.what_helped),
        lesson: paragraphs(&offered.lesson),
        tags: typed_tags(&offered.tags),
        unchanged: changes.iter().all(|c| !c.changed),
        changes,
    }
}

impl ReceiptSummary {
    /// `may_read` tells whether the visitor may open shared lessons on the site.
    pub(super) fn new(view: ReceiptView, may_read: bool) -> Self {
        let month = view.submitted_on.month();
        Self {
            needs_info: view.status == Status::NeedsInfo,
            review_label: view.review.label_for_reporter(),
            proposed: view
                .proposed
                .as_ref()
                .zip(view.changes())
                .map(|(offered, changes)| proposed(offered, changes)),
            can_change: view.can_change(),
            status_label: view.status.label(),
            logged_day: view.logged_day().map(|day| day.to_string()),
            logged_month: format!("{month} {}", view.submitted_on.year()),
            lesson_link: may_read && view.lesson.is_some(),
            lesson: view.lesson.map(LessonView::from),
            report_ref: view.report_ref,
            title: view.title,
            messages: view
                .messages
                .into_iter()
                .map(|m| MessageItem {
                    who: match m.author {
                        Author::Moderator => "A moderator",
                        Author::Reporter => "You",
                    },
                    author: m.author.slug(),
                    created_on: m.created_on.to_string(),
                    paragraphs: paragraphs(&m.body),
                })
                .collect(),
        }
    }
}
