//! `/v1/reports/{ref}/signals` and `/v1/hints`: readers' signals, and the blameless-language
//! hints that the report form shows while a person writes.

use poem::web::Data;
use poem_openapi::{Object, OpenApi, param::Path, payload::Json};
use serde::Deserialize;

use super::{ApiJson, ApiProblem, auth::AccountToken};
use crate::{
    codes::ReportRef,
    services::{
        signals::{self, SignalKind},
        wording,
    },
    state::AppState,
};

pub struct SignalsApi;

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalRequest {
    pub kind: SignalKind,
    /// For `happened_to_us`: the unit where it happened too, as broad as one likes; an existing
    /// unit's path from `GET /v1/units`.
    #[oai(nullable)]
    pub unit: Option<String>,
}

#[derive(Debug, Object)]
pub struct SignalCountsBody {
    /// Whether this call counted: each account counts once per lesson and kind.
    pub counted: bool,
    /// The report itself, the reports merged into it and readers' "happened to us too".
    pub occurrences: u64,
    pub helped: u64,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HintsRequest {
    /// The text being written; at most 60,000 characters.
    #[oai(validator(max_length = 60000))]
    pub text: String,
}

#[derive(Debug, Object)]
pub struct WordingHint {
    pub rule: String,
    /// `blame` or `identifying`.
    pub kind: String,
    /// Byte offsets in the text.
    pub start: u64,
    pub end: u64,
    pub excerpt: String,
    pub explanation: String,
    pub reframing: String,
}

#[derive(Debug, Object)]
pub struct HintsBody {
    pub hints: Vec<WordingHint>,
}

#[OpenApi(prefix_path = "/v1")]
impl SignalsApi {
    /// Mark a published lesson: "this happened to us too" or "this helped me".
    ///
    /// Counts only; marking twice counts once. Only a keyed hash links the mark to the
    /// account, for that deduplication.
    #[oai(
        path = "/reports/:ref/signals",
        method = "post",
        operation_id = "mark_report"
    )]
    async fn mark(
        &self,
        state: Data<&AppState>,
        auth: AccountToken,
        #[oai(name = "ref")] report_ref: Path<String>,
        body: ApiJson<SignalRequest>,
    ) -> Result<Json<SignalCountsBody>, ApiProblem> {
        let report_ref: ReportRef = report_ref.parse()?;
        let account = auth.0;
        let SignalRequest { kind, unit } = body.0;
        let counted = signals::mark(
            &state.db,
            &state.signal_key,
            &account,
            &report_ref,
            kind,
            unit.as_deref(),
        )
        .await?;
        let counts = signals::counts(&state.db, &report_ref).await?;
        Ok(Json(SignalCountsBody {
            counted,
            occurrences: counts.occurrences,
            helped: counts.helped,
        }))
    }

    /// Blameless-language hints for a text being written. Needs no account; nothing is kept.
    #[oai(path = "/hints", method = "post", operation_id = "wording_hints")]
    async fn hints(
        &self,
        state: Data<&AppState>,
        body: ApiJson<HintsRequest>,
    ) -> Result<Json<HintsBody>, ApiProblem> {
        let text = body.0.text;
        let hints = wording::hints(&state.db, &state.rules, &[("text", &text)])
            .await?
            .into_iter()
            .map(|(_, h)| WordingHint {
                rule: h.rule,
                kind: h.kind.slug().to_owned(),
                start: h.start as u64,
                end: h.end as u64,
                excerpt: h.excerpt,
                explanation: h.explanation,
                reframing: h.reframing,
            })
            .collect();
        Ok(Json(HintsBody { hints }))
    }
}
