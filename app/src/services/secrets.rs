//! Installation-wide random keys kept in the settings table, so that every app instance on
//! one database agrees on them: the cookie-signing key, the key of readers' signal hashes.

use entities::setting;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

use crate::error::{AppError, Result};

/// The 64-byte key stored under `name`, created on first use. Concurrent first starts agree
/// because only the first insert wins and everyone reads back the stored value.
pub async fn installation_key(db: &DatabaseConnection, name: &str) -> Result<Vec<u8>> {
    let mut fresh = [0u8; 64];
    rand::rng().fill_bytes(&mut fresh);
    setting::Entity::insert(setting::ActiveModel {
        key: Set(name.to_owned()),
        value: Set(to_hex(&fresh)),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    let stored = setting::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(format!("the setting {name} is missing")))?;
    from_hex(&stored.value)
        .filter(|key| key.len() == 64)
        .ok_or_else(|| AppError::Internal(format!("the setting {name} is not a 64-byte hex key")))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes.to_vec()));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex("é1"), None);
    }
}
