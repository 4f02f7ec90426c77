//! Keeping the trend counts in step with the reports, in the transaction of each change.
//!
//! What a report adds to the kept counts depends on its own row (status, days, unit, channel,
//! audience, impact), its factors and its reporter's review. A transaction that changes any
//! of these for some reports reads what those reports add before the change
//! ([`Recount::before`]) and after it ([`Recount::apply`]), and applies the difference as
//! upserts (`count = count + delta`). The kept counts then stay the sum of what every report
//! adds: each change replaces exactly its reports' part. New reports only add theirs
//! ([`count_new`]). The retention purge changes none of this (texts, and the drafts of
//! reports that were never published), and readers' signals are not kept.
//!
//! On PostgreSQL, `before` holds the reports' rows until the transaction ends, so that two
//! changes of one report take turns and each reads what the other wrote; the upserts add to
//! the committed count whatever ran in between, and are written in one order (table, then
//! key) by every transaction, so that two never wait for each other. SQLite has one writer at
//! a time (`begin_write`).

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseBackend, QueryResult, Value};

use super::{
    aggregate::{ALL_UNITS, Kind, TABLES, Table},
    sql::Sql,
};
use crate::error::Result;

/// Reports read or rows written by one statement, well under every engine's limit of
/// parameters.
const CHUNK: usize = 500;

/// One part of an aggregate row's key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Text(String),
    Number(i64),
}

impl Part {
    fn read(row: &QueryResult, index: usize, kind: Kind) -> Result<Self> {
        Ok(match kind {
            Kind::Text => Self::Text(row.try_get_by_index(index)?),
            Kind::Unit => Self::Number(i64::from(row.try_get_by_index::<i32>(index)?)),
            Kind::Number => Self::Number(row.try_get_by_index(index)?),
        })
    }

    fn value(&self, kind: Kind) -> Value {
        match (self, kind) {
            (Self::Text(text), _) => text.clone().into(),
            // Unit ids were read from a 32-bit column.
            (Self::Number(n), Kind::Unit) => i32::try_from(*n).unwrap_or_default().into(),
            (Self::Number(n), _) => (*n).into(),
        }
    }
}

/// Changes to the kept counts: by table (its index in [`TABLES`]) and key (month first).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delta(BTreeMap<(usize, Vec<Part>), i64>);

impl Delta {
    /// Adds what the reports `ids` add to the counts now, times `sign`: under their units and
    /// under all units.
    async fn add(
        &mut self,
        db: &impl ConnectionTrait,
        sql: &Sql,
        ids: &[String],
        sign: i64,
    ) -> Result<()> {
        for chunk in ids.chunks(CHUNK) {
            let which = format!("r.id IN ({})", parameters(sql, 1, chunk.len()));
            let values: Vec<Value> = chunk.iter().map(|id| id.clone().into()).collect();
            for (t, table) in TABLES.iter().enumerate() {
                let rows = sql
                    .rows_with(db, table.contributions_of(sql, &which), values.clone())
                    .await?;
                for row in rows {
                    let (key, n) = read_row(table, &row)?;
                    let mut everyone = key.clone();
                    everyone[1] = Part::Number(ALL_UNITS.into());
                    *self.0.entry((t, key)).or_default() += sign * n;
                    *self.0.entry((t, everyone)).or_default() += sign * n;
                }
            }
        }
        Ok(())
    }

    /// Writes the changes that are not zero: upserts in table and key order, then the rows
    /// that fell to zero go.
    async fn apply(self, db: &impl ConnectionTrait, sql: &Sql) -> Result<()> {
        for (t, table) in TABLES.iter().enumerate() {
            let rows: Vec<(&Vec<Part>, i64)> = self
                .0
                .range((t, Vec::new())..(t + 1, Vec::new()))
                .filter(|(_, n)| **n != 0)
                .map(|((_, key), n)| (key, *n))
                .collect();
            for chunk in rows.chunks(CHUNK) {
                upsert(db, sql, table, chunk).await?;
            }
            let fallen: Vec<&Vec<Part>> = rows
                .iter()
                .filter(|(_, n)| *n < 0)
                .map(|(key, _)| *key)
                .collect();
            for chunk in fallen.chunks(CHUNK) {
                remove_zeros(db, sql, table, chunk).await?;
            }
        }
        Ok(())
    }
}

/// The part some reports have in the kept counts, read before a change to them.
#[derive(Debug)]
#[must_use = "the counts are only kept when the recount is applied after the change"]
pub struct Recount {
    ids: Vec<String>,
    delta: Delta,
}

