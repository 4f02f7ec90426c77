//! The detection job: run after publications settle and at least daily, once across all the
//! instances that share a database, never in the way of requests.

use std::time::Duration;

use entities::{reader_signal, report};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use super::{DetectionSettings, Kept, RunSummary, run_with};
use crate::{
    error::Result,
    services::{
        lease::{self, now},
        signals::SignalKind,
    },
    vocabulary::Status,
};

/// The lease's name in `job_leases`.
pub const JOB: &str = "patterns";
/// How long a lease holds: longer than any run, short enough that a crashed instance's lease
/// lapses the same day.
const LEASE_SECONDS: i64 = 30 * 60;
/// A run is due at least this often even when nothing changed, so trends follow the calendar.
const DAILY_SECONDS: i64 = 24 * 60 * 60;
/// How often the job looks; a change must hold still for one look before it runs, so that a
/// moderator publishing ten lessons in a row causes one run, not ten.
const LOOK_EVERY: Duration = Duration::from_secs(120);

/// What the data detection runs on looks like: a run is due when it changes.
pub async fn fingerprint(db: &DatabaseConnection) -> Result<String> {
    let with_status = |status: Status| {
        report::Entity::find()
            .filter(report::Column::Status.eq(status.slug()))
            .count(db)
    };
    let published = with_status(Status::Published).await?;
    let merged = with_status(Status::Merged).await?;
    let signals = reader_signal::Entity::find()
        .filter(reader_signal::Column::Kind.eq(SignalKind::HappenedToUs.slug()))
        .count(db)
        .await?;
    // Republishing a corrected lesson changes no count, but does change its day.
    let latest: Option<Option<time::Date>> = report::Entity::find()
        .select_only()
        .column_as(report::Column::DecidedOn.max(), "latest")
        .into_tuple()
        .one(db)
        .await?;
    let latest = latest.flatten().map(|d| d.to_string()).unwrap_or_default();
    Ok(format!("{published}:{merged}:{signals}:{latest}"))
}

/// Runs detection if it is due and no other instance holds the lease; `None` when it did not
/// run here. `holder` names this instance.
pub async fn run_if_due(
    db: &DatabaseConnection,
    settings: DetectionSettings,
    holder: &str,
) -> Result<Option<RunSummary>> {
    run_if_due_keeping(db, settings, holder, &mut Kept::default()).await
}

/// The same, starting from and leaving what `kept` holds: a server keeps its collection.
pub async fn run_if_due_keeping(
    db: &DatabaseConnection,
    settings: DetectionSettings,
    holder: &str,
    kept: &mut Kept,
) -> Result<Option<RunSummary>> {
    run_leased(db, settings, holder, false, kept, &|_, _| {}).await
}

/// Runs detection now, unless another instance is running it; `None` then.
pub async fn run_now(
    db: &DatabaseConnection,
    settings: DetectionSettings,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Option<RunSummary>> {
    let holder = format!("cli-{:016x}", rand::random::<u64>());
    run_leased(db, settings, &holder, true, &mut Kept::default(), progress).await
}

async fn run_leased(
    db: &DatabaseConnection,
    settings: DetectionSettings,
    holder: &str,
    even_if_not_due: bool,
    kept: &mut Kept,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Option<RunSummary>> {
    let current = fingerprint(db).await?;
    let Some(lease) = lease::find(db, JOB).await? else {
        return Ok(None);
    };
    let at = now();
    let due = lease.fingerprint != current || at - lease.last_run_at >= DAILY_SECONDS;
    if !(due || even_if_not_due) {
        return Ok(None);
    }
    if !lease::take(db, JOB, holder, lease.runs, LEASE_SECONDS).await? {
        return Ok(None);
    }
    let outcome = run_with(db, settings, kept, progress).await;
    let completed = outcome.is_ok().then_some((current, at));
    lease::release(db, JOB, holder, completed).await?;
    outcome.map(Some)
}

/// How many times the job has run, across all instances.
pub async fn runs(db: &DatabaseConnection) -> Result<i32> {
    lease::runs(db, JOB).await
}

/// The job's loop, for the server's background tasks: after each run, the suggested guideline
/// updates are drafted again from the patterns found (the index finds their sections).
pub async fn run_forever(
    db: DatabaseConnection,
    settings: DetectionSettings,
    index: std::sync::Arc<search::SearchIndex>,
    turns: std::sync::Arc<crate::services::search::SearchTurns>,
) {
    let holder = format!("{:016x}", rand::random::<u64>());
    let mut seen = String::new();
    // The collection of the last run here, so that the next one reads only what changed.
    let mut kept = Kept::default();
    loop {
        tokio::time::sleep(LOOK_EVERY).await;
        let current = match fingerprint(&db).await {
            Ok(current) => current,
            Err(error) => {
                tracing::warn!(%error, "could not look whether pattern detection is due");
                continue;
            }
        };
        // Still changing since the last look: publications have not settled yet.
        if std::mem::replace(&mut seen, current.clone()) != current {
            continue;
        }
        let outcome = run_if_due_keeping(&db, settings, &holder, &mut kept).await;
        if !settings.keep_collection {
            kept.forget_collection();
        }
        match outcome {
            Ok(Some(summary)) => {
                tracing::info!(
                    reports = summary.reports,
                    read = summary.read,
                    computed = summary.computed,
                    patterns = summary.patterns,
                    new = summary.new,
                    "recurring patterns detected"
                );
                match crate::services::suggestions::refresh(&db, &index, &turns).await {
                    Ok(done) => tracing::info!(
                        drafted = done.drafted,
                        updated = done.updated,
                        reopened = done.reopened,
                        dropped = done.dropped,
                        "suggested guideline updates drafted"
                    ),
                    Err(error) => tracing::warn!(%error, "drafting suggestions failed"),
                }
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "pattern detection failed"),
        }
    }
}
