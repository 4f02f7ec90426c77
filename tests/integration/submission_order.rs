//! Nothing keeps the order in which reports and the reporters' messages arrived: with the
//! day, an order would be enough to tell who wrote what.

use std::{path::PathBuf, time::Duration};

use kintsugi_tests::{Backend, TestApp, each_backend, files_under};
use serde_json::json;

use crate::support::{indexed, number, post_json, published, rows, submit};

/// Tables that hold a reporter's rows.
const REPORTERS_TABLES: [&str; 3] = ["reports", "report_factors", "report_messages"];

#[tokio::test]
async fn submissions_leave_no_order_in_tables_outbox_or_index() -> anyhow::Result<()> {
    each_backend(async |app| {
        published(
            &app,
            &json!({"title": "Published before", "narrative": "Searchable from the start."}),
        )
        .await?;
        indexed(&app).await?;
        let outbox_before = count(&app, "SELECT COUNT(*) FROM outbox").await?;
        let index_before = settled_index(&app).await?;

        let mut receipts = Vec::new();
        for n in 0..6 {
            let mut report = kintsugi_tests::new_report(&format!("Unordered {n}"));
            report["factors"] = json!(["time_pressure"]);
            let response = post_json(&app, "/api/v1/reports", &report).await;
            response.assert_status(poem::http::StatusCode::CREATED);
            receipts.push(submit(&app, &format!("Also unordered {n}")).await?.1);
        }
        for receipt in &receipts[..3] {
            post_json(
                &app,
                "/api/v1/receipts/details",
                &json!({"receipt": receipt, "detail": "One more thing."}),
            )
            .await
            .assert_status_is_ok();
        }
        post_json(
            &app,
            "/api/v1/receipts/withdraw",
            &json!({"receipt": receipts[3]}),
        )
        .await
        .assert_status_is_ok();

        // Nothing searchable changed, so nothing reached the outbox or the index.
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM outbox").await?,
            outbox_before
        );
        assert_eq!(
            settled_index(&app).await?,
            index_before,
            "the index changed"
        );

        match app.backend {
            Backend::Sqlite => {
                for table in REPORTERS_TABLES {
                    let sql = format!("SELECT rowid FROM {table}");
                    let read = rows(&app, &sql).await;
                    assert!(read.is_err(), "{table} keeps a rowid, in order of arrival");
                }
            }
            Backend::Postgres => {
                // No sequence numbers any row of theirs: no serial or identity column.
                let sequenced = count(
                    &app,
                    "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'public' \
                     AND table_name IN ('reports', 'report_factors', 'report_messages') \
                     AND (column_default LIKE 'nextval%' OR is_identity = 'YES')",
                )
                .await?;
                assert_eq!(sequenced, 0);
            }
        }
        // Messages are numbered within their report, never across reports.
        let highest = count(&app, "SELECT CAST(MAX(seq) AS BIGINT) FROM report_messages").await?;
        assert_eq!(highest, 1);
        Ok(())
    })
    .await
}

async fn count(app: &TestApp, sql: &'static str) -> anyhow::Result<i64> {
    number(app, sql).await
}

/// The index's file names and its commit metadata (which holds the last applied outbox
/// id and the count of operations), once the background indexer has nothing left to do.
async fn settled_index(app: &TestApp) -> anyhow::Result<(Vec<PathBuf>, String)> {
    let mut last = index_state(app)?;
    loop {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let now = index_state(app)?;
        if now == last {
            return Ok(now);
        }
        last = now;
    }
}

fn index_state(app: &TestApp) -> anyhow::Result<(Vec<PathBuf>, String)> {
    let dir = app.data_dir.path().join("index");
    let mut names: Vec<PathBuf> = files_under(&dir)?
        .into_iter()
        .map(|(path, _)| path)
        // The writer's lock file comes and goes with the writer, whatever was written.
        .filter(|path| !path.ends_with(".tantivy-writer.lock"))
        .collect();
    names.sort();
    Ok((names, std::fs::read_to_string(dir.join("meta.json"))?))
}
