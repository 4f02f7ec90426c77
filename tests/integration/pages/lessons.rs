//! A shared lesson as a reader finds it: its factors and tags lead to the lessons sharing
//! them, its counts read as words, and a reader's own mark shows as made.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend;
use serde_json::json;

use crate::support::{published, text};

#[tokio::test]
async fn a_lesson_links_its_factors_and_tags_and_says_what_the_reader_marked() -> anyhow::Result<()>
{
    each_backend(async |app| {
        let report_ref = published(
            &app,
            &json!({
                "title": "Q&A sent to the wrong list",
                "narrative": "The answers went to every partner.",
                "factors": ["time_pressure"],
                "tags": ["reply-all", "q&a"],
            }),
        )
        .await?;
        let page = text(
            app.client
                .get(format!("/reports/{report_ref}"))
                .send()
                .await,
        )
        .await?;
        assert!(
            page.contains("href=\"/search?factor&#x3D;time_pressure\""),
            "{page}"
        );
        assert!(
            page.contains("href=\"/search?tag&#x3D;reply-all\""),
            "{page}"
        );
        assert!(page.contains("href=\"/search?tag&#x3D;q%26a\""), "{page}");
        let eyebrow = page
            .split("class=\"eyebrow\">")
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .unwrap_or_default();
        assert!(!eyebrow.contains("helped"), "no count of nobody: {eyebrow}");

        let reader = app.staff("re.ader", Role::Reader).await?;
        let lesson = |cookie: &str| {
            app.client
                .get(format!("/reports/{report_ref}"))
                .header("cookie", cookie)
                .send()
        };
        let before = text(lesson(&reader.cookie).await).await?;
        assert!(before.contains("value=\"helped\""), "the button is offered");
        let marked = text(
            app.client
                .post(format!("/reports/{report_ref}/signals"))
                .header("cookie", &reader.cookie)
                .form(&[("kind", "helped"), ("csrf_token", reader.csrf.as_str())])
                .send()
                .await,
        )
        .await?;
        for page in [marked, text(lesson(&reader.cookie).await).await?] {
            assert!(page.contains("You marked this: it helped you"), "{page}");
            assert!(
                !page.contains("value=\"helped\""),
                "not offered twice: {page}"
            );
            assert!(
                page.contains("value=\"happened_to_us\""),
                "the other still is"
            );
            assert!(page.contains("helped 1 reader<"), "{page}");
        }
        // Another reader has marked nothing.
        let other = app.staff("an.other", Role::Reader).await?;
        let page = text(lesson(&other.cookie).await).await?;
        assert!(page.contains("value=\"helped\"") && !page.contains("You marked this"));
        Ok(())
    })
    .await
}
