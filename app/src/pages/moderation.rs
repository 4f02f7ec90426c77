//! The moderation pages: the queue, and one report with everything needed to publish it.

use poem::{
    Body, Response, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::{Deserialize, Serialize};

use super::{
    account::see_other,
    error_page,
    fields::{self, SummaryItem},
    paragraphs, read_form, render,
};
use crate::{
    auth,
    error::AppError,
    services::{
        accounts::Account,
        moderation::{self, Draft, ModerationView, RedactionDecision},
    },
    state::AppState,
    today,
};

#[derive(Serialize)]
struct QueueRow {
    report_ref: String,
    title: String,
    status: &'static str,
    submitted_on: String,
    impact: Option<String>,
    review: &'static str,
    reporter_wrote: bool,
}

#[derive(Serialize)]
struct QueuePage {
    rows: Vec<QueueRow>,
    new: usize,
    needs_info: usize,
    updated: usize,
    awaiting_reporter: usize,
}

#[handler]
pub async fn queue(Data(state): Data<&AppState>) -> Response {
    match moderation::queue(&state.db).await {
        Ok((items, counts)) => {
            let page = QueuePage {
                rows: items
                    .into_iter()
                    .map(|item| QueueRow {
                        report_ref: item.report_ref,
                        title: item.title,
                        status: item.status.label(),
                        submitted_on: item.submitted_on.to_string(),
                        impact: item.impact,
                        review: item.reporter_review.label(),
                        reporter_wrote: item.reporter_wrote,
                    })
                    .collect(),
                new: counts.new,
                needs_info: counts.needs_info,
                updated: counts.updated,
                awaiting_reporter: counts.awaiting_reporter,
            };
            render(state, "pages/moderation/queue", &page, StatusCode::OK)
        }
        Err(error) => error_page(state, &error),
    }
}

/// What the moderator typed, kept when a form comes back with an error.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ModerationForm {
    title: String,
    narrative: String,
    what_helped: String,
    lesson: String,
    /// `save` or `offer` for the draft form.
    action: String,
    field: String,
    id: String,
    /// `accept` or `dismiss` for a suggested redaction.
    decision: String,
    question: String,
    reason: String,
    target: String,
}

#[derive(Default)]
struct Outcome {
    errors: Vec<SummaryItem>,
    notice: Option<String>,
    kept: Option<ModerationForm>,
}

#[derive(Serialize)]
struct Suggestion {
    field: &'static str,
    field_label: &'static str,
    id: String,
    kind: &'static str,
    original: String,
    replacement: String,
}

#[derive(Serialize)]
struct HintRow {
    field_label: &'static str,
    excerpt: String,
    explanation: String,
    reframing: String,
}

#[derive(Serialize)]
struct Message {
    who: &'static str,
    kind: String,
    created_on: String,
    paragraphs: Vec<String>,
}

#[derive(Serialize)]
struct RawText {
    title: String,
    narrative: Vec<String>,
    what_helped: Vec<String>,
    lesson: Vec<String>,
}

#[derive(Serialize)]
struct DetailPage {
    report_ref: String,
    status: &'static str,
    submitted_on: String,
    facts: Vec<(&'static str, String)>,
    raw: Option<RawText>,
    draft: Draft,
    draft_saved: bool,
    review: &'static str,
    has_reporter: bool,
    suggestions: Vec<Suggestion>,
    hints: Vec<HintRow>,
    messages: Vec<Message>,
    publish_blocker: Option<String>,
    open: bool,
    errors: Vec<SummaryItem>,
    notice: Option<String>,
    question: String,
    reason: String,
    target: String,
}

fn detail_page(view: ModerationView, outcome: Outcome) -> DetailPage {
    let kept = outcome.kept.unwrap_or_default();
    let draft = if kept.title.is_empty() && kept.narrative.is_empty() {
        view.draft.clone()
    } else {
        Draft {
            title: kept.title,
            narrative: kept.narrative,
            what_helped: kept.what_helped,
            lesson: kept.lesson,
        }
    };
    let mut facts = Vec::new();
    let mut fact = |label: &'static str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            facts.push((label, value));
        }
    };
    fact("Channel", view.channel.clone());
    fact("Audience", view.audience.clone());
    fact("Impact", view.impact.clone());
    fact("Unit", view.unit.clone());
    fact("Month it happened", view.occurred_month.clone());
    fact("Contributing factors", Some(view.factors.join(", ")));
    fact("Tags", Some(view.tags.join(", ")));
    fact("Merged into", view.merged_into.clone());
    DetailPage {
        publish_blocker: view.publish_blocker(today()),
        open: matches!(
            view.status,
            crate::vocabulary::Status::Submitted | crate::vocabulary::Status::NeedsInfo
        ),
        report_ref: view.report_ref,
        status: view.status.label(),
        submitted_on: view.submitted_on.to_string(),
        facts,
        raw: view.raw.map(|raw| RawText {
            title: raw.title,
            narrative: paragraphs(&raw.narrative),
            what_helped: paragraphs(&raw.what_helped),
            lesson: paragraphs(&raw.lesson),
        }),
        draft,
        draft_saved: view.draft_saved,
        review: view.reporter_review.label(),
        has_reporter: view.has_reporter,
        suggestions: view
            .redactions
            .into_iter()
            .map(|s| Suggestion {
                field: s.field.slug(),
                field_label: s.field.label(),
                id: s.redaction.id,
                kind: s.redaction.kind.slug(),
                original: s.redaction.original,
                replacement: s.redaction.replacement,
            })
            .collect(),
        hints: view
            .hints
            .into_iter()
            .map(|h| HintRow {
                field_label: h.field.label(),
                excerpt: h.hint.excerpt,
                explanation: h.hint.explanation,
                reframing: h.hint.reframing,
            })
            .collect(),
        messages: view
            .conversation
            .into_iter()
            .map(|m| Message {
                who: if m.author == "moderator" {
                    "Moderator"
                } else {
                    "Reporter"
                },
                kind: m.kind,
                created_on: m.created_on.to_string(),
                paragraphs: paragraphs(&m.body),
            })
            .collect(),
        errors: outcome.errors,
        notice: outcome.notice,
        question: kept.question,
        reason: kept.reason,
        target: kept.target,
    }
}

