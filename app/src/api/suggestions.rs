//! `/v1/suggestions`: suggested guideline updates drawn from recurring patterns, and the
//! policy owner's decisions on them.

use poem::web::Data;
use poem_openapi::{
    Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};
use serde::Deserialize;

use super::{ApiJson, ApiProblem, auth::PolicyOwnerToken};
use crate::{
    services::suggestions::{
        self, Acceptance, Decided, Filters, SuggestionKind, SuggestionStatus, SuggestionView,
    },
    state::AppState,
};

pub struct SuggestionsApi;

/// A decision taken on a suggestion; on an open one, the rejection it came back from.
#[derive(Debug, Object)]
pub struct SuggestionDecisionBody {
    /// The account that decided.
    pub by: String,
    /// `YYYY-MM-DD`.
    pub on: String,
    #[oai(nullable)]
    pub rationale: Option<String>,
    /// The pattern's occurrences when it was decided.
    #[oai(nullable)]
    pub occurrences: Option<i32>,
    /// The guideline revision that accepting it made.
    #[oai(nullable)]
    pub revision: Option<i32>,
    /// `YYYY-MM-DD`: when the accepted change took effect.
    #[oai(nullable)]
    pub effective_from: Option<String>,
}

impl From<Decided> for SuggestionDecisionBody {
    fn from(d: Decided) -> Self {
        Self {
            by: d.by,
            on: d.on.to_string(),
            rationale: d.rationale,
            occurrences: d.occurrences,
            revision: d.revision,
            effective_from: d.effective_from.map(|e| e.to_string()),
        }
    }
}

/// A suggested update of a guideline section, drawn from a recurring pattern.
#[derive(Debug, Object)]
pub struct SuggestionBody {
    pub id: i32,
    pub pattern_id: i32,
    pub pattern_title: String,
    /// The guideline's slug.
    pub guideline: String,
    pub guideline_title: String,
    /// The section's anchor: the one reinforced, or the one accepting an `add` made; null for
    /// an `add` not accepted yet.
    #[oai(nullable)]
    pub section: Option<String>,
    /// `reinforce` an existing section, or `add` a new one.
    pub kind: SuggestionKind,
    /// The section's heading as proposed.
    pub heading: String,
    /// Why, in a sentence, with the pattern's numbers.
    pub reason: String,
    /// The section's whole Markdown as proposed.
    pub proposed_text: String,
    /// The section's Markdown as it stands; null for a new section.
    #[oai(nullable)]
    pub current_text: Option<String>,
    /// Refs of the published lessons the proposal quotes.
    pub quoted: Vec<String>,
    pub score: f64,
    /// A deferred suggestion is open again from its date.
    pub status: SuggestionStatus,
    /// `YYYY-MM-DD`, while deferred.
    #[oai(nullable)]
    pub deferred_until: Option<String>,
    #[oai(nullable)]
    pub decision: Option<SuggestionDecisionBody>,
}

impl From<SuggestionView> for SuggestionBody {
    fn from(s: SuggestionView) -> Self {
        Self {
            id: s.id,
            pattern_id: s.pattern_id,
            pattern_title: s.pattern_title,
            guideline: s.guideline,
            guideline_title: s.guideline_title,
            section: s.section,
            kind: s.kind,
            heading: s.heading,
            reason: s.reason,
            proposed_text: s.proposed_text,
            current_text: s.current_text,
            quoted: s.quoted,
            score: s.score,
            status: s.status,
            deferred_until: s.deferred_until.map(|d| d.to_string()),
            decision: s.decided.map(Into::into),
        }
    }
}

