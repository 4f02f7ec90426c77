mod assets;
mod bad_input;
mod receipt_review;
mod receipts;
mod reports;
mod search;
