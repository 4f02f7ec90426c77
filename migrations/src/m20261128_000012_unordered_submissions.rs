//! Tables of the reporters' own rows keep no order of arrival.
//!
//! A SQLite table has a hidden `rowid` that grows with each insert, so `reports`,
//! `report_factors` and `report_messages` kept the order in which reports and the reporters'
//! messages arrived, and the messages' autoincrement id did the same on every engine. Together
//! with the day, an order is enough to tell who wrote what. On SQLite the three tables are
//! rebuilt `WITHOUT ROWID`, so their rows are stored by their random refs alone; messages are
//! numbered within their report instead of across all reports. PostgreSQL has no rowid, but a
//! table's physical order is its own matter (see the README).

use sea_orm_migration::{
    prelude::*,
    sea_orm::{
        DbBackend,
        sqlx::{self, AssertSqlSafe, Connection, SqliteConnection},
    },
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables rebuilt as they are, only without a rowid.
const KEYED_BY_REF: [&str; 2] = ["reports", "report_factors"];

/// Messages numbered within their report: `(report_id, seq)` is the key.
const MESSAGES_SQLITE: &str = "CREATE TABLE report_messages_new (
    report_id varchar(16) NOT NULL,
    seq integer NOT NULL,
    author varchar(32) NOT NULL,
    kind varchar(32) NOT NULL,
    body text NOT NULL,
    created_on date_text NOT NULL,
    PRIMARY KEY (report_id, seq),
    FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
) WITHOUT ROWID";

const MESSAGES_COPY_SQLITE: &str = "INSERT INTO report_messages_new
    (report_id, seq, author, kind, body, created_on)
    SELECT report_id, ROW_NUMBER() OVER (PARTITION BY report_id ORDER BY id),
           author, kind, body, created_on
    FROM report_messages";

const MESSAGES_POSTGRES: [&str; 5] = [
    "ALTER TABLE report_messages ADD COLUMN seq integer",
    "UPDATE report_messages AS m SET seq = n.seq FROM (
        SELECT id, ROW_NUMBER() OVER (PARTITION BY report_id ORDER BY id) AS seq
        FROM report_messages) AS n WHERE m.id = n.id",
    "ALTER TABLE report_messages ALTER COLUMN seq SET NOT NULL",
    "ALTER TABLE report_messages DROP COLUMN id",
    "ALTER TABLE report_messages ADD PRIMARY KEY (report_id, seq)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Sqlite => rebuild_sqlite(manager).await,
            _ => {
                let db = manager.get_connection();
                for statement in MESSAGES_POSTGRES {
                    db.execute_unprepared(statement).await?;
                }
                Ok(())
            }
        }
    }

    // SQLite migrations run outside a transaction; this one takes its own, on one connection,
    // because foreign keys must be off while a parent table is rebuilt (dropping it would
    // otherwise cascade to its children) and that pragma is a no-op inside a transaction.
    fn use_transaction(&self) -> Option<bool> {
        None
    }
}

async fn rebuild_sqlite(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let SchemaManagerConnection::Connection(db) = manager.get_connection() else {
        return Err(DbErr::Migration(
            "the SQLite rebuild needs its own connection, not a transaction".to_owned(),
        ));
    };
    let mut conn = db
        .get_sqlite_connection_pool()
        .acquire()
        .await
        .map_err(sql_err)?;
    let result = rebuild_on(&mut conn).await;
    // The connection had foreign keys turned off: never give it back to the pool.
    let _closed = conn.detach();
    result
}

async fn rebuild_on(conn: &mut SqliteConnection) -> Result<(), DbErr> {
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .map_err(sql_err)?;
    let mut tx = conn.begin().await.map_err(sql_err)?;
    for table in KEYED_BY_REF {
        let definition: String =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
                .bind(table)
                .fetch_one(&mut *tx)
                .await
                .map_err(sql_err)?;
        let rebuilt = without_rowid(&definition, table)?;
        exec(&mut tx, rebuilt).await?;
        exec(
            &mut tx,
            format!("INSERT INTO \"{table}_new\" SELECT * FROM \"{table}\""),
        )
        .await?;
        replace_table(&mut tx, table).await?;
    }
    exec(&mut tx, MESSAGES_SQLITE.to_owned()).await?;
    exec(&mut tx, MESSAGES_COPY_SQLITE.to_owned()).await?;
    replace_table(&mut tx, "report_messages").await?;
    let dangling: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&mut *tx)
        .await
        .map_err(sql_err)?;
    if !dangling.is_empty() {
        return Err(DbErr::Migration(format!(
            "rebuilding the reports' tables would leave {} rows without their parent",
            dangling.len()
        )));
    }
    tx.commit().await.map_err(sql_err)?;
    Ok(())
}

/// Drops `table`, renames `{table}_new` to it and recreates the old table's indexes (the
/// automatic ones of keys and unique columns come back with the new table's definition).
async fn replace_table(tx: &mut SqliteConnection, table: &str) -> Result<(), DbErr> {
    let indexes: Vec<(String,)> = sqlx::query_as(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
    )
    .bind(table)
    .fetch_all(&mut *tx)
    .await
    .map_err(sql_err)?;
    exec(tx, format!("DROP TABLE \"{table}\"")).await?;
    exec(
        tx,
        format!("ALTER TABLE \"{table}_new\" RENAME TO \"{table}\""),
    )
    .await?;
    for (index,) in indexes {
        exec(tx, index).await?;
    }
    Ok(())
}

/// The table's own definition under the name `{table}_new`, stored without a rowid.
fn without_rowid(definition: &str, table: &str) -> Result<String, DbErr> {
    let quoted = format!("\"{table}\"");
    let Some(rest) = definition
        .strip_prefix("CREATE TABLE ")
        .and_then(|rest| rest.trim_start().strip_prefix(quoted.as_str()))
    else {
        return Err(DbErr::Migration(format!(
            "unexpected definition of {table}: {definition}"
        )));
    };
    Ok(format!("CREATE TABLE \"{table}_new\"{rest} WITHOUT ROWID"))
}

async fn exec(conn: &mut SqliteConnection, sql: String) -> Result<(), DbErr> {
    sqlx::query(AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await
        .map_err(sql_err)?;
    Ok(())
}

fn sql_err(err: sqlx::Error) -> DbErr {
    DbErr::Migration(format!("while rebuilding the reports' tables: {err}"))
}
