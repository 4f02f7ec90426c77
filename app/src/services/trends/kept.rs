//! Reading the kept counts of whole months for a report's scope: the rows of its unit
//! subtree, or the organisation's rows (unit [`ALL_UNITS`]), and of its channel.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, QueryResult};

use super::{
    aggregate::ALL_UNITS,
    count::{PublishedGroup, Scope, Tally},
    period::Period,
    sql::{Sql, count},
};
use crate::{
    error::{AppError, Result},
    month::YearMonth,
};

/// The rows of the months from `first` to `last` that the scope reads: its unit subtree's,
/// or the whole organisation's; and its channel's. Months are listed, not a range, so that
/// each is one probe of the key (month, unit).
fn within(sql: &Sql, months: (YearMonth, YearMonth), scope: &Scope) -> String {
    let units = match &scope.units {
        Some(ids) => sql.in_ids("unit_id", ids),
        None => format!("unit_id = {ALL_UNITS}"),
    };
    format!("{} AND {units}{}", in_months(months), channel(scope))
}

/// As [`within`], each unit's rows even for the whole organisation: the groups by unit.
fn within_units(sql: &Sql, months: (YearMonth, YearMonth), scope: &Scope) -> String {
    let units = match &scope.units {
        Some(ids) => sql.in_ids("unit_id", ids),
        None => format!("unit_id <> {ALL_UNITS}"),
    };
    format!("{} AND {units}{}", in_months(months), channel(scope))
}

fn in_months((first, last): (YearMonth, YearMonth)) -> String {
    let period = Period {
        from: first.first_day(),
        to: last.first_day(),
    };
    let months: Vec<String> = period.months().iter().map(|m| format!("'{m}'")).collect();
    format!("month IN ({})", months.join(", "))
}

fn channel(scope: &Scope) -> String {
    scope
        .channel
        .map(|c| format!(" AND channel = '{}'", c.slug()))
        .unwrap_or_default()
}

/// Reports received in the whole months from `first` to `last`, by month.
pub async fn received(
    db: &impl ConnectionTrait,
    sql: &Sql,
    months: (YearMonth, YearMonth),
    scope: &Scope,
) -> Result<BTreeMap<String, u64>> {
    let within = within(sql, months, scope);
    by_month(db, sql, "trend_received", "reports", &within).await
}

/// Lessons published in the whole months from `first` to `last`, by month.
pub async fn published_by_month(
    db: &impl ConnectionTrait,
    sql: &Sql,
    months: (YearMonth, YearMonth),
    scope: &Scope,
) -> Result<BTreeMap<String, u64>> {
    let within = within(sql, months, scope);
    by_month(db, sql, "trend_published", "lessons", &within).await
}

/// The lessons published in the whole months from `first` to `last`: their groups, days to
/// publication, factors and reviews.
pub async fn published(
    db: &impl ConnectionTrait,
    sql: &Sql,
    months: (YearMonth, YearMonth),
    scope: &Scope,
    tally: &mut Tally,
) -> Result<()> {
    let text = |value: &str| (!value.is_empty()).then(|| value.to_owned());
    // The driver's cost is by the row, and a year's groups by unit are a hundred thousand
    // rows at a million reports: they come packed, one row a month and unit.
    let packed = sql.packed(&["channel", "audience", "impact", "lessons"]);
    let by_unit = within_units(sql, months, scope);
    for row in sql
        .rows(
            db,
            format!(
                "SELECT month, unit_id, {packed} FROM trend_published \
                 WHERE {by_unit} AND lessons > 0 GROUP BY month, unit_id"
            ),
        )
        .await?
    {
        let month: String = row.try_get_by_index(0)?;
        let unit: i32 = row.try_get_by_index(1)?;
        let groups: String = row.try_get_by_index(2)?;
        for [channel, audience, impact, n] in unpacked(&groups)? {
            tally.published.push(PublishedGroup {
                month: month.clone(),
                channel: text(channel),
                audience: text(audience),
                impact: text(impact),
                unit_id: (unit != 0).then_some(unit),
                count: number(n)?,
            });
        }
    }
    let within = within(sql, months, scope);
    for row in sums(db, sql, "trend_days", "days", &within).await? {
        *tally.days.entry(row.try_get_by_index(0)?).or_default() += count(&row, 1)?;
    }
    for row in sums(db, sql, "trend_reviews", "review", &within).await? {
        *tally.reviews.entry(row.try_get_by_index(0)?).or_default() += count(&row, 1)?;
    }
    // Packed too: a month and channel name a few hundred sets of factors.
    let packed = sql.packed(&["factor_ids", "n"]);
    for row in sql
        .rows(
            db,
            format!(
                "SELECT month, channel, {packed} FROM (SELECT month, channel, factor_ids, \
                 CAST(SUM(lessons) AS BIGINT) AS n FROM trend_factor_sets WHERE {within} \
                 GROUP BY month, channel, factor_ids HAVING SUM(lessons) > 0) AS sets \
                 GROUP BY month, channel"
            ),
        )
        .await?
    {
        let month: String = row.try_get_by_index(0)?;
        let channel: String = row.try_get_by_index(1)?;
        let sets: String = row.try_get_by_index(2)?;
        for [set, n] in unpacked(&sets)? {
            let key = (month.clone(), text(&channel), set.to_owned());
            *tally.factor_sets.entry(key).or_default() += number(n)?;
        }
    }
    Ok(())
}

/// The entries of a packed column: `N` values separated by `/`, entries by spaces.
fn unpacked<const N: usize>(packed: &str) -> Result<Vec<[&str; N]>> {
    packed
        .split(' ')
        .map(|entry| {
            let parts: Vec<&str> = entry.split('/').collect();
            <[&str; N]>::try_from(parts)
                .map_err(|_| AppError::Internal(format!("a packed trend count reads {entry:?}")))
        })
        .collect()
}

fn number(text: &str) -> Result<u64> {
    text.parse()
        .map_err(|_| AppError::Internal(format!("a packed trend count reads {text:?}")))
}

/// `groups` and the sum of `lessons` over a table's rows matching `within`, zero sums left
/// out.
async fn sums(
    db: &impl ConnectionTrait,
    sql: &Sql,
    table: &str,
    groups: &str,
    within: &str,
) -> Result<Vec<QueryResult>> {
    summed(db, sql, table, groups, "lessons", within).await
}

async fn by_month(
    db: &impl ConnectionTrait,
    sql: &Sql,
    table: &str,
    column: &str,
    within: &str,
) -> Result<BTreeMap<String, u64>> {
    summed(db, sql, table, "month", column, within)
        .await?
        .iter()
        .map(|row| Ok((row.try_get_by_index(0)?, count(row, 1)?)))
        .collect()
}

async fn summed(
    db: &impl ConnectionTrait,
    sql: &Sql,
    table: &str,
    groups: &str,
    column: &str,
    within: &str,
) -> Result<Vec<QueryResult>> {
    let sum = format!("CAST(SUM({column}) AS BIGINT)");
    sql.rows(
        db,
        format!(
            "SELECT {groups}, {sum} FROM {table} WHERE {within} GROUP BY {groups} HAVING {sum} > 0"
        ),
    )
    .await
}
