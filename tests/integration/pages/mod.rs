mod assets;
mod bad_input;
mod lessons;
mod moderation;
mod receipt_review;
mod receipts;
mod reports;
mod search;
