//! The start page: what this place is for.

use poem::{handler, http::StatusCode, web::Data};
use serde::Serialize;

use super::{PageResult, render};
use crate::{services::reports, state::AppState};

#[derive(Serialize)]
struct HomePage {
    published: u64,
}

#[handler]
pub async fn home(Data(state): Data<&AppState>) -> PageResult {
    let published = reports::count_published(&state.db).await?;
    render(state, "pages/home", &HomePage { published }, StatusCode::OK)
}
