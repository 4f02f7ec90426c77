//! An index for counting published reports by the month they count in (the month they
//! happened, else the day they were decided on, else the day they were logged), so that the
//! effect of a guideline change reads those counts from the index alone instead of every
//! report: the reports table has no rowid, so a lookup per report would go through the ref.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_published_month")
                    .table(Reports::Table)
                    .col(Reports::Status)
                    .col(Reports::OccurredMonth)
                    .col(Reports::DecidedOn)
                    .col(Reports::SubmittedOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_reports_published_month")
                    .table(Reports::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Status,
    OccurredMonth,
    DecidedOn,
    SubmittedOn,
}
