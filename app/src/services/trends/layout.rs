//! Laying the counts out as the report's tables, with every sum a reader could use declared,
//! so that suppression sees the report whole.

use std::collections::{BTreeMap, HashMap};

use super::{
    count::Counts,
    period::Period,
    rates,
    rollup::{self, Node},
    sheet::{Sheet, Slot, Table, column, row, total_row},
    suppress::CellId,
};
use crate::{
    services::moderation::ReporterReview,
    services::signals::SignalKind,
    vocabulary::{Audience, Channel, Impact},
};

/// What the layout needs to name things: the taxonomy and the unit tree.
pub struct Names {
    /// `(id, slug, name, category id)`, in the taxonomy's order.
    pub factors: Vec<(i32, String, String, i32)>,
    /// `(id, slug, name)`, in the taxonomy's order.
    pub categories: Vec<(i32, String, String)>,
    pub units: Vec<Node>,
    /// The people of each unit whose size is known, the units under it included.
    pub sizes: HashMap<i32, u64>,
    /// The unit the report is limited to.
    pub root: Option<i32>,
}

/// Every table of the report, as slots over one sheet.
pub fn lay_out(counts: &Counts, period: &Period, names: &Names, k: u64) -> Sheet {
    let mut sheet = Sheet::default();
    let published = by_month(counts, period, &mut sheet);
    let total = published.total;
    vocabulary_table(
        &mut sheet,
        "by_channel",
        "Published lessons by channel",
        total,
        Channel::ALL.iter().map(|c| (c.slug(), c.label())),
        counts,
        |g| g.channel.as_deref(),
    );
    vocabulary_table(
        &mut sheet,
        "by_audience",
        "Published lessons by audience",
        total,
        Audience::ALL.iter().map(|a| (a.slug(), a.label())),
        counts,
        |g| g.audience.as_deref(),
    );
    let impacts = vocabulary_table(
        &mut sheet,
        "by_impact",
        "Published lessons by impact",
        total,
        Impact::ALL.iter().map(|i| (i.slug(), i.label())),
        counts,
        |g| g.impact.as_deref(),
    );
    unit_table(&mut sheet, counts, names, total, k);
    let factor_cells = factor_tables(&mut sheet, counts, names, total);
    category_by_month(&mut sheet, counts, names, &published);
    factor_by_channel(&mut sheet, counts, names, &factor_cells);
    let reviews = review_table(&mut sheet, counts, total);
    health(&mut sheet, counts, total, &impacts, reviews);
    sheet
}

/// The cells of published lessons: the period's total and one a month.
struct Published {
    total: CellId,
    months: Vec<(String, CellId)>,
}

fn by_month(counts: &Counts, period: &Period, sheet: &mut Sheet) -> Published {
    let months = period.months();
    let earlier = period.year_earlier().months();
    let mut published_by_month: BTreeMap<&str, u64> = BTreeMap::new();
    for g in &counts.published {
        *published_by_month.entry(g.month.as_str()).or_default() += g.count;
    }
    let mut rows = Vec::new();
    let mut columns: [Vec<CellId>; 4] = Default::default();
    let mut published = Vec::new();
    for (i, month) in months.iter().enumerate() {
        let now = month.to_string();
        let before = earlier.get(i).map(ToString::to_string).unwrap_or_default();
        let cells = [
            sheet.cell(counts.received.get(&now).copied().unwrap_or(0)),
            sheet.cell(counts.received_before.get(&before).copied().unwrap_or(0)),
            sheet.cell(published_by_month.get(now.as_str()).copied().unwrap_or(0)),
            sheet.cell(counts.published_before.get(&before).copied().unwrap_or(0)),
        ];
        for (column, cell) in columns.iter_mut().zip(cells) {
            column.push(cell);
        }
        published.push((now.clone(), cells[2]));
        rows.push(row(
            now.clone(),
            format!("{now} (a year earlier: {before})"),
            &cells,
        ));
    }
    let totals: Vec<CellId> = columns
        .iter()
        .map(|parts| {
            let total = sheet.cell(parts.iter().map(|&c| sheet.count(c)).sum());
            sheet.sum(total, parts.clone());
            total
        })
        .collect();
    rows.push(total_row("Whole period", &totals));
    sheet.tables.push(Table {
        name: "by_month",
        title:
            "Reports received and lessons published by month, with the same months a year earlier"
                .to_owned(),
        columns: vec![
            column("received", "Received"),
            column("received_year_earlier", "Received a year earlier"),
            column("published", "Published"),
            column("published_year_earlier", "Published a year earlier"),
        ],
        rows,
    });
    Published {
        total: totals[2],
        months: published,
    }
}

