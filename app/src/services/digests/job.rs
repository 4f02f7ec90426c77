//! Sending the monthly digest: a background job, once across the instances that share a
//! database, and never twice to anyone, even across a crash.
//!
//! Each subscriber's digest is claimed before it is sent: one transaction checks that this
//! instance still holds the job's lease and inserts the delivery row keyed by subscriber and
//! month. A claim whose sending was cut short by a crash stays claimed, so that digest is
//! lost rather than sent twice; a message the mail server refused gives its claim back, to be
//! tried again at the next look.

use std::sync::Arc;

use entities::digest_delivery;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};

use super::{build, due_month, mail::Mailer, subscriptions};
use crate::{
    error::{AppError, Result},
    month::YearMonth,
    services::lease,
    state::AppState,
    templates::Templates,
    today,
};

/// The lease's name in `job_leases`.
pub const JOB: &str = "digests";
/// How long a lease holds; each subscriber's claim renews it, so only a stalled or crashed
/// holder lets it lapse.
const LEASE_SECONDS: i64 = 10 * 60;

const CLAIMED: &str = "claimed";
const SENT: &str = "sent";

/// What the job needs: the database, the templates and the mail server.
#[derive(Clone)]
pub struct Sender {
    pub db: DatabaseConnection,
    pub templates: Arc<Templates>,
    pub mailer: Mailer,
}

impl Sender {
    /// The sender of an app; `None` when no mail server is configured.
    pub fn of(state: &AppState) -> Result<Option<Self>> {
        Ok(Mailer::from_config(&state.config)?.map(|mailer| Self {
            db: state.db.clone(),
            templates: Arc::clone(&state.templates),
            mailer,
        }))
    }
}

/// One run's outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendSummary {
    pub sent: usize,
    pub failed: usize,
}

/// Sends `month`'s digest to every subscriber who has not had it, unless another instance
/// holds the lease or the month is done; `None` when it did not run here.
pub async fn send_due(
    sender: &Sender,
    month: YearMonth,
    holder: &str,
) -> Result<Option<SendSummary>> {
    let db = &sender.db;
    let Some(held) = lease::find(db, JOB).await? else {
        return Ok(None);
    };
    // The fingerprint is the last month sent to everyone.
    if held.fingerprint == month.to_string() {
        return Ok(None);
    }
    if !lease::take(db, JOB, holder, held.runs, LEASE_SECONDS).await? {
        return Ok(None);
    }
    let outcome = send_all(sender, month, holder).await;
    let completed = matches!(outcome, Ok(summary) if summary.failed == 0)
        .then(|| (month.to_string(), lease::now()));
    lease::release(db, JOB, holder, completed).await?;
    outcome.map(Some)
}

async fn send_all(sender: &Sender, month: YearMonth, holder: &str) -> Result<SendSummary> {
    let db = &sender.db;
    let digest = build(db, month).await?;
    let done: Vec<i32> = digest_delivery::Entity::find()
        .filter(digest_delivery::Column::Month.eq(month.to_string()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.user_id)
        .collect();
    let mut summary = SendSummary::default();
    for subscriber in subscriptions::active(db).await? {
        if done.contains(&subscriber.user_id)
            || !claim(db, subscriber.user_id, month, holder).await?
        {
            continue;
        }
        match sender
            .mailer
            .send(&sender.templates, &digest, &subscriber)
            .await
        {
            Ok(()) => {
                mark(db, subscriber.user_id, month, Some(SENT)).await?;
                summary.sent += 1;
            }
            Err(error) => {
                tracing::warn!(%error, digest.month = %month, "a digest was not sent; it is tried again later");
                mark(db, subscriber.user_id, month, None).await?;
                summary.failed += 1;
            }
        }
    }
    Ok(summary)
}

/// Claims one subscriber's digest, in one transaction with the proof that this instance
/// still holds the lease; false when someone else has it. A lost lease stops the run.
async fn claim(
    db: &DatabaseConnection,
    user_id: i32,
    month: YearMonth,
    holder: &str,
) -> Result<bool> {
    let tx = crate::db::begin_write(db).await?;
    if !lease::renew(&tx, JOB, holder, LEASE_SECONDS).await? {
        return Err(AppError::Conflict(
            "the digest job's lease passed to another instance".to_owned(),
        ));
    }
    let row = digest_delivery::ActiveModel {
        user_id: Set(user_id),
        month: Set(month.to_string()),
        state: Set(CLAIMED.to_owned()),
        claimed_on: Set(today()),
    };
    let inserted = digest_delivery::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                digest_delivery::Column::UserId,
                digest_delivery::Column::Month,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&tx)
        .await?;
    tx.commit().await?;
    Ok(inserted > 0)
}

/// Records a claim as sent, or gives it back (`None`) to be tried again.
async fn mark(
    db: &DatabaseConnection,
    user_id: i32,
    month: YearMonth,
    state: Option<&str>,
) -> Result<()> {
    match state {
        Some(state) => {
            digest_delivery::Entity::update_many()
                .col_expr(digest_delivery::Column::State, Expr::value(state))
                .filter(digest_delivery::Column::UserId.eq(user_id))
                .filter(digest_delivery::Column::Month.eq(month.to_string()))
                .exec(db)
                .await?;
        }
        None => {
            digest_delivery::Entity::delete_many()
                .filter(digest_delivery::Column::UserId.eq(user_id))
                .filter(digest_delivery::Column::Month.eq(month.to_string()))
                .filter(digest_delivery::Column::State.eq(CLAIMED))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// The job's loop, for the server's background tasks: looks now and then whether last
/// month's digest is due.
pub async fn run_forever(sender: Sender, look_every: std::time::Duration) {
    let holder = format!("{:016x}", rand::random::<u64>());
    loop {
        tokio::time::sleep(look_every).await;
        match send_due(&sender, due_month(today()), &holder).await {
            Ok(Some(summary)) => tracing::info!(
                sent = summary.sent,
                failed = summary.failed,
                "monthly digest sent"
            ),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "sending the monthly digest failed"),
        }
    }
}
