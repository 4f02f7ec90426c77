//! `/v1/moderation`: the queue and every moderator action, for moderators' tokens.

use poem::web::Data;
use poem_openapi::{Object, OpenApi, param::Path, payload::Json};
use serde::Deserialize;

use super::{ApiJson, ApiProblem, auth::ModeratorToken};
use crate::{
    error::AppError,
    services::moderation::{self, Draft, ModerationView, RedactionDecision, ReporterReview},
    state::AppState,
    today,
    vocabulary::Status,
};

pub struct ModerationApi;

#[derive(Debug, Object)]
pub struct QueueCountsBody {
    pub new: u64,
    pub updated: u64,
    pub awaiting_reporter: u64,
    pub needs_info: u64,
}

#[derive(Debug, Object)]
pub struct QueueEntry {
    #[oai(rename = "ref")]
    pub report_ref: String,
    pub title: String,
    pub status: Status,
    /// `YYYY-MM-DD`.
    pub submitted_on: String,
    pub impact: Option<String>,
    pub reporter_review: ReporterReview,
    /// The reporter wrote since a moderator last did.
    pub reporter_wrote: bool,
}

/// New and updated reports, oldest first.
#[derive(Debug, Object)]
pub struct QueueBody {
    pub counts: QueueCountsBody,
    pub reports: Vec<QueueEntry>,
}

/// The four texts of a report.
#[derive(Debug, Object)]
pub struct TextsBody {
    pub title: String,
    pub narrative: String,
    pub what_helped: String,
    pub lesson: String,
}

impl From<Draft> for TextsBody {
    fn from(d: Draft) -> Self {
        Self {
            title: d.title,
            narrative: d.narrative,
            what_helped: d.what_helped,
            lesson: d.lesson,
        }
    }
}

#[derive(Debug, Object)]
pub struct RedactionBody {
    /// `title`, `narrative`, `what_helped` or `lesson`.
    pub field: String,
    /// Send back to accept or dismiss this suggestion.
    pub id: String,
    /// `email`, `phone`, `handle`, `url`, `staff_number` or `name`.
    pub kind: String,
    /// Byte offsets in the field's text.
    pub start: u64,
    pub end: u64,
    pub original: String,
    pub replacement: String,
}

#[derive(Debug, Object)]
pub struct HintBody {
    pub field: String,
    pub rule: String,
    /// `blame` or `identifying`.
    pub kind: String,
    pub excerpt: String,
    pub explanation: String,
    pub reframing: String,
}

#[derive(Debug, Object)]
pub struct ConversationMessage {
    /// `reporter` or `moderator`.
    pub author: String,
    pub kind: String,
    pub body: String,
    pub created_on: String,
}

/// Everything a moderator needs to decide on one report.
#[derive(Debug, Object)]
pub struct ModerationReportBody {
    #[oai(rename = "ref")]
    pub report_ref: String,
    pub status: Status,
    pub submitted_on: String,
    pub channel: Option<String>,
    pub audience: Option<String>,
    pub impact: Option<String>,
    pub unit: Option<String>,
    pub occurred_month: Option<String>,
    pub factors: Vec<String>,
    pub tags: Vec<String>,
    /// The reporter's own words; absent once purged after the retention period.
    pub raw: Option<TextsBody>,
    /// The version to publish: saved, or else the raw text to start from.
    pub published_draft: TextsBody,
    pub draft_saved: bool,
    pub reporter_review: ReporterReview,
    pub redactions: Vec<RedactionBody>,
    pub hints: Vec<HintBody>,
    pub conversation: Vec<ConversationMessage>,
    pub has_reporter: bool,
    /// Why publishing is not possible today, if it is not.
    pub publish_blocker: Option<String>,
    pub merged_into: Option<String>,
}

