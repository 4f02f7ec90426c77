//! The outbox names what changed: a report, a guideline section or a whole guideline.
//!
//! Existing rows are report changes: `kind` defaults to `report` and `report_id` becomes the
//! row's `subject`. Submissions still add no row (only what is published is searchable).

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One change a statement: SQLite alters one thing at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(string_len(Outbox::Kind, 16).default("report"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .rename_column(Outbox::ReportId, Outbox::Subject)
                    .to_owned(),
            )
            .await?;
        // A section's subject is `slug#anchor`, longer than a report ref. SQLite does not
        // enforce a declared length, so only PostgreSQL needs the wider type.
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("ALTER TABLE outbox ALTER COLUMN subject TYPE text")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DELETE FROM outbox WHERE kind <> 'report'")
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("ALTER TABLE outbox ALTER COLUMN subject TYPE varchar(16)")
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .rename_column(Outbox::Subject, Outbox::ReportId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(Outbox::Kind)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    ReportId,
    Subject,
    Kind,
}
