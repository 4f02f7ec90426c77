//! The monthly digest: the lessons published in a month, the ones readers found most helpful,
//! the new recurring patterns across teams and the guideline changes; on a page and by email.

pub mod job;
pub mod mail;
pub mod subscriptions;

use entities::{guideline, guideline_revision, pattern, publication, reader_signal, report};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use time::{Date, Month};

use crate::{
    error::{AppError, Result},
    month::YearMonth,
    services::{
        guidelines::ChangeKind,
        patterns::{PatternKind, PatternStatus},
        signals::SignalKind,
    },
    vocabulary::Status,
};

/// Lessons listed as "lessons of the month"; more are a search away.
const LESSONS: u64 = 20;
/// Lessons listed as the most helpful.
const MOST_HELPFUL: u64 = 5;

/// One month's digest.
#[derive(Clone, Debug, Serialize)]
pub struct Digest {
    /// `YYYY-MM`.
    pub month: String,
    /// "March 2026".
    pub month_name: String,
    pub lessons: Vec<DigestLesson>,
    pub most_helpful: Vec<DigestLesson>,
    pub patterns: Vec<DigestPattern>,
    pub guideline_changes: Vec<DigestChange>,
}

impl Digest {
    /// Whether the month brought nothing to tell.
    pub fn is_empty(&self) -> bool {
        self.lessons.is_empty()
            && self.most_helpful.is_empty()
            && self.patterns.is_empty()
            && self.guideline_changes.is_empty()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct DigestLesson {
    pub reference: String,
    pub title: String,
    /// The published lesson, the part a busy reader most needs.
    pub lesson: String,
    /// Readers who said it helped them, in the month.
    pub helped: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct DigestPattern {
    pub id: i32,
    pub title: String,
    pub explanation: String,
    pub unit_count: i32,
}

#[derive(Clone, Debug, Serialize)]
pub struct DigestChange {
    pub slug: String,
    pub guideline: String,
    pub number: i32,
    pub change: &'static str,
    pub anchor: Option<String>,
    pub rationale: String,
    pub effective_from: String,
}

/// The month whose digest is sent on `day`: the month before, which is complete.
pub fn due_month(day: Date) -> YearMonth {
    YearMonth::of(YearMonth::of(day).first_day().previous_day().unwrap_or(day))
}

/// Reads `YYYY-MM` from a page's path, refusing months of the future.
pub fn month_of_path(text: &str, today: Date) -> Result<YearMonth> {
    let month = YearMonth::parse(text)
        .ok()
        .filter(|m| text.len() == 7 && *m <= YearMonth::of(today))
        .ok_or(AppError::NotFound("digest"))?;
    Ok(month)
}

/// The last day of the month.
pub fn last_day(month: YearMonth) -> Date {
    next_first_day(month).previous_day().unwrap_or(Date::MIN)
}

/// The first day after the month.
fn next_first_day(month: YearMonth) -> Date {
    let first = month.first_day();
    let (year, next) = match first.month() {
        Month::December => (first.year() + 1, Month::January),
        m => (first.year(), m.next()),
    };
    Date::from_calendar_date(year, next, 1).unwrap_or(Date::MAX)
}

/// The digest of `month`.
pub async fn build(db: &DatabaseConnection, month: YearMonth) -> Result<Digest> {
    let (from, until) = (month.first_day(), next_first_day(month));
    let published = report::Entity::find()
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .filter(report::Column::DecidedOn.gte(from))
        .filter(report::Column::DecidedOn.lt(until))
        .order_by_desc(report::Column::DecidedOn)
        .order_by_asc(report::Column::Id)
        .limit(LESSONS)
        .select_only()
        .column(report::Column::Id)
        .into_tuple::<String>()
        .all(db)
        .await?;
    let helped: Vec<(String, i64)> = reader_signal::Entity::find()
        .filter(reader_signal::Column::Kind.eq(SignalKind::Helped.slug()))
        .filter(reader_signal::Column::Month.eq(month.to_string()))
        .select_only()
        .column(reader_signal::Column::ReportId)
        .column_as(reader_signal::Column::DedupKey.count(), "helped")
        .group_by(reader_signal::Column::ReportId)
        .into_tuple()
        .all(db)
        .await?;
    let lessons = lessons_of(db, &published, &helped).await?;
    let mut ranked = helped.clone();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let ranked: Vec<String> = ranked.into_iter().map(|(id, _)| id).collect();
    let mut most_helpful = lessons_of(db, &ranked, &helped).await?;
    most_helpful.truncate(usize::try_from(MOST_HELPFUL).unwrap_or(5));
    Ok(Digest {
        month: month.to_string(),
        month_name: format!("{} {}", month.first_day().month(), month.year()),
        lessons,
        most_helpful,
        patterns: new_patterns(db, month).await?,
        guideline_changes: guideline_changes(db, from, until).await?,
    })
}

/// The published versions of the lessons `ids`, in that order; unpublished ones are left out.
async fn lessons_of(
    db: &DatabaseConnection,
    ids: &[String],
    helped: &[(String, i64)],
) -> Result<Vec<DigestLesson>> {
    let still_published: Vec<String> = report::Entity::find()
        .filter(report::Column::Id.is_in(ids.iter().cloned()))
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .select_only()
        .column(report::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let texts = publication::Entity::find()
        .filter(publication::Column::ReportId.is_in(still_published))
        .all(db)
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| texts.iter().find(|t| &t.report_id == id))
        .map(|t| DigestLesson {
            reference: t.report_id.clone(),
            title: t.title.clone(),
            lesson: t.lesson.clone(),
            helped: helped
                .iter()
                .find(|(id, _)| *id == t.report_id)
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0)),
        })
        .collect())
}

