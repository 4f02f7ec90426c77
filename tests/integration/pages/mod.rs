mod assets;
mod bad_input;
mod lessons;
mod receipt_review;
mod receipts;
mod reports;
mod search;
