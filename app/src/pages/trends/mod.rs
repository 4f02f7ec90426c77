//! The trend report for policy owners (`/trends`), printable, and its CSV (`/trends.csv`).

mod changes;
mod charts;
mod csv_export;

use poem::{
    IntoResponse, handler,
    http::{StatusCode, header},
    web::{Data, Query},
};
use serde::{Deserialize, Serialize};

use super::{PageResult, fields, render};
use crate::{
    error::AppError,
    services::{
        trends::{self, Cell, Movement, Request, Settings, Table, TrendReport},
        units,
    },
    state::AppState,
    today,
    vocabulary::Channel,
};

/// The query string of the page and of the CSV.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TrendForm {
    period: String,
    from: String,
    to: String,
    unit: String,
    channel: String,
}

impl TrendForm {
    async fn request(&self, state: &AppState) -> Result<Request, AppError> {
        Request::read(
            &state.db,
            &self.period,
            &self.from,
            &self.to,
            &self.unit,
            &self.channel,
            today(),
        )
        .await
    }
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct ShownCell {
    text: String,
    suppressed: bool,
    /// A rate over a size no one gave: a dash, explained to screen readers.
    unknown: bool,
}

#[derive(Serialize)]
struct ShownRow {
    label: String,
    total: bool,
    cells: Vec<ShownCell>,
}

#[derive(Serialize)]
struct ShownTable {
    name: &'static str,
    title: String,
    row_heading: &'static str,
    columns: Vec<String>,
    rows: Vec<ShownRow>,
    chart_svg: String,
    chart_summary: String,
}

#[derive(Serialize)]
struct PatternGroup {
    label: &'static str,
    patterns: Vec<trends::PatternLine>,
}

#[derive(Serialize)]
struct ReportView {
    period: String,
    unit: String,
    channel: String,
    min_cell: u64,
    tables: Vec<ShownTable>,
    pattern_groups: Vec<PatternGroup>,
    guideline_changes: Vec<changes::ChangeView>,
    csv_href: String,
    api_href: String,
}

#[derive(Serialize)]
struct TrendsPage {
    form: TrendForm,
    units: Vec<Choice>,
    channels: Vec<Choice>,
    errors: Vec<fields::SummaryItem>,
    report: Option<ReportView>,
    printed_on: String,
}

/// The report, or the form with what is wrong with it.
#[handler]
pub async fn trends_page(
    Data(state): Data<&AppState>,
    Query(form): Query<TrendForm>,
) -> PageResult {
    let (report, errors, status) = match form.request(state).await {
        Ok(request) => {
            let settings = Settings::new(&state.config, today());
            let report = trends::report(&state.db, &request, &settings).await?;
            (Some(view(report)), Vec::new(), StatusCode::OK)
        }
        Err(AppError::Invalid(errors)) => (
            None,
            fields::summary(&errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => return Err(error),
    };
    let page = TrendsPage {
        units: units::list(&state.db)
            .await?
            .into_iter()
            .map(|u| Choice {
                selected: u.path == units::normalise_path(&form.unit),
                label: u.path.clone(),
                value: u.path,
            })
            .collect(),
        channels: Channel::ALL
            .iter()
            .map(|c| Choice {
                value: c.slug().to_owned(),
                label: c.label().to_owned(),
                selected: c.slug() == form.channel.trim(),
            })
            .collect(),
        form,
        errors,
        report,
        printed_on: today().to_string(),
    };
    render(state, "pages/trends/show", &page, status)
}

/// Every table of the report in one CSV file, a `table` column naming each row's table.
#[handler]
pub async fn trends_csv(Data(state): Data<&AppState>, Query(form): Query<TrendForm>) -> PageResult {
    let request = form.request(state).await?;
    let settings = Settings::new(&state.config, today());
    let report = trends::report(&state.db, &request, &settings).await?;
    let body = csv_export::write(&report)?;
    let name = format!(
        "attachment; filename=\"kintsugi-trends-{}.csv\"",
        report.request.period.label().replace(' ', "_")
    );
    Ok(body
        .with_content_type("text/csv; charset=utf-8")
        .with_header(header::CONTENT_DISPOSITION, name)
        .into_response())
}

fn view(report: TrendReport) -> ReportView {
    let request = &report.request;
    let query = serde_html_form::to_string([
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
    ])
    .unwrap_or_default();
    let mut groups: Vec<PatternGroup> = Movement::ALL
        .iter()
        .map(|m| PatternGroup {
            label: m.label(),
            patterns: Vec::new(),
        })
        .collect();
    for line in report.patterns {
        if let Some(i) = Movement::ALL.iter().position(|m| *m == line.movement) {
            groups[i].patterns.push(line);
        }
    }
    ReportView {
        period: request.period.label(),
        unit: request
            .unit
            .clone()
            .unwrap_or_else(|| "The whole organisation".to_owned()),
        channel: request
            .channel
            .map_or("All channels", |c| c.label())
            .to_owned(),
        min_cell: report.min_cell,
        tables: report
            .tables
            .iter()
            .map(|t| shown(t, report.min_cell))
            .collect(),
        pattern_groups: groups,
        guideline_changes: report
            .guideline_changes
            .into_iter()
            .map(Into::into)
            .collect(),
        csv_href: format!("/trends.csv?{query}"),
        api_href: format!("/api/v1/trends?{query}"),
    }
}

fn shown(table: &Table, k: u64) -> ShownTable {
    let (chart_svg, chart_summary) = match table.name {
        "by_month" => (charts::time_series(table), series_summary(table)),
        "category_by_month" => (
            charts::stacked_bars(table),
            "Stacked bars: lessons a month by category of contributing factor; suppressed segments are left out.".to_owned(),
        ),
        "factor_by_channel" => (
            charts::heat_map(table),
            "Heat map: lessons by contributing factor (rows) and channel (columns), darker for more; suppressed squares show a dash.".to_owned(),
        ),
        _ => (String::new(), String::new()),
    };
    ShownTable {
        name: table.name,
        title: table.title.clone(),
        row_heading: match table.name {
            "by_month" | "category_by_month" => "Month",
            "health" => "Measure",
            _ => "",
        },
        columns: table.columns.iter().map(|c| c.label.clone()).collect(),
        rows: table
            .rows
            .iter()
            .map(|r| ShownRow {
                label: r.label.clone(),
                total: r.total,
                cells: r
                    .cells
                    .iter()
                    .map(|c| ShownCell {
                        text: match c {
                            Cell::Suppressed => format!("fewer than {k} or hidden"),
                            Cell::Missing => "none".to_owned(),
                            Cell::Unknown => "\u{2014}".to_owned(),
                            other => other.text(),
                        },
                        suppressed: *c == Cell::Suppressed,
                        unknown: *c == Cell::Unknown,
                    })
                    .collect(),
            })
            .collect(),
        chart_svg,
        chart_summary,
    }
}

/// The time series in words, for the chart's text alternative.
fn series_summary(table: &Table) -> String {
    let total = table.rows.iter().find(|r| r.total);
    let text = |i: usize| {
        total
            .and_then(|r| r.cells.get(i))
            .map_or_else(String::new, |c| match c {
                Cell::Count(n) => n.to_string(),
                _ => "a suppressed number of".to_owned(),
            })
    };
    let busiest = table
        .rows
        .iter()
        .filter(|r| !r.total)
        .filter_map(|r| match r.cells.first() {
            Some(Cell::Count(n)) => Some((n, &r.key)),
            _ => None,
        })
        .max();
    let mut summary = format!(
        "Line chart by month: {} reports received and {} lessons published in the period",
        text(0),
        text(2)
    );
    if let Some((n, month)) = busiest {
        summary.push_str(&format!("; the most reports, {n}, arrived in {month}"));
    }
    summary.push_str(". Suppressed months break the lines.");
    summary
}
