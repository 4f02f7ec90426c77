//! The route table: every path of the site and the API, readable at a glance.

use poem::{
    Endpoint, EndpointExt, IntoResponse, Request, Response, Route,
    endpoint::EmbeddedFilesEndpoint,
    get, handler,
    http::{StatusCode, header},
    post,
    web::{Data, Json},
};

use crate::{
    api::{self, api_errors_as_json},
    error::AppError,
    pages::{self, home, receipts, reports, search},
    services,
    state::AppState,
    telemetry,
    templates::StaticAssets,
};

/// The whole application as one endpoint, used alike by the server and by the tests.
pub fn endpoint(state: AppState) -> impl Endpoint {
    let api = api::service();
    let api_routes = Route::new()
        .at("/openapi.json", api.spec_endpoint())
        .nest("/docs", api.swagger_ui())
        .nest("/", api)
        .around(api_errors_as_json);

    let html_state = state.clone();
    Route::new()
        .at("/", get(home::home))
        .at(
            "/report",
            get(reports::new_report).post(reports::submit_report),
        )
        .at("/reports/:ref", get(reports::show_report))
        .at("/search", get(search::search_page))
        .at("/receipt", get(receipts::lookup).post(receipts::show))
        .at("/receipt/detail", post(receipts::add_detail))
        .at("/receipt/withdraw", post(receipts::withdraw))
        .at("/healthz", get(health))
        .nest("/static", EmbeddedFilesEndpoint::<StaticAssets>::new())
        .nest("/api", api_routes)
        .around(move |next, req| errors_as_html(html_state.clone(), next, req))
        .around(security_headers)
        .around(telemetry::access_log)
        .data(state)
}

/// Unknown pages and unsupported methods outside the API get the site's error page.
async fn errors_as_html<E: Endpoint>(
    state: AppState,
    next: E,
    req: Request,
) -> poem::Result<Response> {
    match next.call(req).await {
        Ok(response) => Ok(response.into_response()),
        // The static files answer "304 Not Modified" as an error; it is none.
        Err(error) if error.status() == StatusCode::NOT_MODIFIED => Ok(error.into_response()),
        Err(error) => {
            let app_error = match error.status() {
                StatusCode::NOT_FOUND => AppError::NotFound("page"),
                s if s.is_server_error() => AppError::Internal(error.to_string()),
                _ => AppError::Malformed(error.to_string()),
            };
            Ok(pages::error_page(&state, &app_error))
        }
    }
}

/// Headers that keep pages from being framed, sniffed or leaking where readers came from.
async fn security_headers<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    // The API explorer needs its own inline script; every other page runs without any.
    let strict_csp = !req.uri().path().starts_with("/api/docs");
    let mut response = next.call(req).await?.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    if strict_csp {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        );
    }
    Ok(response)
}

/// 200 when the database answers and the index is usable, 503 otherwise; the body says how
/// far the index lags behind the database.
#[handler]
async fn health(Data(state): Data<&AppState>) -> Response {
    let health = services::health::check(&state.db, &state.index).await;
    let status = if health.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    Json(health).with_status(status).into_response()
}
