mod errors;
mod receipts;
mod reports;
mod search;
