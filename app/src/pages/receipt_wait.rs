//! The answer to a receipt action refused because too many codes were tried from one network.

use poem::{
    IntoResponse,
    http::{StatusCode, header},
};
use serde::Serialize;

use super::{PageResult, render};
use crate::state::AppState;

#[derive(Serialize)]
struct WaitPage<'a, F: Serialize> {
    minutes: u64,
    form: &'a F,
}

/// The form again, as the person sent it, to send once `retry_after` seconds have passed.
pub fn wait_page<F: Serialize>(state: &AppState, form: &F, retry_after: u64) -> PageResult {
    let page = WaitPage {
        minutes: retry_after.div_ceil(60),
        form,
    };
    let response = render(
        state,
        "pages/receipts/wait",
        &page,
        StatusCode::TOO_MANY_REQUESTS,
    )?;
    Ok(response
        .with_header(header::RETRY_AFTER, retry_after)
        // The receipt code is on the page.
        .with_header(header::CACHE_CONTROL, "no-store")
        .into_response())
}
