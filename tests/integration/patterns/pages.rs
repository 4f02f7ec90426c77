//! The pattern pages: the list and one pattern for policy owners, deciding from the page, the
//! note on a member lesson and the reader's view.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend;
use poem::http::StatusCode;

use super::{collection, detect};
use crate::support::{number, rows, text};

#[tokio::test]
async fn a_policy_owner_sees_decides_and_readers_follow_the_link() -> anyhow::Result<()> {
    each_backend(async |app| {
        collection(&app, &[0, 2, 4, 6]).await?;
        detect(&app).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let id = number(&app, "SELECT CAST(id AS BIGINT) FROM patterns").await?;

        let home = text(
            app.client
                .get("/")
                .header("cookie", &owner.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(home.contains("href=\"/patterns\""), "{home}");

        let list = app
            .client
            .get("/patterns")
            .header("cookie", &owner.cookie)
            .send()
            .await;
        list.assert_status_is_ok();
        let list = text(list).await?;
        assert!(list.contains(&format!("href=\"/patterns/{id}\"")), "{list}");
        assert!(list.contains("4 reports from 4 units"), "{list}");

        let page = text(
            app.client
                .get(format!("/patterns/{id}"))
                .header("cookie", &owner.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(page.contains("<svg"), "the chart");
        assert!(
            page.contains("<td data-label=\"Month\">2026-03</td>"),
            "the chart's table"
        );
        assert!(page.contains("<mark>bcc</mark>"), "matching words marked");

        // Dismissing without a reason comes back with the form and a message.
        let refused = app
            .client
            .post(format!("/patterns/{id}/status"))
            .header("cookie", &owner.cookie)
            .form(&[
                ("csrf_token", owner.csrf.as_str()),
                ("status", "dismissed"),
                ("reason", ""),
            ])
            .send()
            .await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            text(refused)
                .await?
                .contains("is needed to dismiss a pattern")
        );
        let acknowledged = app
            .client
            .post(format!("/patterns/{id}/status"))
            .header("cookie", &owner.cookie)
            .form(&[
                ("csrf_token", owner.csrf.as_str()),
                ("status", "acknowledged"),
            ])
            .send()
            .await;
        acknowledged.assert_status(StatusCode::SEE_OTHER);
        assert_eq!(
            number(
                &app,
                "SELECT COUNT(*) FROM patterns WHERE status = 'acknowledged'"
            )
            .await?,
            1
        );

        // A member lesson says it is part of the pattern; the reader's view has no units.
        let reader = app.staff("reader", Role::Reader).await?;
        let members = rows(&app, "SELECT report_id FROM pattern_members").await?;
        let member: String = members
            .first()
            .ok_or_else(|| anyhow::anyhow!("no member"))?
            .try_get("", "report_id")?;
        let lesson = text(
            app.client
                .get(format!("/reports/{member}"))
                .header("cookie", &reader.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(
            lesson.contains("part of a recurring pattern across 4 teams"),
            "{lesson}"
        );
        let view = text(
            app.client
                .get(format!("/lessons/patterns/{id}"))
                .header("cookie", &reader.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(view.contains("<mark>"), "{view}");
        assert!(!view.contains("Ministry of Health"), "no units for readers");
        app.client
            .get("/patterns")
            .header("cookie", &reader.cookie)
            .send()
            .await
            .assert_status(StatusCode::FORBIDDEN);
        Ok(())
    })
    .await
}
