//! What keeping the trend counts adds to a publication and an import: reports waiting in this
//! month, each published by the moderation service (its whole transaction timed), and the
//! same change made by hand with the recount timed apart, and without it; counting a batch of
//! new reports; and an import's transaction. The reports are removed afterwards, with their
//! counts, so that `--reuse` finds the corpus it left.

use std::time::{Duration, Instant};

use kintsugi::{
    codes::ReportRef,
    services::{
        accounts::{Account, Role},
        moderation,
        trends::{self, Recount},
    },
};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::stats::{latency, ms};

/// Reports published each way.
const REPORTS: usize = 200;
/// Reports imported: one transaction of the import.
const IMPORTED: usize = 5_000;

pub async fn run(db: &DatabaseConnection, units: &[i32], factors: &[i32]) -> anyhow::Result<()> {
    let moderator = Account {
        id: 0,
        name: "bench".to_owned(),
        role: Role::Moderator,
        must_change_password: false,
    };
    let (by_service, counting_new) = waiting(db, units, factors).await?;
    let mut publish = Vec::new();
    for id in &by_service {
        let report: ReportRef = id.parse()?;
        let started = Instant::now();
        moderation::publish(db, &moderator, &report, 0).await?;
        publish.push(started.elapsed());
    }
    let (by_hand, _) = waiting(db, units, factors).await?;
    let (mut whole, mut recount) = (Vec::new(), Vec::new());
    for id in &by_hand {
        let started = Instant::now();
        let tx = kintsugi::db::begin_write(db).await?;
        let counting = Instant::now();
        let before = Recount::before(&tx, &[id.as_str()]).await?;
        let mut spent = counting.elapsed();
        tx.execute_unprepared(&status(id, "published")).await?;
        let counting = Instant::now();
        before.apply(&tx).await?;
        spent += counting.elapsed();
        tx.commit().await?;
        whole.push(started.elapsed());
        recount.push(spent);
    }
    // The same change without keeping the counts, undone the same way afterwards, so that
    // the counts are right again.
    let (uncounted, _) = waiting(db, units, factors).await?;
    let mut bare = Vec::new();
    for id in &uncounted {
        let started = Instant::now();
        let tx = kintsugi::db::begin_write(db).await?;
        tx.execute_unprepared(&status(id, "published")).await?;
        tx.commit().await?;
        bare.push(started.elapsed());
    }
    for id in &uncounted {
        db.execute_unprepared(&status(id, "submitted")).await?;
    }
    let line = |name: &str, samples: Vec<Duration>| {
        let l = latency(samples);
        println!("| {name} | {} | {} | {} |", ms(l.p50), ms(l.p99), ms(l.max));
    };
    println!();
    println!("| publishing one of {REPORTS} reports waiting this month | p50 | p99 | max |");
    println!("| --- | --- | --- | --- |");
    line("`moderation::publish`, whole transaction", publish);
    line("status change by hand, counts kept", whole);
    line("of which the recount (before + apply)", recount);
    line("status change by hand, counts not kept", bare);
    println!();
    println!(
        "counting {REPORTS} new reports at once, as each batch of an import does: {}",
        ms(counting_new)
    );
    let started = Instant::now();
    let imported = import(db).await?;
    println!(
        "importing {} published reports (one transaction, counts kept): {}",
        imported.len(),
        ms(started.elapsed())
    );
    for ids in [by_service, by_hand, uncounted, imported] {
        remove(db, &ids).await?;
    }
    Ok(())
}

fn status(id: &str, status: &str) -> String {
    let decided = if status == "published" {
        "submitted_on"
    } else {
        "NULL"
    };
    format!("UPDATE reports SET status = '{status}', decided_on = {decided} WHERE id = '{id}'")
}

/// Imports lines enough for one transaction of the import, published; returns their refs.
async fn import(db: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let lines: Vec<String> = (0..IMPORTED)
        .map(|n| {
            let channel = ["email", "meeting", "public_social"][n % 3];
            let impact = ["minor", "near_miss"][n % 2];
            let factor = ["time_pressure", "autocomplete"][n % 2];
            serde_json::json!({
                "title": format!("bench import {n}"),
                "narrative": "n",
                "channel": channel,
                "impact": impact,
                "factors": [factor],
            })
            .to_string()
        })
        .collect();
    let summary = kintsugi::services::import::import_jsonl(
        db,
        std::io::Cursor::new(lines.join("\n")),
        true,
        &|_| {},
    )
    .await?;
    anyhow::ensure!(summary.errors.is_empty(), "{:?}", summary.errors);
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM reports WHERE title LIKE 'bench import %'".to_owned(),
        ))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index(0)?))
        .collect()
}

/// Inserts reports logged today, waiting with a saved version (no reporter to approve it),
/// and counts them as the services do.
async fn waiting(
    db: &DatabaseConnection,
    units: &[i32],
    factors: &[i32],
) -> anyhow::Result<(Vec<String>, Duration)> {
    let today = kintsugi::today();
    let mut ids = Vec::with_capacity(REPORTS);
    for n in 0..REPORTS {
        let id = kintsugi::codes::new_report_ref();
        let unit = units[n % units.len()];
        let channel = ["email", "meeting", "public_social"][n % 3];
        db.execute_unprepared(&format!(
            "INSERT INTO reports (id, title, narrative, channel, audience, impact, what_helped, lesson, \
             unit_id, occurred_month, tags, source_url, status, submitted_on, updated_on, receipt_hash, \
             merged_into, decided_on, raw_purged) VALUES ('{id}', 'r', '', '{channel}', 'internal', \
             'minor', '', '', {unit}, NULL, '', NULL, 'submitted', '{today}', '{today}', NULL, NULL, \
             NULL, false)"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO publications (report_id, title, narrative, what_helped, lesson, tags, \
             reporter_review, dismissed, prepared_on) VALUES ('{id}', 'r', '', '', '', '', \
             'not_asked', '[]', '{today}')"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO report_factors (report_id, factor_id) VALUES ('{id}', {})",
            factors[n % factors.len()]
        ))
        .await?;
        ids.push(id);
    }
    let started = Instant::now();
    trends::count_new(db, &ids).await?;
    Ok((ids, started.elapsed()))
}

/// Deletes the reports with their part of the kept counts.
async fn remove(db: &DatabaseConnection, ids: &[String]) -> anyhow::Result<()> {
    let tx = kintsugi::db::begin_write(db).await?;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let recount = Recount::before(&tx, &refs).await?;
    let list: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
    tx.execute_unprepared(&format!(
        "DELETE FROM reports WHERE id IN ({})",
        list.join(",")
    ))
    .await?;
    recount.apply(&tx).await?;
    tx.commit().await?;
    Ok(())
}
