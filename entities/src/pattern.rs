//! A recurring pattern found across reports, with the evidence that explains it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "patterns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable across runs: the factor key, or the sorted strongest stems of a theme.
    #[sea_orm(unique)]
    pub signature: String,
    /// `factor`, `factor_channel`, `theme` or `local`.
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub explanation: String,
    /// JSON list of the terms as people wrote them.
    #[sea_orm(column_type = "Text")]
    pub terms: String,
    /// JSON list of the same terms stemmed.
    #[sea_orm(column_type = "Text")]
    pub stems: String,
    /// JSON list of factor slugs.
    #[sea_orm(column_type = "Text")]
    pub factors: String,
    pub channel: Option<String>,
    /// For a local pattern, the path of its unit.
    #[sea_orm(column_type = "Text", nullable)]
    pub unit: Option<String>,
    pub occurrences: i32,
    pub unit_count: i32,
    /// JSON list of unit paths.
    #[sea_orm(column_type = "Text")]
    pub units: String,
    /// `YYYY-MM`.
    pub first_seen: String,
    pub last_seen: String,
    /// JSON list of `["YYYY-MM", count]`.
    #[sea_orm(column_type = "Text")]
    pub by_month: String,
    /// `rising`, `falling` or `steady`.
    pub trend: String,
    pub trend_current: i32,
    pub trend_previous: i32,
    pub score: f64,
    /// `new`, `acknowledged`, `dismissed`, `addressed` or `regressed`.
    pub status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub dismissal_reason: Option<String>,
    pub occurrences_at_dismissal: Option<i32>,
    /// `YYYY-MM`: the month it was addressed; occurring later is a regression.
    pub addressed_in: Option<String>,
    pub active: bool,
    pub detected_on: TimeDate,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
