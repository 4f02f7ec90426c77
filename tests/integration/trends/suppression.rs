//! Suppression on data built to tempt subtraction: one small cell alone in many rows, and the
//! same totals in several tables. Every subtraction of shown cells from shown totals, within a
//! table and across the tables of the report, must leave no hidden value alone.

use std::collections::HashMap;

use kintsugi::services::{accounts::Role, trends::suppress};
use kintsugi_tests::each_backend;
use serde_json::Value;

use super::{Fixture, cell, insert, report, units};

/// 2026-Q2: April, 20 lessons by email, minor, Bureau, time pressure, and 2 near misses by
/// email from Agency/Small with autocomplete; May, 1 lesson by phone, moderate, no factor;
/// June, 10 like April's 20.
async fn tempting(app: &kintsugi_tests::TestApp) -> anyhow::Result<()> {
    units(app, &["Agency", "Agency/Small", "Bureau"]).await?;
    let april = Fixture {
        submitted: "2026-04-01",
        decided: Some("2026-04-08"),
        unit: Some("Bureau"),
        factors: &["time_pressure"],
        ..Fixture::default()
    };
    insert(app, 20, &april).await?;
    let near_misses = Fixture {
        impact: Some("near_miss"),
        unit: Some("Agency/Small"),
        factors: &["autocomplete"],
        ..april
    };
    insert(app, 2, &near_misses).await?;
    let may = Fixture {
        submitted: "2026-05-03",
        decided: Some("2026-05-05"),
        channel: Some("phone_sms"),
        impact: Some("moderate"),
        factors: &[],
        ..april
    };
    insert(app, 1, &may).await?;
    let june = Fixture {
        submitted: "2026-06-01",
        decided: Some("2026-06-02"),
        ..april
    };
    insert(app, 10, &june).await
}

/// Tables whose rows add up to their total row, column by column.
const PARTITIONS: [&str; 6] = [
    "by_month",
    "by_channel",
    "by_audience",
    "by_impact",
    "by_unit",
    "by_reporter_review",
];

/// A row of a table: its key, the ids of its cells and whether it is the total row.
type TableRow = (String, Vec<usize>, bool);

/// The report's cells as unknowns, with the sums a reader can see between them.
struct Relations {
    hidden: Vec<bool>,
    shown: Vec<Option<f64>>,
    sums: Vec<suppress::Sum>,
}

