//! A lesson's stored row computed from its publication: its term set and what detection
//! reads beside it.

use std::collections::HashMap;

use entities::{publication, publication_term, report, report_factor};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use search::patterns::{Month, Words};

use crate::error::Result;

/// The rows of the lessons `stale` names (each with its latest outbox row), computed from
/// their published text off the async executor.
pub(super) async fn rows(
    db: &DatabaseConnection,
    words: Words,
    analyzer: i64,
    stale: &[(String, i64)],
) -> Result<(Words, Vec<publication_term::ActiveModel>)> {
    if stale.is_empty() {
        return Ok((words, Vec::new()));
    }
    let ids: Vec<String> = stale.iter().map(|(id, _)| id.clone()).collect();
    let mut reports: HashMap<String, report::Model> = report::Entity::find()
        .filter(report::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let mut publications: HashMap<String, publication::Model> = publication::Entity::find()
        .filter(publication::Column::ReportId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.report_id.clone(), p))
        .collect();
    let mut factors: HashMap<String, Vec<i32>> = HashMap::new();
    for link in report_factor::Entity::find()
        .filter(report_factor::Column::ReportId.is_in(ids))
        .all(db)
        .await?
    {
        factors
            .entry(link.report_id)
            .or_default()
            .push(link.factor_id);
    }
    let lessons: Vec<(report::Model, publication::Model, Vec<i32>, i64)> = stale
        .iter()
        .filter_map(|(id, outbox_id)| {
            let report = reports.remove(id)?;
            let publication = publications.remove(id)?;
            let mut factors = factors.remove(id).unwrap_or_default();
            factors.sort_unstable();
            Some((report, publication, factors, *outbox_id))
        })
        .collect();
    crate::blocking(move || {
        let mut words = words;
        let rows = lessons
            .into_iter()
            .map(|(report, publication, factors, outbox_id)| {
                let text = published_text(&publication);
                publication_term::ActiveModel {
                    report_id: Set(report.id.clone()),
                    analyzer: Set(analyzer),
                    outbox_id: Set(outbox_id),
                    unit_id: Set(report.unit_id),
                    month: Set(month_of(&report).and_then(|m| i32::try_from(m.0).ok())),
                    channel: Set(report.channel.clone()),
                    factors: Set(serde_json::to_string(&factors).unwrap_or_else(|_| "[]".into())),
                    terms: Set(words.term_set(&text).into_bytes()),
                }
            })
            .collect();
        Ok((words, rows))
    })
    .await
}

/// What detection reads of a lesson: its published title, narrative, what helped and lesson.
pub fn published_text(publication: &publication::Model) -> String {
    let p = publication;
    format!(
        "{}\n{}\n{}\n{}",
        p.title, p.narrative, p.what_helped, p.lesson
    )
}

/// The month an occurrence counts in: the month it happened when known, else the month the
/// report was decided on (published or merged), else the month it was logged.
pub fn month_of(report: &report::Model) -> Option<Month> {
    report
        .occurred_month
        .as_deref()
        .and_then(Month::parse)
        .or_else(|| {
            let day = report.decided_on.unwrap_or(report.submitted_on);
            Month::new(
                u32::try_from(day.year()).ok()?,
                u32::from(u8::from(day.month())),
            )
        })
}
