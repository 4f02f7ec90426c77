//! Password hashing with argon2id, each password with its own random salt.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};
use rand::RngCore;

use crate::{
    blocking,
    error::{AppError, Result},
};

/// Long enough to resist guessing, with no composition rules (NIST SP 800-63B).
const MIN_LENGTH: usize = 12;

pub fn check_strength(password: &str) -> Result<()> {
    if password.chars().count() < MIN_LENGTH {
        return Err(AppError::invalid(
            "password",
            format!("use at least {MIN_LENGTH} characters; a few unrelated words work well"),
        ));
    }
    Ok(())
}

pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    blocking(move || {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let salt = SaltString::encode_b64(&bytes)
            .map_err(|e| AppError::Internal(format!("cannot encode a salt: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
}

/// Whether `password` matches `stored`. Without a stored hash a dummy one is checked, so
/// that an unknown name costs as much time as a wrong password.
pub async fn verify(password: &str, stored: Option<String>) -> Result<bool> {
    let password = password.to_owned();
    blocking(move || {
        let (stored, real) = match stored {
            Some(stored) => (stored, true),
            None => (dummy_hash()?.to_owned(), false),
        };
        let parsed = PasswordHash::new(&stored).map_err(|e| {
            AppError::Internal(format!("a stored password hash is unreadable: {e}"))
        })?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(real && matches)
    })
    .await
}

/// A hash to verify against when the name is unknown, computed once: hashing it on every
/// such sign-in would make unknown names slower than wrong passwords, and so tell them apart.
fn dummy_hash() -> Result<&'static str> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let salt = SaltString::encode_b64(&[0u8; 16])
        .map_err(|e| AppError::Internal(format!("cannot encode a salt: {e}")))?;
    let hash = Argon2::default()
        .hash_password(b"no such account", &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))?;
    Ok(DUMMY.get_or_init(|| hash))
}