/// A breakdown of published lessons by a closed vocabulary, with "not given"; returns the
/// cells by slug ("" for not given).
fn vocabulary_table<'a>(
    sheet: &mut Sheet,
    name: &'static str,
    title: &str,
    total: CellId,
    values: impl Iterator<Item = (&'a str, &'a str)>,
    counts: &Counts,
    field: impl Fn(&super::count::PublishedGroup) -> Option<&str>,
) -> HashMap<String, CellId> {
    let mut tally: HashMap<String, u64> = HashMap::new();
    for g in &counts.published {
        *tally
            .entry(field(g).unwrap_or_default().to_owned())
            .or_default() += g.count;
    }
    let mut rows = Vec::new();
    let mut cells = HashMap::new();
    let entries: Vec<(String, String)> = values
        .map(|(s, l)| (s.to_owned(), l.to_owned()))
        .chain([(String::new(), "Not given".to_owned())])
        .collect();
    for (slug, label) in entries {
        let cell = sheet.cell(tally.get(&slug).copied().unwrap_or(0));
        let key = if slug.is_empty() {
            "not_given".to_owned()
        } else {
            slug.clone()
        };
        rows.push(row(key, label, &[cell]));
        cells.insert(slug, cell);
    }
    sheet.sum(total, cells.values().copied().collect());
    rows.push(total_row("All published lessons", &[total]));
    sheet.tables.push(Table {
        name,
        title: title.to_owned(),
        columns: vec![column("lessons", "Lessons")],
        rows,
    });
    cells
}

/// Lessons by unit, and per 1,000 staff where the people a row counts are known.
fn unit_table(sheet: &mut Sheet, counts: &Counts, names: &Names, total: CellId, k: u64) {
    let mut by_unit: HashMap<i32, u64> = HashMap::new();
    let mut no_unit = 0;
    for g in &counts.published {
        match g.unit_id {
            Some(id) => *by_unit.entry(id).or_default() += g.count,
            None => no_unit += g.count,
        }
    }
    let units = rollup::roll_up(&names.units, &by_unit, names.root, k);
    let paths: Vec<Option<String>> = units.iter().map(|u| u.path.clone()).collect();
    let people = rates::people_by_row(&names.units, &names.sizes, names.root, &paths);
    let mut rows = Vec::new();
    let mut parts = Vec::new();
    for (unit, people) in units.iter().zip(people) {
        let cell = sheet.cell(unit.count);
        parts.push(cell);
        let (key, mut label) = match &unit.path {
            Some(path) => (path.clone(), path.clone()),
            None => (
                "other_units".to_owned(),
                "Other units, each too small to show".to_owned(),
            ),
        };
        if unit.path.is_some() && unit.absorbed > 0 {
            label.push_str(&format!(" (with {} smaller units under it)", unit.absorbed));
        }
        let mut row = row(key, label, &[cell]);
        row.cells.push(rates::rate(cell, unit.count, people));
        rows.push(row);
    }
    if names.root.is_none() {
        let cell = sheet.cell(no_unit);
        parts.push(cell);
        let mut row = row("not_given", "No unit given", &[cell]);
        row.cells.push(Slot::Unknown);
        rows.push(row);
    }
    sheet.sum(total, parts);
    let mut all = total_row("All published lessons", &[total]);
    let people = rates::people_in_scope(&names.units, &names.sizes, names.root);
    all.cells
        .push(rates::rate(total, sheet.count(total), people));
    rows.push(all);
    sheet.tables.push(Table {
        name: "by_unit",
        title: "Published lessons by unit (small units counted with the unit above them), and per 1,000 staff where the unit's size is known"
            .to_owned(),
        columns: vec![
            column("lessons", "Lessons"),
            column(
                format!("per_{}_staff", rates::PER),
                "Lessons per 1,000 staff",
            ),
        ],
        rows,
    });
}

