//! A report form is sent once: a reload or a double click shows the same receipt again
//! instead of logging the report a second time.
//!
//! Each form carries a random one-time token. The first post of a token creates the report;
//! any later post of it (the browser resending the form on reload, a second click while the
//! first is still on its way) waits for that first one and gets its answer. To give the
//! receipt back, it is held in memory — never on disk — sealed with a key derived from the
//! token, which only the reporter's browser has, and filed under a digest of the token: the
//! server alone cannot read a held receipt. Entries are kept in two generations that rotate
//! every [`GENERATION`], so nothing stamps an entry with its time.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use sha2::{Digest, Sha256, Sha512};
use tokio::sync::OnceCell;

use super::create::Created;
use crate::{
    codes::ReceiptCode,
    error::{AppError, Result},
    vocabulary::Status,
};

/// How long a sent form is remembered: between one and two generations.
const GENERATION: Duration = Duration::from_secs(12 * 60 * 60);

/// Shortest token taken as one: shorter values (a missing field, a hand-made post) are sent
/// as they are, without protection from a second send.
const MIN_TOKEN_LEN: usize = 20;

type Slot = Arc<OnceCell<Sealed>>;

/// The forms sent lately, by digest of their token.
#[derive(Default)]
pub struct SentForms {
    generations: Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    current: HashMap<[u8; 32], Slot>,
    previous: HashMap<[u8; 32], Slot>,
    started: Option<Instant>,
}

/// A created report as held for a resend: the receipt is unreadable without the token.
struct Sealed {
    report_ref: String,
    receipt: Vec<u8>,
    status: Status,
}

impl SentForms {
    /// Runs `create` for the first post of `token`, and answers every later post of the same
    /// token with what that first one created. A `create` that fails leaves nothing behind,
    /// so that sending the form again tries again.
    pub async fn send_once<F, Fut>(&self, token: &str, create: F) -> Result<Created>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Created>>,
    {
        if token.len() < MIN_TOKEN_LEN {
            return create().await;
        }
        let slot = self.slot(digest(token));
        let sealed = slot
            .get_or_try_init(|| async { Ok::<_, AppError>(seal(token, create().await?)) })
            .await?;
        unseal(token, sealed)
    }

    fn slot(&self, key: [u8; 32]) -> Slot {
        // A poisoned lock only means another request panicked while holding it; the maps
        // are still whole.
        let mut generations = self
            .generations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        match generations.started {
            Some(started) if now.duration_since(started) < GENERATION => {}
            _ => {
                generations.previous = std::mem::take(&mut generations.current);
                generations.started = Some(now);
            }
        }
        if let Some(slot) = generations.previous.remove(&key) {
            generations.current.insert(key, slot);
        }
        generations.current.entry(key).or_default().clone()
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"kintsugi form token\0")
        .chain_update(token.as_bytes())
        .finalize()
        .into()
}

/// A key stream as long as a receipt, derived from the token: each token seals one receipt
/// only, so a stream used once is enough.
fn key_stream(token: &str) -> [u8; 64] {
    Sha512::new()
        .chain_update(b"kintsugi held receipt\0")
        .chain_update(token.as_bytes())
        .finalize()
        .into()
}

fn xor(bytes: &[u8], token: &str) -> Vec<u8> {
    bytes
        .iter()
        .zip(key_stream(token).iter().cycle())
        .map(|(b, k)| b ^ k)
        .collect()
}

fn seal(token: &str, created: Created) -> Sealed {
    Sealed {
        report_ref: created.report_ref,
        receipt: xor(created.receipt.as_str().as_bytes(), token),
        status: created.status,
    }
}

/// The created report again. The bytes were a receipt when sealed with this very token; if
/// they are not one now, saying so beats showing a receipt that opens nothing.
fn unseal(token: &str, sealed: &Sealed) -> Result<Created> {
    let receipt = String::from_utf8_lossy(&xor(&sealed.receipt, token)).into_owned();
    let receipt = ReceiptCode::parse(&receipt)
        .ok_or_else(|| AppError::Internal("a held receipt did not unseal".to_owned()))?;
    Ok(Created {
        report_ref: sealed.report_ref.clone(),
        receipt,
        status: sealed.status,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::codes::new_form_token;

    fn created() -> Created {
        Created {
            report_ref: crate::codes::new_report_ref(),
            receipt: ReceiptCode::generate(),
            status: Status::Submitted,
        }
    }

    #[tokio::test]
    async fn a_token_sent_twice_creates_once_and_answers_the_same_receipt() -> Result<()> {
        let forms = SentForms::default();
        let calls = AtomicUsize::new(0);
        let token = new_form_token();
        let send = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(created())
        };
        let (first, second) =
            tokio::join!(forms.send_once(&token, send), forms.send_once(&token, send));
        let (first, second) = (first?, second?);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(first.report_ref, second.report_ref);
        assert_eq!(first.receipt, second.receipt);
        let third = forms.send_once(&new_form_token(), send).await?;
        assert_ne!(third.report_ref, first.report_ref);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        Ok(())
    }

    #[tokio::test]
    async fn a_failed_send_can_be_tried_again() -> Result<()> {
        let forms = SentForms::default();
        let token = new_form_token();
        let failed = forms
            .send_once(&token, || async {
                Err(AppError::Internal("database is locked".to_owned()))
            })
            .await;
        assert!(failed.is_err());
        assert!(
            forms
                .send_once(&token, || async { Ok(created()) })
                .await
                .is_ok()
        );
        Ok(())
    }

    #[test]
    fn the_held_receipt_is_unreadable_without_the_token() {
        let token = new_form_token();
        let original = created();
        let receipt = original.receipt.clone();
        let sealed = seal(&token, original);
        assert_ne!(sealed.receipt, receipt.as_str().as_bytes());
        assert_eq!(
            unseal(&token, &sealed).map(|c| c.receipt).ok(),
            Some(receipt.clone())
        );
        let other = unseal(&new_form_token(), &sealed);
        assert!(other.is_err() || other.is_ok_and(|c| c.receipt != receipt));
    }
}
