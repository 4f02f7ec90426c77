//! Bad input to the pages: refused as the API refuses it, naming the field, the form kept.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend;
use poem::http::StatusCode;

use crate::support::{number, submit, text};

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn text_that_is_not_utf8_is_refused_with_the_form_kept() -> anyhow::Result<()> {
    each_backend(async |app| {
        // `%E9` is é in Latin-1, as a wrongly configured client would send it.
        let body =
            "title=Caf%E9+list&narrative=The+rest+of+what+I+wrote&channel=email&impact=minor";
        let response = app
            .client
            .post("/report")
            .content_type(FORM)
            .body(body)
            .send()
            .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(response).await?;
        assert!(page.contains("href=\"#title\""), "the field is named");
        assert!(page.contains("could not be read as text"));
        assert!(
            page.contains("The rest of what I wrote"),
            "the other text is kept"
        );
        let count = number(&app, "SELECT COUNT(*) FROM reports").await?;
        assert_eq!(count, 0, "nothing is stored with replacement characters");

        // Forms that act with an account name the field as well.
        let admin = app.staff("the.admin", Role::Admin).await?;
        let body = format!("csrf_token={}&name=caf%E9&role=reader", admin.csrf);
        let response = app
            .client
            .post("/admin/users")
            .header("cookie", &admin.cookie)
            .content_type(FORM)
            .body(body)
            .send()
            .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(response).await?;
        assert!(page.contains("href=\"#name\""), "{page}");
        assert!(
            page.contains("caf\u{FFFD}"),
            "the name is shown as it arrived"
        );

        // The receipt's forms refuse it too, naming the field.
        let (_, receipt) = submit(&app, "A report to add to").await?;
        let body = format!("receipt={receipt}&detail=%FF%FE");
        let response = app
            .client
            .post("/receipt/detail")
            .content_type(FORM)
            .body(body)
            .send()
            .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(response).await?.contains("detail"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn impossible_dates_in_a_search_are_named() -> anyhow::Result<()> {
    each_backend(async |app| {
        for query in ["from=2026-02-zz", "from=2026-02-30", "to=2026-13"] {
            let field = &query[..query.find('=').unwrap_or(0)];
            let response = app
                .client
                .get(format!("/search?q=reply&{query}"))
                .send()
                .await;
            response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            let page = text(response).await?;
            assert!(page.contains(&format!("href=\"#{field}\"")), "{query}");
            assert!(page.contains("is not a date"), "{query}");
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn methods_a_page_does_not_answer_get_405_and_the_ones_it_does() -> anyhow::Result<()> {
    each_backend(async |app| {
        for (method, path, allow) in [
            ("PUT", "/report", "GET, HEAD, POST"),
            ("DELETE", "/report", "GET, HEAD, POST"),
            ("PATCH", "/", "GET, HEAD"),
            ("DELETE", "/receipt/withdraw", "POST"),
            ("PUT", "/moderation/ABC/publish", "POST"),
            ("POST", "/static/style.css", "GET"),
        ] {
            let method = poem::http::Method::from_bytes(method.as_bytes())?;
            let response = app.client.request(method.clone(), path).send().await;
            response.assert_status(StatusCode::METHOD_NOT_ALLOWED);
            response.assert_header("allow", allow);
            let page = text(response).await?;
            assert!(page.contains("does not answer"), "{method} {path}");
        }
        Ok(())
    })
    .await
}
