//! The alternative a small team would pick: SQLite FTS5 over the same corpus and queries.

use std::{
    io::BufRead,
    path::Path,
    time::{Duration, Instant},
};

use sea_orm::sqlx::{self, Row, SqlitePool, sqlite::SqliteConnectOptions};

use crate::queries::BenchQuery;

pub struct Fts5 {
    pool: SqlitePool,
}

impl Fts5 {
    /// Builds the FTS5 table from the corpus file; returns it and how long that took.
    pub async fn build(db_path: &Path, corpus: &Path) -> anyhow::Result<(Self, Duration)> {
        let options = SqliteConnectOptions::new()
            .filename(db_path)
            .create_if_missing(true);
        let pool = sqlx::pool::PoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        let started = Instant::now();
        sqlx::query(
            "CREATE VIRTUAL TABLE fts USING fts5(ref UNINDEXED, title, narrative, lesson, \
             channel UNINDEXED, impact UNINDEXED, unit UNINDEXED, tokenize = 'porter unicode61')",
        )
        .execute(&pool)
        .await?;
        let reader = std::io::BufReader::new(std::fs::File::open(corpus)?);
        let mut tx: sqlx::Transaction<'_, sqlx::Sqlite> = pool.begin().await?;
        for (n, line) in reader.lines().enumerate() {
            let value: serde_json::Value = serde_json::from_str(&line?)?;
            let text = |field: &str| value[field].as_str().unwrap_or_default().to_owned();
            sqlx::query("INSERT INTO fts VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(format!("r{n}"))
                .bind(text("title"))
                .bind(text("narrative"))
                .bind(text("lesson"))
                .bind(text("channel"))
                .bind(text("impact"))
                .bind(text("unit"))
                .execute(&mut *tx)
                .await?;
            if n % 10_000 == 9_999 {
                tx.commit().await?;
                tx = pool.begin().await?;
            }
        }
        tx.commit().await?;
        Ok((Self { pool }, started.elapsed()))
    }

    /// Runs one query as the app does: top 10 by BM25 with snippets, the total, and counts by
    /// channel.
    pub async fn search(&self, query: &BenchQuery) -> anyhow::Result<usize> {
        let mut filters = String::new();
        if query.channel.is_some() {
            filters.push_str(" AND channel = ?");
        }
        if query.impact.is_some() {
            filters.push_str(" AND impact = ?");
        }
        if query.unit.is_some() {
            filters.push_str(" AND unit LIKE ?");
        }
        macro_rules! bound {
            ($sql:expr) => {{
                // Only fixed SQL with "AND column = ?" clauses is put together here.
                let mut q = sqlx::query(sqlx::AssertSqlSafe($sql.to_owned())).bind(query.fts5());
                if let Some(channel) = query.channel {
                    q = q.bind(channel);
                }
                if let Some(impact) = query.impact {
                    q = q.bind(impact);
                }
                if let Some(unit) = query.unit {
                    q = q.bind(format!("{unit}%"));
                }
                q
            }};
        }
        let top = format!(
            "SELECT ref, snippet(fts, 2, '<mark>', '</mark>', '…', 24) AS snippet FROM fts \
             WHERE fts MATCH ?{filters} ORDER BY bm25(fts, 0, 3.0, 1.0, 1.5) LIMIT 10"
        );
        let count = format!("SELECT count(*) FROM fts WHERE fts MATCH ?{filters}");
        let by_channel = format!(
            "SELECT channel, count(*) FROM fts WHERE fts MATCH ?{filters} GROUP BY channel"
        );
        let hits = bound!(top).fetch_all(&self.pool).await?;
        let total: i64 = bound!(count).fetch_one(&self.pool).await?.try_get(0)?;
        let facets = bound!(by_channel).fetch_all(&self.pool).await?;
        Ok(hits.len() + total as usize + facets.len())
    }
}
