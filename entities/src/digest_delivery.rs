//! One subscriber's digest of one month, claimed for sending: the key makes it once.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "digest_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    /// `YYYY-MM`: the month the digest is of.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    /// `claimed` while it is being sent, `sent` once the mail server took it.
    pub state: String,
    pub claimed_on: TimeDate,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
