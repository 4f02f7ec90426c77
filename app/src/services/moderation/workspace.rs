//! Everything the moderation page of one report shows: the report, the factors to choose
//! from, and the published lessons it may be another occurrence of.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use search::SearchIndex;

use super::{BEING_MODERATED, ModerationView, detail};
use crate::{
    codes::ReportRef,
    error::Result,
    services::{
        search::{SearchHit, SearchTurns, similar_to_draft},
        taxonomy::{self, Category},
    },
    text_checks::TextRules,
};

/// How many published lessons are offered to merge into.
const MERGE_CANDIDATES: usize = 5;

pub struct Workspace {
    pub view: ModerationView,
    /// The taxonomy, to correct the report's contributing factors.
    pub categories: Vec<Category>,
    /// Published lessons like this report, to merge it into one; none once it is decided.
    pub similar: Vec<SearchHit>,
}

pub async fn workspace(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    turns: &SearchTurns,
    rules: &TextRules,
    approval_wait_days: u32,
    report_ref: &ReportRef,
) -> Result<Workspace> {
    let view = detail(db, rules, approval_wait_days, report_ref).await?;
    let categories = taxonomy::categories(db).await?;
    let similar = if BEING_MODERATED.contains(&view.status) {
        let (title, narrative) = (&view.draft.title, &view.draft.narrative);
        // Only a help for merging: the reference can still be typed when the index is busy.
        similar_to_draft(db, index, turns, title, narrative, MERGE_CANDIDATES)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "similar lessons for merging could not be found");
                Vec::new()
            })
    } else {
        Vec::new()
    };
    Ok(Workspace {
        view,
        categories,
        similar,
    })
}
