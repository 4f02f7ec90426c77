//! In-memory limits on repeated attempts: sign-in failures, and anonymous submissions.
//!
//! Both live in memory only. Submissions are keyed by a hash of the client address with a
//! salt that exists only in this process and changes every day, so not even the server can
//! tell tomorrow whose address a key was.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{AppError, Result};

/// Counts attempts per key in a fixed window and refuses past a limit.
pub struct Limiter {
    limit: u32,
    window: Duration,
    attempts: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Refuses when `key` has used up its attempts in the current window.
    pub fn check(&self, key: &str) -> Result<()> {
        let attempts = self.lock();
        match attempts.get(key) {
            Some((start, count)) if *count >= self.limit && start.elapsed() < self.window => {
                let retry_after = self.window.saturating_sub(start.elapsed()).as_secs().max(1);
                Err(AppError::TooManyAttempts { retry_after })
            }
            _ => Ok(()),
        }
    }

    /// Counts one attempt for `key`.
    pub fn count(&self, key: &str) {
        let mut attempts = self.lock();
        // Old windows are dropped as they pass, so the map stays as small as the traffic.
        attempts.retain(|_, (start, _)| start.elapsed() < self.window);
        let entry = attempts
            .entry(key.to_owned())
            .or_insert((Instant::now(), 0));
        entry.1 += 1;
    }

    /// Forgets `key`, e.g. after a successful sign-in.
    pub fn forget(&self, key: &str) {
        self.lock().remove(key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, u32)>> {
        // A panic elsewhere while holding the lock leaves counts that are still usable.
        self.attempts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Sign-in attempts: per account name and per client address, so that neither guessing one
/// account's password nor spraying one password over many accounts gets far.
pub struct SignInLimits {
    pub per_name: Limiter,
    pub per_address: Limiter,
}

impl Default for SignInLimits {
    fn default() -> Self {
        Self {
            per_name: Limiter::new(5, Duration::from_secs(15 * 60)),
            per_address: Limiter::new(20, Duration::from_secs(15 * 60)),
        }
    }
}

/// Anonymous submissions per client, keyed by a salted hash of the address.
pub struct SubmissionLimits {
    limiter: Limiter,
    salt: Mutex<(time::Date, [u8; 32])>,
}

impl SubmissionLimits {
    /// `per_hour` reports from one address in an hour: generous for a person, not for a script.
    pub fn new(per_hour: u32) -> Self {
        Self {
            limiter: Limiter::new(per_hour, Duration::from_secs(3600)),
            salt: Mutex::new((crate::today(), fresh_salt())),
        }
    }

    /// Counts a submission from `address`, refusing past the limit.
    pub fn admit(&self, address: Option<IpAddr>) -> Result<()> {
        let Some(address) = address else {
            return Ok(());
        };
        let key = self.key(address, crate::today());
        self.limiter.check(&key)?;
        self.limiter.count(&key);
        Ok(())
    }

    /// The limiter's key for `address` on `today`: a new day brings a new salt.
    fn key(&self, address: IpAddr, today: time::Date) -> String {
        let mut salt = self
            .salt
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if salt.0 != today {
            *salt = (today, fresh_salt());
        }
        let mut hasher = Sha256::new();
        hasher.update(salt.1);
        hasher.update(address.to_string().as_bytes());
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn fresh_salt() -> [u8; 32] {
    let mut salt = [0u8; 32];
    rand::rng().fill_bytes(&mut salt);
    salt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_refuses_past_the_limit_and_forgets() {
        let limiter = Limiter::new(2, Duration::from_secs(60));
        for _ in 0..2 {
            assert!(limiter.check("a").is_ok());
            limiter.count("a");
        }
        assert!(matches!(
            limiter.check("a"),
            Err(AppError::TooManyAttempts { .. })
        ));
        assert!(limiter.check("b").is_ok(), "other keys are not affected");
        limiter.forget("a");
        assert!(limiter.check("a").is_ok());
    }

    #[test]
    fn submission_keys_are_salted_hashes_not_addresses() {
        let limits = SubmissionLimits::new(3);
        let address: IpAddr = [10, 1, 2, 3].into();
        let today = crate::today();
        let key = limits.key(address, today);
        assert_eq!(key.len(), 64);
        assert!(!key.contains("10.1.2.3"));
        assert_eq!(key, limits.key(address, today), "stable within the day");
        let other = SubmissionLimits::new(3);
        assert_ne!(
            key,
            other.key(address, today),
            "each process has its own salt"
        );
        let tomorrow = today + time::Duration::days(1);
        let next_day = limits.key(address, tomorrow);
        assert_ne!(key, next_day, "the salt rotates daily");
        assert_ne!(key, limits.key(address, today), "yesterday's salt is gone");
        for _ in 0..3 {
            assert!(limits.admit(Some(address)).is_ok());
        }
        assert!(limits.admit(Some(address)).is_err());
        assert!(limits.admit(Some([10, 1, 2, 4].into())).is_ok());
    }
}
