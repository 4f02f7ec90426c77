//! One message of the anonymous conversation around a report.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: String,
    /// The message's place in its report's conversation, from 1. Messages are numbered
    /// within their report, never across reports, so that no order of arrival is kept.
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    /// `reporter` or `moderator`: a role, never a person.
    pub author: String,
    /// `detail`, `question` or `answer`.
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub created_on: TimeDate,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::report::Entity",
        from = "Column::ReportId",
        to = "super::report::Column::Id",
        on_delete = "Cascade"
    )]
    Report,
}

impl ActiveModelBehavior for ActiveModel {}
