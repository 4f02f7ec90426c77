//! A staff account: reader, moderator, policy owner or admin. Reporters have none.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub name: String,
    pub role: String,
    /// argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    pub disabled: bool,
    /// The password is a one-time password that someone else has seen.
    pub must_change_password: bool,
    pub created_on: TimeDate,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
