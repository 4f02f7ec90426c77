//! A published lesson linked by a moderator to a guideline section it concerns.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guideline_lessons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub report_id: String,
    pub section_id: i32,
    /// The moderator's account name.
    pub linked_by: String,
    pub linked_on: TimeDate,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
