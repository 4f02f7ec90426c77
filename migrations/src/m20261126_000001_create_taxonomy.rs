//! The contributing-factor taxonomy: system categories and the factors inside them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FactorCategories::Table)
                    .col(pk_auto(FactorCategories::Id))
                    .col(string_len_uniq(FactorCategories::Slug, 64))
                    .col(string_len(FactorCategories::Name, 120))
                    .col(text(FactorCategories::Description))
                    .col(integer(FactorCategories::Position))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Factors::Table)
                    .col(pk_auto(Factors::Id))
                    .col(string_len_uniq(Factors::Slug, 64))
                    .col(string_len(Factors::Name, 120))
                    .col(text(Factors::Description))
                    .col(integer(Factors::CategoryId))
                    .col(boolean(Factors::Active).default(true))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Factors::Table, Factors::CategoryId)
                            .to(FactorCategories::Table, FactorCategories::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Factors::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(FactorCategories::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FactorCategories {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Position,
}

#[derive(DeriveIden)]
enum Factors {
    Table,
    Id,
    Slug,
    Name,
    Description,
    CategoryId,
    Active,
}
