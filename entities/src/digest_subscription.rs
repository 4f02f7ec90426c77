//! A reader who asked for the monthly digest by email.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "digest_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    /// Where the reader asked for it: accounts have no address of their own.
    pub email: String,
    /// Random, keys the unsubscribe link: subscribing again makes old links stale.
    pub nonce: String,
    pub subscribed_on: TimeDate,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
