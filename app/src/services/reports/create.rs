//! Logging a new report: validate, hash a fresh receipt, store in one transaction.

use entities::{publication, report, report_factor};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait};
use time::Date;

use super::input::{Origin, ReportInput, ValidReport, validate};
use crate::{
    codes::{self, ReceiptCode},
    error::{AppError, Result},
    services::{outbox, receipts::ReceiptHasher, taxonomy, trends, units},
    today,
    vocabulary::Status,
};

/// What the reporter gets back, once: the receipt is never shown or stored in clear again.
#[derive(Debug)]
pub struct Created {
    pub report_ref: String,
    pub receipt: ReceiptCode,
    pub status: Status,
}

/// Logs a mistake for an anonymous reporter. Nothing about the request (address, agent,
/// session) is passed in, so nothing about it can be stored.
pub async fn create(
    db: &DatabaseConnection,
    hasher: &ReceiptHasher,
    input: ReportInput,
) -> Result<Created> {
    let factors = taxonomy::factors_by_slug(db).await?;
    let valid = validate(&input, Origin::Reporter, &factors, today()).map_err(AppError::Invalid)?;
    let unit_id = match &valid.unit_path {
        Some(path) => Some(units::existing(db, path).await?),
        None => None,
    };
    let receipt = ReceiptCode::generate();
    let receipt_hash = hasher.hash(&receipt).await?;

    let tx = crate::db::begin_write(db).await?;
    let report_ref = insert_validated(
        &tx,
        valid,
        unit_id,
        Status::Submitted,
        Some(receipt_hash),
        today(),
    )
    .await?;
    tx.commit().await?;
    // No log line: its time of day would date the submission (it is counted in the metrics).
    Ok(Created {
        report_ref,
        receipt,
        status: Status::Submitted,
    })
}

/// Stores a validated report with its factors and its outbox row; the caller owns the
/// transaction. Returns the new random ref.
pub async fn insert_validated(
    tx: &impl ConnectionTrait,
    valid: ValidReport,
    unit_id: Option<i32>,
    status: Status,
    receipt_hash: Option<String>,
    today: Date,
) -> Result<String> {
    let id = unused_ref(tx).await?;
    let factor_ids = valid.factor_ids.clone();
    let publication =
        (status == Status::Published).then(|| published_as_written(&id, &valid, today));
    report::Entity::insert(active_model(
        &id,
        valid,
        unit_id,
        status,
        receipt_hash,
        today,
    ))
    .exec_without_returning(tx)
    .await?;
    if let Some(publication) = publication {
        publication::Entity::insert(publication)
            .exec_without_returning(tx)
            .await?;
    }
    if !factor_ids.is_empty() {
        report_factor::Entity::insert_many(factor_ids.into_iter().map(|factor_id| {
            report_factor::ActiveModel {
                report_id: Set(id.clone()),
                factor_id: Set(factor_id),
            }
        }))
        .exec_without_returning(tx)
        .await?;
    }
    trends::count_new(tx, std::slice::from_ref(&id)).await?;
    // Only what is published is searchable: a submission adds no outbox row, so that no
    // index commit follows it and dates it.
    if status == Status::Published {
        outbox::record_change(tx, &id).await?;
    }
    Ok(id)
}

/// Stores many validated reports at once, with multi-row inserts: the fast path of an
/// import. Refs are random and not checked one by one; in the rare event of a clash the
/// whole call fails and the caller falls back to [`insert_validated`] line by line.
pub async fn insert_many_validated(
    tx: &impl ConnectionTrait,
    reports: Vec<(ValidReport, Option<i32>)>,
    status: Status,
    today: Date,
) -> Result<Vec<String>> {
    let mut refs = Vec::with_capacity(reports.len());
    let mut rows = Vec::with_capacity(reports.len());
    let mut links = Vec::new();
    let mut publications = Vec::new();
    for (valid, unit_id) in reports {
        let id = codes::new_report_ref();
        if status == Status::Published {
            publications.push(published_as_written(&id, &valid, today));
        }
        links.extend(
            valid
                .factor_ids
                .iter()
                .map(|&factor_id| report_factor::ActiveModel {
                    report_id: Set(id.clone()),
                    factor_id: Set(factor_id),
                }),
        );
        rows.push(active_model(&id, valid, unit_id, status, None, today));
        refs.push(id);
    }
    if rows.is_empty() {
        return Ok(refs);
    }
    report::Entity::insert_many(rows)
        .exec_without_returning(tx)
        .await?;
    if !links.is_empty() {
        report_factor::Entity::insert_many(links)
            .exec_without_returning(tx)
            .await?;
    }
    if !publications.is_empty() {
        publication::Entity::insert_many(publications)
            .exec_without_returning(tx)
            .await?;
    }
    // Counted once for the whole batch, not report by report.
    trends::count_new(tx, &refs).await?;
    if status == Status::Published {
        outbox::record_changes(tx, &refs).await?;
    }
    Ok(refs)
}

fn active_model(
    id: &str,
    valid: ValidReport,
    unit_id: Option<i32>,
    status: Status,
    receipt_hash: Option<String>,
    today: Date,
) -> report::ActiveModel {
    report::ActiveModel {
        id: Set(id.to_owned()),
        title: Set(valid.title),
        narrative: Set(valid.narrative),
        channel: Set(valid.channel.map(|c| c.slug().to_owned())),
        audience: Set(valid.audience.map(|a| a.slug().to_owned())),
        impact: Set(valid.impact.map(|i| i.slug().to_owned())),
        what_helped: Set(valid.what_helped),
        lesson: Set(valid.lesson),
        unit_id: Set(unit_id),
        occurred_month: Set(valid.occurred_month),
        tags: Set(valid.tags.join(" ")),
        source_url: Set(valid.source_url),
        status: Set(status.slug().to_owned()),
        submitted_on: Set(today),
        updated_on: Set(today),
        receipt_hash: Set(receipt_hash),
        merged_into: Set(None),
        decided_on: Set((status == Status::Published).then_some(today)),
        raw_purged: Set(false),
    }
}

/// A report published without moderation (an import of already public post-mortems) is
/// published as written.
fn published_as_written(id: &str, valid: &ValidReport, today: Date) -> publication::ActiveModel {
    publication::ActiveModel {
        report_id: Set(id.to_owned()),
        title: Set(valid.title.clone()),
        narrative: Set(valid.narrative.clone()),
        what_helped: Set(valid.what_helped.clone()),
        lesson: Set(valid.lesson.clone()),
        tags: Set(valid.tags.join(" ")),
        reporter_review: Set("not_asked".to_owned()),
        dismissed: Set("[]".to_owned()),
        prepared_on: Set(today),
    }
}

/// A ref that no report has yet. With 50 random bits a clash is rare, but never assumed away.
async fn unused_ref(db: &impl ConnectionTrait) -> Result<String> {
    for _ in 0..8 {
        let candidate = codes::new_report_ref();
        if report::Entity::find_by_id(candidate.clone())
            .one(db)
            .await?
            .is_none()
        {
            return Ok(candidate);
        }
    }
    Err(AppError::Internal(
        "could not find an unused report ref".to_owned(),
    ))
}
