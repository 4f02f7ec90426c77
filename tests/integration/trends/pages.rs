//! `/trends`: the form, the tables with their charts and text alternatives, the print
//! header, and the link from a policy owner's home page.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend_with;

use super::quarter;
use crate::support::text;

#[tokio::test]
async fn a_policy_owner_reads_the_quarter_with_its_charts() -> anyhow::Result<()> {
    // k = 3, so that the quarter's charts have numbers to draw.
    each_backend_with(
        |config| config.trends.min_cell = 3,
        async |app| {
            quarter(&app).await?;
            let owner = app.staff("owner", Role::PolicyOwner).await?;
            let home = text(
                app.client
                    .get("/")
                    .header("cookie", &owner.cookie)
                    .send()
                    .await,
            )
            .await?;
            assert!(home.contains("href=\"/trends\""));
            let response = app
                .client
                .get("/trends?period=2026-Q1")
                .header("cookie", &owner.cookie)
                .send()
                .await;
            response.assert_status_is_ok();
            let page = text(response).await?;
            assert!(page.contains("2026-Q1: The whole organisation, All channels"));
            // Three charts, each with a text alternative and its table.
            assert_eq!(page.matches("<svg").count(), 3, "{page}");
            assert_eq!(page.matches("role=\"img\" aria-label=").count(), 3);
            assert!(page.contains("Line chart by month: 16 reports received"));
            assert!(
                page.contains("fewer than 3 or hidden"),
                "the legend names k"
            );
            assert!(page.contains("class=\"print-only\""));
            assert!(
                page.contains("href=\"/trends.csv?from"),
                "the CSV of the same report"
            );
            assert!(page.contains("people report before harm is done"));
            // The default is the last full quarter.
            app.client
                .get("/trends")
                .header("cookie", &owner.cookie)
                .send()
                .await
                .assert_status_is_ok();

            let reader = app.staff("reader", Role::Reader).await?;
            let home = text(
                app.client
                    .get("/")
                    .header("cookie", &reader.cookie)
                    .send()
                    .await,
            )
            .await?;
            assert!(!home.contains("href=\"/trends\""));
            Ok(())
        },
    )
    .await
}
