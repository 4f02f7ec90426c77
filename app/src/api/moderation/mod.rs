//! `/v1/moderation`: the queue and every moderator action, for moderators' tokens.

mod bodies;

use poem::web::Data;
use poem_openapi::{OpenApi, param::Path, payload::Json};

use super::{ApiJson, ApiProblem, auth::ModeratorToken};
use crate::{codes::ReportRef, services::moderation, state::AppState};
use bodies::{
    DraftParts, DraftRequest, MergeRequest, ModerationReportBody, QuestionRequest, QueueBody,
    QueueCountsBody, QueueEntry, RedactionRequest, RejectRequest,
};

pub struct ModerationApi;

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
        let report_ref: ReportRef = report_ref.parse()?;
        moderation::record_reading(&state.db, &auth.0, &report_ref).await?;
        self.view(&state, &report_ref).await
    }

    /// Save the published version; optionally offer it to the reporter for approval.
    ///
    /// `channel`, `impact` and `factors`, each optional, correct what the report is about
    /// in the same change: all of it is stored, or, with a 422 naming each field at fault,
    /// none of it.
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
        let report_ref: ReportRef = report_ref.parse()?;
        let DraftParts {
            edit,
            classification,
            offer,
        } = body.0.into();
        let (db, actor) = (&state.db, &auth.0);
        moderation::save_draft_classified(db, actor, &report_ref, edit, classification, offer)
            .await?;
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
        let report_ref: ReportRef = report_ref.parse()?;
        let actor = auth.0;
        let RedactionRequest {
            field,
            id,
            decision,
        } = body.0;
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
        let report_ref: ReportRef = report_ref.parse()?;
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
        let report_ref: ReportRef = report_ref.parse()?;
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
        let report_ref: ReportRef = report_ref.parse()?;
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
        let report_ref: ReportRef = report_ref.parse()?;
        let actor = auth.0;
        let target = ReportRef::from_field("target", &body.0.target)?;
        moderation::merge(&state.db, &actor, &report_ref, &target).await?;
        self.view(&state, &report_ref).await
    }
}

impl ModerationApi {
    async fn view(
        &self,
        state: &AppState,
        report_ref: &ReportRef,
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
