//! Occurrences counted again on each run: each lesson in its unit and month, each report
//! merged into a lesson, each "happened to us too" — with the names factors and channels are
//! shown by.

use std::collections::HashMap;

use entities::{factor, reader_signal, report, unit};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use search::patterns::{Collection, DocId, Month, OccurrenceKind};

use super::terms::month_of;
use crate::{
    error::Result,
    services::signals::SignalKind,
    vocabulary::{Channel, Status},
};

/// Every occurrence counted again: each lesson in its unit and month, then the reports merged
/// into lessons, then "happened to us too", as a new collection would count them.
pub(super) async fn count(
    db: &DatabaseConnection,
    collection: &mut Collection,
    places: &[(Option<i32>, Option<Month>)],
    docs: &HashMap<String, DocId>,
) -> Result<()> {
    let units: HashMap<i32, String> = unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.path))
        .collect();
    let path = |id: Option<i32>| id.and_then(|id| units.get(&id)).map(String::as_str);
    collection.clear_occurrences();
    for factor in factor::Entity::find().all(db).await? {
        collection.name_factor(&factor.slug, &factor.name);
    }
    for channel in Channel::ALL {
        collection.name_channel(channel.slug(), channel.label());
    }
    for (doc, (unit, month)) in places.iter().enumerate() {
        if let Some(month) = month {
            collection.add_occurrence(doc as DocId, path(*unit), *month, OccurrenceKind::Report);
        }
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
        collection.add_occurrence(*doc, path(report.unit_id), month, OccurrenceKind::Merged);
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
        collection.add_occurrence(*doc, path(unit_id), month, OccurrenceKind::Signal);
    }
    Ok(())
}
