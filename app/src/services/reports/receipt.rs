//! What a reporter can do with the receipt code alone: see the status, add detail, withdraw.

use entities::{publication, report};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use time::Date;

use super::{
    changes::{FieldChanges, changes},
    input::MAX_TEXT,
    messages::{self, Author, MessageKind, MessageView},
    read::{ReportView, get_published},
};
use crate::{
    codes::{ReceiptCode, ReportRef},
    error::{AppError, Result},
    services::{
        moderation::{Draft, ReporterReview},
        outbox,
        receipts::ReceiptHasher,
        trends::Recount,
    },
    today,
    vocabulary::Status,
};

#[derive(Clone, Debug)]
pub struct ReceiptView {
    pub report_ref: String,
    pub title: String,
    pub status: Status,
    pub submitted_on: Date,
    pub messages: Vec<MessageView>,
    /// The de-identified version a moderator offered for approval, while it is in play:
    /// until the report is published or otherwise decided.
    pub proposed: Option<Draft>,
    pub review: ReporterReview,
    /// The reporter's own words, against which the offered version is shown.
    pub own_words: Draft,
    /// The shared lesson as readers see it, once published: the receipt is enough to read
    /// it, where reading lessons otherwise needs an account.
    pub lesson: Option<ReportView>,
}

impl ReceiptView {
    pub fn can_change(&self) -> bool {
        self.status.is_open()
    }

    /// The day the report was logged, while it is kept: publishing keeps only the month.
    pub fn logged_day(&self) -> Option<Date> {
        matches!(self.status, Status::Submitted | Status::NeedsInfo).then_some(self.submitted_on)
    }

    /// What the offered version changes in the reporter's words, text by text.
    pub fn changes(&self) -> Option<Vec<FieldChanges>> {
        let offered = self.proposed.as_ref()?;
        Some(changes(&self.own_words, offered))
    }
}

/// The report a receipt belongs to. A malformed code and an unknown one get the same answer.
async fn find(
    db: &DatabaseConnection,
    hasher: &ReceiptHasher,
    code: &str,
) -> Result<report::Model> {
    let code = ReceiptCode::parse(code).ok_or(AppError::UnknownReceipt)?;
    let hash = hasher.hash(&code).await?;
    report::Entity::find()
        .filter(report::Column::ReceiptHash.eq(hash))
        .one(db)
        .await?
        .ok_or(AppError::UnknownReceipt)
}

async fn view(db: &DatabaseConnection, report: report::Model) -> Result<ReceiptView> {
    let messages = messages::list(db, &report.id).await?;
    let publication = publication::Entity::find_by_id(report.id.clone())
        .one(db)
        .await?;
    let review = ReporterReview::of(publication.as_ref());
    let status = Status::from_slug(&report.status)
        .ok_or_else(|| AppError::Internal(format!("unknown status {}", report.status)))?;
    let in_play = matches!(status, Status::Submitted | Status::NeedsInfo);
    let proposed = publication
        .filter(|_| review != ReporterReview::NotAsked && in_play)
        .map(|p| Draft::from_publication(&p));
    let lesson = if status == Status::Published {
        Some(get_published(db, &ReportRef::of_stored(&report.id)?).await?)
    } else {
        None
    };
    Ok(ReceiptView {
        status,
        own_words: Draft::from_raw(&report),
        lesson,
        report_ref: report.id,
        title: report.title,
        submitted_on: report.submitted_on,
        messages,
        proposed,
        review,
    })
}

pub async fn status(
    db: &DatabaseConnection,
    hasher: &ReceiptHasher,
    code: &str,
) -> Result<ReceiptView> {
    let report = find(db, hasher, code).await?;
    view(db, report).await
}

/// Adds the reporter's further detail to the conversation around the report. While a
/// moderator's question is open, the detail is the answer, and the report goes back to them.
pub async fn add_detail(
    db: &DatabaseConnection,
    hasher: &ReceiptHasher,
    code: &str,
    detail: &str,
) -> Result<ReceiptView> {
    let detail = detail.trim();
    if detail.is_empty() {
        return Err(AppError::invalid("detail", "is required"));
    }
    let length = detail.chars().count();
    if length > MAX_TEXT {
        return Err(AppError::invalid(
            "detail",
            format!("is {length} characters long; the limit is {MAX_TEXT}"),
        ));
    }
    if detail.contains('\0') {
        return Err(AppError::invalid("detail", "contains control characters"));
    }
    let report = find(db, hasher, code).await?;
    ensure_open(&report)?;
    let answering = report.status == Status::NeedsInfo.slug();

    let tx = crate::db::begin_write(db).await?;
    let recount = Recount::before(&tx, &[&report.id]).await?;
    let kind = if answering {
        MessageKind::Answer
    } else {
        MessageKind::Detail
    };
    messages::add(&tx, &report.id, Author::Reporter, kind, detail).await?;
    let mut changes = report::Entity::update_many()
        .col_expr(report::Column::UpdatedOn, Expr::value(today()))
        .filter(report::Column::Id.eq(report.id.clone()));
    if answering {
        // Back to the moderators only while the question is still open: a decision taken in
        // the meantime stands.
        changes = changes.col_expr(
            report::Column::Status,
            Expr::case(
                report::Column::Status.eq(Status::NeedsInfo.slug()),
                Status::Submitted.slug(),
            )
            .finally(Expr::col(report::Column::Status))
            .into(),
        );
    }
    // No outbox row: a detail changes nothing searchable, and an index commit caused by it
    // would date the reporter's visit.
    changes.exec(&tx).await?;
    recount.apply(&tx).await?;
    let report = report::Entity::find_by_id(report.id.clone())
        .one(&tx)
        .await?
        .ok_or(AppError::UnknownReceipt)?;
    tx.commit().await?;
    view(db, report).await
}

