//! The published version of a report, kept apart from the reporter's own words.
//!
//! `reports` holds the raw text, visible to moderators only and purged after the retention
//! period; `publications` holds the moderator's de-identified version, the only text readers
//! and the search index ever see. A report merged into another as a recurrence points at it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Publications::Table)
                    .col(string_len(Publications::ReportId, 16).primary_key())
                    .col(string_len(Publications::Title, 200))
                    .col(text(Publications::Narrative))
                    .col(text(Publications::WhatHelped))
                    .col(text(Publications::Lesson))
                    // Tags too are the reporter's words until a moderator has read them.
                    .col(text(Publications::Tags))
                    .col(string_len(Publications::ReporterReview, 32))
                    // Suggested redactions the moderator dismissed, as a JSON list of the
                    // matched texts, so that they are not suggested again.
                    .col(text(Publications::Dismissed))
                    .col(date(Publications::PreparedOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Publications::Table, Publications::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column a statement.
        let columns = [
            ColumnDef::new(Reports::MergedInto)
                .string_len(16)
                .null()
                .to_owned(),
            ColumnDef::new(Reports::DecidedOn).date().null().to_owned(),
            ColumnDef::new(Reports::RawPurged)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Reports::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Reports published before moderation existed (imports) are their own published text.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO publications \
                 (report_id, title, narrative, what_helped, lesson, tags, reporter_review, dismissed, prepared_on) \
                 SELECT id, title, narrative, what_helped, lesson, tags, 'not_asked', '[]', updated_on \
                 FROM reports WHERE status = 'published'",
            )
            .await?;
        // Their retention period counts from their last change, as from a publication.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE reports SET decided_on = updated_on WHERE status = 'published'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Reports::MergedInto, Reports::DecidedOn, Reports::RawPurged] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Reports::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Publications::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Publications {
    Table,
    ReportId,
    Title,
    Narrative,
    WhatHelped,
    Lesson,
    Tags,
    ReporterReview,
    Dismissed,
    PreparedOn,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    MergedInto,
    DecidedOn,
    RawPurged,
}
