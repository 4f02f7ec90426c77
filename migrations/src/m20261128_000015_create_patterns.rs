//! Recurring patterns found across reports, their member reports, and the leases that let one
//! instance among several sharing a database run a job.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Patterns::Table)
                    .col(pk_auto(Patterns::Id))
                    .col(string_len(Patterns::Signature, 400).unique_key())
                    .col(string_len(Patterns::Kind, 32))
                    .col(text(Patterns::Title))
                    .col(text(Patterns::Explanation))
                    // JSON lists.
                    .col(text(Patterns::Terms))
                    .col(text(Patterns::Stems))
                    .col(text(Patterns::Factors))
                    .col(string_len_null(Patterns::Channel, 64))
                    .col(text_null(Patterns::Unit))
                    .col(integer(Patterns::Occurrences))
                    .col(integer(Patterns::UnitCount))
                    .col(text(Patterns::Units))
                    .col(string_len(Patterns::FirstSeen, 7))
                    .col(string_len(Patterns::LastSeen, 7))
                    .col(text(Patterns::ByMonth))
                    .col(string_len(Patterns::Trend, 16))
                    .col(integer(Patterns::TrendCurrent))
                    .col(integer(Patterns::TrendPrevious))
                    .col(double(Patterns::Score))
                    .col(string_len(Patterns::Status, 16))
                    .col(text_null(Patterns::DismissalReason))
                    .col(integer_null(Patterns::OccurrencesAtDismissal))
                    .col(string_len_null(Patterns::AddressedIn, 7))
                    // Whether the last run still found it; a pattern that fades keeps its row,
                    // so that its status is there if it comes back.
                    .col(boolean(Patterns::Active))
                    .col(date(Patterns::DetectedOn))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PatternMembers::Table)
                    .col(integer(PatternMembers::PatternId))
                    .col(string_len(PatternMembers::ReportId, 16))
                    .col(text(PatternMembers::Matched))
                    .primary_key(
                        Index::create()
                            .col(PatternMembers::PatternId)
                            .col(PatternMembers::ReportId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PatternMembers::Table, PatternMembers::PatternId)
                            .to(Patterns::Table, Patterns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PatternMembers::Table, PatternMembers::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_pattern_members_report")
                    .table(PatternMembers::Table)
                    .col(PatternMembers::ReportId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string_len(JobLeases::Name, 64).primary_key())
                    .col(string_len_null(JobLeases::Holder, 64))
                    // Unix seconds: compared in a conditional update, the same on both backends.
                    .col(big_integer(JobLeases::ExpiresAt))
                    .col(text(JobLeases::Fingerprint))
                    .col(integer(JobLeases::Runs))
                    .col(big_integer(JobLeases::LastRunAt))
                    .to_owned(),
            )
            .await?;
        let insert = Query::insert()
            .into_table(JobLeases::Table)
            .columns([
                JobLeases::Name,
                JobLeases::ExpiresAt,
                JobLeases::Fingerprint,
                JobLeases::Runs,
                JobLeases::LastRunAt,
            ])
            .values_panic([
                "patterns".into(),
                0i64.into(),
                "".into(),
                0i32.into(),
                0i64.into(),
            ])
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            JobLeases::Table.into_iden(),
            PatternMembers::Table.into_iden(),
            Patterns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Patterns {
    Table,
    Id,
    Signature,
    Kind,
    Title,
    Explanation,
    Terms,
    Stems,
    Factors,
    Channel,
    Unit,
    Occurrences,
    UnitCount,
    Units,
    FirstSeen,
    LastSeen,
    ByMonth,
    Trend,
    TrendCurrent,
    TrendPrevious,
    Score,
    Status,
    DismissalReason,
    OccurrencesAtDismissal,
    AddressedIn,
    Active,
    DetectedOn,
}

#[derive(DeriveIden)]
enum PatternMembers {
    Table,
    PatternId,
    ReportId,
    Matched,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
    Fingerprint,
    Runs,
    LastRunAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
}
