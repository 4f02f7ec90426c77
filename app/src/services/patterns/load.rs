//! Gathering the occurrences detection runs on: published text only, never a reporter's own
//! words; each published report, each report merged into it and each "happened to us too".

use std::collections::HashMap;

use entities::{factor, publication, reader_signal, report, report_factor, unit};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use search::patterns::{Collection, Month, OccurrenceKind};

use crate::{
    error::Result,
    services::signals::SignalKind,
    vocabulary::{Channel, Status},
};

/// The month an occurrence counts in: the month it happened when known, else the month the
/// report was decided on (published or merged), else the month it was logged.
fn month_of(report: &report::Model) -> Option<Month> {
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

/// Every published report with its occurrences, as plain data; `progress` hears of each
/// report added.
pub async fn collection(
    db: &DatabaseConnection,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Collection> {
    let units: HashMap<i32, String> = unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.path))
        .collect();
    let factors: HashMap<i32, factor::Model> = factor::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let mut collection = Collection::new();
    for factor in factors.values() {
        collection.name_factor(&factor.slug, &factor.name);
    }
    for channel in Channel::ALL {
        collection.name_channel(channel.slug(), channel.label());
    }
    let mut factors_of: HashMap<String, Vec<String>> = HashMap::new();
    for link in report_factor::Entity::find().all(db).await? {
        if let Some(factor) = factors.get(&link.factor_id) {
            factors_of
                .entry(link.report_id)
                .or_default()
                .push(factor.slug.clone());
        }
    }
    let published = published_with_text(db).await?;
    let total = published.len() as u64;
    let mut docs = HashMap::new();
    for (done, (report, publication)) in published.into_iter().enumerate() {
        let p = &publication;
        let text = format!(
            "{}\n{}\n{}\n{}",
            p.title, p.narrative, p.what_helped, p.lesson
        );
        let mut slugs = factors_of.remove(&report.id).unwrap_or_default();
        slugs.sort_unstable();
        let doc = collection.add_report(&report.id, &text, &slugs, report.channel.as_deref());
        if let Some(month) = month_of(&report) {
            let unit = report
                .unit_id
                .and_then(|id| units.get(&id))
                .map(String::as_str);
            collection.add_occurrence(doc, unit, month, OccurrenceKind::Report);
        }
        docs.insert(report.id.clone(), doc);
        progress(done as u64 + 1, total);
    }
    let merged = report::Entity::find()
        .filter(report::Column::Status.eq(Status::Merged.slug()))
        .filter(report::Column::MergedInto.is_not_null())
        .all(db)
        .await?;
    for report in merged {
        let (Some(doc), Some(month)) = (
            report.merged_into.as_ref().and_then(|r| docs.get(r)),
            month_of(&report),
        ) else {
            continue;
        };
        let unit = report
            .unit_id
            .and_then(|id| units.get(&id))
            .map(String::as_str);
        collection.add_occurrence(*doc, unit, month, OccurrenceKind::Merged);
    }
    let signals: Vec<(String, Option<i32>, String)> = reader_signal::Entity::find()
        .select_only()
        .column(reader_signal::Column::ReportId)
        .column(reader_signal::Column::UnitId)
        .column(reader_signal::Column::Month)
        .filter(reader_signal::Column::Kind.eq(SignalKind::HappenedToUs.slug()))
        .into_tuple()
        .all(db)
        .await?;
    for (report_id, unit_id, month) in signals {
        let (Some(doc), Some(month)) = (docs.get(&report_id), Month::parse(&month)) else {
            continue;
        };
        let unit = unit_id.and_then(|id| units.get(&id)).map(String::as_str);
        collection.add_occurrence(*doc, unit, month, OccurrenceKind::Signal);
    }
    Ok(collection)
}

/// The published reports, each with its published version.
async fn published_with_text(
    db: &DatabaseConnection,
) -> Result<Vec<(report::Model, publication::Model)>> {
    let reports = report::Entity::find()
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .all(db)
        .await?;
    let mut publications: HashMap<String, publication::Model> = publication::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.report_id.clone(), p))
        .collect();
    Ok(reports
        .into_iter()
        .filter_map(|r| publications.remove(&r.id).map(|p| (r, p)))
        .collect())
}
