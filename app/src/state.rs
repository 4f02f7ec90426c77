//! What every request handler may use, built once at start-up and passed explicitly.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use search::SearchIndex;

use crate::{config::Config, services::receipts::ReceiptHasher, templates::Templates};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub templates: Arc<Templates>,
    pub receipts: ReceiptHasher,
    pub index: Arc<SearchIndex>,
}
