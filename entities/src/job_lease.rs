//! Which instance runs a background job now, so that instances sharing a database run it once.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_leases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub holder: Option<String>,
    /// Unix seconds after which another instance may take the lease.
    pub expires_at: i64,
    /// What the data looked like at the last run; a run is due when it changes.
    #[sea_orm(column_type = "Text")]
    pub fingerprint: String,
    pub runs: i32,
    /// Unix seconds.
    pub last_run_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
