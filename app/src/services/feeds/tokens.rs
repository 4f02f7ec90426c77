//! Personal feed tokens: when reading needs signing in, a feed reader cannot sign in, so each
//! reader may have one token that opens the feeds, and only the feeds. Shown once, stored as a
//! digest; getting a new one revokes the old.

use entities::feed_token;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    codes,
    error::Result,
    services::accounts::{self, Account},
    today,
};

/// Feed tokens carry their own prefix, so that one is never mistaken for an API token.
const PREFIX: &str = "kintsugi_feed_";

/// A new token for `user_id`, replacing any earlier one, which stops working at once.
pub async fn renew(db: &DatabaseConnection, user_id: i32) -> Result<String> {
    let secret = format!("{PREFIX}{}", codes::new_secret());
    let row = feed_token::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(codes::secret_digest(&secret)),
        created_on: Set(today()),
    };
    feed_token::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(feed_token::Column::UserId)
                .update_columns([feed_token::Column::TokenHash, feed_token::Column::CreatedOn])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(secret)
}

/// The day the reader's current token was made, if there is one.
pub async fn issued_on(db: &DatabaseConnection, user_id: i32) -> Result<Option<time::Date>> {
    Ok(feed_token::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(|t| t.created_on))
}

/// Revokes the reader's token without making a new one.
pub async fn revoke(db: &DatabaseConnection, user_id: i32) -> Result<()> {
    feed_token::Entity::delete_by_id(user_id).exec(db).await?;
    Ok(())
}

/// The active account a feed token belongs to, if the token is current.
pub async fn authenticate(db: &DatabaseConnection, secret: &str) -> Result<Option<Account>> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some(token) = feed_token::Entity::find()
        .filter(feed_token::Column::TokenHash.eq(codes::secret_digest(secret)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    accounts::active_by_id(db, token.user_id).await
}
