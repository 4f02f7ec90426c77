//! Reading a published report: the shared lesson as readers see it.

use entities::{publication, report};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    codes::ReportRef,
    error::{AppError, Result},
    services::{taxonomy, units},
    vocabulary::{Audience, Channel, Impact, Status},
};

#[derive(Clone, Debug)]
pub struct FactorView {
    pub slug: String,
    pub name: String,
    pub category: String,
}

#[derive(Clone, Debug)]
pub struct ReportView {
    pub report_ref: String,
    pub title: String,
    pub narrative: String,
    pub channel: Option<Channel>,
    pub audience: Option<Audience>,
    pub impact: Option<Impact>,
    pub factors: Vec<FactorView>,
    pub what_helped: String,
    pub lesson: String,
    pub unit: Option<String>,
    pub occurred_month: Option<String>,
    pub tags: Vec<String>,
    pub source_url: Option<String>,
    /// The month it was logged: the day is not shown, even where it is stored.
    pub logged_month: String,
}

/// A published report. Anything else — unknown, submitted, withdrawn — is the same 404, so
/// that nobody can learn that an unpublished report exists.
pub async fn get_published(db: &DatabaseConnection, report_ref: &ReportRef) -> Result<ReportView> {
    let not_found = || AppError::NotFound("report");
    let report = find_published(db, report_ref).await?;
    // Readers see the moderator's de-identified version, never the reporter's own words.
    let text = publication::Entity::find_by_id(report.id.clone())
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let unit = match report.unit_id {
        Some(id) => units::path_of(db, id).await?,
        None => None,
    };
    let factors = taxonomy::factors_of(db, &report.id)
        .await?
        .into_iter()
        .map(|f| FactorView {
            slug: f.slug,
            name: f.name,
            category: f.category,
        })
        .collect();
    Ok(ReportView {
        logged_month: crate::month_of(report.submitted_on),
        report_ref: report.id,
        title: text.title,
        narrative: text.narrative,
        channel: report.channel.as_deref().and_then(Channel::from_slug),
        audience: report.audience.as_deref().and_then(Audience::from_slug),
        impact: report.impact.as_deref().and_then(Impact::from_slug),
        factors,
        what_helped: text.what_helped,
        lesson: text.lesson,
        unit,
        occurred_month: report.occurred_month,
        tags: text.tags.split_whitespace().map(str::to_owned).collect(),
        source_url: report.source_url,
    })
}

/// The published report's row; anything else is the same 404 as [`get_published`]'s.
pub async fn find_published(
    db: &DatabaseConnection,
    report_ref: &ReportRef,
) -> Result<report::Model> {
    let not_found = || AppError::NotFound("report");
    report::Entity::find_by_id(report_ref.as_str())
        .one(db)
        .await?
        .filter(|r| r.status == Status::Published.slug())
        .ok_or_else(not_found)
}

/// How many shared lessons there are.
pub async fn count_published(db: &DatabaseConnection) -> Result<u64> {
    Ok(report::Entity::find()
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .count(db)
        .await?)
}
