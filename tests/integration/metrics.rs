//! `/metrics`: who may read it, and what it counts.

use kintsugi::{
    config::{Config, ReadAccess},
    services::accounts::Role,
};
use kintsugi_tests::{each_backend_with, publish_report};
use poem::http::StatusCode;
use serde_json::json;

use crate::support::{client_from, indexed, submit, text};

fn allowing_the_monitoring_network(config: &mut Config) {
    config.access.read_access = ReadAccess::Open;
    config.metrics.allow = vec!["10.9.0.0/16".parse().unwrap_or_else(|e| panic!("{e}"))];
}

#[tokio::test]
async fn metrics_need_an_admin_token_or_an_allowed_address() -> anyhow::Result<()> {
    each_backend_with(allowing_the_monitoring_network, async |app| {
        let response = app.client.get("/metrics").send().await;
        response.assert_status(StatusCode::UNAUTHORIZED);
        response.assert_header("www-authenticate", "Bearer");

        let reader = app.staff("metrics.reader", Role::Reader).await?;
        let admin = app.staff("metrics.admin", Role::Admin).await?;
        let with_token = async |token: &str| {
            app.client
                .get("/metrics")
                .header("authorization", format!("Bearer {token}"))
                .send()
                .await
        };
        with_token(&reader.token)
            .await
            .assert_status(StatusCode::FORBIDDEN);
        with_token("kintsugi_not-a-token")
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
        let response = with_token(&admin.token).await;
        response.assert_status_is_ok();
        response.assert_content_type("text/plain; version=0.0.4; charset=utf-8");
        // A signed-in admin's browser is not a scraper: the token is what counts.
        app.client
            .get("/metrics")
            .header("cookie", &admin.cookie)
            .send()
            .await
            .assert_status(StatusCode::UNAUTHORIZED);

        client_from(&app, [10, 9, 3, 4].into())
            .get("/metrics")
            .send()
            .await
            .assert_status_is_ok();
        client_from(&app, [10, 10, 3, 4].into())
            .get("/metrics")
            .send()
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn metrics_count_routes_and_anonymous_requests_apart() -> anyhow::Result<()> {
    each_backend_with(allowing_the_monitoring_network, async |app| {
        let (report_ref, receipt) = submit(&app, "Counted, not logged").await?;
        app.client
            .post("/api/v1/receipts/status")
            .body_json(&json!({"receipt": receipt}))
            .send()
            .await
            .assert_status_is_ok();
        publish_report(&app.state.db, &report_ref).await?;
        indexed(&app).await?;
        for _ in 0..2 {
            app.client
                .get("/api/v1/search?q=counted")
                .send()
                .await
                .assert_status_is_ok();
        }
        app.client
            .get(format!("/reports/{report_ref}"))
            .send()
            .await
            .assert_status_is_ok();
        app.client
            .get("/no-such-page")
            .send()
            .await
            .assert_status(StatusCode::NOT_FOUND);

        let response = client_from(&app, [10, 9, 0, 1].into())
            .get("/metrics")
            .send()
            .await;
        response.assert_status_is_ok();
        let metrics = text(response).await?;
        for line in [
            r#"kintsugi_http_requests_total{route="/api/v1/search",method="GET",status="200"} 2"#,
            r#"kintsugi_http_requests_total{route="/reports/{ref}",method="GET",status="200"} 1"#,
            r#"kintsugi_http_requests_total{route="{unmatched}",method="GET",status="404"} 1"#,
            "kintsugi_search_duration_seconds_count 2",
            "kintsugi_anonymous_submissions_total 1",
            "kintsugi_submission_duration_seconds_count 1",
            "kintsugi_receipt_actions_total 1",
            "kintsugi_search_index_documents 1",
            "kintsugi_search_index_lag 0",
        ] {
            assert!(
                metrics.lines().any(|l| l == line),
                "{line} missing from {metrics}"
            );
        }
        assert!(!metrics.contains(&report_ref), "{metrics}");
        for anonymous in ["/api/v1/reports\"", "/api/v1/receipts", "\"/receipt"] {
            assert!(!metrics.contains(anonymous), "{anonymous} in {metrics}");
        }
        Ok(())
    })
    .await
}
