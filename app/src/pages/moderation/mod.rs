//! The moderation pages: the queue, and one report with everything needed to publish it.

mod detail;

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::Serialize;

use super::{PageResult, Posted, account::see_other, fields, read_form_as_sent, render};
use crate::{
    auth::access::SignedIn,
    error::AppError,
    services::{
        accounts::Account,
        moderation::{self, DraftEdit, RedactionDecision},
        reports,
    },
    state::AppState,
    vocabulary::Impact,
};
use detail::{ModerationForm, Outcome, detail_page};

#[derive(Serialize)]
struct QueueRow {
    report_ref: String,
    title: String,
    status: &'static str,
    submitted_on: String,
    impact: Option<&'static str>,
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
pub async fn queue(Data(state): Data<&AppState>) -> PageResult {
    let (items, counts) = moderation::queue(&state.db).await?;
    let page = QueuePage {
        rows: items
            .into_iter()
            .map(|item| QueueRow {
                report_ref: item.report_ref,
                title: item.title,
                status: item.status.label(),
                submitted_on: item.submitted_on.to_string(),
                impact: item
                    .impact
                    .as_deref()
                    .and_then(Impact::from_slug)
                    .map(Impact::label),
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

async fn show_detail(
    state: &AppState,
    report_ref: &str,
    outcome: Outcome,
    status: StatusCode,
) -> PageResult {
    let wait = state.config.moderation.approval_wait_days;
    let view = moderation::detail(&state.db, &state.rules, wait, report_ref).await?;
    let page = detail_page(view, outcome);
    render(state, "pages/moderation/report", &page, status)
}

#[handler]
pub async fn report(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(report_ref): Path<String>,
) -> PageResult {
    moderation::record_reading(&state.db, &actor, &report_ref).await?;
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
            let edit = DraftEdit {
                title: form.title.clone(),
                narrative: form.narrative.clone(),
                what_helped: form.what_helped.clone(),
                lesson: form.lesson.clone(),
                tags: Some(reports::split_tags(&form.tags)),
            };
            let offer = form.action == "offer";
            moderation::save_draft(db, actor, report_ref, edit, offer).await?;
            Ok(if offer {
                "Saved and offered to the reporter: they see it with their receipt.".to_owned()
            } else {
                "The published version is saved.".to_owned()
            })
        }
        Action::Redaction => {
            let decision = form
                .decision
                .ok_or_else(|| AppError::invalid("decision", "is required"))?;
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

async fn handle(
    state: &AppState,
    actor: Account,
    report_ref: String,
    body: Body,
    action: Action,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<ModerationForm>(body).await?;
    let acted = async {
        readable?;
        act(state, &actor, &report_ref, action, &form).await
    };
    match acted.await {
        Ok(notice) => {
            let outcome = Outcome {
                notice: Some(notice),
                ..Outcome::default()
            };
            // Publishing or closing a report returns to the queue's next one; edits stay here.
            match action {
                Action::Publish | Action::Reject | Action::Merge => Ok(see_other("/moderation")),
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
        Err(error) => Err(error),
    }
}

macro_rules! action_handler {
    ($name:ident, $action:expr) => {
        #[handler]
        pub async fn $name(
            Data(state): Data<&AppState>,
            SignedIn(actor): SignedIn,
            Path(report_ref): Path<String>,
            body: Body,
        ) -> PageResult {
            handle(state, actor, report_ref, body, $action).await
        }
    };
}

action_handler!(save_draft, Action::Draft);
action_handler!(redaction, Action::Redaction);
action_handler!(ask, Action::Ask);
action_handler!(publish, Action::Publish);
action_handler!(reject, Action::Reject);
action_handler!(merge, Action::Merge);
