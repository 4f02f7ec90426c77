//! Atom feeds of lessons and guideline changes: parsed back with the Atom crate, checked for
//! their content, their dates and the reading rule.

use atom_syndication::Feed;
use kintsugi::services::{
    accounts::Role,
    guidelines::{self, ChangeNote, IMPORT_AUTHOR},
};
use kintsugi_tests::{TestApp, csrf_token_in, each_backend, each_backend_with};
use poem::http::StatusCode;
use serde_json::json;
use time::format_description::well_known::Rfc3339;

use crate::support::{published, text};

const GUIDELINE: &str = "# Email {#email}

Owner: Head of communications

How we write to many people at once.

## Use BCC for external lists

Put external recipients in **BCC**.
";

/// The feed at `path`, parsed, as `cookie`'s holder (or anyone) reads it.
async fn feed(app: &TestApp, path: &str, cookie: Option<&str>) -> anyhow::Result<Feed> {
    let mut request = app.client.get(path);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await;
    response.assert_status_is_ok();
    response.assert_content_type("application/atom+xml; charset=utf-8");
    Ok(text(response).await?.parse::<Feed>()?)
}

async fn status(app: &TestApp, path: &str) -> StatusCode {
    app.client.get(path).send().await.0.status()
}

fn titles(feed: &Feed) -> Vec<&str> {
    feed.entries
        .iter()
        .map(|e| e.title.value.as_str())
        .collect()
}

/// The first day of this month at midnight UTC: how precisely lessons are dated.
fn this_month_start() -> String {
    let today = time::OffsetDateTime::now_utc().date();
    let first = today.replace_day(1).unwrap_or(today);
    first
        .midnight()
        .assume_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}

