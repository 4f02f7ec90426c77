//! `/v1/receipts`: what a reporter can do with the receipt code alone. The code travels in
//! the body, never in the URL, so that it stays out of logs.

use std::net::IpAddr;

use poem::{Request, web::Data};
use poem_openapi::{Object, OpenApi, payload::Json};
use serde::Deserialize;

use super::{ApiJson, ApiProblem};
use crate::{
    services::{
        limits::receipt_try,
        moderation::ReporterReview,
        reports::{self, ReceiptView},
    },
    state::AppState,
    vocabulary::Status,
};

pub struct ReceiptsApi;

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRequest {
    /// The receipt code; case, spaces and dashes do not matter.
    pub receipt: String,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailRequest {
    pub receipt: String,
    /// Further detail for the moderators: at most 10,000 characters, not blank.
    #[oai(validator(
        max_length = 10000,
        pattern = r"^[^\x00]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00]*$"
    ))]
    pub detail: String,
}

#[derive(Debug, Object)]
pub struct MessageBody {
    /// `reporter` or `moderator`.
    pub author: String,
    /// `detail`, `answer`, `change_request`, `question`, `rejection` or `merged`.
    pub kind: String,
    pub body: String,
    /// `YYYY-MM-DD`.
    pub created_on: String,
}

/// The state of a report as its reporter may see it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReceiptStatus {
    #[oai(rename = "ref")]
    pub report_ref: String,
    pub title: String,
    pub status: Status,
    /// `YYYY-MM-DD`: the day only.
    pub submitted_on: String,
    /// Whether details can still be added and the report withdrawn.
    pub open: bool,
    pub messages: Vec<MessageBody>,
    /// The de-identified version a moderator offered for the reporter's approval.
    pub proposed: Option<ProposedVersion>,
    pub reporter_review: ReporterReview,
}

#[derive(Debug, Object)]
pub struct ProposedVersion {
    /// Send it back with an approval, so that only this very version is approved.
    pub version: String,
    pub title: String,
    pub narrative: String,
    pub what_helped: String,
    pub lesson: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub receipt: String,
    /// Approve the offered version (`true`) or ask for a change (`false`, with a comment).
    pub approve: bool,
    /// What should change: needed, not blank, when `approve` is `false`. At most 10,000
    /// characters.
    #[oai(default, validator(max_length = 10000, pattern = r"^[^\x00]*$"))]
    #[serde(default)]
    pub comment: String,
    /// The `proposed.version` read; when it has changed since, the answer is 409.
    #[oai(nullable)]
    pub version: Option<String>,
}

impl From<ReceiptView> for ReceiptStatus {
    fn from(view: ReceiptView) -> Self {
        Self {
            open: view.can_change(),
            reporter_review: view.review,
            proposed: view.proposed.clone().map(|d| ProposedVersion {
                version: d.version(),
                title: d.title,
                narrative: d.narrative,
                what_helped: d.what_helped,
                lesson: d.lesson,
                tags: d.tags.split_whitespace().map(str::to_owned).collect(),
            }),
            report_ref: view.report_ref,
            title: view.title,
            status: view.status,
            submitted_on: view.submitted_on.to_string(),
            messages: view
                .messages
                .into_iter()
                .map(|m| MessageBody {
                    author: m.author.slug().to_owned(),
                    kind: m.kind.slug().to_owned(),
                    body: m.body,
                    created_on: m.created_on.to_string(),
                })
                .collect(),
        }
    }
}

#[OpenApi(prefix_path = "/v1")]
impl ReceiptsApi {
    /// See the status of a report and its conversation, with the receipt code.
    #[oai(
        path = "/receipts/status",
        method = "post",
        operation_id = "get_receipt_status"
    )]
    async fn get_receipt_status(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: ApiJson<ReceiptRequest>,
    ) -> Result<Json<ReceiptStatus>, ApiProblem> {
        let action = reports::status(&state.db, &state.receipts, &body.0.receipt);
        let view = receipt_try(&state.receipt_limits, peer(req), action).await?;
        Ok(Json(view.into()))
    }

    /// Add detail to a report, with the receipt code.
    #[oai(
        path = "/receipts/details",
        method = "post",
        operation_id = "add_report_detail"
    )]
    async fn add_report_detail(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: ApiJson<DetailRequest>,
    ) -> Result<Json<ReceiptStatus>, ApiProblem> {
        let DetailRequest { receipt, detail } = body.0;
        let action = reports::add_detail(&state.db, &state.receipts, &receipt, &detail);
        let view = receipt_try(&state.receipt_limits, peer(req), action).await?;
        Ok(Json(view.into()))
    }

    /// Withdraw a report, with the receipt code.
    #[oai(
        path = "/receipts/withdraw",
        method = "post",
        operation_id = "withdraw_report"
    )]
    async fn withdraw_report(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: ApiJson<ReceiptRequest>,
    ) -> Result<Json<ReceiptStatus>, ApiProblem> {
        let action = reports::withdraw(&state.db, &state.receipts, &body.0.receipt);
        let view = receipt_try(&state.receipt_limits, peer(req), action).await?;
        Ok(Json(view.into()))
    }

    /// Approve the de-identified version offered by a moderator, or ask for a change.
    #[oai(
        path = "/receipts/review",
        method = "post",
        operation_id = "review_published_version"
    )]
    async fn review_version(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: ApiJson<ReviewRequest>,
    ) -> Result<Json<ReceiptStatus>, ApiProblem> {
        let ReviewRequest {
            receipt,
            approve,
            comment,
            version,
        } = body.0;
        let action = reports::review_version(
            &state.db,
            &state.receipts,
            &receipt,
            version.as_deref(),
            approve,
            &comment,
        );
        let view = receipt_try(&state.receipt_limits, peer(req), action).await?;
        Ok(Json(view.into()))
    }
}

/// The client's address, used only to count its tries under a salted hash.
fn peer(req: &Request) -> Option<IpAddr> {
    req.remote_addr().as_socket_addr().map(|a| a.ip())
}
