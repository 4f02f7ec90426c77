//! One suggestion as a policy owner decides it: the pattern's evidence, the section as it
//! stands, the proposed change as a word diff, the lessons it quotes, and the three forms —
//! each shown again as sent, with its errors beside its fields, when it is refused.

use poem::{
    handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::Serialize;
use time::Duration;

use super::{
    came_back, effect_of,
    forms::{AcceptForm, DeferForm, FieldErrors, Kept, RejectForm, shown},
    target,
};
use crate::{
    codes::ReportRef,
    error::AppError,
    pages::{PageResult, fields::SummaryItem, patterns::EffectView, render},
    services::{
        guidelines::markdown,
        reports::{self, Mark, Piece, word_changes},
        suggestions::{self, SuggestionKind, SuggestionStatus, SuggestionView},
    },
    state::AppState,
    today,
};

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

#[derive(Serialize)]
struct PatternFacts {
    id: i32,
    title: String,
    explanation: String,
    status: &'static str,
    occurrences: i32,
    units: i32,
}

#[derive(Serialize)]
struct LessonLink {
    href: String,
    label: String,
}

/// What was decided, for a suggestion that waits for nothing more.
#[derive(Serialize)]
struct DecisionView {
    accepted: bool,
    by: String,
    on: String,
    rationale: String,
    revision: Option<i32>,
    revision_href: Option<String>,
    effective_from: Option<String>,
}

#[derive(Serialize)]
struct ShowPage {
    page_title: String,
    id: i32,
    target: String,
    kind: &'static str,
    adds: bool,
    status: &'static str,
    score: String,
    reason: String,
    drafted_on: String,
    deferred_until: Option<String>,
    came_back: Option<String>,
    pattern: PatternFacts,
    guideline: String,
    guideline_title: String,
    section_href: Option<String>,
    /// The section as it stands, sanitised by the guidelines' one renderer.
    current_html: Option<String>,
    heading_pieces: Vec<PieceItem>,
    body_pieces: Vec<PieceItem>,
    proposed_html: String,
    lessons: Vec<LessonLink>,
    decision: Option<DecisionView>,
    effect: Option<EffectView>,
    refusal: Option<String>,
    errors: Vec<SummaryItem>,
    accept: AcceptForm,
    accept_errors: FieldErrors,
    reject: RejectForm,
    reject_errors: FieldErrors,
    defer: DeferForm,
    defer_errors: FieldErrors,
    today: String,
}

#[handler]
pub async fn show(Data(state): Data<&AppState>, Path(id): Path<i32>) -> PageResult {
    page(state, id, Kept::Nothing, None).await
}

/// The quoted lessons by their titles, while they are published; by their refs otherwise.
async fn lessons(state: &AppState, quoted: &[String]) -> Result<Vec<LessonLink>, AppError> {
    let mut links = Vec::with_capacity(quoted.len());
    for key in quoted {
        let title = match ReportRef::parse(key) {
            Some(found) => match reports::get_published(&state.db, &found).await {
                Ok(report) => Some(report.title),
                Err(AppError::NotFound(_)) => None,
                Err(error) => return Err(error),
            },
            None => None,
        };
        links.push(LessonLink {
            href: format!("/reports/{key}"),
            label: title.map_or_else(|| format!("Lesson {key}"), |t| format!("{t} ({key})")),
        });
    }
    Ok(links)
}

fn decision_of(s: &SuggestionView) -> Option<DecisionView> {
    let accepted = s.status == SuggestionStatus::Accepted;
    if !accepted && s.status != SuggestionStatus::Rejected {
        return None;
    }
    let d = s.decided.as_ref()?;
    Some(DecisionView {
        accepted,
        by: d.by.clone(),
        on: d.on.to_string(),
        rationale: d.rationale.clone().unwrap_or_default(),
        revision: d.revision,
        revision_href: d
            .revision
            .map(|n| format!("/guidelines/{}/revisions/{n}", s.guideline)),
        effective_from: d.effective_from.map(|e| e.to_string()),
    })
}

/// The suggestion's page, with whatever a refused form brings back in place of the drafted
/// values, and the refusal's status.
pub(super) async fn page(
    state: &AppState,
    id: i32,
    kept: Kept,
    error: Option<AppError>,
) -> PageResult {
    let s = suggestions::get(&state.db, id).await?;
    let (field_errors, refusal, status) = match &error {
        None => (Vec::new(), None, StatusCode::OK),
        Some(AppError::Invalid(errors)) => (errors.clone(), None, StatusCode::UNPROCESSABLE_ENTITY),
        Some(other) => (Vec::new(), Some(other.public_message()), other.status()),
    };
    let (shown, errors) = shown(&kept, &field_errors);
    let mut accept = AcceptForm {
        heading: s.heading.clone(),
        text: s.proposed_text.clone(),
        rationale: format!("Accepting suggestion {}: {}", s.id, s.reason),
        effective_from: today().to_string(),
    };
    let mut reject = RejectForm::default();
    let mut defer = DeferForm {
        until: (today() + Duration::days(30)).to_string(),
    };
    let (mut accept_errors, mut reject_errors, mut defer_errors) = Default::default();
    match kept {
        Kept::Nothing => {}
        Kept::Accept(form) => (accept, accept_errors) = (form, shown),
        Kept::Reject(form) => (reject, reject_errors) = (form, shown),
        Kept::Defer(form) => (defer, defer_errors) = (form, shown),
    }
    let current = s.current_text.clone().unwrap_or_default();
    let heading_pieces = match &s.current_heading {
        Some(heading) if *heading != s.heading => pieces(&word_changes(heading, &s.heading)),
        _ => Vec::new(),
    };
    let effect = effect_of(state, &s, "decided".to_owned()).await?;
    let page = ShowPage {
        page_title: format!("Suggestion {}: {}", s.id, target(&s)),
        id: s.id,
        target: target(&s),
        kind: s.kind.label(),
        adds: s.kind == SuggestionKind::Add,
        status: s.status.label(),
        score: format!("{:.1}", s.score),
        drafted_on: s.drafted_on.to_string(),
        deferred_until: s.deferred_until.map(|d| d.to_string()),
        came_back: came_back(&s),
        decision: decision_of(&s),
        lessons: lessons(state, &s.quoted).await?,
        pattern: PatternFacts {
            id: s.pattern_id,
            title: s.pattern_title.clone(),
            explanation: s.pattern_explanation.clone(),
            status: s.pattern_status.label(),
            occurrences: s.pattern_occurrences,
            units: s.pattern_units,
        },
        section_href: s
            .section
            .as_ref()
            .map(|anchor| format!("/guidelines/{}#{anchor}", s.guideline)),
        current_html: s.current_text.as_deref().map(markdown::render),
        heading_pieces,
        body_pieces: pieces(&word_changes(&current, &s.proposed_text)),
        proposed_html: markdown::render(&s.proposed_text),
        guideline: s.guideline,
        guideline_title: s.guideline_title,
        reason: s.reason,
        effect,
        refusal,
        errors,
        accept,
        accept_errors,
        reject,
        reject_errors,
        defer,
        defer_errors,
        today: today().to_string(),
    };
    render(state, "pages/suggestions/show", &page, status)
}
