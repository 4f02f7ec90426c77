//! `/v1/trends`: the trend report as JSON, for policy owners; the same tables as the page and
//! the CSV, suppressed cells as `null` with `suppressed: true`, never the number.

use poem::web::Data;
use poem_openapi::{Enum, Object, OpenApi, param::Query, payload::Json};

use super::{ApiProblem, auth::PolicyOwnerToken};
use crate::{
    services::trends::{self, Cell, GuidelineChange, Movement, PatternLine, Request, TrendReport},
    state::AppState,
    today,
};

pub struct TrendsApi;

/// One cell: a count, a share in percent or a number of days.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TrendCellBody {
    /// Left out when suppressed (never the number) or when there is nothing to measure.
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
    /// `by_month`, `by_channel`, `by_audience`, `by_impact`, `by_unit`, `by_factor`,
    /// `by_category`, `category_by_month`, `factor_by_channel`, `by_reporter_review` or
    /// `health`.
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

#[derive(Debug, Object)]
pub struct GuidelineChangeBody {
    pub guideline: String,
    pub slug: String,
    pub revision: i32,
    pub change: String,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    pub rationale: String,
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

impl From<GuidelineChange> for GuidelineChangeBody {
    fn from(g: GuidelineChange) -> Self {
        Self {
            guideline: g.guideline,
            slug: g.slug,
            revision: g.revision,
            change: g.change,
            effective_from: g.effective_from,
            rationale: g.rationale,
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
    /// reporting culture, patterns and guideline changes. Any count resting on fewer than
    /// `min_cell` reports is suppressed, and so is any count that would let one be worked out
    /// by subtracting shown counts from shown totals, within a table or across tables.
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
        let report = trends::report(&state.db, &request, state.config.trends.min_cell).await?;
        Ok(Json(report.into()))
    }
}
