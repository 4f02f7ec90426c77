//! The report's charts as SVG, drawn on the server with plotters: a time series, stacked bars
//! by category and a factor × channel heat map. Suppressed cells are never drawn as numbers:
//! a line breaks, a bar leaves its segment out, a heat-map square is hatched grey.

use plotters::prelude::*;

use crate::services::trends::{Cell, Table};

/// Colours that stay apart in print and for the common colour blindnesses (Okabe–Ito).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0x33, 0x33, 0x33),
    RGBColor(0xf0, 0xe4, 0x42),
];
const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);

fn count(cell: Option<&Cell>) -> Option<u64> {
    match cell {
        Some(Cell::Count(n)) => Some(*n),
        _ => None,
    }
}

fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&INK)
}

/// Received and published by month (columns 0 and 2 of `by_month`), with a legend.
pub fn time_series(table: &Table) -> String {
    let months: Vec<_> = table.rows.iter().filter(|r| !r.total).collect();
    let series = [(0usize, "Received"), (2, "Published")];
    let highest = months
        .iter()
        .flat_map(|r| series.iter().filter_map(|(i, _)| count(r.cells.get(*i))))
        .max()
        .unwrap_or(0);
    if months.is_empty() || highest == 0 {
        return String::new();
    }
    let (width, height) = (640i32, 260i32);
    let (left, right, top, bottom) = (48, 16, 28, 40);
    let plot_w = f64::from(width - left - right);
    let plot_h = f64::from(height - top - bottom);
    let step = plot_w / months.len().max(2).saturating_sub(1) as f64;
    let x = |i: usize| left + (i as f64 * step) as i32;
    let y = |n: u64| top + (plot_h - n as f64 / highest as f64 * plot_h) as i32;
    let mut svg = String::new();
    {
        let area =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        let _ = area.fill(&WHITE);
        let axis = ShapeStyle::from(&INK).stroke_width(1);
        let _ = area.draw(&PathElement::new(
            vec![
                (left, top),
                (left, height - bottom),
                (width - right, height - bottom),
            ],
            axis,
        ));
        let _ = area.draw(&Text::new(highest.to_string(), (4, top - 6), font(12)));
        let _ = area.draw(&Text::new("0", (left - 14, height - bottom - 6), font(12)));
        let every = months.len().div_ceil(12).max(1);
        for (i, row) in months.iter().enumerate().filter(|(i, _)| i % every == 0) {
            let _ = area.draw(&Text::new(
                row.key.clone(),
                (x(i) - 20, height - bottom + 8),
                font(11),
            ));
        }
        for (s, (column, name)) in series.iter().enumerate() {
            let colour = PALETTE[s];
            let style = colour.stroke_width(if s == 0 { 2 } else { 3 });
            // A suppressed month breaks the line rather than joining across it.
            let mut run: Vec<(i32, i32)> = Vec::new();
            for (i, row) in months.iter().enumerate() {
                match count(row.cells.get(*column)) {
                    Some(n) => {
                        run.push((x(i), y(n)));
                        let _ = area.draw(&Circle::new((x(i), y(n)), 3, colour.filled()));
                    }
                    None => {
                        let _ = area.draw(&PathElement::new(std::mem::take(&mut run), style));
                    }
                }
            }
            let _ = area.draw(&PathElement::new(run, style));
            let legend_x = left + 10 + s as i32 * 130;
            let _ = area.draw(&Rectangle::new(
                [(legend_x, 8), (legend_x + 14, 18)],
                colour.filled(),
            ));
            let _ = area.draw(&Text::new(name.to_string(), (legend_x + 20, 6), font(12)));
        }
        let _ = area.present();
    }
    svg
}

/// Lessons by category, stacked, a bar a month (`category_by_month`).
pub fn stacked_bars(table: &Table) -> String {
    let months: Vec<_> = table.rows.iter().filter(|r| !r.total).collect();
    let shown_sum = |cells: &[Cell]| cells.iter().filter_map(|c| count(Some(c))).sum::<u64>();
    let highest = months
        .iter()
        .map(|r| shown_sum(&r.cells))
        .max()
        .unwrap_or(0);
    if months.is_empty() || highest == 0 {
        return String::new();
    }
    let legend_rows = table.columns.len().div_ceil(3) as i32;
    let (width, height) = (640i32, 240 + legend_rows * 18);
    let (left, top, bottom) = (48, 16, 40 + legend_rows * 18);
    let plot_h = f64::from(height - top - bottom);
    let slot = f64::from(width - left - 16) / months.len() as f64;
    let mut svg = String::new();
    {
        let area =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        let _ = area.fill(&WHITE);
        let base = height - bottom;
        let _ = area.draw(&PathElement::new(
            vec![(left, top), (left, base), (width - 16, base)],
            INK.stroke_width(1),
        ));
        let _ = area.draw(&Text::new(highest.to_string(), (4, top), font(12)));
        let every = months.len().div_ceil(12).max(1);
        for (i, row) in months.iter().enumerate() {
            let x0 = left + (i as f64 * slot + slot * 0.15) as i32;
            let x1 = left + ((i + 1) as f64 * slot - slot * 0.15) as i32;
            let mut y0 = base;
            for (c, cell) in row.cells.iter().enumerate() {
                let Some(n) = count(Some(cell)).filter(|n| *n > 0) else {
                    continue;
                };
                let h = (n as f64 / highest as f64 * plot_h) as i32;
                let colour = PALETTE[c % PALETTE.len()];
                let _ = area.draw(&Rectangle::new(
                    [(x0, y0 - h), (x1.max(x0 + 1), y0)],
                    colour.filled(),
                ));
                // A white edge keeps neighbouring segments apart in grey print.
                let _ = area.draw(&Rectangle::new(
                    [(x0, y0 - h), (x1.max(x0 + 1), y0)],
                    WHITE.stroke_width(1),
                ));
                y0 -= h;
            }
            if i % every == 0 {
                let _ = area.draw(&Text::new(row.key.clone(), (x0, base + 8), font(11)));
            }
        }
        for (c, column) in table.columns.iter().enumerate() {
            let lx = left + (c % 3) as i32 * 200;
            let ly = base + 28 + (c / 3) as i32 * 18;
            let _ = area.draw(&Rectangle::new(
                [(lx, ly), (lx + 12, ly + 12)],
                PALETTE[c % PALETTE.len()].filled(),
            ));
            let _ = area.draw(&Text::new(column.label.clone(), (lx + 18, ly), font(11)));
        }
        let _ = area.present();
    }
    svg
}

