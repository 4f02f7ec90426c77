//! The contributing factors named in a report.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_factors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub factor_id: i32,
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
    #[sea_orm(
        belongs_to = "super::factor::Entity",
        from = "Column::FactorId",
        to = "super::factor::Column::Id"
    )]
    Factor,
}

impl ActiveModelBehavior for ActiveModel {}
