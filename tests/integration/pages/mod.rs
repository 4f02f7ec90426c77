mod assets;
mod bad_input;
mod receipts;
mod reports;
mod search;
