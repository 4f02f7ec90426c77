//! Kintsugi's search index: published reports in tantivy, with facets, snippets and similar
//! reports. It knows nothing of the database: it takes plain structs and returns refs.

mod analyzer;
mod budget;
mod directory;
mod document;
mod error;
mod facets;
mod index;
mod query;
mod schema;
mod similar;
mod snippets;
mod topk;

pub use document::{Change, IndexedReport};
pub use error::{Error, Result};
pub use index::{Opened, SearchIndex};
pub use query::{FacetCount, Facets, Filters, Hit, Notice, SearchRequest, SearchResults, Sort};
pub use schema::SCHEMA_VERSION;

#[cfg(test)]
mod tests;
