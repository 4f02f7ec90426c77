//! Occurrences by month as a small bar chart in SVG, drawn on the server; the page shows the
//! same numbers as a table, which is the chart's text alternative.

use plotters::prelude::*;

/// Every month from the first to the last, with zeros where nothing occurred, so that gaps
/// show as gaps.
pub fn months_filled(by_month: &[(String, u32)]) -> Vec<(String, u32)> {
    let parse = |m: &str| -> Option<i32> {
        let year: i32 = m.get(0..4)?.parse().ok()?;
        let month: i32 = m.get(5..7)?.parse().ok()?;
        Some(year * 12 + month - 1)
    };
    let months: Vec<(i32, u32)> = by_month
        .iter()
        .filter_map(|(m, n)| Some((parse(m)?, *n)))
        .collect();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Vec::new();
    };
    (first.0..=last.0)
        .map(|index| {
            let count = months
                .iter()
                .find(|(m, _)| *m == index)
                .map_or(0, |(_, n)| *n);
            (format!("{:04}-{:02}", index / 12, index % 12 + 1), count)
        })
        .collect()
}

/// The bars of `months`, as an SVG document; empty when there is nothing to draw.
pub fn bars(months: &[(String, u32)]) -> String {
    let highest = months.iter().map(|(_, n)| *n).max().unwrap_or(0);
    if months.is_empty() || highest == 0 {
        return String::new();
    }
    let (width, height) = (480u32, 120u32);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let slot = f64::from(width) / months.len() as f64;
        let colour = RGBColor(0x8a, 0x5a, 0x00);
        for (i, (_, count)) in months.iter().enumerate().filter(|(_, (_, n))| *n > 0) {
            let left = (i as f64 * slot + slot * 0.15) as i32;
            let right = ((i + 1) as f64 * slot - slot * 0.15).max(left as f64 + 1.0) as i32;
            let top = height as i32
                - (f64::from(*count) / f64::from(highest) * f64::from(height - 4)) as i32;
            // Drawing into a string cannot fail for want of a device; a bar that did not draw
            // would still be in the table beside the chart.
            let _ = area.draw(&Rectangle::new(
                [(left, top), (right, height as i32)],
                colour.filled(),
            ));
        }
        let _ = area.present();
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_filled_with_zero_months() {
        let filled = months_filled(&[("2025-11".into(), 2), ("2026-02".into(), 1)]);
        let months: Vec<&str> = filled.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(filled[1].1, 0);
    }

    #[test]
    fn the_chart_has_a_bar_a_month_with_occurrences() {
        let svg = bars(&[
            ("2025-11".into(), 2),
            ("2025-12".into(), 0),
            ("2026-01".into(), 1),
        ]);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert!(bars(&[]).is_empty());
    }
}
