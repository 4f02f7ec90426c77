//! The domain: plain async functions over the database that return `Result<T, AppError>`.

pub mod health;
pub mod import;
pub mod outbox;
pub mod receipts;
pub mod reports;
pub mod search;
pub mod taxonomy;
pub mod units;
