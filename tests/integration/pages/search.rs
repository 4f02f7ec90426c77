//! The search page, the similar lessons on a report page, and the form's similar panel.

use kintsugi_tests::each_backend;
use poem::http::StatusCode;
use serde_json::json;

use crate::support::{indexed, published, text};

#[tokio::test]
async fn the_search_page_shows_snippets_facets_and_escaped_text() -> anyhow::Result<()> {
    each_backend(async |app| {
        published(&app, &json!({"title": "A <script>alert(1)</script> embargo", "narrative": "The embargo <b>broke</b> early.", "channel": "media_press", "unit": "City Council/Press"})).await?;
        published(&app, &json!({"title": "Embargoed figures", "narrative": "Released early by the scheduler.", "channel": "public_social"})).await?;
        indexed(&app).await?;

        let response = app.client.get("/search?q=embargo").send().await;
        response.assert_status_is_ok();
        let page = text(response).await?;
        assert!(page.contains("2 lessons"));
        assert!(page.contains("<mark>"));
        assert!(!page.contains("<script>alert"), "markup from a report must be escaped");
        assert!(!page.contains("<b>broke"));
        assert!(page.contains("Media or press"), "channel facet with its label");
        assert!(page.contains("channel&#x3D;media_press"), "facet links toggle a filter");

        let filtered = text(app.client.get("/search?q=embargo&channel=media_press").send().await).await?;
        assert!(filtered.contains("1 lesson"));
        assert!(filtered.contains("Filtered by"));

        let browse = text(app.client.get("/search").send().await).await?;
        assert!(browse.contains("2 lessons"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_empty_or_unreadable_search_helps_instead_of_failing() -> anyhow::Result<()> {
    each_backend(async |app| {
        published(
            &app,
            &json!({"title": "Reply-all", "narrative": "to everyone"}),
        )
        .await?;
        indexed(&app).await?;
        let none = text(app.client.get("/search?q=zzzzqqqq").send().await).await?;
        assert!(none.contains("No shared lesson matches"));
        assert!(none.contains("logging your near miss"));

        let response = app.client.get("/search?q=reply&from=13-2025").send().await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(response).await?;
        assert!(page.contains("href=\"#from\""));
        assert!(page.contains("value=\"reply\""), "the words are kept");

        let lenient = app.client.get("/search?q=%22reply%20AND%20(").send().await;
        lenient.assert_status_is_ok();
        assert!(text(lenient).await?.contains("read as plain words"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn lessons_show_similar_ones_and_the_form_offers_them_while_writing() -> anyhow::Result<()> {
    each_backend(async |app| {
        let first = published(&app, &json!({"title": "Reply-all to the agency list", "narrative": "The reply-all went to the whole agency list."})).await?;
        published(&app, &json!({"title": "Another reply-all to a big list", "narrative": "Again reply-all to a huge distribution list."})).await?;
        indexed(&app).await?;

        let page = text(app.client.get(format!("/reports/{first}")).send().await).await?;
        assert!(page.contains("Similar lessons"));
        let similar = page.split("Similar lessons").nth(1).unwrap_or_default();
        assert!(similar.contains("Another reply-all to a big list"), "{similar}");
        assert!(!similar.contains("Reply-all to the agency list"), "a lesson is not similar to itself");

        let form: &[(&str, &str)] = &[
            ("title", "I did a reply-all"),
            ("narrative", "My reply-all reached the whole list."),
            ("action", "similar"),
        ];
        let response = app.client.post("/report").form(&form).send().await;
        response.assert_status_is_ok();
        let page = text(response).await?;
        assert!(page.contains("value=\"I did a reply-all\""), "the typed text is kept");
        assert!(page.contains("Reply-all to the agency list"));
        assert!(!page.contains("Your receipt code"), "asking for similar lessons sends nothing");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn choosing_a_channel_leaves_the_others_to_add() -> anyhow::Result<()> {
    each_backend(async |app| {
        for (title, channel) in [
            ("Embargo broken by the press desk", "media_press"),
            ("Embargo broken by a scheduled post", "public_social"),
            ("Embargo broken in a newsletter", "email"),
        ] {
            published(
                &app,
                &json!({"title": title, "narrative": "It went out early.", "channel": channel}),
            )
            .await?;
        }
        indexed(&app).await?;

        let one = text(
            app.client
                .get("/search?q=embargo&channel=media_press")
                .send()
                .await,
        )
        .await?;
        assert!(one.contains("1 lesson"), "{one}");
        // The other channels stay listed, each adding itself to the choice.
        assert!(one.contains("Public social media"), "{one}");
        assert!(
            one.contains("channel&#x3D;media_press&amp;channel&#x3D;public_social"),
            "{one}"
        );
        // On a narrow screen the filters come first, folded.
        let filters = one.find("<details class=\"filters\"").unwrap_or(usize::MAX);
        let results = one.find("class=\"results\"").unwrap_or(0);
        assert!(filters < results, "the filters come before the results");

        let two = text(
            app.client
                .get("/search?q=embargo&channel=media_press&channel=public_social")
                .send()
                .await,
        )
        .await?;
        assert!(
            two.contains("2 lessons"),
            "values of one facet are alternatives: {two}"
        );
        assert!(two.contains("(2 chosen)"), "{two}");
        Ok(())
    })
    .await
}
