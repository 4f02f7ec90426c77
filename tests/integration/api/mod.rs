mod errors;
mod receipts;
mod reports;
