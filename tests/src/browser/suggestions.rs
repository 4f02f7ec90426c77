//! Suggested guideline updates on the demo data, drafted as the server's background job
//! drafts them after a detection run.

use kintsugi::services::{patterns, suggestions};

use super::Site;

impl Site {
    /// Loads the demo set and its guidelines, finds the recurring patterns and drafts their
    /// suggestions; returns how many were drafted.
    pub async fn with_demo_suggestions(&self) -> anyhow::Result<usize> {
        self.with_demo_lessons().await?;
        let db = &self.state.db;
        patterns::run(db, self.state.config.patterns, &|_, _| {}).await?;
        // Drafting searches the guidelines' sections: the index must hold them.
        self.indexed().await?;
        let done = suggestions::refresh(db, &self.state.index, &self.state.search_turns).await?;
        Ok(done.drafted)
    }
}
