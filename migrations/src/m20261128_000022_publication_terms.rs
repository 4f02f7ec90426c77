//! Each published lesson's terms, as pattern detection reads them, so that a run never reads
//! the published text again: the job computes a lesson's term set once, when the outbox says
//! it changed, and loads the sets rather than the text.
//!
//! A derived table, like the search index: rows are written by the detection job alone and
//! can always be computed again from the publications. `outbox_id` is the outbox row of the
//! lesson's latest change, which orders the lessons as a collection kept between runs adds
//! them; that order is already the outbox's own, and no submission is in this table.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PublicationTerms::Table)
                    .col(string_len(PublicationTerms::ReportId, 16).primary_key())
                    // The analyzer version that computed the set: another one computes it again.
                    .col(big_integer(PublicationTerms::Analyzer))
                    .col(big_integer(PublicationTerms::OutboxId))
                    .col(integer_null(PublicationTerms::UnitId))
                    // The month the lesson counts in, as `year * 12 + month - 1`.
                    .col(integer_null(PublicationTerms::Month))
                    .col(string_len_null(PublicationTerms::Channel, 64))
                    // JSON list of factor ids.
                    .col(text(PublicationTerms::Factors))
                    .col(blob(PublicationTerms::Terms))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PublicationTerms::Table, PublicationTerms::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_publication_terms_order")
                    .table(PublicationTerms::Table)
                    .col(PublicationTerms::OutboxId)
                    .col(PublicationTerms::ReportId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PublicationTerms::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PublicationTerms {
    Table,
    ReportId,
    Analyzer,
    OutboxId,
    UnitId,
    Month,
    Channel,
    Factors,
    Terms,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
}
