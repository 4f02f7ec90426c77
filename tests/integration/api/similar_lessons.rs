//! Similar lessons on the demo data: the same mistake, told in other words, shares factors and
//! the thesaurus's groups; the list on the API and on the lesson page are one.

use kintsugi_tests::{TestApp, each_backend};

use super::search_words::WRONG_RECIPIENTS;
use crate::support::{import, indexed, json, rows, text};

const DEMO: &str = include_str!("../../../app/demo/demo-reports.jsonl");

async fn ref_of(app: &TestApp, title: &str) -> anyhow::Result<String> {
    let sql = format!(
        "SELECT id FROM reports WHERE title = '{}'",
        title.replace('\'', "''")
    );
    let found = rows(app, &sql).await?;
    let row = found
        .first()
        .ok_or_else(|| anyhow::anyhow!("no lesson titled {title}"))?;
    Ok(row.try_get::<String>("", "id")?)
}

async fn similar_titles(app: &TestApp, report_ref: &str) -> anyhow::Result<Vec<String>> {
    let path = format!("/api/v1/reports/{report_ref}/similar");
    let body = json(app.client.get(path).send().await).await?;
    Ok(body["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|hit| hit["title"].as_str().map(str::to_owned))
        .collect())
}

#[tokio::test]
async fn lessons_about_the_same_mistake_in_other_words_are_similar() -> anyhow::Result<()> {
    each_backend(async |app| {
        let summary = import(&app, DEMO, true).await?;
        anyhow::ensure!(summary.errors.is_empty(), "{:?}", summary.errors);
        indexed(&app).await?;
        // Told as a chat to a guest, with none of the others' words for the mistake.
        for title in [
            "Chat about a vulnerability nearly sent to an external guest",
            "Autocomplete picked a journalist instead of a colleague",
        ] {
            let report_ref = ref_of(&app, title).await?;
            let similar = similar_titles(&app, &report_ref).await?;
            let top: Vec<&String> = similar.iter().take(3).collect();
            assert!(
                top.len() == 3 && top.iter().all(|t| WRONG_RECIPIENTS.contains(&t.as_str())),
                "{title}: {similar:?}"
            );
            assert!(!similar.iter().any(|t| t == title), "never itself");
            let page = text(
                app.client
                    .get(format!("/reports/{report_ref}"))
                    .send()
                    .await,
            )
            .await?;
            let listed = page
                .split("id=\"similar-title\"")
                .nth(1)
                .unwrap_or_default();
            for expected in &top {
                let shown = expected.replace('\'', "&#x27;");
                assert!(listed.contains(&shown), "the page lists {expected}");
            }
        }
        Ok(())
    })
    .await
}
