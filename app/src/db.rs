//! Connecting to the database and bringing its schema up to date.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, SqliteTransactionMode,
    TransactionOptions, TransactionTrait, sqlx::sqlite::SqliteJournalMode,
};

use crate::{config::Config, error::Result};

/// Opens the configured database. SQLite runs in WAL mode so that readers never wait for the
/// writer; its file is created in the data directory when missing.
pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    use anyhow::Context;
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "while creating the data directory {}",
                config.data_dir.display()
            )
        })?;
    }
    let mut options = ConnectOptions::new(config.database_url());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                // Write transactions queue for the lock (see `begin_write`); a long wait is better
                // than a refused report, and a loaded machine can make the queue slow.
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
                // Deleted and purged text is overwritten, not left in free pages of the file.
                .pragma("secure_delete", "ON")
        });
    if config.is_sqlite() {
        // One writer at a time is all SQLite allows; a small pool avoids lock contention.
        options.max_connections(4);
    } else {
        options.max_connections(16);
    }
    Database::connect(options)
        .await
        .context("while connecting to the database")
}

/// Applies every pending migration, then fills what a migration asked the app to fill.
pub async fn migrate(db: &DatabaseConnection) -> Result<()> {
    Migrator::up(db, None).await?;
    crate::services::trends::rebuild_if_pending(db).await?;
    Ok(())
}

/// Begins a transaction that writes. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`) and so waits its turn under `busy_timeout`: a transaction that begins by
/// reading and writes later is refused at once with "database is locked" when another writer
/// committed in the meantime, and no timeout helps. Other engines ignore the mode. Inside a
/// transaction it begins a savepoint, so that a change can be part of a larger one.
pub async fn begin_write(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
) -> Result<DatabaseTransaction> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(options).await?)
}
