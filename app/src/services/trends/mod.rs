//! Trend reports for policy owners: counts by month and breakdowns of a period, the health
//! of the reporting culture, patterns and guideline changes, with small cells suppressed so
//! that no small team can be singled out.

mod aggregate;
pub mod count;
mod kept;
mod layout;
pub mod period;
mod rates;
mod rebuild;
mod recount;
mod rollup;
mod scan;
mod sections;
pub mod sheet;
mod sql;
pub mod suppress;

use entities::{factor, factor_category, unit};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

pub use count::Scope;
pub use period::Period;
pub use rebuild::{Rebuilt, rebuild, rebuild_if_pending};
pub use recount::{Recount, count_new};
pub use sections::{ChangeEffect, GuidelineChange, Movement, PatternLine};
pub use sheet::{Cell, Column, Row, Table};

use crate::{
    config::Config,
    error::{AppError, FieldError, Result},
    services::units::{self, sizes},
    vocabulary::Channel,
};

/// How reports are made: k, and the day and detection window that effects are measured
/// with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Cells under this many reports are suppressed (at least [`suppress::MIN_K`]).
    pub min_cell: u64,
    pub as_of: time::Date,
    pub window_days: u32,
}

impl Settings {
    /// The configured k and detection window, measuring effects as of `as_of`.
    pub fn new(config: &Config, as_of: time::Date) -> Self {
        Self {
            min_cell: config.trends.min_cell,
            as_of,
            window_days: config.patterns.window_days,
        }
    }
}

/// What a report is asked for: a period, and optionally a unit subtree and a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub period: Period,
    /// The path of the unit whose subtree is counted.
    pub unit: Option<String>,
    pub channel: Option<Channel>,
}

impl Request {
    /// Reads the parameters as typed: `period` (`2026-03`, `2026-Q1`, `2026`) or `from` and
    /// `to` (days), `unit` (a path) and `channel` (a slug). With neither period nor days, the
    /// last full quarter before `today`. Every bad parameter is named.
    pub async fn read(
        db: &impl ConnectionTrait,
        period: &str,
        from: &str,
        to: &str,
        unit: &str,
        channel: &str,
        today: time::Date,
    ) -> Result<Self> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut keep = |result: Result<()>| {
            if let Err(AppError::Invalid(e)) = result {
                errors.extend(e);
                Ok(())
            } else {
                result
            }
        };
        let mut chosen = Period::last_quarter(today);
        let (from, to) = (from.trim(), to.trim());
        keep(if !period.trim().is_empty() {
            Period::named(period, "period").map(|p| chosen = p)
        } else if !from.is_empty() || !to.is_empty() {
            Period::between(from, to).map(|p| chosen = p)
        } else {
            Ok(())
        })?;
        let unit = units::normalise_path(unit);
        let unit = if unit.is_empty() {
            None
        } else {
            keep(units::existing(db, &unit).await.map(|_| ()))?;
            Some(unit)
        };
        let channel = match channel.trim() {
            "" => None,
            slug => {
                let found = Channel::from_slug(slug);
                if found.is_none() {
                    keep(Err(AppError::invalid(
                        "channel",
                        format!(
                            "'{slug}' is not a channel; use one of {}",
                            Channel::expected()
                        ),
                    )))?;
                }
                found
            }
        };
        if errors.is_empty() {
            Ok(Self {
                period: chosen,
                unit,
                channel,
            })
        } else {
            Err(AppError::Invalid(errors))
        }
    }
}

/// A whole report, suppressed and ready to show or export.
#[derive(Clone, Debug)]
pub struct TrendReport {
    pub request: Request,
    /// Cells under this many reports are suppressed.
    pub min_cell: u64,
    pub tables: Vec<Table>,
    pub patterns: Vec<PatternLine>,
    pub guideline_changes: Vec<GuidelineChange>,
}

impl TrendReport {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Counts, lays out and suppresses the report asked for.
pub async fn report(
    db: &impl ConnectionTrait,
    request: &Request,
    settings: &Settings,
) -> Result<TrendReport> {
    let min_cell = settings.min_cell.max(suppress::MIN_K);
    let units = unit::Entity::find().all(db).await?;
    let members: Vec<sizes::Member> = units
        .iter()
        .map(|u| {
            let headcount = u.headcount.and_then(|n| u32::try_from(n).ok());
            (u.id, u.parent_id, headcount)
        })
        .collect();
    let unit_sizes = sizes::sizes(&members)
        .into_iter()
        .map(|(id, size)| (id, size.people))
        .collect();
    let nodes: Vec<rollup::Node> = units
        .into_iter()
        .map(|u| rollup::Node {
            id: u.id,
            parent_id: u.parent_id,
            path: u.path,
        })
        .collect();
    let root = request
        .unit
        .as_ref()
        .and_then(|path| nodes.iter().find(|n| &n.path == path))
        .map(|n| n.id);
    let subtree = request.unit.as_ref().map(|path| {
        let below = format!("{path}/");
        nodes
            .iter()
            .filter(|n| &n.path == path || n.path.starts_with(&below))
            .map(|n| n.id)
            .collect()
    });
    let scope = Scope {
        period: request.period,
        units: subtree,
        channel: request.channel,
    };
    let factors: Vec<(i32, String, String, i32)> = factor::Entity::find()
        .order_by_asc(factor::Column::CategoryId)
        .order_by_asc(factor::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.slug, f.name, f.category_id))
        .collect();
    let category_of = factors.iter().map(|f| (f.0, f.3)).collect();
    let counts = count::counts(db, &scope, &category_of).await?;
    let names = layout::Names {
        factors,
        categories: factor_category::Entity::find()
            .order_by_asc(factor_category::Column::Position)
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.slug, c.name))
            .collect(),
        units: nodes,
        sizes: unit_sizes,
        root,
    };
    let tables = layout::lay_out(&counts, &request.period, &names, min_cell).resolve(min_cell);
    Ok(TrendReport {
        request: request.clone(),
        min_cell,
        tables,
        patterns: sections::patterns(
            db,
            &request.period,
            request.unit.as_deref(),
            request.channel,
        )
        .await?,
        guideline_changes: sections::guideline_changes(
            db,
            &request.period,
            settings.as_of,
            settings.window_days,
        )
        .await?,
    })
}
