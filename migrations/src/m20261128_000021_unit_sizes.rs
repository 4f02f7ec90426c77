//! A unit's headcount, optional: the trend report divides a unit's published lessons by it,
//! where it is known. The number counts everyone in the unit, the units under it included.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Units::Table)
                    .add_column(integer_null(Units::Headcount))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Units::Table)
                    .drop_column(Units::Headcount)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Headcount,
}
