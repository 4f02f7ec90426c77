//! `/v1/trends`: the trend report as JSON, for policy owners; the same tables as the page and
//! the CSV, suppressed cells as `null` with `suppressed: true`, never the number.

use poem::web::Data;
use poem_openapi::{Enum, Object, OpenApi, param::Query, payload::Json};

use super::{ApiProblem, auth::PolicyOwnerToken};
use crate::{
    services::{
        effect::EffectVerdict,
        trends::{
            self, Cell, ChangeEffect, GuidelineChange, Movement, PatternLine, Request, Settings,
            TrendReport,
        },
    },
    state::AppState,
    today,
};

pub struct TrendsApi;

/// One cell: a count, a share in percent, a number of days or a rate per 1,000 staff.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TrendCellBody {
    /// Left out when suppressed (never the number), when there is nothing to measure, or
    /// when a rate's size is not known (a unit without a headcount).
    pub value: Option<f64>,
    /// Rests on fewer than `min_cell` reports, or would let such a cell be worked out.
    pub suppressed: bool,
}

#[derive(Debug, Object)]
pub struct TrendColumnBody {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Object)]
pub struct TrendRowBody {
    /// A month, a slug, a unit path, `not_given` or `total`.
    pub key: String,
    pub label: String,
    /// The table's total row.
    pub total: bool,
    /// One cell per column, in the columns' order.
    pub cells: Vec<TrendCellBody>,
}

#[derive(Debug, Object)]
pub struct TrendTableBody {
    /// `by_month`, `by_channel`, `by_audience`, `by_impact`, `by_unit` (with lessons per
    /// 1,000 staff, suppressed whenever its count is), `by_factor`, `by_category`,
    /// `category_by_month`, `factor_by_channel`, `by_reporter_review` or `health`.
    pub name: String,
    pub title: String,
    pub columns: Vec<TrendColumnBody>,
    pub rows: Vec<TrendRowBody>,
}

/// How a recurring pattern moved in the period.
#[derive(Debug, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PatternMovement {
    New,
    Growing,
    Addressed,
    Regressed,
}

#[derive(Debug, Object)]
pub struct TrendPatternBody {
    pub id: i32,
    pub movement: PatternMovement,
    pub title: String,
    pub occurrences: u32,
    pub units: u32,
}

/// A guideline change's measured effect on a pattern it cites, over the whole organisation:
/// the pattern's rate per 100 published reports in equal whole-month windows before and
/// after the change, as of the day the report is made.
#[derive(Debug, Object)]
pub struct ChangeEffectBody {
    pub pattern_id: i32,
    pub pattern_title: String,
    pub verdict: EffectVerdict,
    /// Plain words: "fell from 4.1 to 1.2 per 100 reports (rate ratio 0.29, 95 % CI
    /// 0.14–0.57)", "too soon to tell: …" or "too few reports yet to tell: …".
    pub reading: String,
    /// Occurrences per 100 published reports before the change; null without reports.
    #[oai(nullable)]
    pub rate_before: Option<f64>,
    #[oai(nullable)]
    pub rate_after: Option<f64>,
    /// The rate after over the rate before; null when not finite or undefined.
    #[oai(nullable)]
    pub rate_ratio: Option<f64>,
    /// The 95 % confidence interval of the rate ratio; null when unbounded or undefined.
    #[oai(nullable)]
    pub ci_low: Option<f64>,
    #[oai(nullable)]
    pub ci_high: Option<f64>,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct GuidelineChangeBody {
    pub guideline: String,
    pub slug: String,
    pub revision: i32,
    pub change: String,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    pub rationale: String,
    /// One for each pattern the change cites (`pattern:N` in its evidence), local patterns
    /// left out.
    pub effects: Vec<ChangeEffectBody>,
    /// Why no effect is given, when `effects` is empty: "no pattern cited; effect not
    /// measured", for one.
    pub unmeasured: Option<String>,
}

/// A trend report: every table, the patterns that moved and the guideline changes.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TrendReportBody {
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
    /// The unit path whose subtree is counted; left out for the whole organisation.
    pub unit: Option<String>,
    /// Left out for all channels.
    pub channel: Option<String>,
    /// k: cells resting on fewer reports are suppressed.
    pub min_cell: u64,
    pub tables: Vec<TrendTableBody>,
    pub patterns: Vec<TrendPatternBody>,
    pub guideline_changes: Vec<GuidelineChangeBody>,
}

