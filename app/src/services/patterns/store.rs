//! Storing a run's patterns so that re-running never duplicates one and never forgets a
//! status.

use std::collections::HashMap;

use entities::{pattern, pattern_member};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, TransactionTrait,
};
use search::patterns::{self, Member, Month, Pattern, Previous};

use super::PatternStatus;
use crate::{error::Result, today};

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

/// Stores a run's patterns over the previous run's, in one transaction; returns how many are
/// new.
pub async fn store(db: &DatabaseConnection, found: &[Pattern]) -> Result<usize> {
    let txn = db.begin().await?;
    let rows = pattern::Entity::find().all(&txn).await?;
    // Each pattern's member rows: their refs and the words they matched.
    let mut members: HashMap<i32, HashMap<String, String>> = HashMap::new();
    for member in pattern_member::Entity::find().all(&txn).await? {
        members
            .entry(member.pattern_id)
            .or_default()
            .insert(member.report_id, member.matched);
    }
    let previous: Vec<Previous> = rows
        .iter()
        .map(|row| Previous {
            id: i64::from(row.id),
            signature: row.signature.clone(),
            members: members
                .get(&row.id)
                .map(|stored| stored.keys().cloned().collect())
                .unwrap_or_default(),
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
        let stored = members.remove(&id).unwrap_or_default();
        write_members(&txn, id, stored, &found.members).await?;
    }
    txn.commit().await?;
    Ok(new)
}

/// Member rows written or deleted by one statement.
const MEMBER_ROWS: usize = 1_000;

/// Brings a pattern's member rows from `stored` (ref to matched words) to `members`, writing
/// only what changed: after a few publications, a pattern of thousands of lessons keeps
/// nearly all of its rows.
async fn write_members(
    txn: &DatabaseTransaction,
    id: i32,
    mut stored: HashMap<String, String>,
    members: &[Member],
) -> Result<()> {
    let mut added: Vec<pattern_member::ActiveModel> = Vec::new();
    let mut gone: Vec<String> = Vec::new();
    for member in members {
        let matched = json(&member.matched);
        match stored.remove(&member.reference) {
            Some(before) if before == matched => continue,
            Some(_) => gone.push(member.reference.clone()),
            None => {}
        }
        added.push(pattern_member::ActiveModel {
            pattern_id: Set(id),
            report_id: Set(member.reference.clone()),
            matched: Set(matched),
        });
    }
    gone.extend(stored.into_keys());
    for refs in gone.chunks(MEMBER_ROWS) {
        pattern_member::Entity::delete_many()
            .filter(pattern_member::Column::PatternId.eq(id))
            .filter(pattern_member::Column::ReportId.is_in(refs.to_vec()))
            .exec(txn)
            .await?;
    }
    let mut added = added.into_iter().peekable();
    while added.peek().is_some() {
        let rows: Vec<_> = added.by_ref().take(MEMBER_ROWS).collect();
        pattern_member::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
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
