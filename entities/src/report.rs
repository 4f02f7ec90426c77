//! A logged mistake or near miss. `id` is the random public ref; dates are days or months.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub narrative: String,
    pub channel: Option<String>,
    pub audience: Option<String>,
    pub impact: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub what_helped: String,
    #[sea_orm(column_type = "Text")]
    pub lesson: String,
    pub unit_id: Option<i32>,
    /// `YYYY-MM`: the month is as precise as it gets.
    pub occurred_month: Option<String>,
    /// Normalised tags separated by single spaces.
    #[sea_orm(column_type = "Text")]
    pub tags: String,
    pub source_url: Option<String>,
    pub status: String,
    pub submitted_on: TimeDate,
    pub updated_on: TimeDate,
    /// argon2id hash of the receipt code; `None` for imported reports, which have no reporter.
    #[sea_orm(unique)]
    pub receipt_hash: Option<String>,
    /// The published report this one was merged into as a recurrence.
    pub merged_into: Option<String>,
    /// The day it was published or rejected: the retention period counts from here.
    pub decided_on: Option<TimeDate>,
    /// Whether the reporter's raw text has been purged after the retention period.
    pub raw_purged: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::unit::Entity",
        from = "Column::UnitId",
        to = "super::unit::Column::Id"
    )]
    Unit,
}

impl Related<super::unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Unit.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
