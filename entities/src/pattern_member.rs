//! A published report that belongs to a pattern, with the pattern's words it contains.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pattern_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub pattern_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: String,
    /// JSON list of the matching words as the report wrote them.
    #[sea_orm(column_type = "Text")]
    pub matched: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
