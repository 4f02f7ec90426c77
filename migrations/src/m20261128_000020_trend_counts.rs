//! Counts kept for the trend report, so that a report of whole months reads rows by unit,
//! channel and the like instead of every report.
//!
//! Each table counts reports by month, unit and channel and one more dimension; a unit or a
//! value that is not given is stored as `0` or `''`, so that every column is part of the key
//! and a change is one upsert. The app keeps them in step in the transaction of each change
//! and rebuilds them from the reports on demand. This migration leaves a note in `settings`
//! so that the app fills them from the reports already there on its next start: the counting
//! lives in the app, not in a copy here.
//!
//! On SQLite the tables are `WITHOUT ROWID`: a rowid would grow with each upsert and tell in
//! which unit and channel the latest report arrived.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{DbBackend, Statement},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The key of `settings` that asks the app to fill the tables.
const PENDING_KEY: &str = "trend_counts.rebuild";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for table in tables() {
            let sql = match backend {
                DbBackend::Sqlite => {
                    format!("{} WITHOUT ROWID", table.to_string(SqliteQueryBuilder))
                }
                DbBackend::Postgres => table.to_string(PostgresQueryBuilder),
                _ => table.to_string(MysqlQueryBuilder),
            };
            db.execute_unprepared(&sql).await?;
        }
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                DbBackend::Postgres => "INSERT INTO settings (key, value) VALUES ($1, $2)",
                _ => "INSERT INTO settings (key, value) VALUES (?, ?)",
            },
            [PENDING_KEY.into(), "migration m20261128_000020".into()],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TrendReceived::Table.into_iden(),
            TrendPublished::Table.into_iden(),
            TrendDays::Table.into_iden(),
            TrendReviews::Table.into_iden(),
            TrendFactorSets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        let db = manager.get_connection();
        db.execute_raw(Statement::from_sql_and_values(
            manager.get_database_backend(),
            match manager.get_database_backend() {
                DbBackend::Postgres => "DELETE FROM settings WHERE key = $1",
                _ => "DELETE FROM settings WHERE key = ?",
            },
            [PENDING_KEY.into()],
        ))
        .await?;
        Ok(())
    }

    // The tables and the note go in together, or not at all, on SQLite too.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

fn tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table(TrendReceived::Table)
            .col(string_len(TrendReceived::Month, 7))
            .col(integer(TrendReceived::UnitId))
            .col(string_len(TrendReceived::Channel, 32))
            .col(big_integer(TrendReceived::Reports))
            .primary_key(
                Index::create()
                    .col(TrendReceived::Month)
                    .col(TrendReceived::UnitId)
                    .col(TrendReceived::Channel),
            )
            .to_owned(),
        Table::create()
            .table(TrendPublished::Table)
            .col(string_len(TrendPublished::Month, 7))
            .col(integer(TrendPublished::UnitId))
            .col(string_len(TrendPublished::Channel, 32))
            .col(string_len(TrendPublished::Audience, 32))
            .col(string_len(TrendPublished::Impact, 32))
            .col(big_integer(TrendPublished::Lessons))
            .primary_key(
                Index::create()
                    .col(TrendPublished::Month)
                    .col(TrendPublished::UnitId)
                    .col(TrendPublished::Channel)
                    .col(TrendPublished::Audience)
                    .col(TrendPublished::Impact),
            )
            .to_owned(),
        Table::create()
            .table(TrendDays::Table)
            .col(string_len(TrendDays::Month, 7))
            .col(integer(TrendDays::UnitId))
            .col(string_len(TrendDays::Channel, 32))
            .col(big_integer(TrendDays::Days))
            .col(big_integer(TrendDays::Lessons))
            .primary_key(
                Index::create()
                    .col(TrendDays::Month)
                    .col(TrendDays::UnitId)
                    .col(TrendDays::Channel)
                    .col(TrendDays::Days),
            )
            .to_owned(),
        Table::create()
            .table(TrendReviews::Table)
            .col(string_len(TrendReviews::Month, 7))
            .col(integer(TrendReviews::UnitId))
            .col(string_len(TrendReviews::Channel, 32))
            .col(string_len(TrendReviews::Review, 32))
            .col(big_integer(TrendReviews::Lessons))
            .primary_key(
                Index::create()
                    .col(TrendReviews::Month)
                    .col(TrendReviews::UnitId)
                    .col(TrendReviews::Channel)
                    .col(TrendReviews::Review),
            )
            .to_owned(),
        // A lesson's factor ids in ascending order, comma-separated ('' for none): the set,
        // not each factor, so that categories are counted from the taxonomy as it is when
        // the report is read, and a lesson naming two factors of a category counts once.
        Table::create()
            .table(TrendFactorSets::Table)
            .col(string_len(TrendFactorSets::Month, 7))
            .col(integer(TrendFactorSets::UnitId))
            .col(string_len(TrendFactorSets::Channel, 32))
            .col(string_len(TrendFactorSets::FactorIds, 255))
            .col(big_integer(TrendFactorSets::Lessons))
            .primary_key(
                Index::create()
                    .col(TrendFactorSets::Month)
                    .col(TrendFactorSets::UnitId)
                    .col(TrendFactorSets::Channel)
                    .col(TrendFactorSets::FactorIds),
            )
            .to_owned(),
    ]
}

#[derive(DeriveIden)]
enum TrendReceived {
    Table,
    Month,
    UnitId,
    Channel,
    Reports,
}

#[derive(DeriveIden)]
enum TrendPublished {
    Table,
    Month,
    UnitId,
    Channel,
    Audience,
    Impact,
    Lessons,
}

#[derive(DeriveIden)]
enum TrendDays {
    Table,
    Month,
    UnitId,
    Channel,
    Days,
    Lessons,
}

#[derive(DeriveIden)]
enum TrendReviews {
    Table,
    Month,
    UnitId,
    Channel,
    Review,
    Lessons,
}

#[derive(DeriveIden)]
enum TrendFactorSets {
    Table,
    Month,
    UnitId,
    Channel,
    FactorIds,
    Lessons,
}
