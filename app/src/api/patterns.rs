//! `/v1/patterns`: recurring patterns across teams, for policy owners and moderators.

use poem::web::Data;
use poem_openapi::{
    Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};
use serde::Deserialize;

use super::{
    ApiJson, ApiProblem,
    auth::{PatternKeeperToken, PolicyOwnerToken},
};
use crate::{
    services::{
        effect::{self, EffectVerdict, Measured, Side},
        patterns::{
            self, Filters, MemberView, PatternDetail, PatternKind, PatternStatus, PatternSummary,
            StatusDecision,
        },
    },
    state::AppState,
    today,
};

pub struct PatternsApi;

/// A recurring pattern: the same contributing factor, or the same words, in several units.
#[derive(Debug, Object)]
pub struct PatternBody {
    pub id: i32,
    /// Stable across detection runs.
    pub signature: String,
    pub kind: PatternKind,
    /// Plain words, from the factor's name or the strongest terms.
    pub title: String,
    /// The sentence that justifies the pattern, with its evidence.
    pub explanation: String,
    /// The terms that recur, as people wrote them.
    pub terms: Vec<String>,
    /// Contributing factors' slugs.
    pub factors: Vec<String>,
    #[oai(nullable)]
    pub channel: Option<String>,
    /// For a local pattern, the unit it repeats in.
    #[oai(nullable)]
    pub unit: Option<String>,
    /// The member reports, the reports merged into them and readers' "happened to us too".
    pub occurrences: u32,
    /// How many distinct units.
    pub units: u32,
    /// The units' paths.
    pub unit_paths: Vec<String>,
    /// `YYYY-MM`.
    pub first_seen: String,
    /// `YYYY-MM`.
    pub last_seen: String,
    /// `rising`, `falling` or `steady`: occurrences in the last window against the one before.
    pub trend: String,
    pub trend_current: u32,
    pub trend_previous: u32,
    pub score: f64,
    pub status: PatternStatus,
    #[oai(nullable)]
    pub dismissal_reason: Option<String>,
    /// Refs of the member reports.
    pub reports: Vec<String>,
}

impl From<PatternSummary> for PatternBody {
    fn from(p: PatternSummary) -> Self {
        Self {
            id: p.id,
            signature: p.signature,
            kind: p.kind,
            title: p.title,
            explanation: p.explanation,
            terms: p.terms,
            factors: p.factors,
            channel: p.channel,
            unit: p.unit,
            occurrences: p.occurrences,
            units: u32::try_from(p.units.len()).unwrap_or(u32::MAX),
            unit_paths: p.units,
            first_seen: p.first_seen,
            last_seen: p.last_seen,
            trend: p.trend,
            trend_current: p.trend_current,
            trend_previous: p.trend_previous,
            score: p.score,
            status: p.status,
            dismissal_reason: p.dismissal_reason,
            reports: p.reports,
        }
    }
}

#[derive(Debug, Object)]
pub struct PatternsBody {
    pub patterns: Vec<PatternBody>,
}

/// A member report with the pattern's words as it wrote them.
#[derive(Debug, Object)]
pub struct PatternMemberBody {
    #[oai(rename = "ref")]
    pub report_ref: String,
    pub title: String,
    pub matched: Vec<String>,
}

impl From<MemberView> for PatternMemberBody {
    fn from(m: MemberView) -> Self {
        Self {
            report_ref: m.reference,
            title: m.title,
            matched: m.matched,
        }
    }
}

#[derive(Debug, Object)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub occurrences: u32,
}

#[derive(Debug, Object)]
pub struct PatternDetailBody {
    pub pattern: PatternBody,
    pub members: Vec<PatternMemberBody>,
    pub by_month: Vec<MonthCount>,
}

