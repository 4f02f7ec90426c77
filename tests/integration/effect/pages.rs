//! The effect on the pattern's page and on the revision's page: for policy owners and admins,
//! not for moderators or readers.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend;

use super::fixture;
use crate::support::text;

const READING: &str =
    "fell from 45.0 to 5.0 per 100 reports (rate ratio 0.11, 95 % CI &lt;0.01–0.80)";

#[tokio::test]
async fn the_pattern_and_revision_pages_show_the_effect_to_policy_owners() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (measured, scarce) = fixture(&app).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let page = async |path: String, cookie: &str| {
            let response = app.client.get(path).header("cookie", cookie).send().await;
            response.assert_status_is_ok();
            text(response).await
        };

        let pattern = page(format!("/patterns/{measured}"), &owner.cookie).await?;
        assert!(
            pattern.contains("Effect of the guideline change"),
            "{pattern}"
        );
        assert!(pattern.contains(READING), "{pattern}");
        assert!(
            pattern.contains("href=\"/guidelines/email/revisions/2\""),
            "the change measured"
        );
        for cell in [
            "<td data-label=\"Months compared\">2023-03 to 2024-02</td>",
            "<td data-label=\"Occurrences\">9</td>",
            "<td data-label=\"Published reports\">20</td>",
            "<td data-label=\"Per 100 reports\">45.0</td>",
            "<td data-label=\"Per 100 reports\">5.0</td>",
        ] {
            assert!(pattern.contains(cell), "{cell}");
        }
        assert!(pattern.contains("<dd>0.021</dd>"), "the p-value");

        let revision = page("/guidelines/email/revisions/2".to_owned(), &owner.cookie).await?;
        assert!(
            revision.contains("Effect on the patterns it cites"),
            "{revision}"
        );
        assert!(revision.contains(READING), "{revision}");
        assert!(
            revision.contains("too few reports yet to tell: 2 before, 1 after"),
            "{revision}"
        );
        assert!(revision.contains(&format!("href=\"/patterns/{scarce}\"")));

        let moderator = app.staff("moderator", Role::Moderator).await?;
        let pattern = page(format!("/patterns/{measured}"), &moderator.cookie).await?;
        assert!(
            !pattern.contains("Effect of the guideline change"),
            "{pattern}"
        );
        let reader = app.staff("reader", Role::Reader).await?;
        let revision = page("/guidelines/email/revisions/2".to_owned(), &reader.cookie).await?;
        assert!(revision.contains("Revision 2 of"), "{revision}");
        assert!(!revision.contains("Effect on the patterns"), "{revision}");
        Ok(())
    })
    .await
}
