//! The moderation queue, with what became of the report a moderator has just decided on.

use poem::{
    handler,
    http::StatusCode,
    web::{Data, Query},
};
use serde::{Deserialize, Serialize};

use crate::{
    codes::ReportRef,
    pages::{PageResult, render},
    services::moderation::{self, Decided},
    state::AppState,
    vocabulary::{Impact, Status},
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    /// The report just published, rejected or merged, to confirm what happened to it.
    decided: Option<String>,
}

#[derive(Serialize)]
struct QueueRow {
    report_ref: String,
    title: String,
    status: &'static str,
    submitted_on: String,
    impact: Option<&'static str>,
    approval: &'static str,
    reporter_wrote: bool,
}

/// The confirmation of a decision, with a link to where the lesson now is.
#[derive(Serialize)]
struct DecisionNotice {
    said: String,
    link: String,
    link_text: &'static str,
}

impl From<Decided> for DecisionNotice {
    fn from(decided: Decided) -> Self {
        let Decided {
            report_ref,
            title,
            status,
            merged_into,
        } = decided;
        match (status, merged_into) {
            (Status::Merged, Some((target, target_title))) => Self {
                said: format!(
                    "“{title}” is merged into “{target_title}”: it counts as another occurrence of that lesson, and the reporter is told which."
                ),
                link: format!("/reports/{target}"),
                link_text: "Read that lesson",
            },
            (Status::Published, _) => Self {
                said: format!("“{title}” is published: readers can now find this lesson."),
                link: format!("/reports/{report_ref}"),
                link_text: "Read the lesson",
            },
            _ => Self {
                said: format!(
                    "“{title}” is not published. The reporter can read your reason with their receipt."
                ),
                link: format!("/moderation/{report_ref}"),
                link_text: "See the report",
            },
        }
    }
}

#[derive(Serialize)]
struct QueuePage {
    decided: Option<DecisionNotice>,
    rows: Vec<QueueRow>,
    new: usize,
    needs_info: usize,
    updated: usize,
    awaiting_reporter: usize,
}

#[handler]
pub async fn queue(Data(state): Data<&AppState>, Query(query): Query<QueueQuery>) -> PageResult {
    // Any other text in the address shows the queue alone, as an undecided report does.
    let decided = match query.decided.as_deref().and_then(ReportRef::parse) {
        Some(report_ref) => moderation::decided(&state.db, &report_ref).await?,
        None => None,
    };
    let (items, counts) = moderation::queue(&state.db).await?;
    let page = QueuePage {
        decided: decided.map(DecisionNotice::from),
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
                approval: if item.has_reporter {
                    item.reporter_review.label()
                } else {
                    "Imported: no reporter to ask"
                },
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
