//! `kintsugi backup DEST`: a copy of the SQLite database, taken while the server runs.

use std::path::Path;

use anyhow::Context;

use crate::{
    config::{Config, DATABASE_FILE},
    db,
    services::backup,
};

/// What to do instead on PostgreSQL; the README gives the same recipe.
pub const POSTGRES_RECIPE: &str = "\
kintsugi backup copies a SQLite database only. On PostgreSQL, pg_dump is the tool:

    umask 077
    pg_dump --format=custom --file=kintsugi.dump \"$DATABASE_URL\"

To restore: stop every server, create an empty database, load the dump into it, point
DATABASE_URL at it and start the servers; an index that has seen changes the restored
database does not hold is rebuilt on start (or delete the index folders to rebuild them all).

    createdb kintsugi_restored
    pg_restore --no-owner --dbname=postgres://USER@HOST/kintsugi_restored kintsugi.dump

The dump holds the reporters' own words: keep it no longer than the retention period.";

/// Copies the database into the new file `dest` and reminds the operator how long the copy
/// may be kept. On PostgreSQL it prints the `pg_dump` recipe instead and returns `false`.
pub async fn backup(config: &Config, dest: &Path) -> anyhow::Result<bool> {
    if !config.is_sqlite() {
        eprintln!("{POSTGRES_RECIPE}");
        return Ok(false);
    }
    if config.database.url.is_none() {
        // Checked before connecting, which would create an empty database in a mistyped folder.
        let file = config.data_dir.join(DATABASE_FILE);
        anyhow::ensure!(
            file.exists(),
            "there is no database at {} to back up (see --data-dir)",
            file.display()
        );
    }
    // No migrations: a backup changes nothing, and the running server may be older.
    let db = db::connect(config).await?;
    let bytes = backup::write_sqlite_copy(&db, dest)
        .await
        .with_context(|| format!("while backing up the database to {}", dest.display()))?;
    db.close()
        .await
        .context("while closing the database connection")?;
    tracing::info!(dest = %dest.display(), bytes, "database backed up");
    println!(
        "Backed up the database to {} ({}).",
        dest.display(),
        size(bytes)
    );
    println!("{}", retention_reminder(config.moderation.retention_days));
    Ok(true)
}

/// Why the copy must not outlive the retention period: it would keep text that the live
/// database has purged.
pub fn retention_reminder(retention_days: Option<u32>) -> String {
    match retention_days {
        Some(days) => format!(
            "This backup holds the reporters' own words, which the server purges {days} days \
             after a report is decided (--retention-days {days}). Keep it no longer than {days} \
             days, or it keeps what the purge removed; store it where only those who may read \
             raw reports can."
        ),
        None => "This backup holds the reporters' own words. Retention is off \
                 (--retention-days 0), so the live database keeps them too; guard the copy as \
                 closely as the database."
            .to_owned(),
    }
}

fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::{retention_reminder, size};

    #[test]
    fn the_reminder_names_the_retention_period() {
        assert!(retention_reminder(Some(90)).contains("no longer than 90 days"));
        assert!(retention_reminder(None).contains("Retention is off"));
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(1), "1 KiB");
        assert_eq!(size(3 * 1024 * 1024 / 2), "1.5 MiB");
    }
}
