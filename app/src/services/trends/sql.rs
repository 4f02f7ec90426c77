//! SQL text for the two engines, shared by the counts read from the reports and the counts
//! kept in the aggregate tables. Every value put into it is typed (days, ids, slugs of a
//! closed vocabulary), never text a person typed.

use sea_orm::{ConnectionTrait, DatabaseBackend, QueryResult, Statement, Value};

use super::count::Scope;
use crate::{error::Result, vocabulary::Status};

#[derive(Clone, Copy, Debug)]
pub struct Sql {
    pub backend: DatabaseBackend,
}

impl Sql {
    pub fn of(db: &impl ConnectionTrait) -> Self {
        Self {
            backend: db.get_database_backend(),
        }
    }

    /// A column SQLite must not choose an index by (a unary plus); PostgreSQL's planner has
    /// statistics and needs no such hint.
    pub fn unindexed(&self, column: &str) -> String {
        match self.backend {
            DatabaseBackend::Postgres => column.to_owned(),
            _ => format!("+{column}"),
        }
    }

    /// The month of a date column, as `YYYY-MM`.
    pub fn month(&self, column: &str) -> String {
        match self.backend {
            DatabaseBackend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
            _ => format!("substr({column}, 1, 7)"),
        }
    }

    /// A lesson's factor ids in ascending order, comma-separated (`NULL` when it names none).
    pub fn factor_set(&self) -> &'static str {
        match self.backend {
            DatabaseBackend::Postgres => {
                "(SELECT string_agg(CAST(rf.factor_id AS TEXT), ',' ORDER BY rf.factor_id) \
                 FROM report_factors rf WHERE rf.report_id = r.id)"
            }
            _ => {
                "(SELECT group_concat(rf.factor_id, ',' ORDER BY rf.factor_id) \
                 FROM report_factors rf WHERE rf.report_id = r.id)"
            }
        }
    }

    /// Days from logging to publication.
    pub fn days(&self) -> &'static str {
        match self.backend {
            DatabaseBackend::Postgres => "CAST(r.decided_on - r.submitted_on AS BIGINT)",
            _ => "CAST(julianday(r.decided_on) - julianday(r.submitted_on) AS INTEGER)",
        }
    }

    /// The columns of a group's rows in one text: each row's values joined by `/`, the rows
    /// by spaces. For slugs, ids and numbers, which hold neither.
    pub fn packed(&self, columns: &[&str]) -> String {
        let entry = columns.join(" || '/' || ");
        match self.backend {
            DatabaseBackend::Postgres => format!("string_agg({entry}, ' ')"),
            _ => format!("group_concat({entry}, ' ')"),
        }
    }

    /// `column IN (...)` for ids, or a condition that holds for none.
    pub fn in_ids(&self, column: &str, ids: &[i32]) -> String {
        if ids.is_empty() {
            return "1 = 0".to_owned();
        }
        let ids: Vec<String> = ids.iter().map(i32::to_string).collect();
        format!("{column} IN ({})", ids.join(","))
    }

    /// ` AND …` for the scope's unit subtree and channel, on the columns of `alias`.
    pub fn filters(&self, scope: &Scope, alias: &str) -> String {
        let mut text = String::new();
        if let Some(units) = &scope.units {
            text.push_str(" AND ");
            text.push_str(&self.in_ids(&format!("{alias}unit_id"), units));
        }
        if let Some(channel) = scope.channel {
            text.push_str(&format!(" AND {alias}channel = '{}'", channel.slug()));
        }
        text
    }

    /// `?` or `$n`: the `n`th parameter of a statement, from 1.
    pub fn parameter(&self, n: usize) -> String {
        match self.backend {
            DatabaseBackend::Postgres => format!("${n}"),
            _ => "?".to_owned(),
        }
    }

    pub async fn rows(&self, db: &impl ConnectionTrait, text: String) -> Result<Vec<QueryResult>> {
        Ok(db
            .query_all_raw(Statement::from_string(self.backend, text))
            .await?)
    }

    pub async fn rows_with(
        &self,
        db: &impl ConnectionTrait,
        text: String,
        values: Vec<Value>,
    ) -> Result<Vec<QueryResult>> {
        Ok(db
            .query_all_raw(Statement::from_sql_and_values(self.backend, text, values))
            .await?)
    }

    pub async fn execute(
        &self,
        db: &impl ConnectionTrait,
        text: String,
        values: Vec<Value>,
    ) -> Result<u64> {
        Ok(db
            .execute_raw(Statement::from_sql_and_values(self.backend, text, values))
            .await?
            .rows_affected())
    }
}

/// The status of a published report, in SQL.
pub fn published() -> String {
    format!("'{}'", Status::Published.slug())
}

/// The status of a withdrawn report, in SQL.
pub fn withdrawn() -> String {
    format!("'{}'", Status::Withdrawn.slug())
}

/// A count read from a row, as SQL gives it.
pub fn count(row: &QueryResult, index: usize) -> Result<u64> {
    let n: i64 = row.try_get_by_index(index)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
