//! Reports: logging one, the reporter's receipt actions, and reading published lessons.

mod changes;
mod create;
mod input;
pub mod messages;
mod once;
mod read;
mod receipt;
mod tags;

pub use changes::{FieldChanges, Mark, Piece, with_markers, word_changes};
pub use create::{Created, create, insert_many_validated, insert_validated};
pub use input::{
    MAX_FACTORS, MAX_NARRATIVE, MAX_TAG, MAX_TAGS, MAX_TEXT, MAX_TITLE, MAX_UNIT_PATH, Origin,
    ReportInput, ValidReport, normalise_tags, validate,
};
pub(crate) use input::{choice, factor_ids};
pub use messages::MessageView;
pub use once::SentForms;
pub use read::{FactorView, ReportView, count_published, find_published, get_published};
pub use receipt::{ReceiptView, add_detail, review_version, status, withdraw};
pub use tags::{split_tags, typed_tags};
