//! A reader's "this happened to us too" or "this helped me", counted once a person.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reader_signals")]
pub struct Model {
    /// Keyed hash of (account, report, kind): enough to count a person once, not to name them.
    #[sea_orm(primary_key, auto_increment = false)]
    pub dedup_key: String,
    pub report_id: String,
    pub kind: String,
    pub unit_id: Option<i32>,
    /// `YYYY-MM`.
    pub month: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
