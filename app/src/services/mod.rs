//! The domain: plain async functions over the database that return `Result<T, AppError>`.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod digests;
pub mod effect;
pub mod feeds;
pub mod guidelines;
pub mod health;
pub mod import;
pub mod lease;
pub mod limits;
pub mod moderation;
pub mod outbox;
pub mod patterns;
pub mod receipts;
pub mod reports;
pub mod search;
pub mod secrets;
pub mod signals;
pub mod suggestions;
pub mod taxonomy;
pub mod thesaurus;
pub mod trends;
pub mod units;
pub mod wording;
