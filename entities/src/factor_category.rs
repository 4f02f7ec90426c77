//! A system category of contributing factors (people & workload, tools & channels, …).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "factor_categories")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::factor::Entity")]
    Factor,
}

impl Related<super::factor::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Factor.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
