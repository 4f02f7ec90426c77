//! The start page: what this place is for.

use poem::{handler, http::StatusCode, web::Data};
use serde::Serialize;

use super::{PageResult, render};
use crate::{
    auth,
    services::{accounts::Role, patterns, reports},
    state::AppState,
};

#[derive(Serialize)]
struct HomePage {
    published: u64,
    /// Recurring patterns not yet dealt with, for the policy owners and moderators who see
    /// the link to them.
    patterns: usize,
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
    let page = HomePage {
        published,
        patterns,
    };
    render(state, "pages/home", &page, StatusCode::OK)
}
