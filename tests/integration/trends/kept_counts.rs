//! The counts kept for trend reports: after every kind of change they equal a recount from
//! the reports, two publications at once are both counted, and they keep no order of arrival.

use std::collections::HashMap;

use futures_util::future::join_all;
use kintsugi::{
    codes::ReportRef,
    services::{
        accounts::{Account, Role},
        moderation::{self, Classification, DraftEdit},
        reports,
        trends::{
            self, Period, Scope,
            count::{Counts, counts, counts_from_reports},
        },
    },
    text_checks::TextRules,
};
use kintsugi_tests::{Backend, TestApp, each_backend};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use time::Duration;

use super::{Fixture, insert, quarter, units};
use crate::support::{import, json as read_json, number, post_json, rows};

const TABLES: [&str; 5] = [
    "trend_received",
    "trend_published",
    "trend_days",
    "trend_reviews",
    "trend_factor_sets",
];

fn moderator() -> Account {
    Account {
        id: 0,
        name: "kept counts".to_owned(),
        role: Role::Moderator,
        must_change_password: false,
    }
}

/// Logs a report through the API: `(ref, receipt)`.
async fn log(app: &TestApp, title: &str, fields: Value) -> anyhow::Result<(ReportRef, String)> {
    let mut report = kintsugi_tests::new_report(title);
    if let (Some(report), Some(fields)) = (report.as_object_mut(), fields.as_object()) {
        report.extend(fields.clone());
    }
    let response = post_json(app, "/api/v1/reports", &report).await;
    response.assert_status(poem::http::StatusCode::CREATED);
    let body = read_json(response).await?;
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    Ok((field("ref").parse()?, field("receipt")))
}

/// Saves the version as it stands, offered to the reporter when `offer`.
async fn draft(app: &TestApp, report: &ReportRef, offer: bool) -> anyhow::Result<()> {
    let db = &app.state.db;
    let current = moderation::detail(db, &TextRules::defaults(), 0, report)
        .await?
        .draft;
    let edit = DraftEdit {
        title: current.title,
        narrative: current.narrative,
        what_helped: current.what_helped,
        lesson: current.lesson,
        tags: None,
    };
    moderation::save_draft(db, &moderator(), report, edit, offer).await?;
    Ok(())
}

async fn publish(app: &TestApp, report: &ReportRef) -> anyhow::Result<()> {
    draft(app, report, true).await?;
    moderation::publish(&app.state.db, &moderator(), report, 0).await?;
    Ok(())
}

/// Each factor's category, as the report reads them.
async fn categories(app: &TestApp) -> anyhow::Result<HashMap<i32, i32>> {
    rows(app, "SELECT id, category_id FROM factors")
        .await?
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect()
}

async fn unit_ids(app: &TestApp, under: &str) -> anyhow::Result<Vec<i32>> {
    rows(
        app,
        &format!("SELECT id FROM units WHERE path = '{under}' OR path LIKE '{under}/%'"),
    )
    .await?
    .iter()
    .map(|r| Ok(r.try_get_by_index(0)?))
    .collect()
}

/// The counts of `scope` from the kept counts and from the reports alone, in one order.
async fn both(app: &TestApp, scope: &Scope) -> anyhow::Result<(Counts, Counts)> {
    let categories = categories(app).await?;
    let order = |mut c: Counts| {
        c.published.sort_by_key(|g| {
            (
                g.month.clone(),
                g.channel.clone(),
                g.audience.clone(),
                g.impact.clone(),
                g.unit_id,
            )
        });
        c
    };
    Ok((
        order(counts(&app.state.db, scope, &categories).await?),
        order(counts_from_reports(&app.state.db, scope, &categories).await?),
    ))
}

