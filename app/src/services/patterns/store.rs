//! One run of detection: load, detect off the async executor, and store the patterns so that
//! re-running never duplicates one and never forgets a status.

use std::collections::HashMap;

use entities::{pattern, pattern_member};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use search::patterns::{self, Month, Pattern, Previous};

use super::{DetectionSettings, PatternStatus};
use crate::{error::Result, today};

/// What a run found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub reports: usize,
    pub patterns: usize,
    /// Patterns not seen in the previous run.
    pub new: usize,
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

fn list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// This month, in detection's terms.
pub fn this_month() -> Month {
    super::month_of_day(today())
}

/// Detects the patterns of the whole collection and stores them; `progress` hears of each
/// report loaded.
pub async fn run(
    db: &DatabaseConnection,
    settings: DetectionSettings,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<RunSummary> {
    let collection = super::load::collection(db, progress).await?;
    let reports = collection.len();
    let detect = patterns::Settings {
        min_occurrences: settings.min_occurrences,
        min_units: settings.min_units,
        window_days: settings.window_days,
        as_of: this_month(),
    };
    let found = crate::blocking(move || Ok(patterns::detect(&collection, &detect))).await?;
    let new = store(db, &found).await?;
    Ok(RunSummary {
        reports,
        patterns: found.len(),
        new,
    })
}

/// Stores a run's patterns over the previous run's, in one transaction; returns how many are
/// new.
pub async fn store(db: &DatabaseConnection, found: &[Pattern]) -> Result<usize> {
    let txn = db.begin().await?;
    let rows = pattern::Entity::find().all(&txn).await?;
    let mut members: HashMap<i32, Vec<String>> = HashMap::new();
    for member in pattern_member::Entity::find().all(&txn).await? {
        members
            .entry(member.pattern_id)
            .or_default()
            .push(member.report_id);
    }
    let previous: Vec<Previous> = rows
        .iter()
        .map(|row| Previous {
            id: i64::from(row.id),
            signature: row.signature.clone(),
            members: members.remove(&row.id).unwrap_or_default(),
            stems: list(&row.stems),
        })
        .collect();
    let matched = patterns::match_previous(found, &previous);
    let by_id: HashMap<i32, &pattern::Model> = rows.iter().map(|row| (row.id, row)).collect();
    let continued: HashMap<i32, &str> = matched
        .iter()
        .zip(found)
        .filter_map(|(id, p)| Some((i32::try_from((*id)?).ok()?, p.signature.as_str())))
        .collect();
    let signatures: std::collections::HashSet<&str> =
        found.iter().map(|p| p.signature.as_str()).collect();
    // A row whose signature changes, or is taken by another pattern of this run, moves aside
    // before any is written, since signatures are unique; one not found again stays, inactive,
    // so that its status is there if it comes back.
    for row in &rows {
        let moves = match continued.get(&row.id) {
            Some(signature) => *signature != row.signature,
            None => signatures.contains(row.signature.as_str()),
        };
        if moves || row.active {
            let mut parked: pattern::ActiveModel = row.clone().into();
            if moves {
                parked.signature = Set(format!("~{}", row.id));
            }
            parked.active = Set(false);
            parked.update(&txn).await?;
        }
    }
    let mut new = 0;
    for (found, previous) in found.iter().zip(matched) {
        let existing = previous
            .and_then(|id| i32::try_from(id).ok())
            .and_then(|id| by_id.get(&id));
        let (id, status) = match existing {
            Some(row) => {
                let status = next_status(row, found);
                let mut update: pattern::ActiveModel = (*row).clone().into();
                fill(&mut update, found);
                update.status = Set(status.slug().to_owned());
                if status == PatternStatus::New && row.status != PatternStatus::New.slug() {
                    update.occurrences_at_dismissal = Set(None);
                }
                update.update(&txn).await?;
                (row.id, status)
            }
            None => {
                new += 1;
                let mut insert = pattern::ActiveModel {
                    status: Set(PatternStatus::New.slug().to_owned()),
                    dismissal_reason: Set(None),
                    occurrences_at_dismissal: Set(None),
                    addressed_in: Set(None),
                    ..Default::default()
                };
                fill(&mut insert, found);
                let inserted = insert.insert(&txn).await?;
                (inserted.id, PatternStatus::New)
            }
        };
        tracing::debug!(pattern.id = id, status = status.slug(), "pattern stored");
        pattern_member::Entity::delete_many()
            .filter(pattern_member::Column::PatternId.eq(id))
            .exec(&txn)
            .await?;
        let member_rows: Vec<pattern_member::ActiveModel> = found
            .members
            .iter()
            .map(|member| pattern_member::ActiveModel {
                pattern_id: Set(id),
                report_id: Set(member.reference.clone()),
                matched: Set(json(&member.matched)),
            })
            .collect();
        if !member_rows.is_empty() {
            pattern_member::Entity::insert_many(member_rows)
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(new)
}

fn next_status(row: &pattern::Model, found: &Pattern) -> PatternStatus {
    let status = PatternStatus::from_slug(&row.status).unwrap_or(PatternStatus::New);
    let at_dismissal = row
        .occurrences_at_dismissal
        .and_then(|n| usize::try_from(n).ok());
    let addressed_in = row.addressed_in.as_deref().and_then(Month::parse);
    PatternStatus::from_detection(patterns::next_status(
        status.into(),
        at_dismissal,
        addressed_in,
        found.occurrences,
        found.last_seen,
    ))
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn fill(row: &mut pattern::ActiveModel, found: &Pattern) {
    let by_month: Vec<(String, usize)> = found
        .by_month
        .iter()
        .map(|(month, n)| (month.to_string(), *n))
        .collect();
    row.signature = Set(found.signature.clone());
    row.kind = Set(found.kind.slug().to_owned());
    row.title = Set(found.title.clone());
    row.explanation = Set(found.explanation.clone());
    row.terms = Set(json(&found.terms));
    row.stems = Set(json(&found.stems));
    row.factors = Set(json(&found.factors));
    row.channel = Set(found.channel.clone());
    row.unit = Set(found.unit.clone());
    row.occurrences = Set(count(found.occurrences));
    row.unit_count = Set(count(found.units.len()));
    row.units = Set(json(&found.units));
    row.first_seen = Set(found.first_seen.to_string());
    row.last_seen = Set(found.last_seen.to_string());
    row.by_month = Set(json(&by_month));
    row.trend = Set(found.trend.direction().to_owned());
    row.trend_current = Set(count(found.trend.current));
    row.trend_previous = Set(count(found.trend.previous));
    row.score = Set(found.score);
    row.active = Set(true);
    row.detected_on = Set(today());
}
