//! The search crate's one error type.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index commit payload: {0}")]
    Payload(#[from] serde_json::Error),
    #[error("search index writer lock poisoned")]
    Poisoned,
    #[error("the search index is in use by another kintsugi process")]
    Locked,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
