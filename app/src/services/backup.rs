//! A consistent copy of the SQLite database, written while the server keeps running.

use std::{io, path::Path};

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

use crate::error::{AppError, Result};

/// Copies the database into `dest`, a new file that only its owner may read, and returns the
/// copy's size in bytes. An existing `dest` is never overwritten.
///
/// `VACUUM INTO` reads one snapshot, so the copy is consistent while reports keep arriving
/// (in WAL mode the writers do not wait for it), and it leaves out free pages, where deleted
/// text could otherwise linger.
pub async fn write_sqlite_copy(db: &DatabaseConnection, dest: &Path) -> Result<u64> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Err(AppError::Conflict(
            "only a SQLite database can be copied this way; PostgreSQL is backed up with pg_dump"
                .to_owned(),
        ));
    }
    ensure_schema(db).await?;
    // Absolute, so that SQLite never reads a name such as `file:…` as a URI.
    let dest = std::path::absolute(dest).map_err(|e| io_error(dest, &e))?;
    let path = dest
        .to_str()
        .ok_or_else(|| AppError::invalid("DEST", "the path must be valid UTF-8"))?
        .to_owned();
    let file = create_new(&dest).await?;
    let written = async {
        // Bound rather than quoted: VACUUM INTO takes any expression that yields a file name.
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "VACUUM INTO ?",
            [path.into()],
        ))
        .await?;
        // SQLite does not sync the copy to disk itself.
        file.sync_all().await.map_err(|e| io_error(&dest, &e))?;
        let metadata = file.metadata().await.map_err(|e| io_error(&dest, &e))?;
        Ok(metadata.len())
    }
    .await;
    if written.is_err() {
        // Created above by this call alone, so nothing of anyone else's is removed.
        let _ = tokio::fs::remove_file(&dest).await;
    }
    written
}

/// Refuses to copy a database that Kintsugi never set up: an empty copy restores nothing.
async fn ensure_schema(db: &DatabaseConnection) -> Result<()> {
    let found = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
        ))
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(AppError::Conflict(
            "the database is empty: there is nothing to back up".to_owned(),
        )),
    }
}

/// Creates `dest`, failing if anything is already there; on Unix only its owner may read it,
/// since it holds the reporters' own words.
async fn create_new(dest: &Path) -> Result<tokio::fs::File> {
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(dest).await.map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => AppError::Conflict(format!(
            "{} already exists; a backup never overwrites a file: choose a new name",
            dest.display()
        )),
        _ => io_error(dest, &e),
    })
}

fn io_error(path: &Path, error: &io::Error) -> AppError {
    AppError::Internal(format!("cannot write {}: {error}", path.display()))
}
