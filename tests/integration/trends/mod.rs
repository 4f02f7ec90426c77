//! The trend report: counts against hand-computed answers, suppression that no subtraction
//! undoes, rates per unit size, the effect of guideline changes, the page, the CSV and the
//! API, and who may read them.

mod counts;
mod effects;
mod exports;
mod kept_counts;
mod pages;
mod rates;
mod suppression;

use kintsugi_tests::TestApp;
use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::support::{json, number};

/// One fixture report, written straight into the tables so that its days are exactly these.
pub struct Fixture<'a> {
    pub status: &'a str,
    pub submitted: &'a str,
    pub decided: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub audience: Option<&'a str>,
    pub impact: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub factors: &'a [&'a str],
    pub review: &'a str,
}

impl Default for Fixture<'_> {
    fn default() -> Self {
        Self {
            status: "published",
            submitted: "2026-01-02",
            decided: Some("2026-01-12"),
            channel: Some("email"),
            audience: Some("internal"),
            impact: Some("minor"),
            unit: None,
            factors: &[],
            review: "not_asked",
        }
    }
}

/// Creates the units of `paths` (parents first) and returns nothing: reports name them.
pub async fn units(app: &TestApp, paths: &[&str]) -> anyhow::Result<()> {
    for path in paths {
        let (parent, name) = match path.rsplit_once('/') {
            Some((parent, name)) => (Some(parent), name),
            None => (None, *path),
        };
        let parent_id = match parent {
            Some(parent) => number(
                app,
                &format!("SELECT CAST(id AS BIGINT) FROM units WHERE path = '{parent}'"),
            )
            .await?
            .to_string(),
            None => "NULL".to_owned(),
        };
        app.state
            .db
            .execute_unprepared(&format!(
                "INSERT INTO units (parent_id, name, path) VALUES ({parent_id}, '{name}', '{path}')"
            ))
            .await?;
    }
    Ok(())
}

/// Inserts `n` reports like `f`.
pub async fn insert(app: &TestApp, n: usize, f: &Fixture<'_>) -> anyhow::Result<()> {
    let db = &app.state.db;
    let text = |v: Option<&str>| v.map_or("NULL".to_owned(), |v| format!("'{v}'"));
    let unit = match f.unit {
        Some(path) => number(
            app,
            &format!("SELECT CAST(id AS BIGINT) FROM units WHERE path = '{path}'"),
        )
        .await?
        .to_string(),
        None => "NULL".to_owned(),
    };
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        let id = format!("t{}", kintsugi_tests::random_suffix());
        let id = &id[..id.len().min(16)];
        ids.push(id.to_owned());
        db.execute_unprepared(&format!(
            "INSERT INTO reports (id, title, narrative, channel, audience, impact, what_helped, \
             lesson, unit_id, occurred_month, tags, source_url, status, submitted_on, updated_on, \
             receipt_hash, merged_into, decided_on, raw_purged) VALUES ('{id}', 'A fixture', \
             'What happened.', {}, {}, {}, '', 'A lesson.', {unit}, NULL, '', NULL, '{}', '{}', \
             '{}', NULL, NULL, {}, false)",
            text(f.channel),
            text(f.audience),
            text(f.impact),
            f.status,
            f.submitted,
            f.decided.unwrap_or(f.submitted),
            text(f.decided),
        ))
        .await?;
        if f.status == "published" {
            db.execute_unprepared(&format!(
                "INSERT INTO publications (report_id, title, narrative, what_helped, lesson, tags, \
                 reporter_review, dismissed, prepared_on) VALUES ('{id}', 'A fixture', \
                 'What happened.', '', 'A lesson.', '', '{}', '[]', '{}')",
                f.review, f.submitted
            ))
            .await?;
        }
        for factor in f.factors {
            db.execute_unprepared(&format!(
                "INSERT INTO report_factors (report_id, factor_id) \
                 SELECT '{id}', id FROM factors WHERE slug = '{factor}'"
            ))
            .await?;
        }
    }
    // Counted as the services count the reports they store.
    kintsugi::services::trends::count_new(db, &ids).await?;
    Ok(())
}

/// The quarter the tests count: 2026-Q1, with 2025-Q1 a year earlier.
///
/// - January: 6 lessons by email, internal, 4 near misses and 2 minor, unit Agency, time
///   pressure, logged the 2nd and published the 12th (10 days), 3 approved by their reporter;
///   and 3 reports still waiting for a moderator.
/// - February: 4 lessons on public social media, to the public, minor, unit Bureau,
///   autocomplete, published after 3 days, all approved; 1 report withdrawn.
/// - March: 3 lessons in meetings, no audience given, serious, unit Agency/Small, both
///   factors, published after 20 days.
/// - January 2025: 4 lessons.
pub async fn quarter(app: &TestApp) -> anyhow::Result<()> {
    units(app, &["Agency", "Agency/Small", "Bureau"]).await?;
    let jan = Fixture {
        impact: Some("near_miss"),
        unit: Some("Agency"),
        factors: &["time_pressure"],
        ..Fixture::default()
    };
    insert(
        app,
        3,
        &Fixture {
            review: "approved",
            ..jan
        },
    )
    .await?;
    insert(app, 1, &jan).await?;
    insert(
        app,
        2,
        &Fixture {
            impact: Some("minor"),
            ..jan
        },
    )
    .await?;
    insert(
        app,
        3,
        &Fixture {
            status: "submitted",
            decided: None,
            ..jan
        },
    )
    .await?;
    let feb = Fixture {
        submitted: "2026-02-01",
        decided: Some("2026-02-04"),
        channel: Some("public_social"),
        audience: Some("public"),
        unit: Some("Bureau"),
        factors: &["autocomplete"],
        review: "approved",
        ..Fixture::default()
    };
    insert(app, 4, &feb).await?;
    insert(
        app,
        1,
        &Fixture {
            status: "withdrawn",
            ..feb
        },
    )
    .await?;
    let mar = Fixture {
        submitted: "2026-03-01",
        decided: Some("2026-03-21"),
        channel: Some("meeting"),
        audience: None,
        impact: Some("serious"),
        unit: Some("Agency/Small"),
        factors: &["time_pressure", "autocomplete"],
        ..Fixture::default()
    };
    insert(app, 3, &mar).await?;
    let a_year_earlier = Fixture {
        submitted: "2025-01-10",
        decided: Some("2025-01-20"),
        ..Fixture::default()
    };
    insert(app, 4, &a_year_earlier).await
}

/// The report as JSON, read with a policy owner's token.
pub async fn report(app: &TestApp, bearer: &str, query: &str) -> anyhow::Result<Value> {
    let response = app
        .client
        .get(format!("/api/v1/trends?{query}"))
        .header("authorization", bearer)
        .send()
        .await;
    response.assert_status_is_ok();
    json(response).await
}

/// The cell of `table` at row `row`, column `column`, as JSON.
pub fn cell<'a>(report: &'a Value, table: &str, row: &str, column: usize) -> &'a Value {
    report["tables"]
        .as_array()
        .and_then(|tables| tables.iter().find(|t| t["name"] == table))
        .and_then(|t| t["rows"].as_array())
        .and_then(|rows| rows.iter().find(|r| r["key"] == row))
        .map_or(&Value::Null, |r| &r["cells"][column])
}
