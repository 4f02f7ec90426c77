//! Guidelines as living documents: revisions and their diffs, imports, lesson links, the API
//! and its refusals, and changes made at the same time.

mod api;
mod cli;
mod concurrency;
mod import;
mod links;
mod revisions;
mod search;

use kintsugi::services::guidelines::{self, ChangeNote, NewGuideline, SectionEdit};
use kintsugi_tests::TestApp;

/// The author of changes made through the services in these tests.
pub const AUTHOR: &str = "po.licy";

/// Creates the guideline `email` with the given sections `(anchor, heading, markdown)`, one
/// revision each after the first.
pub async fn email_guideline(app: &TestApp, sections: &[(&str, &str, &str)]) -> anyhow::Result<()> {
    let new = NewGuideline {
        slug: Some("email".to_owned()),
        title: "Email".to_owned(),
        summary: "How we write email to the public and partners.".to_owned(),
        owner_role: "Head of communications".to_owned(),
    };
    guidelines::create_guideline(&app.state.db, AUTHOR, &new, &ChangeNote::because("A start"))
        .await?;
    for (anchor, heading, markdown) in sections {
        let edit = SectionEdit {
            heading: Some((*heading).to_owned()),
            markdown: (*markdown).to_owned(),
        };
        guidelines::put_section(
            &app.state.db,
            AUTHOR,
            "email",
            anchor,
            &edit,
            &ChangeNote::because(format!("Adding {anchor}")),
        )
        .await?;
    }
    Ok(())
}

/// A one-line published lesson and its ref.
pub async fn lesson(app: &TestApp, title: &str) -> anyhow::Result<String> {
    crate::support::published(
        app,
        &serde_json::json!({"title": title, "narrative": "A list of external partners was in the To line."}),
    )
    .await
}

/// The account behind a test's staff member, as the services take it.
pub async fn account(
    app: &TestApp,
    staff: &kintsugi_tests::Staff,
) -> anyhow::Result<kintsugi::services::accounts::Account> {
    kintsugi::services::accounts::tokens::authenticate(&app.state.db, &staff.token)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the token of {} opens no account", staff.name))
}
