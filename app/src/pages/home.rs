//! The start page: what this place is for.

use poem::{handler, http::StatusCode, web::Data};
use serde::Serialize;

use super::{PageResult, render};
use crate::{
    auth,
    services::{accounts::Role, patterns, reports, suggestions},
    state::AppState,
};

#[derive(Serialize)]
struct HomePage {
    published: u64,
    /// Recurring patterns not yet dealt with, for the policy owners and moderators who see
    /// the link to them.
    patterns: usize,
    /// Whether the viewer reads trend reports: policy owners and admins.
    trends: bool,
    /// Whether the viewer decides on suggested guideline updates: policy owners and admins.
    decides: bool,
    /// Suggested guideline updates waiting for a decision, for those who decide.
    suggestions: usize,
}

#[handler]
pub async fn home(Data(state): Data<&AppState>) -> PageResult {
    let published = reports::count_published(&state.db).await?;
    let patterns = match auth::current().account() {
        Some(viewer) if viewer.role != Role::Reader => {
            patterns::open_count(&state.db, viewer).await?
        }
        _ => 0,
    };
    let trends = auth::current()
        .account()
        .is_some_and(|viewer| viewer.can(Role::PolicyOwner));
    let decides = auth::current()
        .account()
        .is_some_and(|viewer| viewer.can(Role::PolicyOwner));
    let suggestions = if decides {
        suggestions::open_count(&state.db).await?
    } else {
        0
    };
    let page = HomePage {
        published,
        patterns,
        trends,
        decides,
        suggestions,
    };
    render(state, "pages/home", &page, StatusCode::OK)
}
