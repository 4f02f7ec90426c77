//! One piece of evidence behind a revision: a lesson today, a pattern or suggestion later.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guideline_evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub revision_id: i32,
    /// `lesson`.
    pub kind: String,
    /// A report ref for a lesson.
    pub key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
