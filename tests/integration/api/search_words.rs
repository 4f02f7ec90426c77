//! Search on the demo data as a reader words it: labels as text, the thesaurus, graded
//! matching, spelling; an outdated index rebuilt on start; the thesaurus file's errors.

use kintsugi::{
    config::{Config, DatabaseUrl},
    indexing, server,
};
use kintsugi_tests::{TestApp, each_backend, each_database};
use serde_json::Value;

use crate::support::{import, indexed, json};

const DEMO: &str = include_str!("../../../app/demo/demo-reports.jsonl");

const DISTRIBUTION_LISTS: [&str; 5] = [
    "Reply-all to the whole directorate with a family's case details",
    "Shift swap request sent to all 600 contact centre staff",
    "Stakeholder newsletter sent with all 80 addresses visible",
    "Team list turned out to include two external partners",
    "Reply-all reflex caught by the new send-only list setting",
];

pub(crate) const WRONG_RECIPIENTS: [&str; 5] = [
    "Tax assessment sent to a taxpayer with a similar surname",
    "Autocomplete picked a journalist instead of a colleague",
    "Lines to take sent to the reporter instead of the spokesperson",
    "Resident's complaint forwarded to the contractor it was about",
    "Chat about a vulnerability nearly sent to an external guest",
];

async fn demo(app: &TestApp) -> anyhow::Result<()> {
    let summary = import(app, DEMO, true).await?;
    anyhow::ensure!(summary.errors.is_empty(), "{:?}", summary.errors);
    indexed(app).await
}

async fn search(app: &TestApp, q: &str) -> anyhow::Result<Value> {
    let q: String = q
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect();
    json(app.client.get(format!("/api/v1/search?q={q}")).send().await).await
}

