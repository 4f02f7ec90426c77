//! The JSON API (poem-openapi), its error shape and its request payload type.

mod admin;
mod auth;
mod error;
mod guideline_search;
mod guidelines;
mod moderation;
mod patterns;
mod payload;
mod receipts;
mod reference;
mod refusals;
mod reports;
mod search;
mod signals;
mod spec;
mod suggestions;
mod trends;
mod units;
mod vocabulary;

pub use error::{ApiProblem, ErrorBody, api_errors_as_json};
pub use payload::ApiJson;
pub use spec::endpoint as spec_endpoint;

use poem_openapi::OpenApiService;

/// All API operations in one service, so the spec describes them together.
pub type Api = (
    reports::ReportsApi,
    search::SearchApi,
    receipts::ReceiptsApi,
    reference::ReferenceApi,
    signals::SignalsApi,
    moderation::ModerationApi,
    admin::AdminApi,
    guidelines::GuidelinesApi,
    guidelines::GuidanceApi,
    guideline_search::GuidelineSearchApi,
    patterns::PatternsApi,
    suggestions::SuggestionsApi,
    trends::TrendsApi,
    units::UnitsApi,
);

/// Every API path as the spec documents it, such as `/api/v1/reports/{ref}`: the names the
/// access log and the metrics give to the API's routes.
pub fn documented_paths() -> Vec<String> {
    <Api as poem_openapi::OpenApi>::meta()
        .into_iter()
        .flat_map(|api| api.paths)
        .map(|path| format!("/api{}", path.path))
        .collect()
}

pub fn service() -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (
            reports::ReportsApi,
            search::SearchApi,
            receipts::ReceiptsApi,
            reference::ReferenceApi,
            signals::SignalsApi,
            moderation::ModerationApi,
            admin::AdminApi,
            guidelines::GuidelinesApi,
            guidelines::GuidanceApi,
            guideline_search::GuidelineSearchApi,
            patterns::PatternsApi,
            suggestions::SuggestionsApi,
            trends::TrendsApi,
            units::UnitsApi,
        ),
        "Kintsugi",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "A blameless registry of communication mistakes. Logging one needs no account; the \
         receipt returned on creation is the reporter's only key to the report. Reading \
         published lessons needs a bearer token unless the installation opens reading to its \
         intranet; moderation and the audit log need a token of a moderator or an admin.",
    )
    .server("/api")
}

/// Middleware for the whole API: `Cache-Control: no-store` on every answer. Receipts,
/// reporters' text and lessons readable only by signed-in staff all pass through here, and
/// nothing the API answers is worth the risk of a shared cache keeping one of them; one rule
/// for all cannot be forgotten on the next operation.
pub async fn never_stored<E: poem::Endpoint>(
    next: E,
    req: poem::Request,
) -> poem::Result<poem::Response> {
    use poem::{IntoResponse, http::header};
    let mut response = next.call(req).await?.into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}
