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
async fn a_misspelt_field_refuses_its_line_rather_than_losing_its_text() -> anyhow::Result<()> {
    each_backend(async |app| {
        let lines = [
            json!({"title": "Alias", "body": "still accepted", "lesson": "kept"}).to_string(),
            json!({"title": "Typo", "narrative": "n", "lessons": "would be lost"}).to_string(),
        ];
        let summary = import(&app, &lines.join("\n"), true).await?;
        assert_eq!(summary.imported, 1);
        assert_eq!(summary.errors.len(), 1, "{:?}", summary.errors);
        assert_eq!(summary.errors[0].line, 2);
        assert!(
            summary.errors[0]
                .message
                .contains("unknown field `lessons`"),
            "{}",
            summary.errors[0].message
        );
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
        kintsugi::cli::demo(&app.state.config, &app.state.db).await?;
        let home = crate::support::text(app.client.get("/").send().await).await?;
        let count = home
            .split(" shared lessons")
            .next()
            .and_then(|before| before.rsplit('>').next())
            .and_then(|n| n.trim().parse::<u32>().ok())
            .unwrap_or(0);
        assert!((55..=70).contains(&count), "demo set has {count} lessons");

        // A second run changes nothing.
        kintsugi::cli::demo(&app.state.config, &app.state.db).await?;
        let again = crate::support::text(app.client.get("/").send().await).await?;
        assert!(again.contains(&format!("{count} shared lessons")));

        // The demo spans units, so that patterns across units have something to find.
        let units = read_json(app.client.get("/api/v1/units").send().await).await?;
        assert!(units.as_array().is_some_and(|u| u.len() >= 11));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn user_add_creates_an_account_with_a_token_and_audits_it() -> anyhow::Result<()> {
    use kintsugi::{
        cli::{UserCommand, users},
        services::accounts::{self, Role, tokens},
    };
    each_backend(async |app| {
        let db = &app.state.db;
        let add = |name: &str, role: Role| UserCommand::Add {
            name: name.to_owned(),
            role,
            token: true,
            password_stdin: false,
        };
        users(db, add("First.Admin", Role::Admin)).await?;
        let listed = accounts::list(db).await?;
        assert_eq!(listed.len(), 1);
        assert_eq!(
            listed[0].name, "first.admin",
            "names are kept in lower case"
        );
        assert_eq!(listed[0].role, Role::Admin);
        let id = tokens::user_id_by_name(db, "first.admin").await?;
        assert_eq!(
            tokens::list_for(db, id).await?.len(),
            1,
            "--token issues a token"
        );

        // The same name again is refused with the field and the reason.
        let again = users(db, add("first.admin", Role::Reader)).await;
        let message = format!(
            "{:#}",
            again
                .err()
                .ok_or_else(|| anyhow::anyhow!("a duplicate was accepted"))?
        );
        assert!(message.contains("already exists"), "{message}");

        users(
            db,
            UserCommand::Disable {
                name: "first.admin".to_owned(),
            },
        )
        .await?;
        assert!(accounts::list(db).await?[0].disabled);
        let log = kintsugi::services::audit::latest(db, 10).await?;
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["user.disable", "token.issue", "user.add"]);
        assert!(log.iter().all(|e| e.actor == "command line"));
        Ok(())
    })
    .await
}
