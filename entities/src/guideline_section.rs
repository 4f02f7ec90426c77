//! One section of a guideline; retired sections stay, so their anchors keep answering.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guideline_sections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub guideline_id: i32,
    /// Stable, unique within the guideline: `bcc-for-external-lists`.
    pub anchor: String,
    pub heading: String,
    #[sea_orm(column_type = "Text")]
    pub markdown: String,
    /// Order within the guideline, from 1; retired sections keep theirs.
    pub position: i32,
    pub retired_on: Option<TimeDate>,
    /// The anchor of the section that replaces a retired one.
    pub replaced_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
