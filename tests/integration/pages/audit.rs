//! The audit log page: every action in words, whatever the log holds.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend;
use sea_orm::ConnectionTrait;

use crate::{moderation::report_with_a_phone_number, support::text};

#[tokio::test]
async fn the_audit_log_names_actions_in_words() -> anyhow::Result<()> {
    each_backend(async |app| {
        let admin = app.staff("the.admin", Role::Admin).await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        app.client
            .get(format!("/moderation/{report_ref}"))
            .header("cookie", &moderator.cookie)
            .send()
            .await
            .assert_status_is_ok();
        // An action a later version no longer knows keeps its stored name.
        app.state
            .db
            .execute_unprepared(
                "INSERT INTO audit_events (at, actor, action, target, detail) \
                 VALUES ('2026-01-02 03:04:05', 'an.operator', 'report.retired', NULL, '')",
            )
            .await?;

        let response = app
            .client
            .get("/admin/audit")
            .header("cookie", &admin.cookie)
            .send()
            .await;
        response.assert_status_is_ok();
        let page = text(response).await?;
        for label in ["Account added", "API token issued", "Raw text read"] {
            assert!(
                page.contains(&format!(">{label}</td>")),
                "{label} missing: {page}"
            );
        }
        for slug in ["user.add", "token.issue", "report.read"] {
            assert!(!page.contains(slug), "{slug} shown as stored");
        }
        assert!(page.contains(">report.retired</td>"), "{page}");
        Ok(())
    })
    .await
}