/// Withdraws the report: it leaves the moderation queue and, if published, the shared lessons.
pub async fn withdraw(
    db: &DatabaseConnection,
    hasher: &ReceiptHasher,
    code: &str,
) -> Result<ReceiptView> {
    let report = find(db, hasher, code).await?;
    ensure_open(&report)?;
    let was_published = report.status == Status::Published.slug();
    let tx = crate::db::begin_write(db).await?;
    let recount = Recount::before(&tx, &[&report.id]).await?;
    let mut changed: report::ActiveModel = report.into();
    changed.status = Set(Status::Withdrawn.slug().to_owned());
    changed.updated_on = Set(today());
    // The retention period counts from here, as from a moderator's decision.
    changed.decided_on = Set(Some(today()));
    let report = changed.update(&tx).await?;
    recount.apply(&tx).await?;
    // Only a published report is in the index; any other withdrawal leaves no trace there.
    if was_published {
        outbox::record_change(&tx, &report.id).await?;
    }
    tx.commit().await?;
    view(db, report).await
}

/// The reporter approves the de-identified version, or asks for a change and says which.
///
/// `version` is the [`Draft::version`] the reporter read; when it is given and the version
/// has changed since, nothing is recorded and they are shown the new one.
pub async fn review_version(
    db: &DatabaseConnection,
    hasher: &ReceiptHasher,
    code: &str,
    version: Option<&str>,
    approve: bool,
    comment: &str,
) -> Result<ReceiptView> {
    let comment = comment.trim();
    if !approve && comment.is_empty() {
        return Err(AppError::invalid(
            "comment",
            "say what should change, so the moderator can do it",
        ));
    }
    if comment.chars().count() > MAX_TEXT || comment.contains('\0') {
        return Err(AppError::invalid(
            "comment",
            format!("keep it under {MAX_TEXT} characters of plain text"),
        ));
    }
    let report = find(db, hasher, code).await?;
    ensure_open(&report)?;
    if report.status == Status::Published.slug() {
        return Err(AppError::Conflict(
            "this lesson is already published: to change it, write to the moderators below"
                .to_owned(),
        ));
    }
    let tx = crate::db::begin_write(db).await?;
    let recount = Recount::before(&tx, &[&report.id]).await?;
    let Some(publication) = publication::Entity::find_by_id(report.id.clone())
        .one(&tx)
        .await?
    else {
        return Err(AppError::Conflict(
            "no version has been offered to you yet".to_owned(),
        ));
    };
    if ReporterReview::of(Some(&publication)) == ReporterReview::NotAsked {
        return Err(AppError::Conflict(
            "no version has been offered to you yet".to_owned(),
        ));
    }
    if version.is_some_and(|v| v != Draft::from_publication(&publication).version()) {
        return Err(AppError::Conflict(
            "a moderator changed the version since you opened it: please read the new one below"
                .to_owned(),
        ));
    }
    let review = if approve {
        ReporterReview::Approved
    } else {
        ReporterReview::ChangesRequested
    };
    let mut changed: publication::ActiveModel = publication.into();
    changed.reporter_review = Set(review.slug().to_owned());
    changed.update(&tx).await?;
    if !comment.is_empty() {
        let kind = if approve {
            MessageKind::Detail
        } else {
            MessageKind::ChangeRequest
        };
        messages::add(&tx, &report.id, Author::Reporter, kind, comment).await?;
    }
    let mut touched: report::ActiveModel = report.into();
    touched.updated_on = Set(today());
    let report = touched.update(&tx).await?;
    recount.apply(&tx).await?;
    tx.commit().await?;
    view(db, report).await
}

fn ensure_open(report: &report::Model) -> Result<()> {
    match Status::from_slug(&report.status) {
        Some(status) if status.is_open() => Ok(()),
        Some(status) => Err(AppError::Conflict(format!(
            "this report is {}: it no longer takes changes",
            status.label().to_lowercase()
        ))),
        None => Err(AppError::Internal(format!(
            "unknown status {}",
            report.status
        ))),
    }
}