fn relations(report: &Value) -> Relations {
    let mut ids: HashMap<(String, String, usize), usize> = HashMap::new();
    let mut hidden = Vec::new();
    let mut shown = Vec::new();
    let tables = report["tables"].as_array().cloned().unwrap_or_default();
    // Every table's total of published lessons is the one number in `by_month`.
    let published_total = ("by_month".to_owned(), "total".to_owned(), 2);
    let mut id_of = |table: &str, row: &str, column: usize, value: &Value| {
        let key = (table.to_owned(), row.to_owned(), column);
        let key = if row == "total" && table != "by_month" {
            published_total.clone()
        } else {
            key
        };
        *ids.entry(key).or_insert_with(|| {
            hidden.push(value["suppressed"] == true);
            shown.push(value["value"].as_f64());
            hidden.len() - 1
        })
    };
    let mut cells: HashMap<&str, Vec<TableRow>> = HashMap::new();
    for t in &tables {
        let name = t["name"].as_str().unwrap_or_default();
        if name == "health" {
            continue;
        }
        // Rates per staff are no counts and add up to nothing: `rates` checks them.
        let counted: Vec<usize> = t["columns"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .filter(|(_, c)| !c["key"].as_str().is_some_and(|k| k.starts_with("per_")))
            .map(|(i, _)| i)
            .collect();
        // by_month's own total row first, so that the shared total is its cell.
        let mut rows = t["rows"].as_array().cloned().unwrap_or_default();
        rows.sort_by_key(|r| r["total"] != true);
        for r in rows {
            let key = r["key"].as_str().unwrap_or_default().to_owned();
            let row_cells = r["cells"].as_array().cloned().unwrap_or_default();
            let row_ids = counted
                .iter()
                .filter_map(|&c| Some((c, row_cells.get(c)?)))
                .map(|(c, v)| id_of(name, &key, c, v))
                .collect();
            cells
                .entry(t["name"].as_str().unwrap_or_default())
                .or_default()
                .push((key, row_ids, r["total"] == true));
        }
    }
    let mut sums = Vec::new();
    for table in PARTITIONS {
        let rows = &cells[table];
        let Some((_, totals, _)) = rows.iter().find(|r| r.2) else {
            continue;
        };
        for (column, total) in totals.iter().enumerate() {
            let parts = rows.iter().filter(|r| !r.2).map(|r| r.1[column]).collect();
            sums.push(suppress::Sum {
                total: *total,
                parts,
            });
        }
    }
    let row_of = |table: &str, key: &str| cells[table].iter().find(|r| r.0 == key).map(|r| r.1[0]);
    for (key, row, _) in &cells["factor_by_channel"] {
        if let Some(total) = row_of("by_factor", key) {
            sums.push(suppress::Sum {
                total,
                parts: row.clone(),
            });
        }
    }
    let by_month = &cells["category_by_month"];
    let categories: Vec<String> = cells["by_category"]
        .iter()
        .filter(|r| !r.2)
        .map(|r| r.0.clone())
        .collect();
    for (column, key) in categories.iter().enumerate() {
        if let Some(total) = row_of("by_category", key) {
            sums.push(suppress::Sum {
                total,
                parts: by_month.iter().map(|r| r.1[column]).collect(),
            });
        }
    }
    Relations {
        hidden,
        shown,
        sums,
    }
}

/// Each combination of up to three sums, added or subtracted: the hidden cells it leaves.
fn lone_hidden_cells(r: &Relations) -> Vec<usize> {
    let n = r.hidden.len();
    let row = |s: &suppress::Sum| {
        let mut row = vec![0i64; n];
        row[s.total] += 1;
        for &p in &s.parts {
            row[p] -= 1;
        }
        row
    };
    let rows: Vec<Vec<i64>> = r.sums.iter().map(row).collect();
    let mut found = Vec::new();
    let mut check = |combined: &[i64]| {
        let left: Vec<usize> = (0..n)
            .filter(|&c| r.hidden[c] && combined[c] != 0)
            .collect();
        if let [only] = left[..] {
            found.push(only);
        }
    };
    for a in 0..rows.len() {
        check(&rows[a]);
        for b in a + 1..rows.len() {
            for sb in [1, -1] {
                let ab: Vec<i64> = (0..n).map(|i| rows[a][i] + sb * rows[b][i]).collect();
                check(&ab);
                for third in &rows[b + 1..] {
                    for sc in [1, -1] {
                        let abc: Vec<i64> = (0..n).map(|i| ab[i] + sc * third[i]).collect();
                        check(&abc);
                    }
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn no_subtraction_of_shown_cells_recovers_a_suppressed_one() -> anyhow::Result<()> {
    each_backend(async |app| {
        tempting(&app).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let r = report(&app, &owner.bearer(), "from=2026-04-01&to=2026-06-30").await?;
        assert_eq!(r["min_cell"], 5);
        let rel = relations(&r);

        // Nothing under k is shown but zeros; suppressed cells carry no number.
        for (i, value) in rel.shown.iter().enumerate() {
            match value {
                Some(v) => assert!(*v == 0.0 || *v >= 5.0, "cell {i} shows {v}"),
                None => assert!(rel.hidden[i], "cell {i} has no value yet is not suppressed"),
            }
        }
        // The tempting cells are hidden, with company.
        for (table, row, column) in [
            ("by_month", "2026-05", 2),
            ("by_impact", "near_miss", 0),
            ("by_impact", "moderate", 0),
            ("by_factor", "autocomplete", 0),
            ("by_channel", "phone_sms", 0),
            ("factor_by_channel", "autocomplete", 0),
        ] {
            assert_eq!(
                cell(&r, table, row, column)["suppressed"],
                true,
                "{table} {row}"
            );
        }
        assert_eq!(cell(&r, "health", "near_miss_share", 0)["suppressed"], true);
        let hidden_months = ["2026-04", "2026-05", "2026-06"]
            .iter()
            .filter(|m| cell(&r, "by_month", m, 2)["suppressed"] == true)
            .count();
        assert!(
            hidden_months >= 2,
            "May alone would be the total minus April and June"
        );
        // By channel, 32 by email and 1 by phone of 33: the phone alone would be 33 − 32, so
        // the email count goes with it (and the heat map's email column then hides two).
        assert_eq!(cell(&r, "by_channel", "email", 0)["suppressed"], true);
        assert_eq!(cell(&r, "by_channel", "total", 0)["value"], 33.0);

        assert_eq!(lone_hidden_cells(&rel), Vec::<usize>::new());
        let placeholder = vec![0u64; rel.hidden.len()];
        assert_eq!(
            suppress::determined(&placeholder, &rel.sums, &rel.hidden),
            Vec::<usize>::new()
        );
        for s in &rel.sums {
            let hidden_parts = s.parts.iter().filter(|&&p| rel.hidden[p]).count();
            if !rel.hidden[s.total] {
                assert_ne!(hidden_parts, 1, "{s:?}");
            }
        }
        Ok(())
    })
    .await
}