async fn show_detail(
    state: &AppState,
    report_ref: &str,
    outcome: Outcome,
    status: StatusCode,
) -> Response {
    let wait = state.config.moderation.approval_wait_days;
    match moderation::detail(&state.db, &state.rules, wait, report_ref).await {
        Ok(view) => render(
            state,
            "pages/moderation/report",
            &detail_page(view, outcome),
            status,
        ),
        Err(error) => error_page(state, &error),
    }
}

#[handler]
pub async fn report(Data(state): Data<&AppState>, Path(report_ref): Path<String>) -> Response {
    if let Some(actor) = auth::current().account()
        && let Err(error) = moderation::record_reading(&state.db, actor, &report_ref).await
    {
        return error_page(state, &error);
    }
    show_detail(state, &report_ref, Outcome::default(), StatusCode::OK).await
}

/// Which moderator action a form asks for.
#[derive(Clone, Copy)]
enum Action {
    Draft,
    Redaction,
    Ask,
    Publish,
    Reject,
    Merge,
}

async fn act(
    state: &AppState,
    actor: &Account,
    report_ref: &str,
    action: Action,
    form: &ModerationForm,
) -> Result<String, AppError> {
    let db = &state.db;
    match action {
        Action::Draft => {
            let draft = Draft {
                title: form.title.clone(),
                narrative: form.narrative.clone(),
                what_helped: form.what_helped.clone(),
                lesson: form.lesson.clone(),
            };
            let offer = form.action == "offer";
            moderation::save_draft(db, actor, report_ref, draft, offer).await?;
            Ok(if offer {
                "Saved and offered to the reporter: they see it with their receipt.".to_owned()
            } else {
                "The published version is saved.".to_owned()
            })
        }
        Action::Redaction => {
            let decision = if form.decision == "dismiss" {
                RedactionDecision::Dismiss
            } else {
                RedactionDecision::Accept
            };
            let (rules, field, id) = (&state.rules, &form.field, &form.id);
            moderation::decide_redaction(db, rules, actor, report_ref, field, id, decision).await?;
            Ok(match decision {
                RedactionDecision::Accept => "Redacted in the published version.",
                RedactionDecision::Dismiss => "Suggestion dismissed: the text stays.",
            }
            .to_owned())
        }
        Action::Ask => {
            moderation::ask(db, actor, report_ref, &form.question).await?;
            Ok("Your question was sent. The reporter sees it with their receipt.".to_owned())
        }
        Action::Publish => {
            moderation::publish(
                db,
                actor,
                report_ref,
                state.config.moderation.approval_wait_days,
            )
            .await?;
            Ok("Published: readers can now find this lesson.".to_owned())
        }
        Action::Reject => {
            moderation::reject(db, actor, report_ref, &form.reason).await?;
            Ok("Rejected. The reporter can read your reason.".to_owned())
        }
        Action::Merge => {
            moderation::merge(db, actor, report_ref, &form.target).await?;
            Ok("Merged: it counts as another occurrence of that lesson.".to_owned())
        }
    }
}

async fn handle(state: &AppState, report_ref: String, body: Body, action: Action) -> Response {
    let Some(actor) = auth::current().account().cloned() else {
        return error_page(state, &AppError::Unauthenticated);
    };
    let form: ModerationForm = match read_form(body).await {
        Ok(form) => form,
        Err(error) => return error_page(state, &error),
    };
    match act(state, &actor, &report_ref, action, &form).await {
        Ok(notice) => {
            let outcome = Outcome {
                notice: Some(notice),
                ..Outcome::default()
            };
            // Publishing or closing a report returns to the queue's next one; edits stay here.
            match action {
                Action::Publish | Action::Reject | Action::Merge => see_other("/moderation"),
                _ => show_detail(state, &report_ref, outcome, StatusCode::OK).await,
            }
        }
        Err(AppError::Invalid(errors)) => {
            let outcome = Outcome {
                errors: fields::summary(&errors),
                kept: Some(form),
                ..Outcome::default()
            };
            show_detail(
                state,
                &report_ref,
                outcome,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict(reason)) => {
            let outcome = Outcome {
                notice: Some(reason),
                kept: Some(form),
                ..Outcome::default()
            };
            show_detail(state, &report_ref, outcome, StatusCode::CONFLICT).await
        }
        Err(error) => error_page(state, &error),
    }
}

macro_rules! action_handler {
    ($name:ident, $action:expr) => {
        #[handler]
        pub async fn $name(
            Data(state): Data<&AppState>,
            Path(report_ref): Path<String>,
            body: Body,
        ) -> Response {
            handle(state, report_ref, body, $action).await
        }
    };
}

action_handler!(save_draft, Action::Draft);
action_handler!(redaction, Action::Redaction);
action_handler!(ask, Action::Ask);
action_handler!(publish, Action::Publish);
action_handler!(reject, Action::Reject);
action_handler!(merge, Action::Merge);
