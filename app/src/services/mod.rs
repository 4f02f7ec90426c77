//! The domain: plain async functions over the database that return `Result<T, AppError>`.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod guidelines;
pub mod health;
pub mod import;
pub mod limits;
pub mod moderation;
pub mod outbox;
pub mod patterns;
pub mod receipts;
pub mod reports;
pub mod search;
pub mod secrets;
pub mod signals;
pub mod taxonomy;
pub mod thesaurus;
pub mod units;
pub mod wording;
