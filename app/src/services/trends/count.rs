//! The counts behind a trend report: a few grouped queries over indexed columns, whose
//! answers are small (groups, not reports) whatever the number of reports.
//!
//! "Received" counts every report logged in the period but the withdrawn ones, by the day
//! it was logged; "published" counts the lessons published in the period, by the day of
//! publication, and every breakdown is of those. Dates are days already, so grouping them by
//! month dates no one more precisely than the tables do.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sea_orm::{ConnectionTrait, DatabaseBackend, QueryResult, Statement};

use super::period::Period;
use crate::{
    error::Result,
    vocabulary::{Channel, Status},
};

/// Which reports a report counts: its period, a unit subtree and a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub period: Period,
    /// The ids of the chosen unit and every unit under it; `None` for the whole organisation.
    pub units: Option<Vec<i32>>,
    pub channel: Option<Channel>,
}

/// Published reports of one month with the same channel, audience, impact and unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedGroup {
    pub month: String,
    pub channel: Option<String>,
    pub audience: Option<String>,
    pub impact: Option<String>,
    pub unit_id: Option<i32>,
    pub count: u64,
}

/// The raw counts, before any table is laid out or any cell suppressed.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub received: BTreeMap<String, u64>,
    pub received_before: BTreeMap<String, u64>,
    pub published: Vec<PublishedGroup>,
    pub published_before: BTreeMap<String, u64>,
    /// `(factor id, channel, month, reports)`.
    pub factors: Vec<(i32, Option<String>, String, u64)>,
    /// `(category id, month, distinct reports)`.
    pub categories: Vec<(i32, String, u64)>,
    /// Published reports naming at least one factor, by month.
    pub with_factor: BTreeMap<String, u64>,
    /// `(days from logging to publication, reports)`.
    pub days: Vec<(i64, u64)>,
    /// `(reporter review slug, reports)`.
    pub reviews: Vec<(String, u64)>,
    /// `(signal kind slug, signals, distinct lessons)`.
    pub signals: Vec<(String, u64, u64)>,
}

/// Everything the report counts; `categories` gives each factor's category.
pub async fn counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    categories: &HashMap<i32, i32>,
) -> Result<Counts> {
    let sql = Sql {
        backend: db.get_database_backend(),
    };
    let before = Scope {
        period: scope.period.year_earlier(),
        ..scope.clone()
    };
    let published = sql.published_where(scope);
    let month = sql.month("r.decided_on");
    let mut counts = Counts {
        received: by_month(db, &sql, &sql.received(scope)).await?,
        received_before: by_month(db, &sql, &sql.received(&before)).await?,
        published_before: by_month(db, &sql, &sql.published(&before)).await?,
        ..Counts::default()
    };
    for row in query(
        db,
        &sql,
        format!(
            "SELECT {month} AS m, r.channel, r.audience, r.impact, r.unit_id, COUNT(*) AS n \
             FROM reports r WHERE {published} GROUP BY {month}, r.channel, r.audience, r.impact, r.unit_id"
        ),
    )
    .await?
    {
        counts.published.push(PublishedGroup {
            month: row.try_get_by_index(0)?,
            channel: row.try_get_by_index(1)?,
            audience: row.try_get_by_index(2)?,
            impact: row.try_get_by_index(3)?,
            unit_id: row.try_get_by_index(4)?,
            count: count(&row, 5)?,
        });
    }
    let days = sql.days();
    for row in query(
        db,
        &sql,
        format!(
            "SELECT {days} AS d, COUNT(*) AS n FROM reports r WHERE {published} GROUP BY {days}"
        ),
    )
    .await?
    {
        counts
            .days
            .push((row.try_get_by_index(0)?, count(&row, 1)?));
    }
    lessons(db, &sql, &published, categories, &mut counts).await?;
    counts.signals = signals(db, &sql, scope).await?;
    Ok(counts)
}

/// Factors, their categories and the reporter's review of each published lesson, in one
/// pass: grouped by month, channel, the lesson's set of factors and the review, which are a
/// few thousand groups however many lessons there are. One lookup a lesson in the factors and
/// one in the reviews' index, instead of a join for each table.
async fn lessons(
    db: &impl ConnectionTrait,
    sql: &Sql,
    published: &str,
    categories: &HashMap<i32, i32>,
    counts: &mut Counts,
) -> Result<()> {
    let (month, factors) = (sql.month("r.decided_on"), sql.factor_set());
    let rows = query(
        db,
        sql,
        format!(
            "SELECT m, channel, fs, rv, COUNT(*) AS n FROM (SELECT {month} AS m, r.channel AS channel, \
             {factors} AS fs, (SELECT p.reporter_review FROM publications p WHERE p.report_id = r.id) AS rv \
             FROM reports r WHERE {published}) AS lessons GROUP BY m, channel, fs, rv"
        ),
    )
    .await?;
    let mut factor_counts: BTreeMap<(i32, Option<String>, String), u64> = BTreeMap::new();
    let mut category_counts: BTreeMap<(i32, String), u64> = BTreeMap::new();
    let mut reviews: BTreeMap<String, u64> = BTreeMap::new();
    for row in rows {
        let month: String = row.try_get_by_index(0)?;
        let channel: Option<String> = row.try_get_by_index(1)?;
        let set: Option<String> = row.try_get_by_index(2)?;
        let review: Option<String> = row.try_get_by_index(3)?;
        let n = count(&row, 4)?;
        let ids: BTreeSet<i32> = set
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect();
        for id in &ids {
            *factor_counts
                .entry((*id, channel.clone(), month.clone()))
                .or_default() += n;
        }
        let in_categories: BTreeSet<i32> = ids
            .iter()
            .filter_map(|id| categories.get(id).copied())
            .collect();
        for category in in_categories {
            *category_counts
                .entry((category, month.clone()))
                .or_default() += n;
        }
        if !ids.is_empty() {
            *counts.with_factor.entry(month.clone()).or_default() += n;
        }
        *reviews.entry(review.unwrap_or_default()).or_default() += n;
    }
    counts.factors = factor_counts
        .into_iter()
        .map(|((id, channel, month), n)| (id, channel, month, n))
        .collect();
    counts.categories = category_counts
        .into_iter()
        .map(|((id, month), n)| (id, month, n))
        .collect();
    counts.reviews = reviews.into_iter().collect();
    Ok(())
}