/// The factor and category tables; returns each factor's total cell by id.
fn factor_tables(
    sheet: &mut Sheet,
    counts: &Counts,
    names: &Names,
    total: CellId,
) -> Vec<(i32, CellId)> {
    let mut by_factor: HashMap<i32, u64> = HashMap::new();
    for (factor, _, _, n) in &counts.factors {
        *by_factor.entry(*factor).or_default() += n;
    }
    let with_factor: u64 = counts.with_factor.values().sum();
    let none = sheet.cell(sheet.count(total).saturating_sub(with_factor));
    let mut factor_cells = Vec::new();
    let mut rows = Vec::new();
    for (id, slug, name, category) in &names.factors {
        let cell = sheet.cell(by_factor.get(id).copied().unwrap_or(0));
        let category = names
            .categories
            .iter()
            .find(|c| c.0 == *category)
            .map_or("", |c| c.2.as_str());
        rows.push(row(slug.clone(), format!("{name} ({category})"), &[cell]));
        factor_cells.push((*id, cell));
    }
    rows.push(row("none", "No factor named", &[none]));
    let mut parts: Vec<CellId> = factor_cells.iter().map(|f| f.1).collect();
    parts.push(none);
    sheet.sum_if_exact(total, parts);
    rows.push(total_row("All published lessons", &[total]));
    sheet.tables.push(Table {
        name: "by_factor",
        title: "Published lessons by contributing factor (a lesson may name several)".to_owned(),
        columns: vec![column("lessons", "Lessons")],
        rows,
    });

    let mut by_category: HashMap<i32, u64> = HashMap::new();
    for (category, _, n) in &counts.categories {
        *by_category.entry(*category).or_default() += n;
    }
    let mut rows = Vec::new();
    let mut parts = Vec::new();
    for (id, slug, name) in &names.categories {
        let cell = sheet.cell(by_category.get(id).copied().unwrap_or(0));
        let members: Vec<CellId> = names
            .factors
            .iter()
            .filter(|f| f.3 == *id)
            .filter_map(|f| factor_cells.iter().find(|c| c.0 == f.0).map(|c| c.1))
            .collect();
        sheet.sum_if_exact(cell, members);
        rows.push(row(slug.clone(), name.clone(), &[cell]));
        parts.push(cell);
    }
    rows.push(row("none", "No factor named", &[none]));
    parts.push(none);
    sheet.sum_if_exact(total, parts);
    rows.push(total_row("All published lessons", &[total]));
    sheet.tables.push(Table {
        name: "by_category",
        title: "Published lessons by category of contributing factor".to_owned(),
        columns: vec![column("lessons", "Lessons")],
        rows,
    });
    factor_cells
}