/// Last month and this one: whole months, which the kept counts answer.
fn these_two_months() -> Period {
    let today = kintsugi::today();
    let this_month = today.replace_day(1).unwrap_or(today);
    let last_month = (this_month - Duration::days(1))
        .replace_day(1)
        .unwrap_or(this_month);
    let next_month = (this_month + Duration::days(32))
        .replace_day(1)
        .unwrap_or(this_month);
    Period {
        from: last_month,
        to: next_month - Duration::days(1),
    }
}

fn scope(period: Period, units: Option<Vec<i32>>, channel: &str) -> Scope {
    Scope {
        period,
        units,
        channel: kintsugi::vocabulary::Channel::from_slug(channel),
    }
}

#[tokio::test]
async fn after_every_kind_of_change_the_kept_counts_equal_a_recount() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        units(&app, &["Agency", "Agency/Comms", "Bureau"]).await?;
        let comms = json!({"unit": "Agency/Comms", "factors": ["time_pressure"]});
        let (a, a_receipt) = log(&app, "Approved by its reporter", comms).await?;
        let (b, _) = log(
            &app,
            "Two factors of one category",
            json!({"unit": "Agency/Comms", "audience": "public",
                   "factors": ["time_pressure", "interruptions"]}),
        )
        .await?;
        let (c, _) = log(
            &app,
            "Reclassified once published",
            json!({"unit": "Agency", "channel": "public_social", "impact": "serious",
                   "factors": ["autocomplete"]}),
        )
        .await?;
        let meeting = json!({"unit": "Bureau", "channel": "meeting"});
        let (d, d_receipt) = log(&app, "Withdrawn once published", meeting).await?;
        let (e, _) = log(&app, "Merged into a lesson", json!({"unit": "Bureau"})).await?;
        let near_miss = json!({"unit": "Agency", "impact": "near_miss"});
        let (f, _) = log(&app, "Rejected once published", near_miss).await?;
        let phone = json!({"channel": "phone_sms"});
        let (_, g_receipt) = log(&app, "Withdrawn while waiting", phone).await?;
        let (h, h_receipt) = log(&app, "Asked about", json!({"unit": "Agency"})).await?;

        draft(&app, &a, true).await?;
        reports::review_version(db, &app.state.receipts, &a_receipt, None, true, "").await?;
        moderation::publish(db, &moderator(), &a, 0).await?;
        for lesson in [&b, &c, &d, &f] {
            publish(&app, lesson).await?;
        }
        let reclassified = Classification {
            channel: Some("meeting".to_owned()),
            impact: Some("moderate".to_owned()),
            factors: Some(vec!["time_pressure".to_owned()]),
        };
        let current = moderation::detail(db, &TextRules::defaults(), 0, &c)
            .await?
            .draft;
        let edit = DraftEdit {
            title: current.title,
            narrative: current.narrative,
            what_helped: current.what_helped,
            lesson: current.lesson,
            tags: None,
        };
        moderation::save_draft_classified(db, &moderator(), &c, edit, Some(reclassified), false)
            .await?;
        reports::withdraw(db, &app.state.receipts, &d_receipt).await?;
        moderation::merge(db, &moderator(), &e, &a).await?;
        moderation::reject(db, &moderator(), &f, "Not a mistake after all.").await?;
        reports::withdraw(db, &app.state.receipts, &g_receipt).await?;
        moderation::ask(db, &moderator(), &h, "Which list was it?").await?;
        reports::add_detail(db, &app.state.receipts, &h_receipt, "The all-staff list.").await?;
        let lines = [
            json!({"title": "Imported one", "narrative": "n", "unit": "Bureau/New",
                   "channel": "email", "factors": ["autocomplete"]}),
            json!({"title": "Imported two", "narrative": "n", "unit": "Bureau/New"}),
            json!({"title": "Imported three", "narrative": "n", "impact": "near_miss"}),
        ];
        let published: Vec<String> = lines.iter().map(Value::to_string).collect();
        assert_eq!(import(&app, &published.join("\n"), true).await?.imported, 3);
        let waiting = json!({"title": "Imported, waiting", "narrative": "n", "unit": "Agency"});
        assert_eq!(import(&app, &waiting.to_string(), false).await?.imported, 1);

        let period = these_two_months();
        let (kept, recounted) = both(&app, &scope(period, None, "")).await?;
        assert_eq!(kept, recounted);
        // Received: a, b, c, e, f, h and four imported (d and g were withdrawn). Published:
        // a, b, c and three imported (d withdrawn, e merged, f rejected).
        assert_eq!(kept.received.values().sum::<u64>(), 10);
        assert_eq!(kept.published.iter().map(|g| g.count).sum::<u64>(), 6);
        let reviews: HashMap<&str, u64> =
            kept.reviews.iter().map(|(r, n)| (r.as_str(), *n)).collect();
        assert_eq!(
            reviews,
            HashMap::from([("approved", 1), ("pending", 2), ("not_asked", 3)])
        );
        // b names two factors of one category: once in it.
        let people =
            "SELECT CAST(id AS BIGINT) FROM factor_categories WHERE slug = 'people_workload'";
        let people = number(&app, people).await?;
        let in_people: u64 = kept
            .categories
            .iter()
            .filter(|(category, _, _)| i64::from(*category) == people)
            .map(|(_, _, n)| n)
            .sum();
        assert_eq!(
            in_people, 3,
            "a, b and c (reclassified) name people & workload"
        );

        let agency = unit_ids(&app, "Agency").await?;
        for (units, channel, published) in [
            (Some(agency.clone()), "", 3),
            (None, "meeting", 1),
            (None, "public_social", 0),
            (Some(agency), "email", 2),
            (Some(unit_ids(&app, "Bureau").await?), "", 2),
        ] {
            let (kept, recounted) = both(&app, &scope(period, units.clone(), channel)).await?;
            assert_eq!(kept, recounted, "{units:?} {channel}");
            let n: u64 = kept.published.iter().map(|g| g.count).sum();
            assert_eq!(n, published, "{units:?} {channel}");
        }
        let rebuilt = trends::rebuild(db, &|_, _| {}).await?;
        assert_eq!(rebuilt.corrected, 0, "{rebuilt:?}");
        assert!(rebuilt.rows > 0);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn publications_at_the_same_time_are_all_counted() -> anyhow::Result<()> {
    each_backend(async |app| {
        units(&app, &["Agency"]).await?;
        let mut lessons = Vec::new();
        for n in 0..8 {
            let (lesson, _) =
                log(&app, &format!("Same slice {n}"), json!({"unit": "Agency"})).await?;
            draft(&app, &lesson, true).await?;
            lessons.push(lesson);
        }
        // Every one adds to the same kept rows (month, unit, channel, audience, impact).
        let (db, moderator) = (&app.state.db, moderator());
        let publications = lessons
            .iter()
            .map(|lesson| moderation::publish(db, &moderator, lesson, 0));
        for published in join_all(publications).await {
            published?;
        }
        for units in ["unit_id = -1", "unit_id <> -1"] {
            let sum =
                format!("SELECT CAST(SUM(lessons) AS BIGINT) FROM trend_published WHERE {units}");
            assert_eq!(number(&app, &sum).await?, 8, "{units}");
        }
        let period = these_two_months();
        let (kept, recounted) = both(&app, &scope(period, None, "")).await?;
        assert_eq!(kept, recounted);
        assert_eq!(trends::rebuild(db, &|_, _| {}).await?.corrected, 0);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn days_that_do_not_make_whole_months_are_counted_from_the_reports() -> anyhow::Result<()> {
    each_backend(async |app| {
        quarter(&app).await?;
        // Partial months on both sides, one whole month, a single partial month, a year.
        for (from, to) in [
            ("2026-01-15", "2026-03-10"),
            ("2026-01-01", "2026-03-31"),
            ("2026-02-02", "2026-02-20"),
            ("2025-03-01", "2026-02-28"),
        ] {
            let period = Period::between(from, to)?;
            let (kept, recounted) = both(&app, &scope(period, None, "")).await?;
            assert_eq!(kept, recounted, "{from} to {to}");
        }
        let partial = Period::between("2026-01-15", "2026-03-10")?;
        let (kept, _) = both(&app, &scope(partial, None, "")).await?;
        // January's lessons were published on the 12th; February's 4 and none of March's
        // (published on the 21st) are in.
        assert_eq!(kept.published.iter().map(|g| g.count).sum::<u64>(), 4);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_upgrade_counts_the_reports_already_there_once() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        units(&app, &["Agency"]).await?;
        insert(&app, 3, &Fixture::default()).await?;
        // As before migration 20: reports but no kept counts, and its note to fill them.
        for table in TABLES {
            db.execute_unprepared(&format!("DELETE FROM {table}"))
                .await?;
        }
        db.execute_unprepared(
            "INSERT INTO settings (key, value) VALUES ('trend_counts.rebuild', 'migration 20')",
        )
        .await?;
        kintsugi::db::migrate(db).await?;
        let period = Period::between("2026-01-01", "2026-01-31")?;
        let (kept, recounted) = both(&app, &scope(period, None, "")).await?;
        assert_eq!(kept, recounted);
        assert_eq!(kept.published.iter().map(|g| g.count).sum::<u64>(), 3);
        let note = "SELECT COUNT(*) FROM settings WHERE key = 'trend_counts.rebuild'";
        assert_eq!(
            number(&app, note).await?,
            0,
            "the note goes once the counts are filled"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_rebuild_corrects_counts_changed_behind_its_back() -> anyhow::Result<()> {
    each_backend(async |app| {
        let db = &app.state.db;
        quarter(&app).await?;
        assert_eq!(trends::rebuild(db, &|_, _| {}).await?.corrected, 0);
        // A report written straight into the table, and a kept count changed by hand.
        db.execute_unprepared(
            "UPDATE trend_published SET lessons = lessons + 5 WHERE month = '2026-02' AND unit_id = -1",
        )
        .await?;
        db.execute_unprepared("UPDATE reports SET channel = 'other' WHERE channel = 'meeting'")
            .await?;
        let quarter = Period::between("2026-01-01", "2026-03-31")?;
        let (kept, recounted) = both(&app, &scope(quarter, None, "")).await?;
        assert_ne!(kept, recounted);
        let rebuilt = trends::rebuild(db, &|_, _| {}).await?;
        // The changed count, and in each of the 5 tables March's meeting row moved to
        // 'other', under its unit and under all units: a row gone and a row new each time.
        assert_eq!(rebuilt.corrected, 1 + 5 * 2 * 2, "{rebuilt:?}");
        let (kept, recounted) = both(&app, &scope(quarter, None, "")).await?;
        assert_eq!(kept, recounted);
        // The command does the same, and finds nothing more to correct.
        kintsugi::cli::trends(db, kintsugi::cli::TrendCommand::Rebuild).await?;
        assert_eq!(trends::rebuild(db, &|_, _| {}).await?.corrected, 0);
        Ok(())
    })
    .await
}

/// A rowid would grow with each upsert and tell in which unit and channel the latest report
/// arrived.
#[tokio::test]
async fn the_kept_counts_keep_no_order_of_arrival() -> anyhow::Result<()> {
    let app = TestApp::start_with_url(Backend::Sqlite, None).await?;
    log(&app, "Counted", json!({})).await?;
    // Under its unit (none) and under all units.
    assert_eq!(
        number(&app, "SELECT COUNT(*) FROM trend_received").await?,
        2
    );
    for table in TABLES {
        let read = rows(&app, &format!("SELECT rowid FROM {table}")).await;
        assert!(read.is_err(), "{table} keeps a rowid, in order of arrival");
    }
    Ok(())
}
