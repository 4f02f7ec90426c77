//! Browser sessions: a random token in a signed cookie, its hash and expiry in the database.
//!
//! The expiry is checked here, on the server, whatever the cookie says about itself.

use entities::session;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

use super::Account;
use crate::{codes, error::Result};

/// A session that signs its holder in.
#[derive(Clone, Debug)]
pub struct Session {
    pub account: Account,
    /// Every state-changing form of a signed-in person must carry this.
    pub csrf_token: String,
}

/// What the browser receives: the token for the cookie, never stored in clear.
pub struct NewSession {
    pub token: String,
    pub session: Session,
}

fn now() -> PrimitiveDateTime {
    let now = OffsetDateTime::now_utc();
    PrimitiveDateTime::new(now.date(), now.time())
}

pub async fn start(
    db: &DatabaseConnection,
    account: Account,
    lifetime: Duration,
) -> Result<NewSession> {
    let token = codes::new_secret();
    let csrf_token = codes::new_secret();
    // Expired sessions of anyone are cleared on the way: they sign nobody in anyway.
    session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now()))
        .exec(db)
        .await?;
    session::Entity::insert(session::ActiveModel {
        token_hash: Set(codes::secret_digest(&token)),
        user_id: Set(account.id),
        csrf_token: Set(csrf_token.clone()),
        expires_at: Set(now() + lifetime),
    })
    .exec_without_returning(db)
    .await?;
    Ok(NewSession {
        token,
        session: Session {
            account,
            csrf_token,
        },
    })
}

/// The live session for a cookie's token: not expired, its account not disabled.
pub async fn find(db: &DatabaseConnection, token: &str) -> Result<Option<Session>> {
    let Some(row) = session::Entity::find_by_id(codes::secret_digest(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if row.expires_at <= now() {
        return Ok(None);
    }
    Ok(super::active_by_id(db, row.user_id)
        .await?
        .map(|account| Session {
            account,
            csrf_token: row.csrf_token,
        }))
}

pub async fn end(db: &DatabaseConnection, token: &str) -> Result<()> {
    session::Entity::delete_by_id(codes::secret_digest(token))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn end_all_for(db: &impl ConnectionTrait, user_id: i32) -> Result<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
