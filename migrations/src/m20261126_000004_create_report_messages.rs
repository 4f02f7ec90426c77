//! The anonymous conversation around a report: details the reporter adds through the receipt,
//! and later the moderators' questions and the reporter's answers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportMessages::Table)
                    .col(pk_auto(ReportMessages::Id))
                    .col(string_len(ReportMessages::ReportId, 16))
                    .col(string_len(ReportMessages::Author, 32))
                    .col(string_len(ReportMessages::Kind, 32))
                    .col(text(ReportMessages::Body))
                    .col(date(ReportMessages::CreatedOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportMessages::Table, ReportMessages::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_report_messages_report")
                    .table(ReportMessages::Table)
                    .col(ReportMessages::ReportId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReportMessages::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ReportMessages {
    Table,
    Id,
    ReportId,
    Author,
    Kind,
    Body,
    CreatedOn,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
}
