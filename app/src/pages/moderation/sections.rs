//! Guideline sections suggested for the lesson on the moderator's report page, each with a
//! one-click form that links the published lesson to it.

use serde::Serialize;

use crate::{
    codes::ReportRef,
    error::Result,
    services::{
        moderation::Workspace,
        search::{self, SectionMatch},
    },
    state::AppState,
    vocabulary::Status,
};

/// A suggested section.
#[derive(Serialize)]
struct SuggestedSection {
    /// "Email §3".
    label: String,
    heading: String,
    href: String,
    /// `guideline#anchor`, as the link form sends it.
    value: String,
}

impl From<SectionMatch> for SuggestedSection {
    fn from(hit: SectionMatch) -> Self {
        Self {
            label: format!("{} §{}", hit.guideline_title, hit.number),
            value: format!("{}#{}", hit.guideline, hit.anchor),
            href: hit.href(),
            heading: hit.heading,
        }
    }
}

/// The sections that fit the lesson best.
#[derive(Serialize, Default)]
pub(super) struct SuggestedSections {
    /// Whether the panel is shown at all: for a report being moderated or published.
    shown: bool,
    /// Links need a published lesson; before that the list only says what is to come.
    can_link: bool,
    items: Vec<SuggestedSection>,
}

/// Sections for the lesson: from its published text once published (without those it is
/// linked to already), from the version being prepared before.
pub(super) async fn suggested(
    state: &AppState,
    report_ref: &ReportRef,
    workspace: &Workspace,
) -> Result<SuggestedSections> {
    let (db, index, turns) = (&state.db, &state.index, &state.search_turns);
    let view = &workspace.view;
    let published = view.status == Status::Published;
    let found = if published {
        search::suggest_sections(db, index, turns, report_ref).await?
    } else if matches!(view.status, Status::Submitted | Status::NeedsInfo) {
        let draft = &view.draft;
        let tags: Vec<String> = draft.tags.split_whitespace().map(str::to_owned).collect();
        let words = search::lesson_words(&draft.title, &draft.lesson, &tags, &draft.narrative);
        search::suggest_for_text(db, index, turns, &words, &[]).await?
    } else {
        return Ok(SuggestedSections::default());
    };
    Ok(SuggestedSections {
        shown: true,
        can_link: published,
        items: found.into_iter().map(Into::into).collect(),
    })
}
