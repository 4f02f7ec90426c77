//! A published lesson's terms as pattern detection reads them, computed once by the detection
//! job: derived from the publication, never the truth.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publication_terms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: String,
    /// The version of the analyzer that computed `terms`.
    pub analyzer: i64,
    /// The outbox row of the lesson's latest change: lessons are read in this order.
    pub outbox_id: i64,
    pub unit_id: Option<i32>,
    /// The month the lesson counts in, as `year * 12 + month - 1`.
    pub month: Option<i32>,
    pub channel: Option<String>,
    /// JSON list of factor ids.
    #[sea_orm(column_type = "Text")]
    pub factors: String,
    /// The term set, in `search::patterns::TermSet`'s bytes.
    #[sea_orm(column_type = "Blob")]
    pub terms: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
