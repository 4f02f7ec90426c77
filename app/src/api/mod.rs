//! The JSON API (poem-openapi), its error shape and its request payload type.

mod admin;
mod auth;
mod error;
mod moderation;
mod payload;
mod receipts;
mod reference;
mod reports;
mod search;
mod signals;

pub use error::{ApiProblem, ErrorBody, api_errors_as_json};
pub use payload::ApiJson;

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
);

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
