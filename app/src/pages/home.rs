//! The start page: what this place is for.

use poem::{Response, handler, http::StatusCode, web::Data};
use serde::Serialize;

use super::{error_page, render};
use crate::{services::reports, state::AppState};

#[derive(Serialize)]
struct HomePage {
    published: u64,
}

#[handler]
pub async fn home(Data(state): Data<&AppState>) -> Response {
    match reports::count_published(&state.db).await {
        Ok(published) => render(state, "pages/home", &HomePage { published }, StatusCode::OK),
        Err(error) => error_page(state, &error),
    }
}
