//! Leases on background jobs in `job_leases`: of several instances sharing a database, the
//! one that takes a job's lease runs it, and a crashed holder's lease lapses by itself.

use entities::job_lease;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};

use crate::error::Result;

/// Unix seconds now: leases are compared across machines in wall-clock time.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The lease row of a job, made by its migration; `None` before that.
pub async fn find(db: &impl ConnectionTrait, job: &str) -> Result<Option<job_lease::Model>> {
    Ok(job_lease::Entity::find_by_id(job).one(db).await?)
}

/// Takes the lease for `seconds` if it is free or lapsed and the job has run `seen_runs` times,
/// with one conditional update: of several instances, one sees a row changed. The run counter
/// makes an instance that looked before another's run ended find the work done rather than do
/// it again.
pub async fn take(
    db: &impl ConnectionTrait,
    job: &str,
    holder: &str,
    seen_runs: i32,
    seconds: i64,
) -> Result<bool> {
    let at = now();
    let taken = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder))
        .col_expr(job_lease::Column::ExpiresAt, Expr::value(at + seconds))
        .filter(job_lease::Column::Name.eq(job))
        .filter(job_lease::Column::Runs.eq(seen_runs))
        .filter(
            job_lease::Column::Holder
                .is_null()
                .or(job_lease::Column::ExpiresAt.lt(at)),
        )
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Extends the lease by `seconds` if `holder` still has it: false when it lapsed and another
/// instance took it, which must stop this one's work.
pub async fn renew(
    db: &impl ConnectionTrait,
    job: &str,
    holder: &str,
    seconds: i64,
) -> Result<bool> {
    let renewed = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::ExpiresAt, Expr::value(now() + seconds))
        .filter(job_lease::Column::Name.eq(job))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(renewed.rows_affected == 1)
}

/// Gives the lease back. A completed run records the data it ran on (`fingerprint`), when it
/// ran (`ran_at`) and counts itself; a failed one leaves the job due.
pub async fn release(
    db: &impl ConnectionTrait,
    job: &str,
    holder: &str,
    completed: Option<(String, i64)>,
) -> Result<()> {
    let release = job_lease::Entity::update_many()
        .col_expr(
            job_lease::Column::Holder,
            Expr::value(Option::<String>::None),
        )
        .col_expr(job_lease::Column::ExpiresAt, Expr::value(0i64))
        .filter(job_lease::Column::Name.eq(job))
        .filter(job_lease::Column::Holder.eq(holder));
    let release = match completed {
        Some((fingerprint, ran_at)) => release
            .col_expr(job_lease::Column::Fingerprint, Expr::value(fingerprint))
            .col_expr(job_lease::Column::LastRunAt, Expr::value(ran_at))
            .col_expr(
                job_lease::Column::Runs,
                Expr::col(job_lease::Column::Runs).add(1),
            ),
        None => release,
    };
    release.exec(db).await?;
    Ok(())
}

/// How many times a job has completed, across all instances.
pub async fn runs(db: &impl ConnectionTrait, job: &str) -> Result<i32> {
    Ok(find(db, job).await?.map_or(0, |lease| lease.runs))
}
