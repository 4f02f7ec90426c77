//! The counts kept for the trend report (migration 20): what each table counts, written once
//! as SQL over the reports, for keeping them in step and for rebuilding them.
//!
//! Every table is keyed by month, unit and channel and one more dimension; a unit or value
//! not given is `0` or `''`. A report counts in `trend_received` by the month it was logged
//! unless it was withdrawn, and in the other tables by the month it was published while it
//! is published. It counts twice in each: under its unit and under [`ALL_UNITS`], so that a
//! report of the whole organisation reads a few hundred rows a month, not one a unit.

use super::sql::{self, Sql};
use crate::month::YearMonth;

/// The `unit_id` of the rows that count every report of a month whatever its unit (or
/// none): the organisation's. Units' ids are positive and 0 stands for no unit.
pub const ALL_UNITS: i32 = -1;

/// Which reports a table counts, and the day that dates them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Logged and not withdrawn, by the day logged.
    Received,
    /// Published, by the day published.
    Published,
}

impl Side {
    pub fn day_column(self) -> &'static str {
        match self {
            Self::Received => "r.submitted_on",
            Self::Published => "r.decided_on",
        }
    }

    /// Whether a report counts on this side, its status read from `status`.
    fn condition(self, status: &str) -> String {
        match self {
            Self::Received => format!("{status} <> {}", sql::withdrawn()),
            Self::Published => {
                format!(
                    "{status} = {} AND r.decided_on IS NOT NULL",
                    sql::published()
                )
            }
        }
    }
}

/// What a key column holds, to read it back and bind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A unit id (a 32-bit integer column).
    Unit,
    /// Days (a 64-bit integer column).
    Number,
}

/// A key column and its value for a report `r`.
#[derive(Clone, Copy, Debug)]
pub enum Value {
    Unit,
    /// A nullable text column of the report.
    Column(&'static str),
    Days,
    Review,
    FactorSet,
}

/// One aggregate table.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub side: Side,
    /// The key columns after `month`.
    pub keys: &'static [(&'static str, Kind, Value)],
    /// The column holding the count.
    pub count: &'static str,
}

const SLICE: [(&str, Kind, Value); 2] = [
    ("unit_id", Kind::Unit, Value::Unit),
    ("channel", Kind::Text, Value::Column("channel")),
];

/// Every aggregate table, in the order they are written (the same in every transaction, so
/// that two never wait for each other's rows).
pub const TABLES: [Table; 5] = [
    Table {
        name: "trend_received",
        side: Side::Received,
        keys: &SLICE,
        count: "reports",
    },
    Table {
        name: "trend_published",
        side: Side::Published,
        keys: &[
            SLICE[0],
            SLICE[1],
            ("audience", Kind::Text, Value::Column("audience")),
            ("impact", Kind::Text, Value::Column("impact")),
        ],
        count: "lessons",
    },
    Table {
        name: "trend_days",
        side: Side::Published,
        keys: &[SLICE[0], SLICE[1], ("days", Kind::Number, Value::Days)],
        count: "lessons",
    },
    Table {
        name: "trend_reviews",
        side: Side::Published,
        keys: &[SLICE[0], SLICE[1], ("review", Kind::Text, Value::Review)],
        count: "lessons",
    },
    Table {
        name: "trend_factor_sets",
        side: Side::Published,
        keys: &[
            SLICE[0],
            SLICE[1],
            ("factor_ids", Kind::Text, Value::FactorSet),
        ],
        count: "lessons",
    },
];

impl Table {
    /// The table's columns: month, the keys and the count.
    pub fn columns(&self) -> Vec<&'static str> {
        let mut columns = vec!["month"];
        columns.extend(self.keys.iter().map(|k| k.0));
        columns.push(self.count);
        columns
    }

    /// What the reports named by `ids` (a condition on `r.id`) add to this table, found by
    /// their primary key. Without statistics, SQLite's planner prefers the status index to
    /// the primary key for a few hundred ids, and that index holds every published report: a
    /// scan of them all for each statement, which made a 1M import twelve times slower. The
    /// status is therefore kept out of SQLite's choice of index.
    pub fn contributions_of(&self, sql: &Sql, ids: &str) -> String {
        self.select(sql, &self.side.condition(&sql.unindexed("r.status")), ids)
    }

    /// What the reports of `r` matching `which` add to this table: one row per key with its
    /// count, in the table's column order.
    pub fn contributions(&self, sql: &Sql, which: &str) -> String {
        self.select(sql, &self.side.condition("r.status"), which)
    }

    fn select(&self, sql: &Sql, side: &str, which: &str) -> String {
        let mut values = vec![sql.month(self.side.day_column())];
        values.extend(self.keys.iter().map(|(_, _, value)| {
            match value {
                Value::Unit => "COALESCE(r.unit_id, 0)".to_owned(),
                Value::Column(column) => format!("COALESCE(r.{column}, '')"),
                Value::Days => sql.days().to_owned(),
                Value::Review => "COALESCE((SELECT p.reporter_review FROM publications p \
                              WHERE p.report_id = r.id), '')"
                    .to_owned(),
                Value::FactorSet => format!("COALESCE({}, '')", sql.factor_set()),
            }
        }));
        let groups: Vec<String> = (1..=values.len()).map(|i| i.to_string()).collect();
        format!(
            "SELECT {}, COUNT(*) FROM reports r WHERE {side} AND {which} GROUP BY {}",
            values.join(", "),
            groups.join(", ")
        )
    }

    /// Adds up the rows of every unit of `month` into its [`ALL_UNITS`] rows.
    pub fn all_units(&self, month: YearMonth) -> String {
        let columns = self.columns();
        let dimensions: Vec<&str> = columns[3..columns.len() - 1].to_vec();
        let groups = ["month", "channel"]
            .into_iter()
            .chain(dimensions.iter().copied())
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "INSERT INTO {name} ({}) SELECT month, {ALL_UNITS}, channel, {}SUM({count}) \
             FROM {name} WHERE month = '{month}' AND unit_id <> {ALL_UNITS} GROUP BY {groups}",
            columns.join(", "),
            dimensions
                .iter()
                .map(|d| format!("{d}, "))
                .collect::<String>(),
            name = self.name,
            count = self.count,
        )
    }
}
