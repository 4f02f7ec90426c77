//! The moderation queue: reports waiting for a moderator, oldest first.

use entities::{publication, report, report_message};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use time::Date;

use super::{Draft, ReporterReview};
use crate::{
    codes::ReportRef,
    error::{AppError, Result},
    services::reports::messages::Author,
    vocabulary::Status,
};

#[derive(Clone, Debug)]
pub struct QueueItem {
    pub report_ref: String,
    pub title: String,
    pub status: Status,
    pub submitted_on: Date,
    pub updated_on: Date,
    pub impact: Option<String>,
    pub reporter_review: ReporterReview,
    /// Whether a reporter holds a receipt (imported reports have none).
    pub has_reporter: bool,
    /// The reporter wrote since the last moderator message: an answer, a detail, a request.
    pub reporter_wrote: bool,
}

#[derive(Clone, Debug, Default)]
pub struct QueueCounts {
    pub new: usize,
    pub needs_info: usize,
    pub updated: usize,
    pub awaiting_reporter: usize,
}

/// New and updated reports, oldest first, with counts by state.
pub async fn queue(db: &DatabaseConnection) -> Result<(Vec<QueueItem>, QueueCounts)> {
    let reports = report::Entity::find()
        .filter(report::Column::Status.is_in([Status::Submitted.slug(), Status::NeedsInfo.slug()]))
        .order_by_asc(report::Column::SubmittedOn)
        .order_by_asc(report::Column::Id)
        .all(db)
        .await?;
    let refs: Vec<String> = reports.iter().map(|r| r.id.clone()).collect();
    let reviews: std::collections::HashMap<String, ReporterReview> = publication::Entity::find()
        .filter(publication::Column::ReportId.is_in(refs.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.report_id, ReporterReview::stored(&p.reporter_review)))
        .collect();
    // The last author in each conversation, read in each conversation's order.
    let mut last_author: std::collections::HashMap<String, String> =
        std::collections::HashMap::new();
    for message in report_message::Entity::find()
        .filter(report_message::Column::ReportId.is_in(refs))
        .order_by_asc(report_message::Column::ReportId)
        .order_by_asc(report_message::Column::Seq)
        .all(db)
        .await?
    {
        last_author.insert(message.report_id, message.author);
    }
    let mut counts = QueueCounts::default();
    let items: Vec<QueueItem> = reports
        .into_iter()
        .filter_map(|r| {
            let status = Status::from_slug(&r.status)?;
            let reporter_review = reviews
                .get(&r.id)
                .copied()
                .unwrap_or(ReporterReview::NotAsked);
            let reporter_wrote = last_author
                .get(&r.id)
                .is_some_and(|a| a == Author::Reporter.slug())
                || reporter_review == ReporterReview::ChangesRequested
                || reporter_review == ReporterReview::Approved;
            match (status, reporter_wrote) {
                (Status::NeedsInfo, _) => counts.needs_info += 1,
                (_, true) => counts.updated += 1,
                _ if reporter_review == ReporterReview::Pending => counts.awaiting_reporter += 1,
                _ => counts.new += 1,
            }
            Some(QueueItem {
                report_ref: r.id,
                title: r.title,
                status,
                submitted_on: r.submitted_on,
                updated_on: r.updated_on,
                impact: r.impact,
                reporter_review,
                has_reporter: r.receipt_hash.is_some(),
                reporter_wrote,
            })
        })
        .collect();
    Ok((items, counts))
}

/// A report a moderator has just decided on, for the queue to confirm what happened.
#[derive(Clone, Debug)]
pub struct Decided {
    pub report_ref: String,
    /// The published version's title, or the reporter's where none was saved.
    pub title: String,
    pub status: Status,
    /// The lesson it was merged into: its ref and title.
    pub merged_into: Option<(String, String)>,
}

/// What became of `report_ref`, if a moderator decided on it; `None` for any other ref, so
/// that an address typed by hand shows the queue alone.
pub async fn decided(db: &DatabaseConnection, report_ref: &ReportRef) -> Result<Option<Decided>> {
    let Some((report, status, title)) = titled(db, report_ref).await? else {
        return Ok(None);
    };
    if !matches!(
        status,
        Status::Published | Status::Rejected | Status::Merged
    ) {
        return Ok(None);
    }
    let merged_into = match report.merged_into.as_deref().and_then(ReportRef::parse) {
        Some(target) => titled(db, &target)
            .await?
            .map(|(target, _, title)| (target.id, title)),
        None => None,
    };
    Ok(Some(Decided {
        report_ref: report.id,
        title,
        status,
        merged_into,
    }))
}

async fn titled(
    db: &DatabaseConnection,
    report_ref: &ReportRef,
) -> Result<Option<(report::Model, Status, String)>> {
    let report = match super::find(db, report_ref).await {
        Ok(report) => report,
        Err(AppError::NotFound(_)) => return Ok(None),
        Err(error) => return Err(error),
    };
    let status = super::status_of(&report)?;
    let publication = publication::Entity::find_by_id(report.id.clone())
        .one(db)
        .await?;
    let title = Draft::current(&report, publication.as_ref()).title;
    Ok(Some((report, status, title)))
}