/// Lessons by category and month (the stacked bars), each category's months adding up to
/// its total in the category table.
fn category_by_month(sheet: &mut Sheet, counts: &Counts, names: &Names, published: &Published) {
    let category_totals = category_cells(sheet);
    let mut grid: HashMap<(i32, &str), u64> = HashMap::new();
    for (category, month, n) in &counts.categories {
        *grid.entry((*category, month.as_str())).or_default() += n;
    }
    let mut columns_cells: Vec<Vec<CellId>> = vec![Vec::new(); names.categories.len() + 1];
    let mut rows = Vec::new();
    for (month, month_total) in &published.months {
        let mut cells = Vec::new();
        for (i, (id, _, _)) in names.categories.iter().enumerate() {
            let cell = sheet.cell(grid.get(&(*id, month.as_str())).copied().unwrap_or(0));
            columns_cells[i].push(cell);
            cells.push(cell);
        }
        let with = counts.with_factor.get(month).copied().unwrap_or(0);
        let none = sheet.cell(sheet.count(*month_total).saturating_sub(with));
        columns_cells[names.categories.len()].push(none);
        cells.push(none);
        sheet.sum_if_exact(*month_total, cells.clone());
        rows.push(row(month.clone(), month.clone(), &cells));
    }
    for (parts, total) in columns_cells.into_iter().zip(category_totals) {
        sheet.sum_if_exact(total, parts);
    }
    sheet.tables.push(Table {
        name: "category_by_month",
        title: "Published lessons by category of contributing factor and month".to_owned(),
        columns: names
            .categories
            .iter()
            .map(|(_, slug, name)| column(slug.clone(), name.clone()))
            .chain([column("none", "No factor named")])
            .collect(),
        rows,
    });
}

