//! One change of a guideline: who, when, why, from when, and the guideline as it then stood.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guideline_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub guideline_id: i32,
    /// 1, 2, … within the guideline.
    pub number: i32,
    /// The account's name, or the system author of an import.
    pub author: String,
    /// UTC.
    pub changed_on: TimeDateTime,
    pub effective_from: TimeDate,
    #[sea_orm(column_type = "Text")]
    pub rationale: String,
    /// `create`, `add`, `edit`, `move`, `retire` or `import`.
    pub change: String,
    /// The section the change concerns, when it concerns one.
    pub anchor: Option<String>,
    /// JSON: the whole guideline as it stood after this revision.
    #[sea_orm(column_type = "Text")]
    pub snapshot: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
