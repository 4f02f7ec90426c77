//! Installation-wide random keys kept in the settings table, so that every app instance on
//! one database agrees on them: the cookie-signing key, the key of readers' signal hashes.

use entities::setting;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

use crate::{
    codes,
    error::{AppError, Result},
};

/// The 64-byte key stored under `name`, created on first use. Concurrent first starts agree
/// because only the first insert wins and everyone reads back the stored value.
pub async fn installation_key(db: &DatabaseConnection, name: &str) -> Result<Vec<u8>> {
    let mut fresh = [0u8; 64];
    rand::rng().fill_bytes(&mut fresh);
    setting::Entity::insert(setting::ActiveModel {
        key: Set(name.to_owned()),
        value: Set(codes::hex(&fresh)),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    let stored = setting::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(format!("the setting {name} is missing")))?;
    codes::from_hex(&stored.value)
        .filter(|key| key.len() == 64)
        .ok_or_else(|| AppError::Internal(format!("the setting {name} is not a 64-byte hex key")))
}
