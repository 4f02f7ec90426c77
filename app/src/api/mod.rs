//! The JSON API (poem-openapi), its error shape and its request payload type.

mod error;
mod payload;
mod receipts;
mod reference;
mod reports;
mod search;

pub use error::{ApiProblem, ErrorBody, api_errors_as_json};
pub use payload::ApiJson;

use poem_openapi::OpenApiService;

/// All API operations in one service, so the spec describes them together.
pub type Api = (
    reports::ReportsApi,
    search::SearchApi,
    receipts::ReceiptsApi,
    reference::ReferenceApi,
);

pub fn service() -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (
            reports::ReportsApi,
            search::SearchApi,
            receipts::ReceiptsApi,
            reference::ReferenceApi,
        ),
        "Kintsugi",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "A blameless registry of communication mistakes. Logging one needs no account; the \
         receipt returned on creation is the reporter's only key to the report.",
    )
    .server("/api")
}
