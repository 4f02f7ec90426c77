//! What the index must do for a set of reports: their current state in the database, read
//! as the index holds it — the published version's text, never the reporter's own.

use std::collections::HashMap;

use entities::{publication, report, report_factor};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use search::{Change, IndexedReport};

use crate::{
    error::Result,
    services::{taxonomy, units},
    vocabulary::{Audience, Channel, Status},
};

/// What the index must do for each of these reports, given their current state.
pub(super) async fn changes_for(db: &DatabaseConnection, refs: &[String]) -> Result<Vec<Change>> {
    // By primary key only, the status checked here: with both conditions in SQL, SQLite's
    // planner picks the status index, which every published report shares, and a batch then
    // reads the whole table.
    // Only the columns the index holds: the reporter's own words are not read at all.
    let reports: Vec<IndexedColumns> = report::Entity::find()
        .select_only()
        .columns([
            report::Column::Id,
            report::Column::Status,
            report::Column::Channel,
            report::Column::Audience,
            report::Column::Impact,
            report::Column::UnitId,
            report::Column::OccurredMonth,
            report::Column::SubmittedOn,
        ])
        .filter(report::Column::Id.is_in(refs.iter().cloned()))
        .into_model::<IndexedColumns>()
        .all(db)
        .await?
        .into_iter()
        .filter(|r| r.status == Status::Published.slug())
        .collect();
    let mut factors_of: HashMap<String, Vec<i32>> = HashMap::new();
    // Readers see the moderator's version only, so that is what gets indexed.
    let mut texts: HashMap<String, publication::Model> = HashMap::new();
    if !reports.is_empty() {
        texts = publication::Entity::find()
            .filter(publication::Column::ReportId.is_in(reports.iter().map(|r| r.id.clone())))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.report_id.clone(), p))
            .collect();
        for link in report_factor::Entity::find()
            .filter(report_factor::Column::ReportId.is_in(reports.iter().map(|r| r.id.clone())))
            .all(db)
            .await?
        {
            factors_of
                .entry(link.report_id)
                .or_default()
                .push(link.factor_id);
        }
    }
    // Factor id → (slug, category slug, words that name and describe it, as a reader sees
    // them on the lesson).
    let taxonomy: HashMap<i32, (String, String, String)> = taxonomy::categories(db)
        .await?
        .into_iter()
        .flat_map(|c| {
            let category = c.slug.clone();
            let category_name = c.name.clone();
            c.factors.into_iter().map(move |f| {
                let words = format!("{}. {}. {}", f.name, f.description, category_name);
                (f.id, (f.slug, category.clone(), words))
            })
        })
        .collect();
    let unit_paths: HashMap<i32, String> = units::list(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.path))
        .collect();

    let mut changes: Vec<Change> = Vec::with_capacity(refs.len());
    let mut published: HashMap<String, IndexedReport> = HashMap::new();
    for report in reports {
        let Some(text) = texts.remove(&report.id) else {
            tracing::warn!(report = %report.id, "a published report has no published text; left out of the index");
            continue;
        };
        let factor_ids = factors_of.remove(&report.id).unwrap_or_default();
        let mut factors = Vec::new();
        let mut categories = Vec::new();
        let mut keywords: Vec<&str> = Vec::new();
        let context: Vec<&str> = [
            report
                .channel
                .as_deref()
                .and_then(Channel::from_slug)
                .map(Channel::label),
            report
                .audience
                .as_deref()
                .and_then(Audience::from_slug)
                .map(Audience::label),
        ]
        .into_iter()
        .flatten()
        .collect();
        for id in factor_ids {
            if let Some((slug, category, words)) = taxonomy.get(&id) {
                keywords.push(words);
                factors.push(slug.clone());
                if !categories.contains(category) {
                    categories.push(category.clone());
                }
            }
        }
        let month = month_key(report.occurred_month.as_deref()).unwrap_or(
            report.submitted_on.year() as u32 * 100 + report.submitted_on.month() as u32,
        );
        let unit = report
            .unit_id
            .and_then(|id| unit_paths.get(&id))
            .map(|path| path.split(units::SEPARATOR).map(str::to_owned).collect())
            .unwrap_or_default();
        published.insert(
            report.id.clone(),
            IndexedReport {
                report_ref: report.id,
                title: text.title,
                narrative: text.narrative,
                lesson: text.lesson,
                what_helped: text.what_helped,
                keywords: keywords.join(". "),
                context: context.join(". "),
                channel: report.channel,
                audience: report.audience,
                impact: report.impact,
                factors,
                categories,
                unit,
                tags: text.tags.split_whitespace().map(str::to_owned).collect(),
                month,
            },
        );
    }
    for report_ref in refs {
        changes.push(match published.remove(report_ref) {
            Some(report) => Change::Upsert(Box::new(report)),
            None => Change::Remove(report_ref.clone()),
        });
    }
    Ok(changes)
}

/// The columns of a report the index holds besides the published text.
#[derive(Debug, FromQueryResult)]
struct IndexedColumns {
    id: String,
    status: String,
    channel: Option<String>,
    audience: Option<String>,
    impact: Option<String>,
    unit_id: Option<i32>,
    occurred_month: Option<String>,
    submitted_on: time::Date,
}

/// `YYYY-MM` as the number `YYYYMM`.
pub fn month_key(month: Option<&str>) -> Option<u32> {
    let (year, month) = month?.split_once('-')?;
    Some(year.parse::<u32>().ok()? * 100 + month.parse::<u32>().ok()?)
}
