mod caching;
mod contract;
mod errors;
mod receipts;
mod reports;
mod search;
mod search_words;
