//! Guideline sections in search: indexed through the outbox, the `kind` facet, the governing
//! section above the lessons, the sections search of the API and suggestions for a lesson.

use kintsugi::{
    codes::ReportRef,
    services::{
        accounts::Role,
        guidelines::{self, ChangeNote, SectionEdit, SectionRef},
        search,
    },
};
use kintsugi_tests::{TestApp, each_backend};
use poem::http::StatusCode;
use serde_json::{Value, json};

use super::{AUTHOR, email_guideline, lesson};
use crate::support::{indexed, json, published, rows, text};

/// The sections of the `email` guideline these tests search.
const SECTIONS: &[(&str, &str, &str)] = &[
    (
        "bcc-for-external-lists",
        "Use Bcc for external lists",
        "When you write to partners outside the organisation who do not know one another, \
         put their **addresses** in Bcc, never in To or Cc.",
    ),
    (
        "reply-all",
        "Think before reply-all",
        "A reply to a distribution list reaches every member. Answer the sender alone unless \
         everyone needs the answer.",
    ),
    (
        "subject-lines",
        "Subject lines",
        "Say what you need in the subject line, so that partners can find the message later.",
    ),
];

/// The `guideline#anchor` of each section a sections search answers, in order.
async fn found(app: &TestApp, q: &str) -> anyhow::Result<Vec<String>> {
    let body = json(
        app.client
            .get(format!("/api/v1/guidelines/search?q={q}"))
            .send()
            .await,
    )
    .await?;
    Ok(body["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            format!(
                "{}#{}",
                s["guideline"].as_str().unwrap_or(""),
                s["anchor"].as_str().unwrap_or("")
            )
        })
        .collect())
}

fn note(why: &str) -> ChangeNote {
    ChangeNote::because(why)
}

