//! Kintsugi's search index: published reports in tantivy, with facets, snippets and similar
//! reports. It knows nothing of the database: it takes plain structs and returns refs.

mod alternatives;
mod analyzer;
mod budget;
mod directory;
mod document;
mod error;
mod facets;
mod graded;
mod index;
mod matching;
mod query;
mod reading;
mod schema;
mod similar;
mod snippets;
mod suggest;
mod thesaurus;
mod topk;

pub use document::{Change, IndexedReport};
pub use error::{Error, Result};
pub use index::{Opened, SearchIndex};
pub use query::{FacetCount, Facets, Filters, Hit, Notice, SearchRequest, SearchResults, Sort};
pub use schema::SCHEMA_VERSION;
pub use thesaurus::{MAX_GROUP, MAX_WORDS, Thesaurus, ThesaurusError};

#[cfg(test)]
mod graded_tests;
#[cfg(test)]
mod tests;
