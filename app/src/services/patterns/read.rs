//! Reading stored patterns, as each role may, and changing their status.

use entities::{pattern, pattern_member, publication};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::{PatternKind, PatternStatus, StatusDecision, store::this_month};
use crate::{
    error::{AppError, Result},
    services::{
        accounts::{Account, Role},
        audit::{self, AuditAction},
    },
};

/// The longest dismissal reason kept.
const REASON_LIMIT: usize = 1000;

/// A pattern as policy owners and moderators see it in a list.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PatternSummary {
    pub id: i32,
    pub signature: String,
    pub kind: PatternKind,
    pub title: String,
    pub explanation: String,
    pub terms: Vec<String>,
    pub factors: Vec<String>,
    pub channel: Option<String>,
    pub unit: Option<String>,
    pub occurrences: u32,
    pub units: Vec<String>,
    pub first_seen: String,
    pub last_seen: String,
    pub trend: String,
    pub trend_current: u32,
    pub trend_previous: u32,
    pub score: f64,
    pub status: PatternStatus,
    pub dismissal_reason: Option<String>,
    pub reports: Vec<String>,
}

/// A member report with the pattern's words as it wrote them.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MemberView {
    pub reference: String,
    pub title: String,
    /// The published narrative, where the matching words are shown.
    pub excerpt: String,
    pub matched: Vec<String>,
}

/// One pattern with its members and its occurrences by month.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PatternDetail {
    pub summary: PatternSummary,
    pub members: Vec<MemberView>,
    pub by_month: Vec<(String, u32)>,
}

/// A pattern as readers see it from a lesson: no units, no counts per unit.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ReaderPattern {
    pub id: i32,
    pub title: String,
    pub explanation: String,
    pub unit_count: u32,
    pub members: Vec<MemberView>,
}

#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub status: Option<PatternStatus>,
    pub kind: Option<PatternKind>,
    /// A unit's path: patterns seen in it or in a unit under it.
    pub unit: Option<String>,
}

fn list_of<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_default()
}

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn summary(row: pattern::Model, reports: Vec<String>) -> PatternSummary {
    PatternSummary {
        id: row.id,
        kind: PatternKind::from_slug(&row.kind).unwrap_or(PatternKind::Theme),
        status: PatternStatus::from_slug(&row.status).unwrap_or(PatternStatus::New),
        terms: list_of(&row.terms),
        factors: list_of(&row.factors),
        units: list_of(&row.units),
        occurrences: count(row.occurrences),
        trend_current: count(row.trend_current),
        trend_previous: count(row.trend_previous),
        signature: row.signature,
        title: row.title,
        explanation: row.explanation,
        channel: row.channel,
        unit: row.unit,
        first_seen: row.first_seen,
        last_seen: row.last_seen,
        trend: row.trend,
        score: row.score,
        dismissal_reason: row.dismissal_reason,
        reports,
    }
}

/// Local patterns are the moderators' (and admins'): policy owners see cross-team ones.
fn may_see(viewer: &Account, kind: &str) -> bool {
    match viewer.role {
        Role::Moderator | Role::Admin => true,
        Role::PolicyOwner => kind != PatternKind::Local.slug(),
        Role::Reader => false,
    }
}

fn require_staff(viewer: &Account) -> Result<()> {
    match viewer.role {
        Role::Reader => Err(AppError::Forbidden("a policy owner or moderator account")),
        _ => Ok(()),
    }
}

fn under(unit: &str, path: &str) -> bool {
    path == unit
        || path
            .strip_prefix(unit)
            .is_some_and(|rest| rest.starts_with('/'))
}

async fn members_of(db: &DatabaseConnection, id: i32) -> Result<Vec<pattern_member::Model>> {
    Ok(pattern_member::Entity::find()
        .filter(pattern_member::Column::PatternId.eq(id))
        .order_by_asc(pattern_member::Column::ReportId)
        .all(db)
        .await?)
}

/// The patterns the last run found, strongest first, as the viewer may see them.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Account,
    filters: &Filters,
) -> Result<Vec<PatternSummary>> {
    require_staff(viewer)?;
    let mut found = all(db, filters).await?;
    found.retain(|p| may_see(viewer, p.kind.slug()));
    Ok(found)
}

/// How many patterns the viewer sees that nobody has dealt with yet: new or regressed.
pub async fn open_count(db: &DatabaseConnection, viewer: &Account) -> Result<usize> {
    let found = list(db, viewer, &Filters::default()).await?;
    Ok(found
        .iter()
        .filter(|p| matches!(p.status, PatternStatus::New | PatternStatus::Regressed))
        .count())
}

/// Every pattern the last run found, local ones too, strongest first: for the command line.
pub async fn all(db: &DatabaseConnection, filters: &Filters) -> Result<Vec<PatternSummary>> {
    let rows = pattern::Entity::find()
        .filter(pattern::Column::Active.eq(true))
        .order_by_desc(pattern::Column::Score)
        .order_by_asc(pattern::Column::Id)
        .all(db)
        .await?;
    let mut members: std::collections::HashMap<i32, Vec<String>> = Default::default();
    for member in pattern_member::Entity::find()
        .order_by_asc(pattern_member::Column::ReportId)
        .all(db)
        .await?
    {
        members
            .entry(member.pattern_id)
            .or_default()
            .push(member.report_id);
    }
    Ok(rows
        .into_iter()
        .filter(|row| filters.status.is_none_or(|s| row.status == s.slug()))
        .filter(|row| filters.kind.is_none_or(|k| row.kind == k.slug()))
        .map(|row| {
            let reports = members.remove(&row.id).unwrap_or_default();
            summary(row, reports)
        })
        .filter(|p| {
            filters
                .unit
                .as_deref()
                .is_none_or(|unit| p.units.iter().chain(&p.unit).any(|path| under(unit, path)))
        })
        .collect())
}

