//! The tables of a report as they are laid out: cells that refer to counts in one sheet, so
//! that a total shared by several tables is one cell, suppressed once for all of them.

use serde::Serialize;

use super::suppress::{self, CellId, Sum};

/// What a table shows in one place.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Count(u64),
    /// A share in percent or a number of days, with one decimal.
    Number(f64),
    /// Rests on fewer than k reports, or would let such a cell be worked out.
    Suppressed,
    /// Nothing to measure (no lesson published, say).
    Missing,
    /// A rate over a size no one gave (a unit without a headcount).
    Unknown,
}

impl Cell {
    /// As the page and the CSV write it.
    pub fn text(self) -> String {
        match self {
            Self::Count(n) => n.to_string(),
            Self::Number(v) => format!("{v:.1}"),
            Self::Suppressed => "suppressed".to_owned(),
            Self::Missing | Self::Unknown => String::new(),
        }
    }

    pub fn value(self) -> Option<f64> {
        match self {
            Self::Count(n) => Some(n as f64),
            Self::Number(v) => Some(v),
            Self::Suppressed | Self::Missing | Self::Unknown => None,
        }
    }
}

/// A slot of a table before suppression.
#[derive(Clone, Debug)]
pub enum Slot {
    Count(CellId),
    /// A share or a median: shown when `basis` reaches k and none of the cells it is computed
    /// from is hidden (a share of a hidden count would give the count back).
    Derived {
        value: Option<f64>,
        basis: u64,
        rests_on: Vec<CellId>,
    },
    /// A count per so many people: shown exactly when the count is, since the count is the
    /// rate times a size, and sizes are no secret.
    Rate {
        count: CellId,
        value: f64,
    },
    /// A rate whose size is not known.
    Unknown,
}

#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub key: String,
    pub label: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Row<C = Cell> {
    pub key: String,
    pub label: String,
    /// The table's total, or a total of the period.
    pub total: bool,
    pub cells: Vec<C>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Table<C = Cell> {
    /// Stable: the CSV's `table` column and the JSON's `name`.
    pub name: &'static str,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row<C>>,
}

/// The counts of a whole report, the sums between them, and its tables of slots.
#[derive(Debug, Default)]
pub struct Sheet {
    counts: Vec<u64>,
    sums: Vec<Sum>,
    pub tables: Vec<Table<Slot>>,
}

impl Sheet {
    pub fn cell(&mut self, count: u64) -> CellId {
        self.counts.push(count);
        self.counts.len() - 1
    }

    pub fn count(&self, cell: CellId) -> u64 {
        self.counts[cell]
    }

    /// `total = Σ parts`, always true by construction.
    pub fn sum(&mut self, total: CellId, parts: Vec<CellId>) {
        self.sums.push(Sum { total, parts });
    }

    /// A relation a reader could notice: declared only when it holds in these numbers, as
    /// with multi-valued factors, whose counts add up to their total only by chance.
    pub fn sum_if_exact(&mut self, total: CellId, parts: Vec<CellId>) {
        let added: u64 = parts.iter().map(|&c| self.counts[c]).sum();
        if added == self.counts[total] {
            self.sum(total, parts);
        }
    }

    /// Suppresses with threshold `k` and gives the tables as shown.
    pub fn resolve(self, k: u64) -> Vec<Table> {
        let hidden = suppress::suppress(&self.counts, &self.sums, k);
        let show = |slot: &Slot| match slot {
            Slot::Count(c) if hidden[*c] => Cell::Suppressed,
            Slot::Count(c) => Cell::Count(self.counts[*c]),
            Slot::Derived { value: None, .. } => Cell::Missing,
            Slot::Derived {
                value: Some(v),
                basis,
                rests_on,
            } => {
                if *basis < k || rests_on.iter().any(|&c| hidden[c]) {
                    Cell::Suppressed
                } else {
                    Cell::Number(one_decimal(*v))
                }
            }
            Slot::Rate { count, .. } if hidden[*count] => Cell::Suppressed,
            Slot::Rate { value, .. } => Cell::Number(one_decimal(*value)),
            Slot::Unknown => Cell::Unknown,
        };
        self.tables
            .iter()
            .map(|t| Table {
                name: t.name,
                title: t.title.clone(),
                columns: t.columns.clone(),
                rows: t
                    .rows
                    .iter()
                    .map(|r| Row {
                        key: r.key.clone(),
                        label: r.label.clone(),
                        total: r.total,
                        cells: r.cells.iter().map(show).collect(),
                    })
                    .collect(),
            })
            .collect()
    }
}

fn one_decimal(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A column heading.
pub fn column(key: impl Into<String>, label: impl Into<String>) -> Column {
    Column {
        key: key.into(),
        label: label.into(),
    }
}

/// A row of counts.
pub fn row(key: impl Into<String>, label: impl Into<String>, cells: &[CellId]) -> Row<Slot> {
    Row {
        key: key.into(),
        label: label.into(),
        total: false,
        cells: cells.iter().map(|&c| Slot::Count(c)).collect(),
    }
}

/// The total row of a table.
pub fn total_row(label: impl Into<String>, cells: &[CellId]) -> Row<Slot> {
    Row {
        total: true,
        ..row("total", label, cells)
    }
}
