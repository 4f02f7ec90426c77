//! Kintsugi's search index: published reports and guideline sections in tantivy, with facets,
//! snippets and similar reports. It knows nothing of the database: it takes plain structs and
//! returns refs.

mod alternatives;
mod analyzer;
mod budget;
mod checks;
mod directory;
mod document;
mod error;
mod facets;
mod graded;
mod index;
mod matching;
pub mod patterns;
mod query;
mod reading;
mod schema;
mod sections;
mod similar;
mod snippets;
mod suggest;
mod thesaurus;
mod topk;
mod within;

pub use document::{Change, IndexedReport, IndexedSection};
pub use error::{Error, Result};
pub use index::{Opened, SearchIndex};
pub use query::{FacetCount, Facets, Filters, Hit, Notice, SearchRequest, SearchResults, Sort};
pub use schema::SCHEMA_VERSION;
pub use sections::{SectionHit, SectionResults};
pub use thesaurus::{MAX_GROUP, MAX_WORDS, Thesaurus, ThesaurusError};

#[cfg(test)]
mod checks_tests;
#[cfg(test)]
mod graded_tests;
#[cfg(test)]
mod sections_tests;
#[cfg(test)]
mod similar_tests;
#[cfg(test)]
mod test_words;
#[cfg(test)]
mod tests;
