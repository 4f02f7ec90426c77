//! The report as one CSV file: a line a cell, the `table` column naming the table, so that a
//! spreadsheet filters one table out; suppressed cells have an empty value and `suppressed`
//! set, never the number.

use crate::{error::AppError, services::trends::TrendReport};

const HEADER: [&str; 7] = [
    "table",
    "row",
    "row_label",
    "column",
    "column_label",
    "value",
    "suppressed",
];

pub fn write(report: &TrendReport) -> Result<String, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(format!("writing the CSV: {e}"));
    out.write_record(HEADER).map_err(fail)?;
    let request = &report.request;
    for (key, value) in [
        ("from", request.period.from.to_string()),
        ("to", request.period.to.to_string()),
        ("unit", request.unit.clone().unwrap_or_default()),
        (
            "channel",
            request
                .channel
                .map(|c| c.slug().to_owned())
                .unwrap_or_default(),
        ),
        ("min_cell", report.min_cell.to_string()),
    ] {
        out.write_record(["report", key, key, "value", "Value", &value, "false"])
            .map_err(fail)?;
    }
    for table in &report.tables {
        for row in &table.rows {
            for (column, cell) in table.columns.iter().zip(&row.cells) {
                let suppressed = *cell == crate::services::trends::Cell::Suppressed;
                out.write_record([
                    table.name,
                    &row.key,
                    &row.label,
                    &column.key,
                    &column.label,
                    &if suppressed {
                        String::new()
                    } else {
                        cell.text()
                    },
                    if suppressed { "true" } else { "false" },
                ])
                .map_err(fail)?;
            }
        }
    }
    for p in &report.patterns {
        let id = p.id.to_string();
        out.write_record([
            "patterns",
            &id,
            &p.title,
            p.movement.slug(),
            p.movement.label(),
            &p.occurrences.to_string(),
            "false",
        ])
        .map_err(fail)?;
    }
    for g in &report.guideline_changes {
        let row = format!("{}#{}", g.slug, g.revision);
        out.write_record([
            "guideline_changes",
            &row,
            &g.guideline,
            "effective_from",
            &g.rationale,
            &g.effective_from,
            "false",
        ])
        .map_err(fail)?;
        // One line for each pattern it cites, the reading as the value; or why there is none.
        for e in &g.effects {
            out.write_record([
                "guideline_changes",
                &row,
                &g.guideline,
                &format!("effect_on_pattern_{}", e.pattern_id),
                &format!("Effect on the pattern {}", e.pattern_title),
                &e.effect.reading,
                "false",
            ])
            .map_err(fail)?;
        }
        if let Some(why) = g.unmeasured {
            out.write_record([
                "guideline_changes",
                &row,
                &g.guideline,
                "effect",
                "Effect",
                why,
                "false",
            ])
            .map_err(fail)?;
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Internal(format!("writing the CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("writing the CSV: {e}")))
}
