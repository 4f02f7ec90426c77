//! The organisational-unit tree. Each unit keeps its full path so that a subtree is one
//! prefix match away.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Units::Table)
                    .col(pk_auto(Units::Id))
                    .col(integer_null(Units::ParentId))
                    .col(string_len(Units::Name, 120))
                    .col(string_len_uniq(Units::Path, 600))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Units::Table, Units::ParentId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Units::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    ParentId,
    Name,
    Path,
}
