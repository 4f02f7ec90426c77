//! The moderation pages: the queue, and one report with everything needed to publish it.

mod choices;
mod detail;
mod list;
mod sections;

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Path},
};

use super::{PageResult, Posted, account::see_other, fields, read_form_as_sent, render};
use crate::{
    auth::access::SignedIn,
    codes::ReportRef,
    error::AppError,
    services::{
        accounts::Account,
        moderation::{self, Classification, DraftEdit, RedactionDecision},
        reports,
    },
    state::AppState,
};
use detail::{ModerationForm, Outcome, detail_page};
pub use list::queue;

async fn show_detail(
    state: &AppState,
    report_ref: &ReportRef,
    outcome: Outcome,
    status: StatusCode,
) -> PageResult {
    let wait = state.config.moderation.approval_wait_days;
    let (db, index, turns) = (&state.db, &state.index, &state.search_turns);
    let workspace = moderation::workspace(db, index, turns, &state.rules, wait, report_ref).await?;
    let suggested_sections = sections::suggested(state, report_ref, &workspace).await?;
    let page = ReportPage {
        detail: detail_page(workspace, outcome),
        suggested_sections,
    };
    render(state, "pages/moderation/report", &page, status)
}

/// The report page: the report as moderated, and the guideline sections it may concern.
#[derive(serde::Serialize)]
struct ReportPage {
    #[serde(flatten)]
    detail: detail::DetailPage,
    suggested_sections: sections::SuggestedSections,
}

#[handler]
pub async fn report(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(report_ref): Path<String>,
) -> PageResult {
    let report_ref: ReportRef = report_ref.parse()?;
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

/// What an action did: an edit stays on the report's page with a notice; a decision
/// returns to the queue, which confirms it.
enum Done {
    Edited(&'static str),
    Decided,
}

async fn act(
    state: &AppState,
    actor: &Account,
    report_ref: &ReportRef,
    action: Action,
    form: &ModerationForm,
) -> Result<Done, AppError> {
    let db = &state.db;
    let notice = match action {
        Action::Draft => {
            let edit = DraftEdit {
                title: form.title.clone(),
                narrative: form.narrative.clone(),
                what_helped: form.what_helped.clone(),
                lesson: form.lesson.clone(),
                tags: Some(reports::split_tags(&form.tags)),
            };
            // Unticked boxes send nothing: the form says that it holds the classification.
            let classification = (form.classified == "yes").then(|| Classification {
                channel: Some(form.channel.clone()),
                impact: Some(form.impact.clone()),
                factors: Some(form.factors.clone()),
            });
            let offer = form.action == "offer";
            moderation::save_draft_classified(db, actor, report_ref, edit, classification, offer)
                .await?;
            if offer {
                "Saved and offered to the reporter: they see it with their receipt."
            } else {
                "The published version is saved."
            }
        }
        Action::Redaction => {
            let decision = form
                .decision
                .ok_or_else(|| AppError::invalid("decision", "is required"))?;
            let (rules, field, id) = (&state.rules, &form.field, &form.id);
            moderation::decide_redaction(db, rules, actor, report_ref, field, id, decision).await?;
            match decision {
                RedactionDecision::Accept => "Redacted in the published version.",
                RedactionDecision::Dismiss => "Suggestion dismissed: the text stays.",
            }
        }
        Action::Ask => {
            moderation::ask(db, actor, report_ref, &form.question).await?;
            "Your question was sent. The reporter sees it with their receipt."
        }
        Action::Publish => {
            let wait = state.config.moderation.approval_wait_days;
            moderation::publish(db, actor, report_ref, wait).await?;
            return Ok(Done::Decided);
        }
        Action::Reject => {
            moderation::reject(db, actor, report_ref, &form.reason).await?;
            return Ok(Done::Decided);
        }
        Action::Merge => {
            let target = ReportRef::from_field("target", &form.target)?;
            moderation::merge(db, actor, report_ref, &target).await?;
            return Ok(Done::Decided);
        }
    };
    Ok(Done::Edited(notice))
}

async fn handle(
    state: &AppState,
    actor: Account,
    report_ref: &ReportRef,
    body: Body,
    action: Action,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<ModerationForm>(body).await?;
    let acted = async {
        readable?;
        act(state, &actor, report_ref, action, &form).await
    };
    let (outcome, status) = match acted.await {
        Ok(Done::Decided) => return Ok(see_other(&format!("/moderation?decided={report_ref}"))),
        Ok(Done::Edited(notice)) => {
            let outcome = Outcome {
                notice: Some(notice.to_owned()),
                ..Outcome::default()
            };
            (outcome, StatusCode::OK)
        }
        Err(AppError::Invalid(errors)) => {
            let outcome = Outcome {
                errors: fields::summary(&errors),
                kept: Some(form),
                ..Outcome::default()
            };
            (outcome, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AppError::Conflict(reason)) => {
            let outcome = Outcome {
                refusal: Some(reason),
                kept: Some(form),
                ..Outcome::default()
            };
            (outcome, StatusCode::CONFLICT)
        }
        Err(error) => return Err(error),
    };
    show_detail(state, report_ref, outcome, status).await
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
            handle(state, actor, &report_ref.parse()?, body, $action).await
        }
    };
}

action_handler!(save_draft, Action::Draft);
action_handler!(redaction, Action::Redaction);
action_handler!(ask, Action::Ask);
action_handler!(publish, Action::Publish);
action_handler!(reject, Action::Reject);
action_handler!(merge, Action::Merge);