/// Factors down, channels across, darker for more lessons, the number in each square;
/// suppressed squares are light grey with a dash.
pub fn heat_map(table: &Table) -> String {
    let rows: Vec<_> = table.rows.iter().filter(|r| !r.total).collect();
    let highest = rows
        .iter()
        .flat_map(|r| r.cells.iter().filter_map(|c| count(Some(c))))
        .max()
        .unwrap_or(0)
        .max(1);
    // Suppressed squares are worth drawing: they show where lessons are, without numbers.
    let drawn = |c: &Cell| matches!(c, Cell::Count(n) if *n > 0) || *c == Cell::Suppressed;
    if !rows.iter().any(|r| r.cells.iter().any(drawn)) {
        return String::new();
    }
    let (label_w, cell_w, cell_h, head) = (230i32, 44i32, 22i32, 96i32);
    let width = label_w + cell_w * table.columns.len() as i32 + 8;
    let height = head + cell_h * rows.len() as i32 + 8;
    let mut svg = String::new();
    {
        let area =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        let _ = area.fill(&WHITE);
        for (c, column) in table.columns.iter().enumerate() {
            let x = label_w + c as i32 * cell_w + cell_w / 2;
            let style = font(11).transform(FontTransform::Rotate270);
            let _ = area.draw(&Text::new(column.label.clone(), (x - 6, head - 4), style));
        }
        for (r, row) in rows.iter().enumerate() {
            let y = head + r as i32 * cell_h;
            let _ = area.draw(&Text::new(row.label.clone(), (4, y + 5), font(11)));
            for (c, cell) in row.cells.iter().enumerate() {
                let x = label_w + c as i32 * cell_w;
                let square = [(x + 1, y + 1), (x + cell_w - 1, y + cell_h - 1)];
                let (fill, text, ink) = match cell {
                    Cell::Count(n) => {
                        let share = *n as f64 / highest as f64;
                        let shade = (235.0 - share * 200.0) as u8;
                        let ink = if share > 0.5 { WHITE } else { INK };
                        (
                            RGBColor(shade, shade, 255u8.saturating_sub((share * 120.0) as u8)),
                            n.to_string(),
                            ink,
                        )
                    }
                    _ => (RGBColor(0xee, 0xee, 0xee), "–".to_owned(), INK),
                };
                let _ = area.draw(&Rectangle::new(square, fill.filled()));
                let _ = area.draw(&Rectangle::new(
                    square,
                    RGBColor(0x99, 0x99, 0x99).stroke_width(1),
                ));
                let _ = area.draw(&Text::new(text, (x + 6, y + 5), font(11).color(&ink)));
            }
        }
        let _ = area.present();
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::trends::{Column, Row};

    fn table(cells: Vec<Vec<Cell>>) -> Table {
        Table {
            name: "t",
            title: "t".to_owned(),
            columns: (0..cells[0].len())
                .map(|i| Column {
                    key: format!("c{i}"),
                    label: format!("C{i}"),
                })
                .collect(),
            rows: cells
                .into_iter()
                .enumerate()
                .map(|(i, cells)| Row {
                    key: format!("2026-0{}", i + 1),
                    label: format!("r{i}"),
                    total: false,
                    cells,
                })
                .collect(),
        }
    }

    #[test]
    fn suppressed_cells_never_appear_as_numbers() {
        let t = table(vec![
            vec![
                Cell::Count(12),
                Cell::Suppressed,
                Cell::Count(40),
                Cell::Count(0),
            ],
            vec![
                Cell::Suppressed,
                Cell::Count(7),
                Cell::Count(30),
                Cell::Count(9),
            ],
        ]);
        let heat = heat_map(&t);
        assert!(heat.starts_with("<svg") && heat.contains("12") && heat.contains("–"));
        assert!(!time_series(&t).is_empty());
        assert!(!stacked_bars(&t).is_empty());
        let empty = table(vec![vec![Cell::Suppressed, Cell::Count(0)]]);
        assert!(time_series(&empty).is_empty());
        assert!(
            !heat_map(&empty).is_empty(),
            "where lessons are, without numbers"
        );
        assert!(heat_map(&table(vec![vec![Cell::Count(0)]])).is_empty());
    }
}