impl From<PatternDetail> for PatternDetailBody {
    fn from(d: PatternDetail) -> Self {
        Self {
            pattern: d.summary.into(),
            members: d.members.into_iter().map(Into::into).collect(),
            by_month: d
                .by_month
                .into_iter()
                .map(|(month, occurrences)| MonthCount { month, occurrences })
                .collect(),
        }
    }
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternStatusRequest {
    /// `acknowledged`, `dismissed` (with a reason) or `addressed`.
    pub status: StatusDecision,
    /// Why it is dismissed; needed to dismiss, at most 1,000 characters. A dismissed pattern
    /// stays dismissed unless it grows clearly.
    #[oai(nullable)]
    #[serde(default)]
    pub reason: Option<String>,
}

/// One side of a guideline change: the whole months compared and what they hold.
#[derive(Debug, Object)]
pub struct EffectSideBody {
    /// The first month compared, `YYYY-MM`; null while no whole month has passed.
    #[oai(nullable)]
    pub from: Option<String>,
    /// The last month compared, `YYYY-MM`.
    #[oai(nullable)]
    pub to: Option<String>,
    pub months: u32,
    /// The pattern's occurrences in those months.
    pub occurrences: u64,
    /// Published reports of any kind in those months.
    pub reports: u64,
    /// Occurrences per 100 published reports; null without reports.
    #[oai(nullable)]
    pub rate: Option<f64>,
}

impl From<Side> for EffectSideBody {
    fn from(side: Side) -> Self {
        let months = side.span.months;
        Self {
            from: (months > 0).then(|| side.span.first.to_string()),
            to: side.span.last().map(|m| m.to_string()),
            months,
            occurrences: side.occurrences,
            reports: side.reports,
            rate: side.rate(),
        }
    }
}

/// The measured effect of the latest guideline change citing a pattern: its rate per 100
/// published reports in equal whole-month windows before and after the change took effect,
/// compared by the exact conditional test for two Poisson counts.
#[derive(Debug, Object)]
pub struct PatternEffectBody {
    pub pattern_id: i32,
    /// The guideline changed, by slug.
    pub guideline: String,
    pub guideline_title: String,
    /// The revision that cites the pattern.
    pub revision: i32,
    /// The section it changed, if it changed one.
    #[oai(nullable)]
    pub anchor: Option<String>,
    /// `YYYY-MM-DD`. A change on the 1st counts its month as after; a change later in a
    /// month leaves that month out of both windows.
    pub effective_from: String,
    /// `YYYY-MM-DD`: the day measured; its month is not over, so it is not counted.
    pub as_of: String,
    /// The detection window, which caps each window's length.
    pub window_days: u32,
    pub before: EffectSideBody,
    pub after: EffectSideBody,
    /// The rate after over the rate before; null when it is not finite (nothing before) or
    /// undefined.
    #[oai(nullable)]
    pub rate_ratio: Option<f64>,
    /// The 95 % confidence interval of the rate ratio (Clopper–Pearson); null when unbounded
    /// or undefined.
    #[oai(nullable)]
    pub ci_low: Option<f64>,
    #[oai(nullable)]
    pub ci_high: Option<f64>,
    /// Two-sided, of the exact conditional binomial test; null when undefined.
    #[oai(nullable)]
    pub p_value: Option<f64>,
    pub verdict: EffectVerdict,
    /// Plain words: "fell from 4.1 to 1.2 per 100 reports (rate ratio 0.29, 95 % CI
    /// 0.11–0.74)", or "too few reports yet to tell: 3 before, 1 after".
    pub reading: String,
}

impl PatternEffectBody {
    fn of(pattern_id: i32, measured: Measured) -> Self {
        let Measured { change, effect } = measured;
        Self {
            pattern_id,
            guideline: change.guideline,
            guideline_title: change.guideline_title,
            revision: change.revision,
            anchor: change.anchor,
            effective_from: effect.effective_from.to_string(),
            as_of: effect.as_of.to_string(),
            window_days: effect.window_days,
            before: effect.before.into(),
            after: effect.after.into(),
            rate_ratio: effect.ratio.estimate,
            ci_low: effect.ratio.ci_low,
            ci_high: effect.ratio.ci_high,
            p_value: effect.ratio.p_value,
            verdict: effect.verdict,
            reading: effect.reading,
        }
    }
}

#[OpenApi(prefix_path = "/v1")]
impl PatternsApi {
    /// Recurring patterns across teams, strongest first; moderators also see local ones.
    #[oai(path = "/patterns", method = "get", operation_id = "list_patterns")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: PatternKeeperToken,
        /// Only patterns with this status.
        status: Query<Option<PatternStatus>>,
        /// Only patterns of this kind.
        kind: Query<Option<PatternKind>>,
        /// Only patterns seen in this unit (a path) or a unit under it.
        unit: Query<Option<String>>,
    ) -> Result<Json<PatternsBody>, ApiProblem> {
        let filters = Filters {
            status: status.0,
            kind: kind.0,
            unit: unit
                .0
                .map(|u| u.trim().to_owned())
                .filter(|u| !u.is_empty()),
        };
        let found = patterns::list(&state.db, &auth.0, &filters).await?;
        Ok(Json(PatternsBody {
            patterns: found.into_iter().map(Into::into).collect(),
        }))
    }

    /// One pattern with its member reports (and the matching words) and occurrences by month.
    #[oai(path = "/patterns/:id", method = "get", operation_id = "get_pattern")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: PatternKeeperToken,
        id: Path<i32>,
    ) -> Result<Json<PatternDetailBody>, ApiProblem> {
        let detail = patterns::get(&state.db, &auth.0, id.0).await?;
        Ok(Json(detail.into()))
    }

    /// The measured effect of the latest guideline change citing the pattern (policy owners
    /// and admins); 404 when no change cites it.
    #[oai(
        path = "/patterns/:id/effect",
        method = "get",
        operation_id = "get_pattern_effect"
    )]
    async fn get_effect(
        &self,
        state: Data<&AppState>,
        auth: PolicyOwnerToken,
        id: Path<i32>,
    ) -> Result<Json<PatternEffectBody>, ApiProblem> {
        let window = state.config.patterns.window_days;
        let measured = effect::latest_for(&state.db, &auth.0, id.0, today(), window).await?;
        Ok(Json(PatternEffectBody::of(id.0, measured)))
    }

    /// Acknowledge, dismiss (with a reason) or mark addressed a pattern.
    #[oai(
        path = "/patterns/:id/status",
        method = "post",
        operation_id = "set_pattern_status"
    )]
    async fn set_status(
        &self,
        state: Data<&AppState>,
        auth: PatternKeeperToken,
        id: Path<i32>,
        body: ApiJson<PatternStatusRequest>,
    ) -> Result<Json<PatternBody>, ApiProblem> {
        let request = body.0;
        let updated = patterns::set_status(
            &state.db,
            &auth.0,
            id.0,
            request.status,
            request.reason.as_deref(),
        )
        .await?;
        Ok(Json(updated.into()))
    }
}