impl Recount {
    /// Reads what the reports `ids` count for now; call it in the transaction that will
    /// change them, before any change. On PostgreSQL their rows are held from here on.
    pub async fn before(db: &impl ConnectionTrait, ids: &[&str]) -> Result<Self> {
        let sql = Sql::of(db);
        let mut ids: Vec<String> = ids.iter().map(|id| (*id).to_owned()).collect();
        ids.sort_unstable();
        ids.dedup();
        if sql.backend == DatabaseBackend::Postgres {
            for chunk in ids.chunks(CHUNK) {
                let values = chunk.iter().map(|id| id.clone().into()).collect();
                sql.rows_with(
                    db,
                    format!(
                        "SELECT id FROM reports WHERE id IN ({}) ORDER BY id FOR UPDATE",
                        parameters(&sql, 1, chunk.len())
                    ),
                    values,
                )
                .await?;
            }
        }
        let mut delta = Delta::default();
        delta.add(db, &sql, &ids, -1).await?;
        Ok(Self { ids, delta })
    }

    /// Replaces the part read by [`Recount::before`] with what the same reports count for
    /// now; call it after the last change, in the same transaction.
    pub async fn apply(mut self, db: &impl ConnectionTrait) -> Result<()> {
        let sql = Sql::of(db);
        self.delta.add(db, &sql, &self.ids, 1).await?;
        self.delta.apply(db, &sql).await
    }
}

/// Adds reports inserted in this transaction to the kept counts.
pub async fn count_new(db: &impl ConnectionTrait, ids: &[String]) -> Result<()> {
    let sql = Sql::of(db);
    let mut delta = Delta::default();
    delta.add(db, &sql, ids, 1).await?;
    delta.apply(db, &sql).await
}

/// A row of contributions or of a table: its key (month, then unit) and its count.
pub fn read_row(table: &Table, row: &QueryResult) -> Result<(Vec<Part>, i64)> {
    let mut key = vec![Part::read(row, 0, Kind::Text)?];
    for (i, (_, kind, _)) in table.keys.iter().enumerate() {
        key.push(Part::read(row, i + 1, *kind)?);
    }
    let n: i64 = row.try_get_by_index(table.keys.len() + 1)?;
    Ok((key, n))
}

/// The kinds of a table's key columns, month first.
fn kinds(table: &Table) -> Vec<Kind> {
    std::iter::once(Kind::Text)
        .chain(table.keys.iter().map(|k| k.1))
        .collect()
}

async fn upsert(
    db: &impl ConnectionTrait,
    sql: &Sql,
    table: &Table,
    rows: &[(&Vec<Part>, i64)],
) -> Result<()> {
    let columns = table.columns();
    let kinds = kinds(table);
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * columns.len());
    let mut tuples = Vec::with_capacity(rows.len());
    for (key, n) in rows {
        tuples.push(format!(
            "({})",
            parameters(sql, values.len() + 1, columns.len())
        ));
        values.extend(key.iter().zip(&kinds).map(|(part, kind)| part.value(*kind)));
        values.push((*n).into());
    }
    let keys = &columns[..columns.len() - 1];
    let (name, count) = (table.name, table.count);
    sql.execute(
        db,
        format!(
            "INSERT INTO {name} ({}) VALUES {} ON CONFLICT ({}) \
             DO UPDATE SET {count} = {name}.{count} + excluded.{count}",
            columns.join(", "),
            tuples.join(", "),
            keys.join(", ")
        ),
        values,
    )
    .await?;
    Ok(())
}

async fn remove_zeros(
    db: &impl ConnectionTrait,
    sql: &Sql,
    table: &Table,
    keys: &[&Vec<Part>],
) -> Result<()> {
    let columns = table.columns();
    let kinds = kinds(table);
    let mut values: Vec<Value> = Vec::new();
    let mut matches = Vec::with_capacity(keys.len());
    for key in keys {
        let conditions: Vec<String> = key
            .iter()
            .zip(&kinds)
            .zip(&columns)
            .map(|((part, kind), column)| {
                values.push(part.value(*kind));
                format!("{column} = {}", sql.parameter(values.len()))
            })
            .collect();
        matches.push(format!("({})", conditions.join(" AND ")));
    }
    sql.execute(
        db,
        format!(
            "DELETE FROM {} WHERE {} = 0 AND ({})",
            table.name,
            table.count,
            matches.join(" OR ")
        ),
        values,
    )
    .await?;
    Ok(())
}

/// `n` parameters numbered from `first`, comma-separated.
pub fn parameters(sql: &Sql, first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| sql.parameter(i))
        .collect::<Vec<_>>()
        .join(", ")
}
