mod assets;
mod receipts;
mod reports;
mod search;