/// Patterns across teams, shown to readers, not yet acknowledged (or back after being
/// addressed) and occurring in the month or later. Local patterns stay with the staff: they
/// point at one team.
async fn new_patterns(db: &DatabaseConnection, month: YearMonth) -> Result<Vec<DigestPattern>> {
    Ok(pattern::Entity::find()
        .filter(pattern::Column::Active.eq(true))
        .filter(pattern::Column::Kind.ne(PatternKind::Local.slug()))
        .filter(
            pattern::Column::Status
                .is_in([PatternStatus::New.slug(), PatternStatus::Regressed.slug()]),
        )
        .filter(pattern::Column::LastSeen.gte(month.to_string()))
        .order_by_desc(pattern::Column::Score)
        .limit(10)
        .all(db)
        .await?
        .into_iter()
        .map(|p| DigestPattern {
            id: p.id,
            title: p.title,
            explanation: p.explanation,
            unit_count: p.unit_count,
        })
        .collect())
}

async fn guideline_changes(
    db: &DatabaseConnection,
    from: Date,
    until: Date,
) -> Result<Vec<DigestChange>> {
    let rows = guideline_revision::Entity::find()
        .filter(guideline_revision::Column::ChangedOn.gte(from.midnight()))
        .filter(guideline_revision::Column::ChangedOn.lt(until.midnight()))
        .order_by_desc(guideline_revision::Column::ChangedOn)
        .all(db)
        .await?;
    let guidelines = guideline::Entity::find()
        .filter(guideline::Column::Id.is_in(rows.iter().map(|r| r.guideline_id)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let g = guidelines.iter().find(|g| g.id == row.guideline_id)?;
            Some(DigestChange {
                slug: g.slug.clone(),
                guideline: g.title.clone(),
                number: row.number,
                change: ChangeKind::from_slug(&row.change).map_or("Changed", |c| c.label()),
                anchor: row.anchor,
                rationale: row.rationale,
                effective_from: row.effective_from.to_string(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_digest_due_is_of_the_month_before() {
        assert_eq!(due_month(date!(2026 - 03 - 01)).to_string(), "2026-02");
        assert_eq!(due_month(date!(2026 - 01 - 31)).to_string(), "2025-12");
        assert_eq!(
            next_first_day(YearMonth::of(date!(2025 - 12 - 05))),
            date!(2026 - 01 - 01)
        );
    }

    #[test]
    fn a_digest_page_is_of_a_past_or_present_month() {
        let today = date!(2026 - 03 - 14);
        assert!(month_of_path("2026-03", today).is_ok());
        assert!(month_of_path("2026-04", today).is_err());
        assert!(month_of_path("2026-03-01", today).is_err());
        assert!(month_of_path("march", today).is_err());
    }
}
