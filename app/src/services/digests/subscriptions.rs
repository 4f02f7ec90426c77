//! Who receives the digest by email, and the unsubscribe link that works without signing in.
//!
//! The link carries a keyed hash of the subscription, not a stored secret: nothing in the
//! database alone makes one, and subscribing again (a new nonce) makes old links stale.

use entities::{digest_subscription, user};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use sha2::{Digest, Sha256};

use crate::{
    codes,
    error::{AppError, Result},
    services::secrets,
    today,
};

/// The installation key that signs unsubscribe links.
const KEY: &str = "unsubscribe_key";

/// A subscriber as the sending job needs them.
#[derive(Clone, Debug)]
pub struct Subscriber {
    pub user_id: i32,
    pub email: String,
    /// For the unsubscribe link and the `List-Unsubscribe` header.
    pub unsubscribe_token: String,
}

/// Subscribes the reader, or changes their address; a new subscription gets new links.
pub async fn subscribe(db: &DatabaseConnection, user_id: i32, email: &str) -> Result<()> {
    let email = checked_address(email)?;
    let row = digest_subscription::ActiveModel {
        user_id: Set(user_id),
        email: Set(email),
        nonce: Set(codes::new_form_token()),
        subscribed_on: Set(today()),
    };
    digest_subscription::Entity::insert(row)
        .on_conflict(
            OnConflict::column(digest_subscription::Column::UserId)
                .update_columns([
                    digest_subscription::Column::Email,
                    digest_subscription::Column::Nonce,
                    digest_subscription::Column::SubscribedOn,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// An address as typed, if it looks like one a mail server would take.
fn checked_address(email: &str) -> Result<String> {
    let email = email.trim();
    let parsed = email.parse::<lettre::Address>();
    if email.chars().count() > 254 || parsed.is_err() {
        return Err(AppError::invalid(
            "email",
            "enter an email address, like name@example.org",
        ));
    }
    Ok(email.to_owned())
}

pub async fn unsubscribe(db: &DatabaseConnection, user_id: i32) -> Result<()> {
    digest_subscription::Entity::delete_by_id(user_id)
        .exec(db)
        .await?;
    Ok(())
}

/// The address the reader subscribed with, if they did.
pub async fn address_of(db: &DatabaseConnection, user_id: i32) -> Result<Option<String>> {
    Ok(digest_subscription::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(|s| s.email))
}

fn token(key: &[u8], row: &digest_subscription::Model) -> String {
    let mut hasher = Sha256::new();
    hasher.update(key);
    hasher.update(b"digest-unsubscribe");
    hasher.update(row.user_id.to_be_bytes());
    hasher.update(row.nonce.as_bytes());
    format!("{}.{}", row.user_id, codes::hex(&hasher.finalize()))
}

/// Every subscriber whose account is active, with their unsubscribe token.
pub async fn active(db: &DatabaseConnection) -> Result<Vec<Subscriber>> {
    let key = secrets::installation_key(db, KEY).await?;
    let disabled: Vec<i32> = user::Entity::find()
        .filter(user::Column::Disabled.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    Ok(digest_subscription::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|s| !disabled.contains(&s.user_id))
        .map(|s| Subscriber {
            user_id: s.user_id,
            unsubscribe_token: token(&key, &s),
            email: s.email,
        })
        .collect())
}

/// The subscription an unsubscribe token names, if the token is its current one.
async fn by_token(
    db: &DatabaseConnection,
    token_text: &str,
) -> Result<Option<digest_subscription::Model>> {
    let Some(user_id) = token_text
        .split_once('.')
        .and_then(|(id, _)| id.parse::<i32>().ok())
    else {
        return Ok(None);
    };
    let Some(row) = digest_subscription::Entity::find_by_id(user_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let key = secrets::installation_key(db, KEY).await?;
    let expected = token(&key, &row);
    Ok(constant_time_eq(expected.as_bytes(), token_text.as_bytes()).then_some(row))
}

/// Whether a token is a current subscription's, for the page that confirms unsubscribing.
pub async fn is_current(db: &DatabaseConnection, token_text: &str) -> Result<bool> {
    Ok(by_token(db, token_text).await?.is_some())
}

/// Unsubscribes whoever the token names; an unknown or stale token changes nothing and says
/// so no differently, so that tokens cannot be probed.
pub async fn unsubscribe_by_token(db: &DatabaseConnection, token_text: &str) -> Result<()> {
    if let Some(row) = by_token(db, token_text).await? {
        unsubscribe(db, row.user_id).await?;
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
