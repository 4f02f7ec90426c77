//! Counts read from the reports themselves, for days that do not make a whole month (the
//! kept counts are by month) and for readers' signals, which are not kept: grouped queries
//! over the covering indexes of migration 17, whose answers are groups, not reports.

use std::collections::BTreeMap;

use sea_orm::ConnectionTrait;

use super::{
    count::{PublishedGroup, Scope, Tally},
    period::Period,
    sql::{self, Sql, count},
};
use crate::{error::Result, vocabulary::Status};

/// Reports logged in `days` but the withdrawn ones, by month.
pub async fn received(
    db: &impl ConnectionTrait,
    sql: &Sql,
    days: &Period,
    scope: &Scope,
) -> Result<BTreeMap<String, u64>> {
    let month = sql.month("r.submitted_on");
    by_month(
        db,
        sql,
        format!(
            "SELECT {month} AS m, COUNT(*) AS n FROM reports r \
             WHERE r.submitted_on >= '{}' AND r.submitted_on <= '{}' AND r.status <> {}{} \
             GROUP BY {month}",
            days.from,
            days.to,
            sql::withdrawn(),
            sql.filters(scope, "r.")
        ),
    )
    .await
}

/// Lessons published in `days`, by month.
pub async fn published_by_month(
    db: &impl ConnectionTrait,
    sql: &Sql,
    days: &Period,
    scope: &Scope,
) -> Result<BTreeMap<String, u64>> {
    let month = sql.month("r.decided_on");
    by_month(
        db,
        sql,
        format!(
            "SELECT {month} AS m, COUNT(*) AS n FROM reports r WHERE {} GROUP BY {month}",
            published_in(sql, days, scope)
        ),
    )
    .await
}

/// The lessons published in `days`: their groups, days to publication, factors and reviews.
pub async fn published(
    db: &impl ConnectionTrait,
    sql: &Sql,
    days: &Period,
    scope: &Scope,
    tally: &mut Tally,
) -> Result<()> {
    let published = published_in(sql, days, scope);
    let month = sql.month("r.decided_on");
    for row in sql
        .rows(
            db,
            format!(
                "SELECT {month} AS m, r.channel, r.audience, r.impact, r.unit_id, COUNT(*) AS n \
                 FROM reports r WHERE {published} \
                 GROUP BY {month}, r.channel, r.audience, r.impact, r.unit_id"
            ),
        )
        .await?
    {
        tally.published.push(PublishedGroup {
            month: row.try_get_by_index(0)?,
            channel: row.try_get_by_index(1)?,
            audience: row.try_get_by_index(2)?,
            impact: row.try_get_by_index(3)?,
            unit_id: row.try_get_by_index(4)?,
            count: count(&row, 5)?,
        });
    }
    let days_to = sql.days();
    for row in sql
        .rows(
            db,
            format!(
                "SELECT {days_to} AS d, COUNT(*) AS n FROM reports r WHERE {published} \
                 GROUP BY {days_to}"
            ),
        )
        .await?
    {
        *tally.days.entry(row.try_get_by_index(0)?).or_default() += count(&row, 1)?;
    }
    lessons(db, sql, &published, tally).await
}

/// Factors and the reporter's review of each published lesson, in one pass: grouped by
/// month, channel, the lesson's set of factors and the review, which are a few thousand
/// groups however many lessons there are. One lookup a lesson in the factors and one in the
/// reviews' index, instead of a join for each table.
async fn lessons(
    db: &impl ConnectionTrait,
    sql: &Sql,
    published: &str,
    tally: &mut Tally,
) -> Result<()> {
    let (month, factors) = (sql.month("r.decided_on"), sql.factor_set());
    let rows = sql
        .rows(
            db,
            format!(
                "SELECT m, channel, fs, rv, COUNT(*) AS n FROM (SELECT {month} AS m, \
                 r.channel AS channel, {factors} AS fs, \
                 (SELECT p.reporter_review FROM publications p WHERE p.report_id = r.id) AS rv \
                 FROM reports r WHERE {published}) AS lessons GROUP BY m, channel, fs, rv"
            ),
        )
        .await?;
    for row in rows {
        let month: String = row.try_get_by_index(0)?;
        let channel: Option<String> = row.try_get_by_index(1)?;
        let set: Option<String> = row.try_get_by_index(2)?;
        let review: Option<String> = row.try_get_by_index(3)?;
        let n = count(&row, 4)?;
        *tally
            .factor_sets
            .entry((month, channel, set.unwrap_or_default()))
            .or_default() += n;
        *tally.reviews.entry(review.unwrap_or_default()).or_default() += n;
    }
    Ok(())
}

/// Readers' signals given in the period's months on lessons in the scope: `(kind, signals,
/// distinct lessons)`. Not kept by month, since a lesson marked in two months counts once.
pub async fn signals(
    db: &impl ConnectionTrait,
    sql: &Sql,
    scope: &Scope,
) -> Result<Vec<(String, u64, u64)>> {
    let months = scope.period.months();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Vec::new());
    };
    let rows = sql
        .rows(
            db,
            format!(
                "SELECT s.kind, COUNT(*) AS n, COUNT(DISTINCT s.report_id) AS lessons \
                 FROM reader_signals s JOIN reports r ON r.id = s.report_id \
                 WHERE s.month >= '{first}' AND s.month <= '{last}' AND r.status = {}{} \
                 GROUP BY s.kind",
                sql::published(),
                sql.filters(scope, "r.")
            ),
        )
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(0)?, count(row, 1)?, count(row, 2)?)))
        .collect()
}

fn published_in(sql: &Sql, days: &Period, scope: &Scope) -> String {
    format!(
        "r.status = '{}' AND r.decided_on >= '{}' AND r.decided_on <= '{}'{}",
        Status::Published.slug(),
        days.from,
        days.to,
        sql.filters(scope, "r.")
    )
}

async fn by_month(
    db: &impl ConnectionTrait,
    sql: &Sql,
    statement: String,
) -> Result<BTreeMap<String, u64>> {
    sql.rows(db, statement)
        .await?
        .iter()
        .map(|row| Ok((row.try_get_by_index(0)?, count(row, 1)?)))
        .collect()
}
