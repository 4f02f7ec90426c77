//! Readers' signals on a published lesson: "this happened to us too" and "this helped me".
//!
//! Only counts matter. To count a person once, a row keeps a keyed hash of (account, report,
//! kind) — not the account — so the table alone cannot say who marked what.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReaderSignals::Table)
                    .col(string_len(ReaderSignals::DedupKey, 64).primary_key())
                    .col(string_len(ReaderSignals::ReportId, 16))
                    .col(string_len(ReaderSignals::Kind, 32))
                    .col(integer_null(ReaderSignals::UnitId))
                    .col(string_len(ReaderSignals::Month, 7))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReaderSignals::Table, ReaderSignals::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReaderSignals::Table, ReaderSignals::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reader_signals_report")
                    .table(ReaderSignals::Table)
                    .col(ReaderSignals::ReportId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReaderSignals::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ReaderSignals {
    Table,
    DedupKey,
    ReportId,
    Kind,
    UnitId,
    Month,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}