async fn find(db: &impl sea_orm::ConnectionTrait, id: i32) -> Result<pattern::Model> {
    pattern::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("pattern"))
}

async fn member_views(db: &DatabaseConnection, id: i32) -> Result<Vec<MemberView>> {
    let members = members_of(db, id).await?;
    let refs: Vec<String> = members.iter().map(|m| m.report_id.clone()).collect();
    let mut texts: std::collections::HashMap<String, (String, String)> =
        publication::Entity::find()
            .filter(publication::Column::ReportId.is_in(refs))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.report_id, (p.title, p.narrative)))
            .collect();
    Ok(members
        .into_iter()
        .map(|m| {
            let (title, excerpt) = texts.remove(&m.report_id).unwrap_or_default();
            MemberView {
                title,
                excerpt,
                matched: list_of(&m.matched),
                reference: m.report_id,
            }
        })
        .collect())
}

/// One pattern, as the viewer may see it: a hidden one is not found.
pub async fn get(db: &DatabaseConnection, viewer: &Account, id: i32) -> Result<PatternDetail> {
    require_staff(viewer)?;
    let row = find(db, id).await?;
    if !may_see(viewer, &row.kind) {
        return Err(AppError::NotFound("pattern"));
    }
    let members = member_views(db, id).await?;
    let by_month: Vec<(String, u32)> = list_of(&row.by_month);
    let reports = members.iter().map(|m| m.reference.clone()).collect();
    Ok(PatternDetail {
        summary: summary(row, reports),
        members,
        by_month,
    })
}

/// Whether readers may see a pattern: found by the last run, across teams, not dismissed.
fn shown_to_readers(row: &pattern::Model) -> bool {
    row.active
        && row.kind != PatternKind::Local.slug()
        && row.status != PatternStatus::Dismissed.slug()
}

/// The pattern a published lesson is part of, for its readers: the strongest one shown.
pub async fn for_report(db: &DatabaseConnection, report_ref: &str) -> Result<Option<(i32, u32)>> {
    let ids: Vec<i32> = pattern_member::Entity::find()
        .filter(pattern_member::Column::ReportId.eq(report_ref))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.pattern_id)
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    Ok(pattern::Entity::find()
        .filter(pattern::Column::Id.is_in(ids))
        .order_by_desc(pattern::Column::Score)
        .all(db)
        .await?
        .into_iter()
        .find(shown_to_readers)
        .map(|row| (row.id, count(row.unit_count))))
}

/// A pattern as readers see it: its title, explanation and member lessons.
pub async fn reader_view(db: &DatabaseConnection, id: i32) -> Result<ReaderPattern> {
    let row = find(db, id).await?;
    if !shown_to_readers(&row) {
        return Err(AppError::NotFound("pattern"));
    }
    Ok(ReaderPattern {
        id: row.id,
        title: row.title,
        explanation: row.explanation,
        unit_count: count(row.unit_count),
        members: member_views(db, id).await?,
    })
}

/// Acknowledges, dismisses (with a reason) or marks addressed a pattern, with an audit entry.
/// `new` and `regressed` come from detection alone.
pub async fn set_status(
    db: &DatabaseConnection,
    actor: &Account,
    id: i32,
    decision: StatusDecision,
    reason: Option<&str>,
) -> Result<PatternSummary> {
    require_staff(actor)?;
    let status = PatternStatus::from(decision);
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if status == PatternStatus::Dismissed && reason.is_none() {
        return Err(AppError::invalid(
            "reason",
            "is needed to dismiss a pattern: say why it is not a real recurring problem",
        ));
    }
    if reason.is_some_and(|r| r.chars().count() > REASON_LIMIT) {
        return Err(AppError::invalid(
            "reason",
            format!("is longer than {REASON_LIMIT} characters"),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let row = find(&txn, id).await?;
    if !may_see(actor, &row.kind) {
        return Err(AppError::NotFound("pattern"));
    }
    let mut update: pattern::ActiveModel = row.clone().into();
    update.status = Set(status.slug().to_owned());
    if status == PatternStatus::Dismissed {
        update.dismissal_reason = Set(reason.map(str::to_owned));
        update.occurrences_at_dismissal = Set(Some(row.occurrences));
    }
    if status == PatternStatus::Addressed {
        update.addressed_in = Set(Some(this_month().to_string()));
    }
    let updated = update.update(&txn).await?;
    let detail = match reason {
        Some(reason) => format!("{}: {reason}", status.slug()),
        None => status.slug().to_owned(),
    };
    audit::record(
        &txn,
        actor,
        AuditAction::PatternStatus,
        Some(&id.to_string()),
        detail,
    )
    .await?;
    txn.commit().await?;
    let reports = members_of(db, id)
        .await?
        .into_iter()
        .map(|m| m.report_id)
        .collect();
    Ok(summary(updated, reports))
}
