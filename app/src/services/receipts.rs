//! Hashing receipt codes with argon2id, so that the database never holds one in clear.
//!
//! The hash must also find the report, so it is computed with one salt per installation
//! (stored in the database, shared by every instance) rather than one per code: with 140
//! random bits in each code, a per-code salt would add nothing against guessing, and it would
//! force a scan of every hash to find a report.
//!
//! Each hash takes tens of milliseconds of one core, by design. At most about half the cores
//! hash at once, so that a flood of guessed codes slows guessing, never the rest of the site.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version, password_hash::SaltString};
use entities::setting;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use tokio::sync::Semaphore;

use crate::{
    codes::ReceiptCode,
    error::{AppError, Result},
};

const SALT_KEY: &str = "receipt_salt";

#[derive(Clone)]
pub struct ReceiptHasher {
    salt: Arc<SaltString>,
    /// One permit for each hash allowed to run at once.
    hashing: Arc<Semaphore>,
    capacity: usize,
    running: Arc<Running>,
}

impl ReceiptHasher {
    /// Loads the installation's salt, creating it on first use. Concurrent first starts agree
    /// because only the first insert wins and everyone reads back the stored value.
    pub async fn load(db: &DatabaseConnection) -> Result<Self> {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let fresh = SaltString::encode_b64(&bytes)
            .map_err(|e| AppError::Internal(format!("cannot encode a salt: {e}")))?;
        setting::Entity::insert(setting::ActiveModel {
            key: Set(SALT_KEY.to_owned()),
            value: Set(fresh.as_str().to_owned()),
        })
        .on_conflict_do_nothing()
        .exec(db)
        .await?;
        let stored = setting::Entity::find_by_id(SALT_KEY.to_owned())
            .one(db)
            .await?
            .ok_or_else(|| AppError::Internal("the receipt salt is missing".to_owned()))?;
        let salt = SaltString::from_b64(&stored.value).map_err(|e| {
            AppError::Internal(format!("the stored receipt salt is unreadable: {e}"))
        })?;
        let capacity = std::thread::available_parallelism()
            .map(|cores| cores.get() / 2)
            .unwrap_or(1)
            .max(1);
        Ok(Self {
            salt: Arc::new(salt),
            hashing: Arc::new(Semaphore::new(capacity)),
            capacity,
            running: Arc::default(),
        })
    }

    /// How many hashes may run at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The most hashes that have ever run at once; never more than [`Self::capacity`].
    pub fn busiest(&self) -> usize {
        self.running.most.load(Ordering::Relaxed)
    }

    /// The argon2id hash of a code, in PHC string form. Waits for a turn, then runs on the
    /// blocking pool.
    pub async fn hash(&self, code: &ReceiptCode) -> Result<String> {
        let turn = Arc::clone(&self.hashing)
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(format!("receipt hashing: {e}")))?;
        let salt = Arc::clone(&self.salt);
        let running = Arc::clone(&self.running);
        let secret = code.as_str().to_owned();
        crate::blocking(move || {
            // Held until the hash is done, even if the request that wanted it has gone.
            let _turn = turn;
            let _counted = running.enter();
            // OWASP's recommended argon2id parameters: 19 MiB, 2 passes, 1 lane.
            let params = Params::new(19 * 1024, 2, 1, None)
                .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password(secret.as_bytes(), salt.as_salt())
                .map(|hash| hash.to_string())
                .map_err(|e| AppError::Internal(format!("argon2: {e}")))
        })
        .await
    }
}

/// Hashes running now, and the most that ever ran at once.
#[derive(Default)]
struct Running {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Running {
    fn enter(&self) -> RunningGuard<'_> {
        let now = self.now.fetch_add(1, Ordering::AcqRel) + 1;
        self.most.fetch_max(now, Ordering::AcqRel);
        RunningGuard(self)
    }
}

struct RunningGuard<'a>(&'a Running);

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::AcqRel);
    }
}
