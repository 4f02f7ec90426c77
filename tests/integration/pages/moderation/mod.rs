//! The moderator's pages: where signing in lands, what is never cached, the decisions set
//! apart and confirmed, and correcting what a report is about.

mod classify;
mod decisions;

use kintsugi::{auth::access::Access, routes, services::accounts::Role};
use kintsugi_tests::{PASSWORD, TestApp, each_backend};
use poem::http::{Method, StatusCode};

use crate::{
    moderation::{moderate, report_with_a_phone_number},
    support::{number, text},
};

/// Where signing in with `next` leads.
async fn lands(app: &TestApp, name: &str, next: &str) -> anyhow::Result<String> {
    let response = app
        .client
        .post("/signin")
        .form(&[("name", name), ("password", PASSWORD), ("next", next)])
        .send()
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    Ok(response
        .0
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test]
async fn moderators_land_on_the_queue_unless_a_safe_page_was_asked_for() -> anyhow::Result<()> {
    each_backend(async |app| {
        app.staff("mo.derator", Role::Moderator).await?;
        app.staff("re.ader", Role::Reader).await?;
        let form = text(app.client.get("/signin").send().await).await?;
        assert!(
            form.contains(r#"name="next" value="""#),
            "no page was asked for: {form}"
        );
        assert_eq!(lands(&app, "mo.derator", "").await?, "/moderation");
        assert_eq!(
            lands(&app, "mo.derator", "/search?q=bcc").await?,
            "/search?q=bcc"
        );
        assert_eq!(
            lands(&app, "mo.derator", "//evil.example/").await?,
            "/moderation"
        );
        assert_eq!(lands(&app, "re.ader", "").await?, "/");
        Ok(())
    })
    .await
}

/// Every staff page of the route table, with its parameters filled in.
fn staff_pages(report_ref: &str, pattern: &str, suggestion: &str) -> anyhow::Result<Vec<String>> {
    let mut paths = Vec::new();
    for rule in routes::page_rules() {
        if rule.method != Method::GET || !matches!(rule.access, Access::Staff(_)) {
            continue;
        }
        let mut path = rule.path.to_owned();
        for (param, value) in [
            (":ref", report_ref),
            (":name", "mo.derator"),
            (":slug", "email"),
            (":anchor", "use-bcc-for-external-lists"),
            (":id", pattern),
            (":suggestion", suggestion),
            (":number", "1"),
            (":n", "1"),
        ] {
            path = path.replace(param, value);
        }
        anyhow::ensure!(
            !path.contains(':'),
            "give {path} a value for its parameter here"
        );
        paths.push(path);
    }
    Ok(paths)
}

#[tokio::test]
async fn no_staff_page_is_kept_by_a_cache() -> anyhow::Result<()> {
    each_backend(async |app| {
        let admin = app.staff("ad.min", Role::Admin).await?;
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        crate::pages::guidelines::email_guideline(&app).await?;
        crate::patterns::collection(&app, &[0, 1, 2, 3]).await?;
        crate::patterns::detect(&app).await?;
        crate::suggestions::refresh(&app).await?;
        let pattern = number(&app, "SELECT CAST(MIN(id) AS BIGINT) FROM patterns")
            .await?
            .to_string();
        let suggestion = number(&app, "SELECT CAST(MIN(id) AS BIGINT) FROM suggestions")
            .await?
            .to_string();
        let pages = staff_pages(&report_ref, &pattern, &suggestion)?;
        assert!(pages.contains(&format!("/moderation/{report_ref}")));
        for path in pages {
            let response = app
                .client
                .get(&path)
                .header("cookie", &admin.cookie)
                .send()
                .await;
            response.assert_status_is_ok();
            response.assert_header("cache-control", "no-store");
        }
        // A form answered with the page again is the page too.
        let asked = moderate(
            &app,
            &admin,
            &format!("/moderation/{report_ref}/ask"),
            &[("question", "Which list was it?")],
        )
        .await;
        asked.assert_status_is_ok();
        asked.assert_header("cache-control", "no-store");
        // Pages for anyone are not staff pages.
        let home = app.client.get("/").send().await;
        assert!(home.0.headers().get("cache-control").is_none());
        Ok(())
    })
    .await
}
