mod receipts;
mod reports;
mod search;