/// The category table's cells, in its order, "no factor" last.
fn category_cells(sheet: &Sheet) -> Vec<CellId> {
    sheet
        .tables
        .iter()
        .find(|t| t.name == "by_category")
        .map(|t| {
            t.rows
                .iter()
                .filter(|r| !r.total)
                .filter_map(|r| match r.cells.first() {
                    Some(Slot::Count(c)) => Some(*c),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Lessons by factor and channel (the heat map), each factor's channels adding up to its
/// total in the factor table.
fn factor_by_channel(
    sheet: &mut Sheet,
    counts: &Counts,
    names: &Names,
    factor_cells: &[(i32, CellId)],
) {
    let mut grid: HashMap<(i32, &str), u64> = HashMap::new();
    for (factor, channel, _, n) in &counts.factors {
        *grid
            .entry((*factor, channel.as_deref().unwrap_or("")))
            .or_default() += n;
    }
    let channels: Vec<(&str, &str)> = Channel::ALL
        .iter()
        .map(|c| (c.slug(), c.label()))
        .chain([("", "Not given")])
        .collect();
    let channel_cells = sheet
        .tables
        .iter()
        .find(|t| t.name == "by_channel")
        .map(|t| {
            t.rows
                .iter()
                .filter(|r| !r.total)
                .filter_map(|r| match r.cells.first() {
                    Some(Slot::Count(c)) => Some(*c),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let mut by_channel: Vec<Vec<CellId>> = vec![Vec::new(); channels.len()];
    let mut rows = Vec::new();
    for ((id, slug, name, _), (_, factor_total)) in names.factors.iter().zip(factor_cells) {
        let cells: Vec<CellId> = channels
            .iter()
            .map(|(channel, _)| sheet.cell(grid.get(&(*id, *channel)).copied().unwrap_or(0)))
            .collect();
        for (column, cell) in by_channel.iter_mut().zip(&cells) {
            column.push(*cell);
        }
        sheet.sum(*factor_total, cells.clone());
        rows.push(row(slug.clone(), name.clone(), &cells));
    }
    for (parts, total) in by_channel.into_iter().zip(channel_cells) {
        sheet.sum_if_exact(total, parts);
    }
    sheet.tables.push(Table {
        name: "factor_by_channel",
        title: "Published lessons by contributing factor and channel".to_owned(),
        columns: channels
            .iter()
            .map(|(slug, label)| column(if slug.is_empty() { "not_given" } else { slug }, *label))
            .collect(),
        rows,
    });
}

/// Lessons by the reporter's review of the published version; returns the approved cell.
fn review_table(sheet: &mut Sheet, counts: &Counts, total: CellId) -> CellId {
    let mut rows = Vec::new();
    let mut parts = Vec::new();
    let mut approved = None;
    for review in ReporterReview::ALL {
        let n: u64 = counts
            .reviews
            .iter()
            .filter(|(slug, _)| ReporterReview::stored(slug) == *review)
            .map(|(_, n)| n)
            .sum();
        let cell = sheet.cell(n);
        if *review == ReporterReview::Approved {
            approved = Some(cell);
        }
        parts.push(cell);
        rows.push(row(review.slug(), review.label(), &[cell]));
    }
    sheet.sum_if_exact(total, parts);
    rows.push(total_row("All published lessons", &[total]));
    sheet.tables.push(Table {
        name: "by_reporter_review",
        title: "Published lessons by the reporter's review of the published version".to_owned(),
        columns: vec![column("lessons", "Lessons")],
        rows,
    });
    approved.unwrap_or(total)
}

/// The health of the reporting culture: shares and medians, each shown only when what it
/// rests on is.
fn health(
    sheet: &mut Sheet,
    counts: &Counts,
    total: CellId,
    impacts: &HashMap<String, CellId>,
    approved: CellId,
) {
    let published = sheet.count(total);
    let near_miss = impacts.get(Impact::NearMiss.slug()).copied();
    let unknown = impacts.get("").copied();
    let with_impact = published.saturating_sub(unknown.map_or(0, |c| sheet.count(c)));
    let share = |part: u64, whole: u64| (whole > 0).then(|| part as f64 * 100.0 / whole as f64);
    let near_miss_share = Slot::Derived {
        value: near_miss.and_then(|c| share(sheet.count(c), with_impact)),
        basis: with_impact,
        rests_on: [near_miss, unknown].into_iter().flatten().collect(),
    };
    let median = Slot::Derived {
        value: median_days(&counts.days),
        basis: published,
        rests_on: vec![total],
    };
    let approved_share = Slot::Derived {
        value: share(sheet.count(approved), published),
        basis: published,
        rests_on: vec![approved, total],
    };
    let signal = |kind: SignalKind| {
        let (n, lessons) = counts
            .signals
            .iter()
            .find(|(slug, _, _)| slug == kind.slug())
            .map_or((0, 0), |(_, n, l)| (*n, *l));
        Slot::Derived {
            value: Some(n as f64),
            basis: if n == 0 { u64::MAX } else { lessons },
            rests_on: Vec::new(),
        }
    };
    let derived = |key: &str, label: &str, slot: Slot| super::sheet::Row {
        key: key.to_owned(),
        label: label.to_owned(),
        total: false,
        cells: vec![slot],
    };
    sheet.tables.push(Table {
        name: "health",
        title: "Health of the reporting culture".to_owned(),
        columns: vec![column("value", "Value")],
        rows: vec![
            derived(
                "near_miss_share",
                "Near misses among lessons with an impact given (%): a high share is good, people report before harm is done",
                near_miss_share,
            ),
            derived(
                "median_days_to_publication",
                "Median days from report to publication",
                median,
            ),
            derived(
                "reporter_approved_share",
                "Lessons whose reporter approved the published version (%)",
                approved_share,
            ),
            derived(
                "helped",
                "Readers' \u{201c}this helped me\u{201d} in the period",
                signal(SignalKind::Helped),
            ),
            derived(
                "happened_to_us",
                "Readers' \u{201c}this happened to us too\u{201d} in the period",
                signal(SignalKind::HappenedToUs),
            ),
        ],
    });
}

/// The median of a histogram of days; the mean of the two middle values for an even count.
pub fn median_days(histogram: &[(i64, u64)]) -> Option<f64> {
    let mut sorted = histogram.to_vec();
    sorted.sort_unstable();
    let n: u64 = sorted.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let at = |index: u64| {
        let mut seen = 0;
        for (days, count) in &sorted {
            seen += count;
            if index < seen {
                return *days as f64;
            }
        }
        0.0
    };
    Some(if n % 2 == 1 {
        at(n / 2)
    } else {
        (at(n / 2 - 1) + at(n / 2)) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::median_days;

    #[test]
    fn the_median_of_days_is_read_from_their_histogram() {
        assert_eq!(median_days(&[]), None);
        assert_eq!(median_days(&[(3, 1)]), Some(3.0));
        assert_eq!(median_days(&[(10, 1), (2, 2)]), Some(2.0));
        assert_eq!(median_days(&[(1, 1), (4, 1), (9, 2)]), Some(6.5));
    }
}
