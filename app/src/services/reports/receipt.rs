//! What a reporter can do with the receipt code alone: see the status, add detail, withdraw.

use entities::{report, report_message};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, TransactionTrait,
};
use time::Date;

use super::input::MAX_TEXT;
use crate::{
    codes::ReceiptCode,
    error::{AppError, Result},
    services::{outbox, receipts::ReceiptHasher},
    today,
    vocabulary::Status,
};

#[derive(Clone, Debug)]
pub struct MessageView {
    /// `reporter` or `moderator`.
    pub author: String,
    pub kind: String,
    pub body: String,
    pub created_on: Date,
}

#[derive(Clone, Debug)]
pub struct ReceiptView {
    pub report_ref: String,
    pub title: String,
    pub status: Status,
    pub submitted_on: Date,
    pub messages: Vec<MessageView>,
}

impl ReceiptView {
    pub fn can_change(&self) -> bool {
        self.status.is_open()
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
    let messages = report_message::Entity::find()
        .filter(report_message::Column::ReportId.eq(report.id.clone()))
        .order_by_asc(report_message::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| MessageView {
            author: m.author,
            kind: m.kind,
            body: m.body,
            created_on: m.created_on,
        })
        .collect();
    Ok(ReceiptView {
        status: Status::from_slug(&report.status)
            .ok_or_else(|| AppError::Internal(format!("unknown status {}", report.status)))?,
        report_ref: report.id,
        title: report.title,
        submitted_on: report.submitted_on,
        messages,
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

/// Adds the reporter's further detail to the conversation around the report.
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

    let tx = db.begin().await?;
    report_message::Entity::insert(report_message::ActiveModel {
        id: NotSet,
        report_id: Set(report.id.clone()),
        author: Set("reporter".to_owned()),
        kind: Set("detail".to_owned()),
        body: Set(detail.to_owned()),
        created_on: Set(today()),
    })
    .exec(&tx)
    .await?;
    let mut changed: report::ActiveModel = report.into();
    changed.updated_on = Set(today());
    let report = changed.update(&tx).await?;
    outbox::record_change(&tx, &report.id).await?;
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
    let tx = db.begin().await?;
    let mut changed: report::ActiveModel = report.into();
    changed.status = Set(Status::Withdrawn.slug().to_owned());
    changed.updated_on = Set(today());
    let report = changed.update(&tx).await?;
    outbox::record_change(&tx, &report.id).await?;
    tx.commit().await?;
    tracing::info!("a report was withdrawn by its reporter");
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