/// Readers' signals given in the period's months on lessons in the scope.
async fn signals(
    db: &impl ConnectionTrait,
    sql: &Sql,
    scope: &Scope,
) -> Result<Vec<(String, u64, u64)>> {
    let months = scope.period.months();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Vec::new());
    };
    let rows = query(
        db,
        sql,
        format!(
            "SELECT s.kind, COUNT(*) AS n, COUNT(DISTINCT s.report_id) AS lessons \
             FROM reader_signals s JOIN reports r ON r.id = s.report_id \
             WHERE s.month >= '{first}' AND s.month <= '{last}' AND r.status = '{status}'{filters} \
             GROUP BY s.kind",
            status = Status::Published.slug(),
            filters = sql.filters(scope),
        ),
    )
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(0)?, count(row, 1)?, count(row, 2)?)))
        .collect()
}

async fn by_month(
    db: &impl ConnectionTrait,
    sql: &Sql,
    statement: &str,
) -> Result<BTreeMap<String, u64>> {
    query(db, sql, statement.to_owned())
        .await?
        .iter()
        .map(|row| Ok((row.try_get_by_index(0)?, count(row, 1)?)))
        .collect()
}

async fn query(db: &impl ConnectionTrait, sql: &Sql, text: String) -> Result<Vec<QueryResult>> {
    Ok(db
        .query_all_raw(Statement::from_string(sql.backend, text))
        .await?)
}

fn count(row: &QueryResult, index: usize) -> Result<u64> {
    let n: i64 = row.try_get_by_index(index)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// SQL text for the two engines. Every value put into it is typed (days, ids, slugs of a
/// closed vocabulary), never text a person typed.
struct Sql {
    backend: DatabaseBackend,
}

impl Sql {
    fn month(&self, column: &str) -> String {
        match self.backend {
            DatabaseBackend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
            _ => format!("substr({column}, 1, 7)"),
        }
    }

    /// A lesson's factor ids, comma-separated (`NULL` when it names none).
    fn factor_set(&self) -> &'static str {
        match self.backend {
            DatabaseBackend::Postgres => {
                "(SELECT string_agg(CAST(rf.factor_id AS TEXT), ',' ORDER BY rf.factor_id) \
                 FROM report_factors rf WHERE rf.report_id = r.id)"
            }
            _ => {
                "(SELECT group_concat(rf.factor_id) FROM report_factors rf WHERE rf.report_id = r.id)"
            }
        }
    }

    fn days(&self) -> String {
        match self.backend {
            DatabaseBackend::Postgres => "CAST(r.decided_on - r.submitted_on AS BIGINT)".to_owned(),
            _ => "CAST(julianday(r.decided_on) - julianday(r.submitted_on) AS INTEGER)".to_owned(),
        }
    }

    fn filters(&self, scope: &Scope) -> String {
        let mut text = String::new();
        if let Some(units) = &scope.units {
            let ids: Vec<String> = units.iter().map(i32::to_string).collect();
            // An empty subtree cannot happen (the unit itself is in it); `-1` keeps SQL valid.
            let ids = if ids.is_empty() {
                "-1".to_owned()
            } else {
                ids.join(",")
            };
            text.push_str(&format!(" AND r.unit_id IN ({ids})"));
        }
        if let Some(channel) = scope.channel {
            text.push_str(&format!(" AND r.channel = '{}'", channel.slug()));
        }
        text
    }

    fn published_where(&self, scope: &Scope) -> String {
        format!(
            "r.status = '{}' AND r.decided_on >= '{}' AND r.decided_on <= '{}'{}",
            Status::Published.slug(),
            scope.period.from,
            scope.period.to,
            self.filters(scope)
        )
    }

    fn published(&self, scope: &Scope) -> String {
        let month = self.month("r.decided_on");
        format!(
            "SELECT {month} AS m, COUNT(*) AS n FROM reports r WHERE {} GROUP BY {month}",
            self.published_where(scope)
        )
    }

    fn received(&self, scope: &Scope) -> String {
        let month = self.month("r.submitted_on");
        format!(
            "SELECT {month} AS m, COUNT(*) AS n FROM reports r \
             WHERE r.submitted_on >= '{}' AND r.submitted_on <= '{}' AND r.status <> '{}'{} \
             GROUP BY {month}",
            scope.period.from,
            scope.period.to,
            Status::Withdrawn.slug(),
            self.filters(scope)
        )
    }
}
