mod receipts;
mod reports;