#[tokio::test]
async fn sections_reach_search_through_the_outbox_and_retired_ones_leave_it() -> anyhow::Result<()>
{
    each_backend(async |app| {
        let db = &app.state.db;
        email_guideline(&app, SECTIONS).await?;
        let kinds = rows(&app, "SELECT kind, subject FROM outbox ORDER BY id").await?;
        let kinds: Vec<(String, String)> = kinds
            .iter()
            .map(|r| {
                Ok((
                    r.try_get::<String>("", "kind")?,
                    r.try_get::<String>("", "subject")?,
                ))
            })
            .collect::<Result<_, sea_orm::DbErr>>()?;
        assert!(
            kinds.contains(&("section".to_owned(), "email#reply-all".to_owned())),
            "{kinds:?}"
        );
        assert_eq!(
            found(&app, "bcc").await?,
            Vec::<String>::new(),
            "not indexed yet"
        );
        indexed(&app).await?;
        assert_eq!(found(&app, "bcc").await?, ["email#bcc-for-external-lists"]);

        // An edit shows once the indexer has run; the old words no longer find the section.
        let edit = SectionEdit {
            heading: None,
            markdown: "Use a mail-merge tool for newsletters to partners.".to_owned(),
        };
        guidelines::put_section(
            db,
            AUTHOR,
            "email",
            "bcc-for-external-lists",
            &edit,
            &note("Newsletters"),
        )
        .await?;
        indexed(&app).await?;
        assert_eq!(
            found(&app, "newsletters").await?,
            ["email#bcc-for-external-lists"]
        );
        assert_eq!(found(&app, "addresses").await?, Vec::<String>::new());

        // Retired: never answered, neither by the sections search nor as guidance.
        guidelines::retire_section(db, AUTHOR, "email", "reply-all", None, &note("Folded in"))
            .await?;
        indexed(&app).await?;
        assert_eq!(found(&app, "reply-all").await?, Vec::<String>::new());
        let lessons = json(app.client.get("/api/v1/search?q=reply-all").send().await).await?;
        assert!(lessons.get("guidance").is_none(), "{lessons}");
        assert_eq!(
            lessons["facets"]["kind"][1],
            json!({"value": "guideline", "count": 0})
        );

        // A rebuild restores the sections in force from the database, and only those.
        kintsugi::indexing::rebuild(db, &app.state.index, &|_, _| {}).await?;
        assert_eq!(app.state.index.num_sections(), 2);
        assert_eq!(
            found(&app, "newsletters").await?,
            ["email#bcc-for-external-lists"]
        );
        assert_eq!(found(&app, "subject").await?, ["email#subject-lines"]);
        assert_eq!(found(&app, "reply-all").await?, Vec::<String>::new());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_governing_section_comes_first_when_it_matches_well() -> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app, SECTIONS).await?;
        let first = lesson(&app, "Partners saw each other's addresses in an external list").await?;
        lesson(&app, "The invitation to partners went in To").await?;
        indexed(&app).await?;

        // Every word in the section, one in its heading: the guidance, above the lessons.
        let body = json(app.client.get("/api/v1/search?q=external%20lists").send().await).await?;
        let guidance = &body["guidance"];
        assert_eq!(guidance["anchor"], "bcc-for-external-lists", "{body}");
        assert_eq!(guidance["guideline_title"], "Email");
        assert_eq!(guidance["number"], 1);
        assert_eq!(guidance["url"], "/guidelines/email#bcc-for-external-lists");
        assert_eq!(body["hits"][0]["ref"], first.as_str(), "the lessons are listed as before");
        assert_eq!(body["facets"]["kind"][0], json!({"value": "lesson", "count": body["total"]}));
        assert_eq!(body["facets"]["kind"][1]["value"], "guideline");
        assert_eq!(body["sections"], json!([]));

        // Words in the text only ("sender"), or not all the words ("bcc embargo"): no guidance.
        for q in ["sender", "bcc%20embargo"] {
            let body = json(app.client.get(format!("/api/v1/search?q={q}")).send().await).await?;
            assert!(body.get("guidance").is_none(), "{q}: {body}");
        }
        // Only on the first page of lessons by relevance.
        let later = json(app.client.get("/api/v1/search?q=external%20lists&offset=1").send().await).await?;
        assert!(later.get("guidance").is_none());

        // The kind facet lists sections instead of lessons.
        let body = json(app.client.get("/api/v1/search?q=partners&kind=guideline").send().await).await?;
        assert_eq!(body["hits"], json!([]));
        assert_eq!(body["total"], 2, "{body}");
        let anchors: Vec<&str> = body["sections"].as_array().into_iter().flatten().filter_map(|s| s["anchor"].as_str()).collect();
        assert_eq!(anchors.len(), 2);
        assert!(anchors.contains(&"subject-lines") && anchors.contains(&"bcc-for-external-lists"));
        assert!(body.get("guidance").is_none());

        let refused = app.client.get("/api/v1/search?q=x&kind=pattern").send().await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let refused = json(refused).await?;
        assert!(refused.to_string().contains("kind"), "{refused}");

        // The page: the guidance above the lessons, and the facet switching to sections.
        let page = text(app.client.get("/search?q=external+lists").send().await).await?;
        let guidance = page.find("The guidance: <a href=\"/guidelines/email#bcc-for-external-lists\">Email §1 — Use Bcc for external lists</a>");
        let lessons = page.find("<ol class=\"hits\"");
        assert!(guidance.is_some() && guidance < lessons, "{page}");
        assert!(page.contains("Guideline sections <span class=\"count\">2</span>"), "{page}");
        let page = text(app.client.get("/search?q=partners&kind=guideline").send().await).await?;
        assert!(page.contains("2 guideline sections"), "{page}");
        assert!(page.contains("href=\"/guidelines/email#subject-lines\""), "{page}");
        assert!(page.contains("aria-current=\"page\">Guideline sections"), "{page}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_guidelines_search_answers_sections_with_snippets_and_scores() -> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app, SECTIONS).await?;
        indexed(&app).await?;
        let body = json(
            app.client
                .get("/api/v1/guidelines/search?q=partners%20bcc")
                .send()
                .await,
        )
        .await?;
        assert_eq!(body["total"], 2, "{body}");
        let best = &body["sections"][0];
        assert_eq!(
            best["anchor"], "bcc-for-external-lists",
            "matching both words comes first"
        );
        assert_eq!(best["heading"], "Use Bcc for external lists");
        assert!(
            best["heading_html"]
                .as_str()
                .is_some_and(|h| h.contains("<mark>Bcc</mark>")),
            "{best}"
        );
        assert!(
            best["snippet"]
                .as_str()
                .is_some_and(|s| s.contains("<mark>partners</mark>") && !s.contains("**")),
            "{best}"
        );
        let (first, second) = (
            best["score"].as_f64(),
            body["sections"][1]["score"].as_f64(),
        );
        assert!(first > second, "{body}");

        let page = json(
            app.client
                .get("/api/v1/guidelines/search?q=partners%20bcc&limit=1&offset=1")
                .send()
                .await,
        )
        .await?;
        assert_eq!(page["sections"].as_array().map(Vec::len), Some(1));
        assert_eq!(page["sections"][0]["anchor"], "subject-lines");
        assert_eq!(
            json(app.client.get("/api/v1/guidelines/search").send().await).await?,
            json!({"total": 0, "sections": []})
        );
        let long = "w".repeat(1001);
        app.client
            .get(format!("/api/v1/guidelines/search?q={long}"))
            .send()
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        app.client
            .get("/api/v1/guidelines/search?q=bcc&limit=0")
            .send()
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_lesson_is_offered_its_best_sections_and_linked_in_one_click() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (db, index, turns) = (&app.state.db, &app.state.index, &app.state.search_turns);
        email_guideline(&app, SECTIONS).await?;
        let lesson_ref = published(
            &app,
            &json!({"title": "External partners saw each other's addresses", "narrative": "The invitation went to forty partners in the To line.", "lesson": "Put external lists in Bcc.", "tags": ["bcc"]}),
        )
        .await?;
        indexed(&app).await?;
        let lesson: ReportRef = lesson_ref.parse()?;
        let suggested = search::suggest_sections(db, index, turns, &lesson).await?;
        assert_eq!(suggested.first().map(|s| s.anchor.as_str()), Some("bcc-for-external-lists"), "{suggested:?}");

        // The moderator's report page offers it with a one-click link form.
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let page = text(app.client.get(format!("/moderation/{lesson_ref}")).header("cookie", &moderator.cookie).send().await).await?;
        assert!(page.contains("Guideline sections this lesson may concern"), "{page}");
        assert!(page.contains(&format!("action=\"/reports/{lesson_ref}/guidelines\"")), "{page}");
        assert!(page.contains("name=\"section\" value=\"email#bcc-for-external-lists\""), "{page}");
        let linked = app
            .client
            .post(format!("/reports/{lesson_ref}/guidelines"))
            .header("cookie", &moderator.cookie)
            .form(&[("csrf_token", moderator.csrf.as_str()), ("section", "email#bcc-for-external-lists"), ("action", "link")])
            .send()
            .await;
        linked.assert_status_is_ok();
        let section = SectionRef { guideline: "email".into(), anchor: "bcc-for-external-lists".into() };
        assert_eq!(guidelines::lessons_of(db, &section).await?.total, 1);

        // Linked sections are not offered again.
        let suggested = search::suggest_sections(db, index, turns, &lesson).await?;
        assert!(suggested.iter().all(|s| s.anchor != "bcc-for-external-lists"), "{suggested:?}");

        // Before publication the page shows what is to come, without link buttons.
        let (submitted, _) = crate::support::submit(&app, "Partners' addresses in the To line").await?;
        let page = text(app.client.get(format!("/moderation/{submitted}")).header("cookie", &moderator.cookie).send().await).await?;
        assert!(page.contains("Once it is published"), "{page}");
        assert!(!page.contains(&format!("action=\"/reports/{submitted}/guidelines\"")));
        // A report that is not published gets no suggestions through the service.
        let unpublished: ReportRef = submitted.parse()?;
        assert!(search::suggest_sections(db, index, turns, &unpublished).await.is_err());
        Ok(())
    })
    .await
}

