//! In-memory limits on repeated attempts: sign-in failures, anonymous submissions and
//! receipt codes tried.
//!
//! All live in memory only. The anonymous ones are keyed by a hash of the client address with
//! a salt that exists only in this process and changes every day, so not even the server can
//! tell tomorrow whose address a key was.

use std::{
    collections::HashMap,
    future::Future,
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

    /// Counts an attempt for `key`, or refuses it when the window's attempts are used up.
    /// Checking and counting happen under one lock, so attempts sent all at once are counted
    /// as they arrive, not after they have all been let through.
    pub fn admit(&self, key: &str) -> Result<()> {
        let mut attempts = self.lock();
        // Old windows are dropped as they pass, so the map stays as small as the traffic.
        attempts.retain(|_, (start, _)| start.elapsed() < self.window);
        let (start, count) = attempts
            .entry(key.to_owned())
            .or_insert((Instant::now(), 0));
        if *count >= self.limit {
            let retry_after = self.window.saturating_sub(start.elapsed()).as_secs().max(1);
            return Err(AppError::TooManyAttempts { retry_after });
        }
        *count += 1;
        Ok(())
    }

    /// Takes back one attempt for `key`: it went well, so only failures stay counted.
    pub fn refund(&self, key: &str) {
        if let Some((_, count)) = self.lock().get_mut(key) {
            *count = count.saturating_sub(1);
        }
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

impl SignInLimits {
    /// Runs a sign-in for `name` from `address` within the limits. Every attempt counts until
    /// it succeeds, so that attempts sent all at once are held to the limit too; a success
    /// (or a failure on our side) takes its attempt back, so only wrong passwords stay counted.
    pub async fn attempt<T>(
        &self,
        name: &str,
        address: Option<IpAddr>,
        sign_in: impl Future<Output = Result<Option<T>>>,
    ) -> Result<Option<T>> {
        let name = name.trim().to_lowercase();
        // Addresses are used here, for staff signing in, and only in memory.
        let address = address.map(|a| a.to_string()).unwrap_or_default();
        self.per_name.admit(&name)?;
        if let Err(error) = self.per_address.admit(&address) {
            self.per_name.refund(&name);
            return Err(error);
        }
        let outcome = sign_in.await;
        if !matches!(outcome, Ok(None)) {
            self.per_name.refund(&name);
            self.per_address.refund(&address);
        }
        outcome
    }
}

/// Anonymous attempts per client — reports, or receipt codes tried — keyed by a salted hash
/// of the address.
pub struct AddressLimits {
    limiter: Limiter,
    enabled: bool,
    salt: Mutex<(time::Date, [u8; 32])>,
}

impl AddressLimits {
    /// `per_hour` attempts from one address in an hour: generous for a person, not for a
    /// script. Zero means no limit.
    pub fn new(per_hour: u32) -> Self {
        Self {
            limiter: Limiter::new(per_hour, Duration::from_secs(3600)),
            enabled: per_hour > 0,
            salt: Mutex::new((crate::today(), fresh_salt())),
        }
    }

    /// Counts an attempt from `address`, refusing past the limit.
    pub fn admit(&self, address: Option<IpAddr>) -> Result<()> {
        let Some(address) = address.filter(|_| self.enabled) else {
            return Ok(());
        };
        self.limiter.admit(&self.key(address, crate::today()))
    }

    /// Takes back an attempt from `address`.
    pub fn refund(&self, address: Option<IpAddr>) {
        if let Some(address) = address.filter(|_| self.enabled) {
            self.limiter.refund(&self.key(address, crate::today()));
        }
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
        crate::codes::hex(&hasher.finalize())
    }
}

/// Runs a receipt action from `address` within `limits`. A code that finds its report is not
/// counted, so only guesses use the budget up — and with it the argon2id hashing they cost.
pub async fn receipt_try<T>(
    limits: &AddressLimits,
    address: Option<IpAddr>,
    action: impl Future<Output = Result<T>>,
) -> Result<T> {
    limits.admit(address)?;
    let outcome = action.await;
    if !matches!(outcome, Err(AppError::UnknownReceipt)) {
        limits.refund(address);
    }
    outcome
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
    fn limiter_refuses_past_the_limit_and_takes_back_successes() {
        let limiter = Limiter::new(2, Duration::from_secs(60));
        assert!(limiter.admit("a").is_ok());
        limiter.refund("a");
        for _ in 0..2 {
            assert!(limiter.admit("a").is_ok());
        }
        assert!(matches!(
            limiter.admit("a"),
            Err(AppError::TooManyAttempts { .. })
        ));
        assert!(limiter.admit("b").is_ok(), "other keys are not affected");
    }

    #[test]
    fn submission_keys_are_salted_hashes_not_addresses() {
        let limits = AddressLimits::new(3);
        let address: IpAddr = [10, 1, 2, 3].into();
        let today = crate::today();
        let key = limits.key(address, today);
        assert_eq!(key.len(), 64);
        assert!(!key.contains("10.1.2.3"));
        assert_eq!(key, limits.key(address, today), "stable within the day");
        let other = AddressLimits::new(3);
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

    #[tokio::test]
    async fn only_wrong_passwords_count_against_sign_in() {
        let limits = SignInLimits::default();
        let address = Some([10, 1, 2, 3].into());
        for _ in 0..10 {
            let signed_in = limits.attempt("Ada", address, async { Ok(Some(())) }).await;
            assert!(matches!(signed_in, Ok(Some(()))));
        }
        for _ in 0..5 {
            let wrong = limits
                .attempt(" ada ", address, async { Ok(None::<()>) })
                .await;
            assert!(matches!(wrong, Ok(None)));
        }
        let refused = limits.attempt("ADA", address, async { Ok(Some(())) }).await;
        assert!(matches!(refused, Err(AppError::TooManyAttempts { .. })));
        let other = limits
            .attempt("grace", address, async { Ok(Some(())) })
            .await;
        assert!(
            matches!(other, Ok(Some(()))),
            "other names are not affected"
        );
    }

    #[tokio::test]
    async fn only_receipt_codes_that_find_nothing_are_counted() {
        let limits = AddressLimits::new(1);
        let address = Some([10, 1, 2, 3].into());
        for _ in 0..3 {
            let found = receipt_try(&limits, address, async { Ok(()) }).await;
            assert!(found.is_ok());
        }
        let guess = receipt_try(&limits, address, async {
            Err::<(), _>(AppError::UnknownReceipt)
        });
        assert!(matches!(guess.await, Err(AppError::UnknownReceipt)));
        let refused = receipt_try(&limits, address, async { Ok(()) }).await;
        assert!(matches!(refused, Err(AppError::TooManyAttempts { .. })));
    }
}