#[tokio::test]
async fn lesson_feeds_carry_the_published_version_dated_by_the_month() -> anyhow::Result<()> {
    each_backend(async |app| {
        let email = published(
            &app,
            &json!({"title": "Reply-all to the whole agency", "narrative": "Jo Bloggs at 14:05 sent it to everyone.",
                    "channel": "email", "unit": "Tax Agency/Web team", "factors": ["time_pressure"],
                    "lesson": "Check the recipients before sending."}),
        )
        .await?;
        published(
            &app,
            &json!({"title": "Post from the wrong account", "narrative": "The official account posted a joke.",
                    "channel": "public_social", "unit": "Health Agency"}),
        )
        .await?;
        // The moderator's redacted version is what readers see, never the reporter's words.
        sea_orm::ConnectionTrait::execute_unprepared(
            &app.state.db,
            &format!(
                "UPDATE publications SET narrative = 'Someone sent it to everyone.' WHERE report_id = '{email}'"
            ),
        )
        .await?;

        let all = feed(&app, "/feeds/lessons.atom", None).await?;
        assert_eq!(all.entries.len(), 2);
        let entry = all
            .entries
            .iter()
            .find(|e| e.id.ends_with(&email))
            .ok_or_else(|| anyhow::anyhow!("no entry for {email}"))?;
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.value.clone())
            .unwrap_or_default();
        assert!(content.contains("Someone sent it to everyone."), "{content}");
        assert!(!content.contains("Jo Bloggs") && !content.contains("14:05"), "{content}");
        assert!(content.contains("Tax Agency/Web team"), "{content}");
        assert_eq!(entry.updated.to_rfc3339().replace("+00:00", "Z"), this_month_start());
        assert!(entry.published.is_none());
        assert!(entry.links[0].href.ends_with(&format!("/reports/{email}")));
        assert_eq!(all.updated, entry.updated);

        let by_channel = feed(&app, "/feeds/lessons.atom?channel=email", None).await?;
        assert_eq!(titles(&by_channel), ["Reply-all to the whole agency"]);
        let by_unit = feed(&app, "/feeds/lessons.atom?unit=Tax%20Agency", None).await?;
        assert_eq!(titles(&by_unit), ["Reply-all to the whole agency"]);
        let by_factor = feed(&app, "/feeds/lessons.atom?factor=time_pressure", None).await?;
        assert_eq!(titles(&by_factor), ["Reply-all to the whole agency"]);
        for bad in [
            "/feeds/lessons.atom?channel=telegraph",
            "/feeds/lessons.atom?unit=Nowhere",
            "/feeds/lessons.atom?factor=nothing",
            "/feeds/lessons.atom?channel=email&unit=Tax%20Agency",
        ] {
            assert_eq!(status(&app, bad).await, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }
        // A pattern readers may not see has no feed either.
        assert_eq!(status(&app, "/feeds/lessons.atom?pattern=999").await, StatusCode::NOT_FOUND);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_guideline_feed_lists_changes_and_pages_link_to_their_feeds() -> anyhow::Result<()> {
    each_backend(async |app| {
        let note = ChangeNote::because("First recorded.");
        guidelines::import_markdown(&app.state.db, IMPORT_AUTHOR, GUIDELINE, None, &note).await?;
        let changes = feed(&app, "/feeds/guidelines.atom", None).await?;
        assert_eq!(changes.entries.len(), 1);
        let entry = &changes.entries[0];
        assert!(
            entry.title.value.starts_with("Email: "),
            "{}",
            entry.title.value
        );
        assert!(
            entry.links[0]
                .href
                .ends_with("/guidelines/email/revisions/1")
        );
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.value.clone())
            .unwrap_or_default();
        assert!(content.contains("First recorded."), "{content}");

        let alternate = r#"<link rel="alternate" type="application/atom+xml""#;
        let page = text(app.client.get("/guidelines").send().await).await?;
        assert!(page.contains(alternate) && page.contains(r#"href="/feeds/guidelines.atom""#));
        let page = text(app.client.get("/search?channel=email").send().await).await?;
        assert!(page.contains(alternate), "{page}");
        // Handlebars escapes `=` in attributes, which browsers read back as it was.
        assert!(
            page.contains(r#"href="/feeds/lessons.atom?channel&#x3D;email""#),
            "{page}"
        );
        Ok(())
    })
    .await
}

/// The personal feed addresses on the account page just after asking for them.
async fn new_feed_token(app: &TestApp, cookie: &str, csrf: &str) -> anyhow::Result<String> {
    let response = app
        .client
        .post("/account/feed-token")
        .header("cookie", cookie)
        .form(&[("csrf_token", csrf)])
        .send()
        .await;
    response.assert_status_is_ok();
    let page = text(response).await?;
    // Handlebars writes `=` as `&#x3D;`.
    let marker = "lessons.atom?token&#x3D;";
    let start = page
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("no feed address on the page"))?
        + marker.len();
    let token: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    Ok(token)
}

#[tokio::test]
async fn with_signed_in_reading_a_feed_needs_a_session_or_a_current_token() -> anyhow::Result<()> {
    each_backend_with(
        |_| {},
        async |app| {
            published(
                &app,
                &json!({"title": "A shared lesson", "narrative": "It went wrong."}),
            )
            .await?;
            for path in ["/feeds/lessons.atom", "/feeds/guidelines.atom"] {
                assert_eq!(status(&app, path).await, StatusCode::UNAUTHORIZED, "{path}");
            }
            let reader = app.staff("re.ader", Role::Reader).await?;
            assert_eq!(
                feed(&app, "/feeds/lessons.atom", Some(&reader.cookie))
                    .await?
                    .entries
                    .len(),
                1
            );

            let first = new_feed_token(&app, &reader.cookie, &reader.csrf).await?;
            let with = |token: &str| format!("/feeds/lessons.atom?token={token}");
            assert_eq!(feed(&app, &with(&first), None).await?.entries.len(), 1);
            feed(&app, &format!("/feeds/guidelines.atom?token={first}"), None).await?;
            // The token is stored as a digest only.
            let account = text(
                app.client
                    .get("/account")
                    .header("cookie", &reader.cookie)
                    .send()
                    .await,
            )
            .await?;
            assert!(!account.contains(&first));
            let stored = crate::support::number(
                &app,
                &format!("SELECT COUNT(*) FROM feed_tokens WHERE token_hash = '{first}'"),
            )
            .await?;
            assert_eq!(stored, 0);

            // A new token revokes the old one; revoking leaves none.
            let second = new_feed_token(&app, &reader.cookie, &reader.csrf).await?;
            assert_ne!(first, second);
            assert_eq!(status(&app, &with(&first)).await, StatusCode::UNAUTHORIZED);
            feed(&app, &with(&second), None).await?;
            let csrf = csrf_token_in(&account).unwrap_or_default();
            app.client
                .post("/account/feed-token/revoke")
                .header("cookie", &reader.cookie)
                .form(&[("csrf_token", csrf.as_str())])
                .send()
                .await
                .assert_status(StatusCode::SEE_OTHER);
            assert_eq!(status(&app, &with(&second)).await, StatusCode::UNAUTHORIZED);
            assert_eq!(
                status(&app, &with("kintsugi_feed_guessed")).await,
                StatusCode::UNAUTHORIZED
            );
            // An API token is not a feed token.
            assert_eq!(
                status(&app, &with(&reader.token)).await,
                StatusCode::UNAUTHORIZED
            );
            Ok(())
        },
    )
    .await
}
