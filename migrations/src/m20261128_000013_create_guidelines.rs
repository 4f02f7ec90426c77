//! Guidelines as versioned documents: their sections, every revision with its rationale and
//! evidence, and the published lessons linked to each section.
//!
//! A section is never deleted, only retired, so that its anchor keeps answering and the
//! history keeps its text. Each revision stores the whole guideline as it stood after the
//! change (`snapshot`, JSON), so any revision can be shown and any two compared without
//! replaying the ones between. `guidelines.revision` is the number of the latest revision:
//! a write increments it first, which makes concurrent writers of one guideline wait for each
//! other and never number two revisions alike.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Guidelines::Table)
                    .col(pk_auto(Guidelines::Id))
                    .col(string_len_uniq(Guidelines::Slug, 80))
                    .col(string_len(Guidelines::Title, 200))
                    .col(text(Guidelines::Summary))
                    // Who in the organisation answers for it, in words ("Head of press office").
                    .col(string_len(Guidelines::OwnerRole, 100))
                    .col(integer(Guidelines::Revision))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GuidelineSections::Table)
                    .col(pk_auto(GuidelineSections::Id))
                    .col(integer(GuidelineSections::GuidelineId))
                    .col(string_len(GuidelineSections::Anchor, 80))
                    .col(string_len(GuidelineSections::Heading, 200))
                    .col(text(GuidelineSections::Markdown))
                    .col(integer(GuidelineSections::Position))
                    .col(date_null(GuidelineSections::RetiredOn))
                    .col(string_len_null(GuidelineSections::ReplacedBy, 80))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidelineSections::Table, GuidelineSections::GuidelineId)
                            .to(Guidelines::Table, Guidelines::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_guideline_sections_anchor")
                    .table(GuidelineSections::Table)
                    .col(GuidelineSections::GuidelineId)
                    .col(GuidelineSections::Anchor)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GuidelineRevisions::Table)
                    .col(pk_auto(GuidelineRevisions::Id))
                    .col(integer(GuidelineRevisions::GuidelineId))
                    .col(integer(GuidelineRevisions::Number))
                    // The name is copied, as in the audit log, so the history still reads
                    // after an account is disabled; imports name a system author.
                    .col(string_len(GuidelineRevisions::Author, 64))
                    .col(timestamp(GuidelineRevisions::ChangedOn))
                    .col(date(GuidelineRevisions::EffectiveFrom))
                    .col(text(GuidelineRevisions::Rationale))
                    // `create`, `add`, `edit`, `move`, `retire` or `import`.
                    .col(string_len(GuidelineRevisions::Change, 16))
                    // The section the change concerns, when it concerns one.
                    .col(string_len_null(GuidelineRevisions::Anchor, 80))
                    .col(text(GuidelineRevisions::Snapshot))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidelineRevisions::Table, GuidelineRevisions::GuidelineId)
                            .to(Guidelines::Table, Guidelines::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_guideline_revisions_number")
                    .table(GuidelineRevisions::Table)
                    .col(GuidelineRevisions::GuidelineId)
                    .col(GuidelineRevisions::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GuidelineEvidence::Table)
                    .col(pk_auto(GuidelineEvidence::Id))
                    .col(integer(GuidelineEvidence::RevisionId))
                    // `lesson` (a report ref) today; patterns and suggestions later.
                    .col(string_len(GuidelineEvidence::Kind, 32))
                    .col(string_len(GuidelineEvidence::Key, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidelineEvidence::Table, GuidelineEvidence::RevisionId)
                            .to(GuidelineRevisions::Table, GuidelineRevisions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_guideline_evidence_item")
                    .table(GuidelineEvidence::Table)
                    .col(GuidelineEvidence::RevisionId)
                    .col(GuidelineEvidence::Kind)
                    .col(GuidelineEvidence::Key)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GuidelineLessons::Table)
                    .col(pk_auto(GuidelineLessons::Id))
                    .col(string_len(GuidelineLessons::ReportId, 16))
                    .col(integer(GuidelineLessons::SectionId))
                    .col(string_len(GuidelineLessons::LinkedBy, 64))
                    .col(date(GuidelineLessons::LinkedOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidelineLessons::Table, GuidelineLessons::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidelineLessons::Table, GuidelineLessons::SectionId)
                            .to(GuidelineSections::Table, GuidelineSections::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_guideline_lessons_link")
                    .table(GuidelineLessons::Table)
                    .col(GuidelineLessons::ReportId)
                    .col(GuidelineLessons::SectionId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_guideline_lessons_section")
                    .table(GuidelineLessons::Table)
                    .col(GuidelineLessons::SectionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            GuidelineLessons::Table.into_iden(),
            GuidelineEvidence::Table.into_iden(),
            GuidelineRevisions::Table.into_iden(),
            GuidelineSections::Table.into_iden(),
            Guidelines::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Guidelines {
    Table,
    Id,
    Slug,
    Title,
    Summary,
    OwnerRole,
    Revision,
}

#[derive(DeriveIden)]
enum GuidelineSections {
    Table,
    Id,
    GuidelineId,
    Anchor,
    Heading,
    Markdown,
    Position,
    RetiredOn,
    ReplacedBy,
}

#[derive(DeriveIden)]
enum GuidelineRevisions {
    Table,
    Id,
    GuidelineId,
    Number,
    Author,
    ChangedOn,
    EffectiveFrom,
    Rationale,
    Change,
    Anchor,
    Snapshot,
}

#[derive(DeriveIden)]
enum GuidelineEvidence {
    Table,
    Id,
    RevisionId,
    Kind,
    Key,
}

#[derive(DeriveIden)]
enum GuidelineLessons {
    Table,
    Id,
    ReportId,
    SectionId,
    LinkedBy,
    LinkedOn,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
}
