//! Suggested guideline updates drawn from recurring patterns, and what policy owners decided
//! about them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Suggestions::Table)
                    .col(pk_auto(Suggestions::Id))
                    .col(integer(Suggestions::PatternId))
                    .col(integer(Suggestions::GuidelineId))
                    // The section reinforced, or blank for a new section: blank rather than
                    // NULL so that the unique key below holds on both backends.
                    .col(string_len(Suggestions::Anchor, 200))
                    // 1, then one more each time a pattern regresses after an accepted change
                    // of the same section: the accepted one stays as it was decided.
                    .col(integer(Suggestions::Round))
                    .col(string_len(Suggestions::Kind, 16))
                    .col(text(Suggestions::Heading))
                    .col(text(Suggestions::Reason))
                    .col(text(Suggestions::ProposedText))
                    .col(text(Suggestions::Quoted))
                    .col(double(Suggestions::Score))
                    .col(string_len(Suggestions::Status, 16))
                    .col(integer(Suggestions::PatternOccurrences))
                    .col(date(Suggestions::DraftedOn))
                    .col(date_null(Suggestions::DeferredUntil))
                    .col(string_len_null(Suggestions::DecidedBy, 200))
                    .col(date_null(Suggestions::DecidedOn))
                    .col(text_null(Suggestions::DecisionRationale))
                    .col(integer_null(Suggestions::OccurrencesAtDecision))
                    .col(integer_null(Suggestions::Revision))
                    .col(date_null(Suggestions::EffectiveFrom))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Suggestions::Table, Suggestions::PatternId)
                            .to(Patterns::Table, Patterns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Suggestions::Table, Suggestions::GuidelineId)
                            .to(Guidelines::Table, Guidelines::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_suggestions_target")
                    .table(Suggestions::Table)
                    .col(Suggestions::PatternId)
                    .col(Suggestions::GuidelineId)
                    .col(Suggestions::Anchor)
                    .col(Suggestions::Round)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_suggestions_status")
                    .table(Suggestions::Table)
                    .col(Suggestions::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Suggestions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Suggestions {
    Table,
    Id,
    PatternId,
    GuidelineId,
    Anchor,
    Round,
    Kind,
    Heading,
    Reason,
    ProposedText,
    Quoted,
    Score,
    Status,
    PatternOccurrences,
    DraftedOn,
    DeferredUntil,
    DecidedBy,
    DecidedOn,
    DecisionRationale,
    OccurrencesAtDecision,
    Revision,
    EffectiveFrom,
}

#[derive(DeriveIden)]
enum Patterns {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Guidelines {
    Table,
    Id,
}
