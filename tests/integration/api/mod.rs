mod caching;
mod errors;
mod receipts;
mod reports;
mod search;