fn titles(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|hit| hit["title"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn what_a_reader_sees_on_a_lesson_finds_it() -> anyhow::Result<()> {
    each_backend(async |app| {
        demo(&app).await?;
        // A tag.
        let tagged = titles(&search(&app, "distribution-list").await?);
        assert!(tagged.len() >= 5, "{tagged:?}");
        assert!(
            tagged[..5]
                .iter()
                .all(|t| DISTRIBUTION_LISTS.contains(&t.as_str())),
            "{tagged:?}"
        );
        // A unit's name, a factor's name, a channel's name.
        let unit = titles(&search(&app, "Contact centre").await?);
        assert!(
            unit.contains(&"Callback SMS template would have shown the amount owed".to_owned())
        );
        let factor = titles(&search(&app, "similar names").await?);
        assert!(factor.contains(&"Flood alert test message sent to live subscribers".to_owned()));
        let channel = titles(&search(&app, "phone SMS").await?);
        assert!(channel.contains(&"Flood alert test message sent to live subscribers".to_owned()));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn other_words_for_the_same_thing_find_it_and_are_shown() -> anyhow::Result<()> {
    each_backend(async |app| {
        demo(&app).await?;
        let autofill = search(&app, "autofill").await?;
        let found = titles(&autofill);
        assert!(found.len() >= 3, "{found:?}");
        assert!(
            found.contains(&"Autocomplete picked a journalist instead of a colleague".to_owned())
        );
        assert!(
            found[..3].iter().all(|t| t.contains("utocomplete")
                || WRONG_RECIPIENTS.contains(&t.as_str())
                || t.starts_with("Team list")),
            "{found:?}"
        );
        let also: Vec<&str> = autofill["also_searched_for"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            also.contains(&"autocomplete") && also.contains(&"address suggestions"),
            "{also:?}"
        );
        assert!(
            autofill["notices"]
                .to_string()
                .contains("Also searched for: autocomplete")
        );

        let bcc = titles(&search(&app, "blind copy").await?);
        assert_eq!(
            bcc.first().map(String::as_str),
            Some("Stakeholder newsletter sent with all 80 addresses visible")
        );
        let lists = titles(&search(&app, "mailing list").await?);
        assert!(DISTRIBUTION_LISTS.contains(&lists[0].as_str()), "{lists:?}");
        let embargo = titles(&search(&app, "pre-release").await?);
        assert!(
            embargo[..3]
                .iter()
                .filter(|t| t.contains("embargo")
                    || t.contains("midnight")
                    || t.contains("before the council"))
                .count()
                >= 2,
            "{embargo:?}"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn lessons_matching_more_words_come_first() -> anyhow::Result<()> {
    each_backend(async |app| {
        demo(&app).await?;
        let lists = search(&app, "wrong distribution list").await?;
        let found = titles(&lists);
        assert!(
            found.len() >= 5,
            "not only the lesson matching every word: {found:?}"
        );
        assert!(
            found[..3]
                .iter()
                .all(|t| DISTRIBUTION_LISTS.contains(&t.as_str())),
            "{found:?}"
        );

        let recipient = titles(&search(&app, "wrong recipient").await?);
        assert!(
            WRONG_RECIPIENTS.contains(&recipient[0].as_str()),
            "{recipient:?}"
        );
        let estate = recipient
            .iter()
            .position(|t| t == "Mayor's statement named the wrong housing estate");
        assert!(estate.is_none_or(|at| at >= 5), "{recipient:?}");

        // Only some words matched: said so, and phrases, exclusions and OR still hold.
        let some = search(&app, "email meant for a colleague went to a journalist").await?;
        assert!(
            some["notices"]
                .to_string()
                .contains("only some of your words"),
            "{}",
            some["notices"]
        );
        // The phrase is in the lesson, and in the description of the factor "hidden
        // metadata" that other lessons carry; the words apart are in neither.
        let phrase = titles(&search(&app, "\"tracked changes\"").await?);
        assert_eq!(
            phrase.first().map(String::as_str),
            Some("Tracked changes in a letter revealed internal comments about a taxpayer")
        );
        assert!(titles(&search(&app, "\"changes tracked\"").await?).is_empty());
        let without = titles(&search(&app, "reply-all -distribution-list").await?);
        assert!(
            !without
                .iter()
                .any(|t| DISTRIBUTION_LISTS.contains(&t.as_str())),
            "{without:?}"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn typos_are_searched_for_as_the_closest_word_and_nothing_found_offers_some()
-> anyhow::Result<()> {
    each_backend(async |app| {
        demo(&app).await?;
        let typo = search(&app, "wrong recipeint").await?;
        assert!(WRONG_RECIPIENTS.contains(&titles(&typo)[0].as_str()));
        assert!(
            typo["notices"]
                .to_string()
                .contains("closest spelling, “recipient”"),
            "{}",
            typo["notices"]
        );

        let nothing = search(&app, "embrgoo").await?;
        assert_eq!(nothing["total"], 0);
        assert_eq!(nothing["did_you_mean"], serde_json::json!(["embargo"]));
        let page = app.client.get("/search?q=embrgoo").send().await;
        page.assert_status_is_ok();
        let html = page.0.into_body().into_string().await?;
        assert!(
            html.contains("Did you mean <a href=\"/search?q&#x3D;embargo"),
            "{html}"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_index_of_an_older_schema_is_rebuilt_on_start() -> anyhow::Result<()> {
    each_database(async |url| {
        let dir = tempfile::tempdir()?;
        let start = async |dir: &std::path::Path| {
            let mut config = Config::with_data_dir(dir);
            config.database.url = url.clone().map(DatabaseUrl);
            server::prepare_state(config).await
        };
        {
            let state = start(dir.path()).await?;
            kintsugi::services::import::import_jsonl(
                &state.db,
                std::io::Cursor::new(DEMO),
                true,
                &|_| {},
            )
            .await?;
            indexing::catch_up(&state.db, &state.index, &|_| {}).await?;
        }
        // The payload as an index of the first schema wrote it.
        let meta = std::fs::read_to_string(dir.path().join("index/meta.json"))?;
        let key = "schema_version\\\":";
        let at = meta
            .find(key)
            .map(|at| at + key.len())
            .ok_or_else(|| anyhow::anyhow!("no schema version"))?;
        let digits = meta[at..].chars().take_while(char::is_ascii_digit).count();
        let older = format!("{}1{}", &meta[..at], &meta[at + digits..]);
        anyhow::ensure!(older != meta, "the version was not 1 already");
        std::fs::write(dir.path().join("index/meta.json"), older)?;
        let state = start(dir.path()).await?;
        assert_eq!(state.index.num_docs(), 61, "rebuilt from the database");
        let query = kintsugi::services::search::SearchQuery {
            q: "distribution-list".into(),
            ..Default::default()
        };
        let found = kintsugi::services::search::search(
            &state.db,
            &state.index,
            &state.search_turns,
            &query,
        )
        .await?;
        assert!(found.total >= 5, "with the tags as text");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_bad_thesaurus_file_stops_the_start_naming_its_line() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("thesaurus.toml");
    std::fs::write(
        &file,
        "groups = [\n  [\"bcc\", \"blind copy\"],\n  [\"lonely\"],\n]\n",
    )?;
    let mut config = Config::with_data_dir(dir.path().join("data"));
    config.search.thesaurus_file = Some(file);
    let error = match server::prepare_state(config).await {
        Ok(_) => anyhow::bail!("a bad thesaurus was accepted"),
        Err(error) => format!("{error:#}"),
    };
    assert!(
        error.contains("thesaurus.toml") && error.contains("line 3"),
        "{error}"
    );
    Ok(())
}