/// Lesson searches of every shape: words, none, only a word left out, by date.
const QUERIES: [&str; 4] = ["q=list", "q=", "q=-embargo", "q=partners&sort=newest"];

#[tokio::test]
async fn lesson_searches_are_unchanged_by_sections_beside_them() -> anyhow::Result<()> {
    each_backend(async |app| {
        for title in [
            "Reply-all to the partners list",
            "Wrong list for the newsletter",
            "Embargo broken on the website",
        ] {
            lesson(&app, title).await?;
        }
        indexed(&app).await?;
        let mut answers = Vec::new();
        for q in QUERIES {
            let body = json(app.client.get(format!("/api/v1/search?{q}")).send().await).await?;
            answers.push((body["total"].clone(), ranked(q, &body)));
        }
        email_guideline(&app, SECTIONS).await?;
        indexed(&app).await?;
        for (q, (total, hits)) in QUERIES.iter().zip(&answers) {
            let body = json(app.client.get(format!("/api/v1/search?{q}")).send().await).await?;
            assert_eq!(&body["total"], total, "{q}");
            assert_eq!(
                &ranked(q, &body),
                hits,
                "{q}: the same lessons in the same order"
            );
        }
        assert_eq!(app.state.index.num_docs(), 3, "sections are not lessons");
        let health = json(app.client.get("/healthz").send().await).await?;
        assert_eq!(health["index"]["documents"], 3);
        Ok(())
    })
    .await
}

/// The lessons a search answers, in order; lessons that tie (every lesson, for no words or a
/// word left out only) in the order of their refs, since ties keep no order across index
/// merges. Scores are compared exactly by the search crate's own tests: here the background
/// indexer may apply a row a second time, and a replaced copy counts in BM25's statistics
/// until a merge.
fn ranked(q: &str, body: &Value) -> Vec<String> {
    let mut hits: Vec<String> = body["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["ref"].as_str().map(str::to_owned))
        .collect();
    if q == "q=" || q == "q=-embargo" {
        hits.sort();
    }
    hits
}
