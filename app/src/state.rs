//! What every request handler may use, built once at start-up and passed explicitly.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use search::SearchIndex;

use poem::web::cookie::CookieKey;

use crate::{
    config::Config,
    metrics::Metrics,
    services::{
        limits::{AddressLimits, SignInLimits},
        receipts::ReceiptHasher,
        reports::SentForms,
        search::SearchTurns,
        thesaurus::ThesaurusKeeper,
    },
    templates::Templates,
    text_checks::TextRules,
};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub templates: Arc<Templates>,
    pub receipts: ReceiptHasher,
    pub index: Arc<SearchIndex>,
    /// The thesaurus's defaults and the stored version the index applies.
    pub thesaurus: Arc<ThesaurusKeeper>,
    /// Searches take turns on the cores: see [`SearchTurns`].
    pub search_turns: Arc<SearchTurns>,
    /// Signs session cookies; shared by every instance on one database.
    pub cookie_key: Arc<CookieKey>,
    /// Keys the hashes that count each reader's signal once.
    pub signal_key: Arc<Vec<u8>>,
    pub sign_in_limits: Arc<SignInLimits>,
    pub submission_limits: Arc<AddressLimits>,
    /// Receipt codes tried per address: each try costs an argon2id hash.
    pub receipt_limits: Arc<AddressLimits>,
    /// Report forms sent lately, so that a resent form logs nothing twice.
    pub sent_forms: Arc<SentForms>,
    /// Blameless-language hints and redaction rules.
    pub rules: Arc<TextRules>,
    /// What `/metrics` shows; each state has its own registry.
    pub metrics: Arc<Metrics>,
}
