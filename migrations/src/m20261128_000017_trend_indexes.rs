//! Indexes for the trend report, so that its grouped counts read a period's reports from an
//! index instead of scanning every report.
//!
//! Each index holds the columns its queries group by, so that SQLite answers from the index
//! alone (the reports table has no rowid: a lookup per report would go through the random
//! ref). They hold days, as the table does, and sort by them: no more precision and no order
//! of arrival within a day, since ties are ordered by the random ref.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_trend_published")
                    .table(Reports::Table)
                    .col(Reports::Status)
                    .col(Reports::DecidedOn)
                    .col(Reports::Channel)
                    .col(Reports::Audience)
                    .col(Reports::Impact)
                    .col(Reports::UnitId)
                    .col(Reports::SubmittedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_trend_received")
                    .table(Reports::Table)
                    .col(Reports::SubmittedOn)
                    .col(Reports::Status)
                    .col(Reports::Channel)
                    .col(Reports::UnitId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_reports_trend_published", "idx_reports_trend_received"] {
            manager
                .drop_index(Index::drop().name(name).table(Reports::Table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Status,
    DecidedOn,
    Channel,
    Audience,
    Impact,
    UnitId,
    SubmittedOn,
}
