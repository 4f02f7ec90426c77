//! Suggested guideline updates: reinforce or add on fixtures whose answers are known, drafts
//! that quote only published text, decisions that stick, and the API.

mod api;
mod decisions;

use kintsugi::services::suggestions::{self, Filters, RefreshSummary, SuggestionView};
use kintsugi_tests::TestApp;

use crate::{
    guidelines::email_guideline,
    patterns::{collection, detect},
    support::indexed,
};

/// A section that already asks for what the bcc pattern's reports failed to do.
pub const COVERING: (&str, &str, &str) = (
    "sending-to-many-people",
    "Sending to many people",
    "Put a mailing list in the Bcc field, so that no address is visible to the other recipients.",
);

/// A section that mentions mailing lists but not the mistake.
pub const NEARBY: (&str, &str, &str) = (
    "keeping-lists-current",
    "Keeping lists current",
    "Review each mailing list every quarter and take off people who have left.",
);

/// The bcc pattern in five units, the guideline with `sections`, detection and drafting run.
pub async fn drafted(
    app: &TestApp,
    sections: &[(&str, &str, &str)],
) -> anyhow::Result<RefreshSummary> {
    email_guideline(app, sections).await?;
    collection(app, &[0, 2, 4, 6, 7]).await?;
    detect(app).await?;
    refresh(app).await
}

pub async fn refresh(app: &TestApp) -> anyhow::Result<RefreshSummary> {
    indexed(app).await?;
    Ok(suggestions::refresh(&app.state.db, &app.state.index, &app.state.search_turns).await?)
}

pub async fn all(app: &TestApp) -> anyhow::Result<Vec<SuggestionView>> {
    Ok(suggestions::list(&app.state.db, &Filters::default()).await?)
}

/// The one suggestion there is.
pub async fn only(app: &TestApp) -> anyhow::Result<SuggestionView> {
    let mut found = all(app).await?;
    anyhow::ensure!(found.len() == 1, "{} suggestions: {found:#?}", found.len());
    found.pop().ok_or_else(|| anyhow::anyhow!("no suggestion"))
}