impl From<Cell> for TrendCellBody {
    fn from(cell: Cell) -> Self {
        Self {
            value: cell.value(),
            suppressed: cell == Cell::Suppressed,
        }
    }
}

impl From<PatternLine> for TrendPatternBody {
    fn from(p: PatternLine) -> Self {
        Self {
            id: p.id,
            movement: match p.movement {
                Movement::New => PatternMovement::New,
                Movement::Growing => PatternMovement::Growing,
                Movement::Addressed => PatternMovement::Addressed,
                Movement::Regressed => PatternMovement::Regressed,
            },
            title: p.title,
            occurrences: p.occurrences,
            units: p.units,
        }
    }
}

impl From<ChangeEffect> for ChangeEffectBody {
    fn from(e: ChangeEffect) -> Self {
        let effect = e.effect;
        Self {
            pattern_id: e.pattern_id,
            pattern_title: e.pattern_title,
            verdict: effect.verdict,
            reading: effect.reading,
            rate_before: effect.before.rate(),
            rate_after: effect.after.rate(),
            rate_ratio: effect.ratio.estimate,
            ci_low: effect.ratio.ci_low,
            ci_high: effect.ratio.ci_high,
        }
    }
}

impl From<GuidelineChange> for GuidelineChangeBody {
    fn from(g: GuidelineChange) -> Self {
        Self {
            guideline: g.guideline,
            slug: g.slug,
            revision: g.revision,
            change: g.change,
            effective_from: g.effective_from,
            rationale: g.rationale,
            effects: g.effects.into_iter().map(Into::into).collect(),
            unmeasured: g.unmeasured.map(str::to_owned),
        }
    }
}

impl From<TrendReport> for TrendReportBody {
    fn from(report: TrendReport) -> Self {
        let request = report.request;
        Self {
            from: request.period.from.to_string(),
            to: request.period.to.to_string(),
            unit: request.unit,
            channel: request.channel.map(|c| c.slug().to_owned()),
            min_cell: report.min_cell,
            tables: report
                .tables
                .into_iter()
                .map(|t| TrendTableBody {
                    name: t.name.to_owned(),
                    title: t.title,
                    columns: t
                        .columns
                        .into_iter()
                        .map(|c| TrendColumnBody {
                            key: c.key,
                            label: c.label,
                        })
                        .collect(),
                    rows: t
                        .rows
                        .into_iter()
                        .map(|r| TrendRowBody {
                            key: r.key,
                            label: r.label,
                            total: r.total,
                            cells: r.cells.into_iter().map(Into::into).collect(),
                        })
                        .collect(),
                })
                .collect(),
            patterns: report.patterns.into_iter().map(Into::into).collect(),
            guideline_changes: report
                .guideline_changes
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}

#[OpenApi(prefix_path = "/v1")]
impl TrendsApi {
    /// The trend report of a period, for a unit subtree and a channel.
    ///
    /// Counts of reports received and lessons published by month (with the same months a
    /// year earlier), breakdowns of the lessons published in the period, the health of the
    /// reporting culture, lessons per 1,000 staff of units whose size is known, patterns,
    /// and guideline changes with their effect on the patterns they cite, measured as of
    /// today. Any count resting on fewer than `min_cell` reports is suppressed, and so is any
    /// count that would let one be worked out by subtracting shown counts from shown totals,
    /// within a table or across tables; a rate is suppressed whenever its count is.
    #[oai(path = "/trends", method = "get", operation_id = "get_trends")]
    async fn get_trends(
        &self,
        state: Data<&AppState>,
        _auth: PolicyOwnerToken,
        /// First day, `YYYY-MM-DD`; with neither `from` nor `to`, the last full quarter.
        from: Query<Option<String>>,
        /// Last day, `YYYY-MM-DD`, not before `from`; at most five years after it.
        to: Query<Option<String>>,
        /// A unit path: the unit and every unit under it.
        unit: Query<Option<String>>,
        /// A channel slug (see `channel` in `NewReport`).
        channel: Query<Option<String>>,
    ) -> Result<Json<TrendReportBody>, ApiProblem> {
        let request = Request::read(
            &state.db,
            "",
            from.0.as_deref().unwrap_or_default(),
            to.0.as_deref().unwrap_or_default(),
            unit.0.as_deref().unwrap_or_default(),
            channel.0.as_deref().unwrap_or_default(),
            today(),
        )
        .await?;
        let settings = Settings::new(&state.config, today());
        let report = trends::report(&state.db, &request, &settings).await?;
        Ok(Json(report.into()))
    }
}
