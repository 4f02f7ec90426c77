//! `GET /metrics`: for an admin's API token, or for a peer address the configuration allows.

use poem::{
    IntoResponse, Request, Response, handler,
    http::{StatusCode, header},
    web::Data,
};

use super::{CONTENT_TYPE, IndexState};
use crate::{
    auth,
    error::AppError,
    indexing,
    services::accounts::{Role, tokens},
    state::AppState,
};

#[handler]
pub async fn scrape(Data(state): Data<&AppState>, req: &Request) -> Response {
    if let Err(refusal) = may_read(state, req).await {
        return refusal;
    }
    let index = IndexState {
        documents: state.index.num_docs(),
        lag: indexing::lag(&state.db, &state.index).await.ok(),
    };
    match state.metrics.encode(index) {
        Ok(text) => text
            .with_content_type(CONTENT_TYPE)
            .with_header(header::CACHE_CONTROL, "no-store")
            .into_response(),
        Err(error) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Internal(format!("encoding metrics: {error}")).public_message(),
        ),
    }
}

/// Whether the request may read the metrics; the refusal to send when it may not. The peer
/// address is compared with the allowed ranges here and nowhere kept.
async fn may_read(state: &AppState, req: &Request) -> Result<(), Response> {
    let allowed = &state.config.metrics.allow;
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip());
    if peer.is_some_and(|ip| allowed.iter().any(|range| range.contains(ip))) {
        return Ok(());
    }
    let unauthenticated = || {
        plain(
            StatusCode::UNAUTHORIZED,
            "the metrics need an admin's API token: Authorization: Bearer TOKEN".to_owned(),
        )
        .with_header(header::WWW_AUTHENTICATE, "Bearer")
        .into_response()
    };
    let Some(secret) = auth::bearer(req) else {
        return Err(unauthenticated());
    };
    match tokens::authenticate(&state.db, secret).await {
        Ok(Some(account)) if account.can(Role::Admin) => Ok(()),
        Ok(Some(_)) => Err(plain(
            StatusCode::FORBIDDEN,
            "the metrics are for admins".to_owned(),
        )),
        Ok(None) => Err(unauthenticated()),
        Err(error) => Err(plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            error.public_message(),
        )),
    }
}

fn plain(status: StatusCode, message: String) -> Response {
    message
        .with_content_type("text/plain; charset=utf-8")
        .with_status(status)
        .into_response()
}
