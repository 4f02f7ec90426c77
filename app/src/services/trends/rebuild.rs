//! Rebuilding the kept trend counts from the reports, a month at a time: after the upgrade
//! that created them (migration 20 leaves a note that [`rebuild_if_pending`] reads on start),
//! on demand with `kintsugi trends rebuild`, and after reports were written straight into the
//! tables. It says how many kept rows it found wrong, which is none unless something changed
//! reports behind the services' back.

use std::collections::{BTreeMap, BTreeSet};

use entities::setting;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait};

use super::{
    aggregate::{Side, TABLES, Table},
    recount::{Part, read_row},
    sql::Sql,
};
use crate::{error::Result, month::YearMonth};

/// The key of `settings` by which migration 20 asks for a rebuild.
const PENDING_KEY: &str = "trend_counts.rebuild";

/// What a rebuild did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rebuilt {
    pub months: u64,
    /// Kept rows after the rebuild.
    pub rows: u64,
    /// Kept rows that were missing, extra or held another count before it.
    pub corrected: u64,
}

/// Recounts every month that has reports or kept counts; `progress` is told how many months
/// are done out of how many. Each month is one transaction, so that the server goes on
/// taking changes in between.
pub async fn rebuild(
    db: &DatabaseConnection,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Rebuilt> {
    let sql = Sql::of(db);
    let months = months(db, &sql).await?;
    let total = months.len() as u64;
    let mut rebuilt = Rebuilt::default();
    progress(0, total);
    for month in months {
        let tx = crate::db::begin_write(db).await?;
        if sql.backend == DatabaseBackend::Postgres {
            // Changes to the counts wait for this month's recount instead of adding to rows it
            // is about to replace; reading them goes on.
            let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
            tx.execute_unprepared(&format!(
                "LOCK TABLE {} IN EXCLUSIVE MODE",
                names.join(", ")
            ))
            .await?;
        }
        for table in &TABLES {
            let kept = rows_of(&tx, &sql, table, month).await?;
            sql.execute(
                &tx,
                format!("DELETE FROM {} WHERE month = '{month}'", table.name),
                Vec::new(),
            )
            .await?;
            sql.execute(
                &tx,
                format!(
                    "INSERT INTO {} ({}) {}",
                    table.name,
                    table.columns().join(", "),
                    table.contributions(&sql, &in_month(table.side, month))
                ),
                Vec::new(),
            )
            .await?;
            sql.execute(&tx, table.all_units(month), Vec::new()).await?;
            let counted = rows_of(&tx, &sql, table, month).await?;
            rebuilt.rows += counted.len() as u64;
            rebuilt.corrected += differences(&kept, &counted);
        }
        tx.commit().await?;
        rebuilt.months += 1;
        progress(rebuilt.months, total);
    }
    setting::Entity::delete_by_id(PENDING_KEY.to_owned())
        .exec(db)
        .await?;
    Ok(rebuilt)
}

/// Rebuilds the kept counts when a migration asked for it; the note stays until a rebuild
/// finishes, so that one interrupted is done again on the next start.
pub async fn rebuild_if_pending(db: &DatabaseConnection) -> Result<()> {
    if setting::Entity::find_by_id(PENDING_KEY.to_owned())
        .one(db)
        .await?
        .is_none()
    {
        return Ok(());
    }
    tracing::info!("counting the reports for trend reports, once after the upgrade");
    let rebuilt = rebuild(db, &|_, _| {}).await?;
    tracing::info!(
        months = rebuilt.months,
        rows = rebuilt.rows,
        "trend counts ready"
    );
    Ok(())
}

/// Every month with a report logged or published in it, or with kept counts.
async fn months(db: &impl ConnectionTrait, sql: &Sql) -> Result<BTreeSet<YearMonth>> {
    let mut parts = vec![
        format!(
            "SELECT DISTINCT {} FROM reports r",
            sql.month("r.submitted_on")
        ),
        format!(
            "SELECT DISTINCT {} FROM reports r WHERE r.decided_on IS NOT NULL",
            sql.month("r.decided_on")
        ),
    ];
    parts.extend(
        TABLES
            .iter()
            .map(|t| format!("SELECT DISTINCT month FROM {}", t.name)),
    );
    let mut months = BTreeSet::new();
    for row in sql.rows(db, parts.join(" UNION ")).await? {
        let text: String = row.try_get_by_index(0)?;
        // A month is written by the database from a date: it always reads.
        if let Ok(month) = YearMonth::parse(&text) {
            months.insert(month);
        }
    }
    Ok(months)
}

/// The reports a table counts in `month`, by the day that dates them there.
fn in_month(side: Side, month: YearMonth) -> String {
    let first = month.first_day();
    let last = first
        .replace_day(first.month().length(first.year()))
        .unwrap_or(first);
    let column = side.day_column();
    format!("{column} >= '{first}' AND {column} <= '{last}'")
}

async fn rows_of(
    db: &impl ConnectionTrait,
    sql: &Sql,
    table: &Table,
    month: YearMonth,
) -> Result<BTreeMap<Vec<Part>, i64>> {
    sql.rows(
        db,
        format!(
            "SELECT {} FROM {} WHERE month = '{month}'",
            table.columns().join(", "),
            table.name
        ),
    )
    .await?
    .iter()
    .map(|row| read_row(table, row))
    .collect()
}

/// Keys whose count differs between the two, a missing row counting as zero.
fn differences(kept: &BTreeMap<Vec<Part>, i64>, counted: &BTreeMap<Vec<Part>, i64>) -> u64 {
    let keys: BTreeSet<&Vec<Part>> = kept.keys().chain(counted.keys()).collect();
    keys.into_iter()
        .filter(|key| kept.get(*key).unwrap_or(&0) != counted.get(*key).unwrap_or(&0))
        .count() as u64
}