impl From<ModerationView> for ModerationReportBody {
    fn from(view: ModerationView) -> Self {
        Self {
            publish_blocker: view.publish_blocker(today()),
            report_ref: view.report_ref,
            status: view.status,
            submitted_on: view.submitted_on.to_string(),
            channel: view.channel,
            audience: view.audience,
            impact: view.impact,
            unit: view.unit,
            occurred_month: view.occurred_month,
            factors: view.factors,
            tags: view.tags,
            raw: view.raw.map(Into::into),
            published_draft: view.draft.into(),
            draft_saved: view.draft_saved,
            reporter_review: view.reporter_review,
            redactions: view
                .redactions
                .into_iter()
                .map(|r| RedactionBody {
                    field: r.field.slug().to_owned(),
                    id: r.redaction.id,
                    kind: r.redaction.kind.slug().to_owned(),
                    start: r.redaction.start as u64,
                    end: r.redaction.end as u64,
                    original: r.redaction.original,
                    replacement: r.redaction.replacement,
                })
                .collect(),
            hints: view
                .hints
                .into_iter()
                .map(|h| HintBody {
                    field: h.field.slug().to_owned(),
                    rule: h.hint.rule,
                    kind: h.hint.kind.slug().to_owned(),
                    excerpt: h.hint.excerpt,
                    explanation: h.hint.explanation,
                    reframing: h.hint.reframing,
                })
                .collect(),
            conversation: view
                .conversation
                .into_iter()
                .map(|m| ConversationMessage {
                    author: m.author,
                    kind: m.kind,
                    body: m.body,
                    created_on: m.created_on.to_string(),
                })
                .collect(),
            has_reporter: view.has_reporter,
            merged_into: view.merged_into,
        }
    }
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftRequest {
    pub title: String,
    pub narrative: String,
    #[oai(default)]
    #[serde(default)]
    pub what_helped: String,
    #[oai(default)]
    #[serde(default)]
    pub lesson: String,
    /// Also offer this version to the reporter for approval through the receipt.
    #[oai(default)]
    #[serde(default)]
    pub offer_to_reporter: bool,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedactionRequest {
    pub field: String,
    pub id: String,
    /// `accept` (redact) or `dismiss` (keep the text, stop suggesting it).
    pub decision: String,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionRequest {
    /// Read by the reporter with their receipt.
    pub question: String,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// Read by the reporter with their receipt.
    pub reason: String,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The ref of the published lesson this report is another occurrence of.
    pub target: String,
}

#[OpenApi(prefix_path = "/v1/moderation")]
impl ModerationApi {
    /// The moderation queue: new and updated reports, oldest first, with counts.
    #[oai(path = "/queue", method = "get", operation_id = "moderation_queue")]
    async fn queue(
        &self,
        state: Data<&AppState>,
        _auth: ModeratorToken,
    ) -> Result<Json<QueueBody>, ApiProblem> {
        let (items, counts) = moderation::queue(&state.db).await?;
        Ok(Json(QueueBody {
            counts: QueueCountsBody {
                new: counts.new as u64,
                updated: counts.updated as u64,
                awaiting_reporter: counts.awaiting_reporter as u64,
                needs_info: counts.needs_info as u64,
            },
            reports: items
                .into_iter()
                .map(|i| QueueEntry {
                    report_ref: i.report_ref,
                    title: i.title,
                    status: i.status,
                    submitted_on: i.submitted_on.to_string(),
                    impact: i.impact,
                    reporter_review: i.reporter_review,
                    reporter_wrote: i.reporter_wrote,
                })
                .collect(),
        }))
    }

    /// One report: raw text, published draft, suggested redactions, hints, conversation.
    #[oai(
        path = "/reports/:ref",
        method = "get",
        operation_id = "moderation_report"
    )]
    async fn report(
        &self,
        state: Data<&AppState>,
        auth: ModeratorToken,
        #[oai(name = "ref")] report_ref: Path<String>,
    ) -> Result<Json<ModerationReportBody>, ApiProblem> {
        moderation::record_reading(&state.db, &auth.0, &report_ref).await?;
        self.view(&state, &report_ref).await
    }

    /// Save the published version; optionally offer it to the reporter for approval.
    #[oai(
        path = "/reports/:ref/draft",
        method = "post",
        operation_id = "moderation_save_draft"
    )]
    async fn save_draft(
        &self,
        state: Data<&AppState>,
        auth: ModeratorToken,
        #[oai(name = "ref")] report_ref: Path<String>,
        body: ApiJson<DraftRequest>,
    ) -> Result<Json<ModerationReportBody>, ApiProblem> {
        let actor = auth.0;
        let DraftRequest {
            title,
            narrative,
            what_helped,
            lesson,
            offer_to_reporter,
        } = body.0;
        let draft = Draft {
            title,
            narrative,
            what_helped,
            lesson,
        };
        moderation::save_draft(&state.db, &actor, &report_ref, draft, offer_to_reporter).await?;
        self.view(&state, &report_ref).await
    }

    /// Accept or dismiss one suggested redaction.
    #[oai(
        path = "/reports/:ref/redactions",
        method = "post",
        operation_id = "moderation_redaction"
    )]
    async fn redaction(
        &self,
        state: Data<&AppState>,
        auth: ModeratorToken,
        #[oai(name = "ref")] report_ref: Path<String>,
        body: ApiJson<RedactionRequest>,
    ) -> Result<Json<ModerationReportBody>, ApiProblem> {
        let actor = auth.0;
        let RedactionRequest {
            field,
            id,
            decision,
        } = body.0;
        let decision = match decision.as_str() {
            "accept" => RedactionDecision::Accept,
            "dismiss" => RedactionDecision::Dismiss,
            _ => return Err(AppError::invalid("decision", "is accept or dismiss").into()),
        };
        moderation::decide_redaction(
            &state.db,
            &state.rules,
            &actor,
            &report_ref,
            &field,
            &id,
            decision,
        )
        .await?;
        self.view(&state, &report_ref).await
    }

    /// Ask the reporter a question through the receipt channel.
    #[oai(
        path = "/reports/:ref/ask",
        method = "post",
        operation_id = "moderation_ask"
    )]
    async fn ask(
        &self,
        state: Data<&AppState>,
        auth: ModeratorToken,
        #[oai(name = "ref")] report_ref: Path<String>,
        body: ApiJson<QuestionRequest>,
    ) -> Result<Json<ModerationReportBody>, ApiProblem> {
        let actor = auth.0;
        moderation::ask(&state.db, &actor, &report_ref, &body.0.question).await?;
        self.view(&state, &report_ref).await
    }

    /// Publish the saved version: it becomes a shared lesson, searchable within a second.
    ///
    /// 409 until the reporter approved it or the approval wait has passed.
    #[oai(
        path = "/reports/:ref/publish",
        method = "post",
        operation_id = "moderation_publish"
    )]
    async fn publish(
        &self,
        state: Data<&AppState>,
        auth: ModeratorToken,
        #[oai(name = "ref")] report_ref: Path<String>,
    ) -> Result<Json<ModerationReportBody>, ApiProblem> {
        let actor = auth.0;
        moderation::publish(
            &state.db,
            &actor,
            &report_ref,
            state.config.moderation.approval_wait_days,
        )
        .await?;
        self.view(&state, &report_ref).await
    }

    /// Reject with a reason the reporter can read.
    #[oai(
        path = "/reports/:ref/reject",
        method = "post",
        operation_id = "moderation_reject"
    )]
    async fn reject(
        &self,
        state: Data<&AppState>,
        auth: ModeratorToken,
        #[oai(name = "ref")] report_ref: Path<String>,
        body: ApiJson<RejectRequest>,
    ) -> Result<Json<ModerationReportBody>, ApiProblem> {
        let actor = auth.0;
        moderation::reject(&state.db, &actor, &report_ref, &body.0.reason).await?;
        self.view(&state, &report_ref).await
    }

    /// Merge into a published lesson as another occurrence.
    #[oai(
        path = "/reports/:ref/merge",
        method = "post",
        operation_id = "moderation_merge"
    )]
    async fn merge(
        &self,
        state: Data<&AppState>,
        auth: ModeratorToken,
        #[oai(name = "ref")] report_ref: Path<String>,
        body: ApiJson<MergeRequest>,
    ) -> Result<Json<ModerationReportBody>, ApiProblem> {
        let actor = auth.0;
        moderation::merge(&state.db, &actor, &report_ref, &body.0.target).await?;
        self.view(&state, &report_ref).await
    }
}

impl ModerationApi {
    async fn view(
        &self,
        state: &AppState,
        report_ref: &str,
    ) -> Result<Json<ModerationReportBody>, ApiProblem> {
        let view = moderation::detail(
            &state.db,
            &state.rules,
            state.config.moderation.approval_wait_days,
            report_ref,
        )
        .await?;
        Ok(Json(view.into()))
    }
}
