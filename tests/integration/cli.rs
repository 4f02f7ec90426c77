//! `import` and `demo`: the JSON Lines path into the database.

use kintsugi_tests::{each_backend, shared_data};
use serde_json::json;

use crate::support::{import, json as read_json};

#[tokio::test]
async fn bad_lines_are_reported_by_number_and_good_lines_still_go_in() -> anyhow::Result<()> {
    each_backend(async |app| {
        let lines = [
            json!({"title": "Good one", "narrative": "n", "channel": "email"}).to_string(),
            "{not json".to_owned(),
            json!({"narrative": "no title"}).to_string(),
            json!({"title": "Bad channel", "narrative": "n", "channel": "pigeon"}).to_string(),
            String::new(),
            json!({"title": "Body alias", "body": "from a post-mortem", "tags": ["Kubernetes"], "occurred_on": "2024-03-02"}).to_string(),
            json!({"title": "Nul", "narrative": "a\u{0}b"}).to_string(),
        ];
        let summary = import(&app, &lines.join("\n"), true).await?;
        assert_eq!(summary.imported, 2);
        assert_eq!(summary.skipped_blank, 1);
        let failed: Vec<usize> = summary.errors.iter().map(|e| e.line).collect();
        assert_eq!(failed, vec![2, 3, 4, 7]);
        assert!(summary.errors[1].message.contains("title"));
        assert!(summary.errors[2].message.contains("channel"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_public_incidents_load_as_they_are() -> anyhow::Result<()> {
    let Some(path) = shared_data("public-incidents.jsonl") else {
        eprintln!("skipped: ../shared/data/public-incidents.jsonl is not beside the repository");
        return Ok(());
    };
    let text = std::fs::read_to_string(path)?;
    each_backend(async |app| {
        let summary = import(&app, &text, true).await?;
        assert!(summary.errors.is_empty(), "{:?}", summary.errors);
        assert_eq!(summary.imported, 32);
        let home = app.client.get("/").send().await;
        assert!(
            crate::support::text(home)
                .await?
                .contains("32 shared lessons")
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_demo_set_loads_once() -> anyhow::Result<()> {
    each_backend(async |app| {
        kintsugi::cli::demo(&app.state.db).await?;
        let home = crate::support::text(app.client.get("/").send().await).await?;
        let count = home
            .split(" shared lessons")
            .next()
            .and_then(|before| before.rsplit('>').next())
            .and_then(|n| n.trim().parse::<u32>().ok())
            .unwrap_or(0);
        assert!((55..=70).contains(&count), "demo set has {count} lessons");

        // A second run changes nothing.
        kintsugi::cli::demo(&app.state.db).await?;
        let again = crate::support::text(app.client.get("/").send().await).await?;
        assert!(again.contains(&format!("{count} shared lessons")));

        // The demo spans units, so that patterns across units have something to find.
        let units = read_json(app.client.get("/api/v1/units").send().await).await?;
        assert!(units.as_array().is_some_and(|u| u.len() >= 11));
        Ok(())
    })
    .await
}
