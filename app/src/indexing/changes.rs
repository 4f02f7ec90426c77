//! What the index must do for a set of reports: their current state in the database, read
//! as the index holds it — the published version's text, never the reporter's own.

use std::collections::HashMap;

use entities::{publication, report, report_factor};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use search::{Change, IndexedReport};

use crate::{
    error::Result,
    month::YearMonth,
    services::{taxonomy, units},
    vocabulary::{Audience, Channel, Status},
};

/// What the index must do for each of these reports, given their current state.
pub(super) async fn changes_for(db: &DatabaseConnection, refs: &[String]) -> Result<Vec<Change>> {
    let reports = published_columns(db, refs).await?;
    let (mut texts, mut factors_of) = if reports.is_empty() {
        (HashMap::new(), HashMap::new())
    } else {
        let ids: Vec<String> = reports.iter().map(|r| r.id.clone()).collect();
        (
            published_texts(db, &ids).await?,
            factor_ids(db, &ids).await?,
        )
    };
    let names = Names::load(db).await?;
    let mut published: HashMap<String, IndexedReport> = HashMap::new();
    for report in reports {
        let Some(text) = texts.remove(&report.id) else {
            tracing::warn!(report = %report.id, "a published report has no published text; left out of the index");
            continue;
        };
        let factors = factors_of.remove(&report.id).unwrap_or_default();
        published.insert(report.id.clone(), names.indexed(report, text, factors));
    }
    Ok(refs
        .iter()
        .map(|report_ref| match published.remove(report_ref) {
            Some(report) => Change::Upsert(Box::new(report)),
            None => Change::Remove(report_ref.clone()),
        })
        .collect())
}

/// The indexed columns of those of `refs` that are published.
async fn published_columns(
    db: &DatabaseConnection,
    refs: &[String],
) -> Result<Vec<IndexedColumns>> {
    // By primary key only, the status checked here: with both conditions in SQL, SQLite's
    // planner picks the status index, which every published report shares, and a batch then
    // reads the whole table.
    // Only the columns the index holds: the reporter's own words are not read at all.
    Ok(report::Entity::find()
        .select_only()
        .columns([
            report::Column::Id,
            report::Column::Status,
            report::Column::Channel,
            report::Column::Audience,
            report::Column::Impact,
            report::Column::UnitId,
            report::Column::OccurredMonth,
            report::Column::SubmittedOn,
        ])
        .filter(report::Column::Id.is_in(refs.iter().cloned()))
        .into_model::<IndexedColumns>()
        .all(db)
        .await?
        .into_iter()
        .filter(|r| r.status == Status::Published.slug())
        .collect())
}

/// The published version of each report: readers see the moderator's version only, so that
/// is what gets indexed.
async fn published_texts(
    db: &DatabaseConnection,
    ids: &[String],
) -> Result<HashMap<String, publication::Model>> {
    Ok(publication::Entity::find()
        .filter(publication::Column::ReportId.is_in(ids.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.report_id.clone(), p))
        .collect())
}

/// The contributing factors of each report, by id.
async fn factor_ids(db: &DatabaseConnection, ids: &[String]) -> Result<HashMap<String, Vec<i32>>> {
    let mut factors_of: HashMap<String, Vec<i32>> = HashMap::new();
    for link in report_factor::Entity::find()
        .filter(report_factor::Column::ReportId.is_in(ids.iter().cloned()))
        .all(db)
        .await?
    {
        factors_of
            .entry(link.report_id)
            .or_default()
            .push(link.factor_id);
    }
    Ok(factors_of)
}

/// A contributing factor as the index holds it.
struct FactorTerms {
    slug: String,
    category: String,
    /// The words that name and describe it, as a reader sees them on the lesson.
    words: String,
}

/// What the index needs to know of the taxonomy and the units, read once per batch.
struct Names {
    factors: HashMap<i32, FactorTerms>,
    unit_paths: HashMap<i32, String>,
}

impl Names {
    async fn load(db: &DatabaseConnection) -> Result<Self> {
        let factors = taxonomy::categories(db)
            .await?
            .into_iter()
            .flat_map(|c| {
                let (category, category_name) = (c.slug, c.name);
                c.factors.into_iter().map(move |f| {
                    let words = format!("{}. {}. {}", f.name, f.description, category_name);
                    let terms = FactorTerms {
                        slug: f.slug,
                        category: category.clone(),
                        words,
                    };
                    (f.id, terms)
                })
            })
            .collect();
        let unit_paths = units::list(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.path))
            .collect();
        Ok(Self {
            factors,
            unit_paths,
        })
    }

    /// A published report as the index holds it.
    fn indexed(
        &self,
        report: IndexedColumns,
        text: publication::Model,
        factor_ids: Vec<i32>,
    ) -> IndexedReport {
        let (mut factors, mut categories, mut keywords) = (Vec::new(), Vec::new(), Vec::new());
        for terms in factor_ids.iter().filter_map(|id| self.factors.get(id)) {
            keywords.push(terms.words.as_str());
            factors.push(terms.slug.clone());
            if !categories.contains(&terms.category) {
                categories.push(terms.category.clone());
            }
        }
        let context: Vec<&str> = [
            report
                .channel
                .as_deref()
                .and_then(Channel::from_slug)
                .map(Channel::label),
            report
                .audience
                .as_deref()
                .and_then(Audience::from_slug)
                .map(Audience::label),
        ]
        .into_iter()
        .flatten()
        .collect();
        // When it happened, or else when it was logged.
        let month = report
            .occurred_month
            .as_deref()
            .and_then(|month| YearMonth::parse(month).ok())
            .unwrap_or_else(|| YearMonth::of(report.submitted_on))
            .key();
        let unit = report
            .unit_id
            .and_then(|id| self.unit_paths.get(&id))
            .map(|path| path.split(units::SEPARATOR).map(str::to_owned).collect())
            .unwrap_or_default();
        IndexedReport {
            report_ref: report.id,
            title: text.title,
            narrative: text.narrative,
            lesson: text.lesson,
            what_helped: text.what_helped,
            keywords: keywords.join(". "),
            context: context.join(". "),
            channel: report.channel,
            audience: report.audience,
            impact: report.impact,
            factors,
            categories,
            unit,
            tags: text.tags.split_whitespace().map(str::to_owned).collect(),
            month,
        }
    }
}

/// The columns of a report the index holds besides the published text.
#[derive(Debug, FromQueryResult)]
struct IndexedColumns {
    id: String,
    status: String,
    channel: Option<String>,
    audience: Option<String>,
    impact: Option<String>,
    unit_id: Option<i32>,
    occurred_month: Option<String>,
    submitted_on: time::Date,
}