#[derive(Debug, Object)]
pub struct SuggestionsBody {
    pub suggestions: Vec<SuggestionBody>,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestionAcceptRequest {
    /// The section's whole Markdown as it will stand, edited or as proposed.
    pub text: String,
    /// Why the guideline changes: required.
    pub rationale: String,
    /// `YYYY-MM-DD`; today when absent or blank. May be in the past.
    #[oai(nullable)]
    #[serde(default)]
    pub effective_from: Option<String>,
    /// The section's heading; the proposed one when absent.
    #[oai(nullable)]
    #[serde(default)]
    pub heading: Option<String>,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestionRejectRequest {
    /// Why the guideline should not change; shown if the pattern grows and the suggestion
    /// comes back.
    pub rationale: String,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestionDeferRequest {
    /// `YYYY-MM-DD`, after today and within two years: the day it is open again.
    pub until: String,
}

#[OpenApi(prefix_path = "/v1")]
impl SuggestionsApi {
    /// Suggested guideline updates: open ones by score, decided ones newest first (policy
    /// owners and admins).
    #[oai(
        path = "/suggestions",
        method = "get",
        operation_id = "list_suggestions"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: PolicyOwnerToken,
        /// Only suggestions with this status; a deferred one counts as open from its date.
        status: Query<Option<SuggestionStatus>>,
        /// Only suggestions for this guideline (its slug).
        guideline: Query<Option<String>>,
    ) -> Result<Json<SuggestionsBody>, ApiProblem> {
        let filters = Filters {
            status: status.0,
            guideline: guideline
                .0
                .map(|g| g.trim().to_owned())
                .filter(|g| !g.is_empty()),
        };
        let found = suggestions::list(&state.db, &filters).await?;
        Ok(Json(SuggestionsBody {
            suggestions: found.into_iter().map(Into::into).collect(),
        }))
    }

    /// One suggestion, with the section as it stands.
    #[oai(
        path = "/suggestions/:id",
        method = "get",
        operation_id = "get_suggestion"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        _auth: PolicyOwnerToken,
        id: Path<i32>,
    ) -> Result<Json<SuggestionBody>, ApiProblem> {
        Ok(Json(suggestions::get(&state.db, id.0).await?.into()))
    }

    /// Accept a suggestion, edited or as proposed: makes the guideline revision (its pattern,
    /// the suggestion and the pattern's lessons as evidence) and marks the pattern addressed.
    #[oai(
        path = "/suggestions/:id/accept",
        method = "post",
        operation_id = "accept_suggestion"
    )]
    async fn accept(
        &self,
        state: Data<&AppState>,
        auth: PolicyOwnerToken,
        id: Path<i32>,
        body: ApiJson<SuggestionAcceptRequest>,
    ) -> Result<Json<SuggestionBody>, ApiProblem> {
        let request = body.0;
        let acceptance = Acceptance {
            heading: request.heading,
            text: request.text,
            rationale: request.rationale,
            effective_from: request.effective_from,
        };
        let accepted = suggestions::accept(&state.db, &auth.0, id.0, &acceptance).await?;
        Ok(Json(accepted.into()))
    }

    /// Reject a suggestion with a rationale: it stays away until its pattern grows clearly.
    #[oai(
        path = "/suggestions/:id/reject",
        method = "post",
        operation_id = "reject_suggestion"
    )]
    async fn reject(
        &self,
        state: Data<&AppState>,
        auth: PolicyOwnerToken,
        id: Path<i32>,
        body: ApiJson<SuggestionRejectRequest>,
    ) -> Result<Json<SuggestionBody>, ApiProblem> {
        let rejected = suggestions::reject(&state.db, &auth.0, id.0, &body.0.rationale).await?;
        Ok(Json(rejected.into()))
    }

    /// Defer a suggestion to a date: it is open again from that day.
    #[oai(
        path = "/suggestions/:id/defer",
        method = "post",
        operation_id = "defer_suggestion"
    )]
    async fn defer(
        &self,
        state: Data<&AppState>,
        auth: PolicyOwnerToken,
        id: Path<i32>,
        body: ApiJson<SuggestionDeferRequest>,
    ) -> Result<Json<SuggestionBody>, ApiProblem> {
        let deferred = suggestions::defer(&state.db, &auth.0, id.0, &body.0.until).await?;
        Ok(Json(deferred.into()))
    }
}
