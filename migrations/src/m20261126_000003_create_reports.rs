//! Reports and their contributing factors.
//!
//! The primary key is the random public ref, so no sequential number exists that could hint
//! at the order of submissions. Dates are days (`submitted_on`) or months (`occurred_month`):
//! the time of day is never stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(string_len(Reports::Id, 16).primary_key())
                    .col(string_len(Reports::Title, 200))
                    .col(text(Reports::Narrative))
                    .col(string_len_null(Reports::Channel, 32))
                    .col(string_len_null(Reports::Audience, 32))
                    .col(string_len_null(Reports::Impact, 32))
                    .col(text(Reports::WhatHelped))
                    .col(text(Reports::Lesson))
                    .col(integer_null(Reports::UnitId))
                    .col(string_len_null(Reports::OccurredMonth, 7))
                    .col(text(Reports::Tags))
                    .col(string_len_null(Reports::SourceUrl, 2000))
                    .col(string_len(Reports::Status, 32))
                    .col(date(Reports::SubmittedOn))
                    .col(date(Reports::UpdatedOn))
                    .col(string_len_null(Reports::ReceiptHash, 200).unique_key())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_status")
                    .table(Reports::Table)
                    .col(Reports::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportFactors::Table)
                    .col(string_len(ReportFactors::ReportId, 16))
                    .col(integer(ReportFactors::FactorId))
                    .primary_key(
                        Index::create()
                            .col(ReportFactors::ReportId)
                            .col(ReportFactors::FactorId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportFactors::Table, ReportFactors::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportFactors::Table, ReportFactors::FactorId)
                            .to(Factors::Table, Factors::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReportFactors::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Reports::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    Title,
    Narrative,
    Channel,
    Audience,
    Impact,
    WhatHelped,
    Lesson,
    UnitId,
    OccurredMonth,
    Tags,
    SourceUrl,
    Status,
    SubmittedOn,
    UpdatedOn,
    ReceiptHash,
}

#[derive(DeriveIden)]
enum ReportFactors {
    Table,
    ReportId,
    FactorId,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Factors {
    Table,
    Id,
}
