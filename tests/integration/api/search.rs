//! `GET /api/v1/search` and similar reports, through the outbox-fed index.

use kintsugi_tests::{each_backend, publish_report};
use poem::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{import, indexed, json, post_json, published, search_refs, submit};

fn lines(reports: &[Value]) -> String {
    reports.iter().map(|r| format!("{r}\n")).collect()
}

#[tokio::test]
async fn published_reports_are_found_and_unpublished_never() -> anyhow::Result<()> {
    each_backend(async |app| {
        let lesson = published(&app, &json!({"title": "Reply-all storm on the agency list", "narrative": "Everyone replied to everyone.", "channel": "email"})).await?;
        let (private, receipt) = submit(&app, "Reply-all to the board, still private").await?;
        indexed(&app).await?;
        assert_eq!(search_refs(&app, "q=reply-all").await?, vec![lesson.clone()]);

        // Published through moderation: findable. Withdrawn: gone.
        publish_report(&app.state.db, &private).await?;
        indexed(&app).await?;
        let mut both = search_refs(&app, "q=reply-all").await?;
        both.sort();
        let mut expected = vec![lesson.clone(), private.clone()];
        expected.sort();
        assert_eq!(both, expected);

        post_json(&app, "/api/v1/receipts/withdraw", &json!({"receipt": receipt})).await.assert_status_is_ok();
        indexed(&app).await?;
        assert_eq!(search_refs(&app, "q=reply-all").await?, vec![lesson]);

        let health = json(app.client.get("/healthz").send().await).await?;
        assert_eq!(health["index"]["lag"], 0);
        assert_eq!(health["index"]["documents"], 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn filters_facets_and_paging_answer_per_the_contract() -> anyhow::Result<()> {
    each_backend(async |app| {
        let summary = import(
            &app,
            &lines(&[
                json!({"title": "Wrong list", "narrative": "Sent to all staff.", "channel": "email", "impact": "minor", "unit": "Tax Agency/Web team", "tags": ["reply-all"], "factors": ["reply_all_default"], "occurred_on": "2025-03"}),
                json!({"title": "Wrong account", "narrative": "Posted from the official account.", "channel": "public_social", "impact": "moderate", "unit": "City Council", "factors": ["shared_accounts"], "occurred_on": "2026-02"}),
                json!({"title": "Near miss on the list", "narrative": "Caught before sending to all staff.", "channel": "email", "impact": "near_miss", "unit": "Tax Agency/Contact centre", "occurred_on": "2025-11"}),
            ]),
            true,
        )
        .await?;
        assert_eq!(summary.imported, 3);
        indexed(&app).await?;

        let body = json(app.client.get("/api/v1/search?q=staff&channel=email").send().await).await?;
        assert_eq!(body["total"], 2);
        let hit = &body["hits"][0];
        for field in ["ref", "title", "snippet", "score", "month"] {
            assert!(!hit[field].is_null(), "hit lacks {field}: {hit}");
        }
        assert!(body["hits"].as_array().into_iter().flatten().any(|h| h["snippet"].as_str().is_some_and(|s| s.contains("<mark>staff</mark>"))));
        let channel_counts = &body["facets"]["channel"];
        assert_eq!(channel_counts[0]["value"], "email");
        assert_eq!(channel_counts[0]["count"], 2);

        assert_eq!(search_refs(&app, "unit=Tax%20Agency").await?.len(), 2);
        assert_eq!(search_refs(&app, "impact=near_miss,moderate").await?.len(), 2);
        assert_eq!(search_refs(&app, "factor=shared_accounts").await?.len(), 1);
        assert_eq!(search_refs(&app, "tag=reply-all").await?.len(), 1);
        assert_eq!(search_refs(&app, "from=2025-10&to=2026-01-31").await?.len(), 1);
        let page = json(app.client.get("/api/v1/search?sort=newest&limit=2&offset=2").send().await).await?;
        assert_eq!(page["total"], 3);
        assert_eq!(page["hits"].as_array().map(Vec::len), Some(1));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn bad_search_parameters_are_named() -> anyhow::Result<()> {
    each_backend(async |app| {
        for (query, field) in [
            ("channel=fax", "channel"),
            ("impact=huge", "impact"),
            ("factor=careless", "factor"),
            ("from=2025-13", "from"),
            ("from=2026-02-zz", "from"),
            ("from=2026-02-30", "from"),
            ("to=2026-02-30", "to"),
            ("to=2026-02-01-03", "to"),
            ("from=2026-01&to=2025-01", "to"),
            ("limit=0", "limit"),
            ("offset=99999", "offset"),
            ("sort=random", "sort"),
        ] {
            let response = app
                .client
                .get(format!("/api/v1/search?{query}"))
                .send()
                .await;
            response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            let body = json(response).await?;
            assert_eq!(body["fields"][0]["field"], field, "{query}: {body}");
            let reason = body["fields"][0]["reason"].as_str().unwrap_or_default();
            assert!(!reason.is_empty(), "{query}: {body}");
        }
        // A value that is not even of the parameter's type names the parameter too.
        for (query, field) in [
            ("limit=many", "limit"),
            ("limit=-1", "limit"),
            ("offset=-5", "offset"),
        ] {
            let response = app
                .client
                .get(format!("/api/v1/search?{query}"))
                .send()
                .await;
            response.assert_status(StatusCode::BAD_REQUEST);
            let body = json(response).await?;
            assert!(body["message"].as_str().is_some_and(|m| m.contains(field)));
            assert_eq!(body["fields"][0]["field"], field, "{query}: {body}");
            let reason = body["fields"][0]["reason"].as_str().unwrap_or_default();
            assert_eq!(
                reason, "must be a whole number, 0 or more",
                "{query}: {body}"
            );
        }

        // Syntax the parser cannot read is read leniently, and said so.
        let body = json(
            app.client
                .get("/api/v1/search?q=%22unclosed%20AND%20(")
                .send()
                .await,
        )
        .await?;
        assert!(
            body["notices"].as_array().is_some_and(|n| !n.is_empty()),
            "{body}"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn similar_reports_for_a_lesson_and_for_a_draft() -> anyhow::Result<()> {
    each_backend(async |app| {
        kintsugi::cli::demo(&app.state.config, &app.state.db).await?;
        indexed(&app).await?;
        let reply_all = search_refs(&app, "q=reply-all&limit=1").await?;
        let first = reply_all.first().cloned().unwrap_or_default();
        let response = app.client.get(format!("/api/v1/reports/{first}/similar")).send().await;
        response.assert_status_is_ok();
        let similar = json(response).await?;
        let hits = similar["hits"].as_array().cloned().unwrap_or_default();
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|h| h["ref"] != first.as_str()));

        let (unpublished, _) = submit(&app, "not yet a lesson").await?;
        app.client.get(format!("/api/v1/reports/{unpublished}/similar")).send().await.assert_status(StatusCode::NOT_FOUND);

        let draft = post_json(&app, "/api/v1/similar", &json!({"title": "Oops, reply all", "narrative": "I replied to the whole distribution list by accident"})).await;
        draft.assert_status_is_ok();
        let titles: Vec<String> = json(draft).await?["hits"].as_array().into_iter().flatten().filter_map(|h| h["title"].as_str().map(str::to_lowercase)).collect();
        assert!(titles.iter().any(|t| t.contains("reply") || t.contains("list")), "{titles:?}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn natural_queries_find_the_right_lesson_in_the_demo_set() -> anyhow::Result<()> {
    each_backend(async |app| {
        kintsugi::cli::demo(&app.state.config, &app.state.db).await?;
        indexed(&app).await?;
        let titles = async |query: &str| -> anyhow::Result<Vec<String>> {
            let body = json(
                app.client
                    .get(format!("/api/v1/search?{query}&limit=5"))
                    .send()
                    .await,
            )
            .await?;
            Ok(body["hits"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|h| h["title"].as_str().map(str::to_lowercase))
                .collect())
        };
        for (query, expected) in [
            ("q=reply%20all", "repl"),
            ("q=reply-all", "repl"),
            ("q=embargo", "embargo"),
            ("q=embrago", "embargo"),
            ("q=wrong%20account", "account"),
            ("q=autocomplete", "autocomplete"),
            ("q=tracked%20changes", "tracked changes"),
            ("q=gps%20location", "gps"),
        ] {
            let found = titles(query).await?;
            assert!(
                found.iter().take(3).any(|t| t.contains(expected)),
                "{query}: {found:?}"
            );
        }
        // A factor's name finds its reports even when no reporter used the word.
        assert!(!titles("q=jargon").await?.is_empty());
        Ok(())
    })
    .await
}
