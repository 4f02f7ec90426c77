//! The report form, the confirmation with its receipt, and the page of a shared lesson.

use kintsugi_tests::each_backend;
use poem::http::StatusCode;
use serde_json::json;

use crate::support::{published, text};

const GOOD_FORM: &[(&str, &str)] = &[
    ("title", "Posted from the official account"),
    (
        "narrative",
        "I meant to post from my own account; both were open in the same app.",
    ),
    ("channel", "public_social"),
    ("impact", "near_miss"),
    ("audience", "public"),
    ("factors", "shared_accounts"),
    ("factors", "time_pressure"),
    ("lesson", "Keep the official account on a separate device."),
    ("occurred_on", "2026-02"),
    ("tags", "wrong-account, social media"),
];

#[tokio::test]
async fn the_home_page_and_the_form_explain_themselves() -> anyhow::Result<()> {
    each_backend(async |app| {
        let home = app.client.get("/").send().await;
        home.assert_status_is_ok();
        let home = text(home).await?;
        assert!(home.contains("Log a mistake or near miss"));
        assert!(home.contains("Skip to main content"));

        let form = app.client.get("/report").send().await;
        form.assert_status_is_ok();
        let form = text(form).await?;
        for expected in [
            "<label for=\"title\">",
            "<label for=\"narrative\">",
            "Near misses",
            "Exactly what is kept",
            "name=\"factors\" value=\"autocomplete\"",
        ] {
            assert!(form.contains(expected), "the form lacks {expected}");
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_mistake_logged_on_the_form_shows_the_receipt_once() -> anyhow::Result<()> {
    each_backend(async |app| {
        let response = app.client.post("/report").form(&GOOD_FORM).send().await;
        response.assert_status_is_ok();
        response.assert_header("cache-control", "no-store");
        let page = text(response).await?;
        assert!(page.contains("Your receipt code"));
        assert!(page.contains("only time it will be shown"));
        let code = page
            .split("<code>")
            .nth(1)
            .and_then(|rest| rest.split("</code>").next())
            .unwrap_or_default();
        assert_eq!(code.len(), 34, "seven groups of four with dashes: {code}");
        assert_eq!(code.matches('-').count(), 6);

        // The form page never shows it again.
        let form = text(app.client.get("/report").send().await).await?;
        assert!(!form.contains(code));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_form_with_errors_comes_back_with_the_text_kept() -> anyhow::Result<()> {
    each_backend(async |app| {
        let form: &[(&str, &str)] = &[
            ("title", ""),
            (
                "narrative",
                "A long account that must not be lost <b>even with markup</b>.",
            ),
            ("channel", ""),
            ("impact", "near_miss"),
            ("factors", "autocomplete"),
            ("occurred_on", "2099-01"),
        ];
        let response = app.client.post("/report").form(&form).send().await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(response).await?;
        // The text is kept, escaped, in its field.
        assert!(
            page.contains(
                "A long account that must not be lost &lt;b&gt;even with markup&lt;/b&gt;."
            )
        );
        // Each error sits beside its field and is linked from the summary.
        for field in ["title", "channel", "occurred_on"] {
            assert!(
                page.contains(&format!("id=\"{field}-error\"")),
                "no error beside {field}"
            );
            assert!(
                page.contains(&format!("href=\"#{field}\"")),
                "{field} not in the summary"
            );
        }
        assert!(page.contains("aria-invalid=\"true\""));
        // Choices made are still made.
        assert!(page.contains("value=\"autocomplete\" checked"));
        assert!(page.contains("value=\"near_miss\" checked"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_shared_lesson_is_shown_as_text_never_as_markup() -> anyhow::Result<()> {
    each_backend(async |app| {
        let report_ref = published(
            &app,
            &json!({"title": "A <script>alert(1)</script> title", "narrative": "Body with <img src=x onerror=alert(1)>", "lesson": "Escape everything."}),
        )
        .await?;
        let response = app.client.get(format!("/reports/{report_ref}")).send().await;
        response.assert_status_is_ok();
        response.assert_header_exist("content-security-policy");
        let page = text(response).await?;
        assert!(!page.contains("<script>alert"));
        assert!(!page.contains("<img src=x"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("Escape everything."));

        let missing = app.client.get("/reports/0000000000").send().await;
        missing.assert_status(StatusCode::NOT_FOUND);
        assert!(text(missing).await?.contains("Page not found"));
        let unknown = app.client.get("/no/such/page").send().await;
        unknown.assert_status(StatusCode::NOT_FOUND);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_form_checks_the_wording_without_sending_anything() -> anyhow::Result<()> {
    each_backend(async |app| {
        let response = app
            .client
            .post("/report")
            .form(&[
                ("action", "check"),
                ("title", "Careless reply-all"),
                (
                    "narrative",
                    "It was human error: I should have known better.",
                ),
            ])
            .send()
            .await;
        response.assert_status_is_ok();
        let page = text(response).await?;
        assert!(page.contains("Check the wording"));
        assert!(
            page.contains("“human error”") || page.contains("“Human error”"),
            "a hint names the words"
        );
        assert!(
            page.contains("It was human error: I should have known better."),
            "the text is kept"
        );
        let db = &app.state.db;
        let stored = sea_orm::ConnectionTrait::query_all_raw(
            db,
            sea_orm::Statement::from_string(db.get_database_backend(), "SELECT id FROM reports"),
        )
        .await?;
        assert!(stored.is_empty(), "nothing was sent");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn past_lessons_on_the_form_need_an_account_when_reading_does() -> anyhow::Result<()> {
    kintsugi_tests::each_backend_with(
        |_| {},
        async |app| {
            published(
                &app,
                &json!({"title": "Reply-all to the agency", "narrative": "n"}),
            )
            .await?;
            let response = app
                .client
                .post("/report")
                .form(&[
                    ("action", "similar"),
                    ("title", "Reply-all"),
                    ("narrative", "reply-all"),
                ])
                .send()
                .await;
            response.assert_status_is_ok();
            let page = text(response).await?;
            assert!(page.contains("Reading past lessons needs a staff account"));
            assert!(!page.contains("Reply-all to the agency"));
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn hints_sit_beside_their_text_impacts_are_defined_and_tags_split_alike() -> anyhow::Result<()>
{
    each_backend(async |app| {
        let form = text(app.client.get("/report").send().await).await?;
        assert!(
            form.contains("Caught before it reached anyone"),
            "each impact says what it means"
        );

        let page = text(
            app.client
                .post("/report")
                .form(&[
                    ("action", "check"),
                    ("title", "Reply-all to the agency"),
                    ("narrative", "It was human error."),
                    ("lesson", "Make the list harder to reach."),
                ])
                .send()
                .await,
        )
        .await?;
        // The hint follows the text it is about, before the next part of the form, and the
        // field points to it for screen readers.
        let beside = page
            .split("id=\"narrative-wording\"")
            .nth(1)
            .and_then(|rest| rest.split("similar-panel").next())
            .unwrap_or_default();
        assert!(
            beside.contains("hint-item") && beside.contains("human error"),
            "{page}"
        );
        assert!(page.contains("aria-describedby=\"narrative-hint narrative-wording\""));
        assert!(
            page.contains("href=\"#narrative\""),
            "the panel leads to the hint"
        );
        let title_box = page
            .split("id=\"title-wording\"")
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .unwrap_or_default();
        assert!(
            !title_box.contains("hint-item"),
            "a text without hints has none beside it"
        );

        // Commas separate tags on the form, as on the moderator's; without a comma, spaces do.
        for (title, tags, stored) in [
            (
                "Tags with commas",
                "reply all, Embargo",
                "reply-all embargo",
            ),
            ("Tags with spaces", "reply-all embargo", "reply-all embargo"),
        ] {
            let mut form = GOOD_FORM.to_vec();
            form.retain(|(name, _)| *name != "tags" && *name != "title");
            form.extend([("title", title), ("tags", tags)]);
            app.client
                .post("/report")
                .form(&form)
                .send()
                .await
                .assert_status_is_ok();
            let db = &app.state.db;
            let rows = sea_orm::ConnectionTrait::query_all_raw(
                db,
                sea_orm::Statement::from_sql_and_values(
                    db.get_database_backend(),
                    match db.get_database_backend() {
                        sea_orm::DbBackend::Postgres => "SELECT tags FROM reports WHERE title = $1",
                        _ => "SELECT tags FROM reports WHERE title = ?",
                    },
                    [title.into()],
                ),
            )
            .await?;
            let found: Vec<String> = rows
                .iter()
                .map(|row| row.try_get("", "tags"))
                .collect::<Result<_, _>>()?;
            assert_eq!(found, [stored], "{tags}");
        }
        Ok(())
    })
    .await
}
