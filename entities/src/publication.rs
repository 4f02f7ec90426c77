//! The moderator's de-identified version of a report: the only text readers see.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub narrative: String,
    #[sea_orm(column_type = "Text")]
    pub what_helped: String,
    #[sea_orm(column_type = "Text")]
    pub lesson: String,
    /// Normalised tags separated by single spaces, as published.
    #[sea_orm(column_type = "Text")]
    pub tags: String,
    /// `not_asked`, `pending`, `approved` or `changes_requested`.
    pub reporter_review: String,
    /// JSON list of matched texts whose suggested redaction the moderator dismissed.
    #[sea_orm(column_type = "Text")]
    pub dismissed: String,
    /// The day the moderator last saved this version.
    pub prepared_on: TimeDate,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
