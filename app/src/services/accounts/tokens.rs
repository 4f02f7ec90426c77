//! Personal API tokens for scripts and integrations: shown once, stored hashed, revocable.

use entities::{api_token, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

use super::Account;
use crate::{
    codes,
    error::{AppError, Result},
    services::audit::{self, AuditAction},
    today,
};

/// Tokens carry a prefix so that a leaked one is recognisable in a log or a repository.
const PREFIX: &str = "kintsugi_";

/// A token as listed to its owner: never the secret itself.
#[derive(Clone, Debug)]
pub struct TokenSummary {
    pub id: i32,
    pub label: String,
    pub created_on: time::Date,
    pub revoked: bool,
}

/// Creates a token for `user_id`; the returned secret is shown once and never again.
/// Audited as done `by` the named person in the same transaction.
pub async fn issue(db: &DatabaseConnection, by: &str, user_id: i32, label: &str) -> Result<String> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(AppError::invalid(
            "label",
            "say in up to 100 characters what the token is for",
        ));
    }
    let secret = format!("{PREFIX}{}", codes::new_secret());
    let tx = crate::db::begin_write(db).await?;
    let owner = user::Entity::find_by_id(user_id)
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound("account"))?;
    api_token::ActiveModel {
        user_id: Set(user_id),
        label: Set(label.to_owned()),
        token_hash: Set(codes::secret_digest(&secret)),
        created_on: Set(today()),
        revoked_on: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record_as(&tx, by, AuditAction::TokenIssue, Some(&owner.name), label).await?;
    tx.commit().await?;
    Ok(secret)
}

/// The account a bearer token acts for, if the token is live and the account active.
pub async fn authenticate(db: &DatabaseConnection, secret: &str) -> Result<Option<Account>> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(codes::secret_digest(secret)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if token.revoked_on.is_some() {
        return Ok(None);
    }
    super::active_by_id(db, token.user_id).await
}

pub async fn list_for(db: &DatabaseConnection, user_id: i32) -> Result<Vec<TokenSummary>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_asc(api_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TokenSummary {
            id: t.id,
            label: t.label,
            created_on: t.created_on,
            revoked: t.revoked_on.is_some(),
        })
        .collect())
}

/// Revokes one of `user_id`'s tokens; someone else's token is "not found", not "forbidden".
/// Audited as done `by` the named person in the same transaction.
pub async fn revoke(db: &DatabaseConnection, by: &str, user_id: i32, token_id: i32) -> Result<()> {
    let tx = crate::db::begin_write(db).await?;
    let token = api_token::Entity::find_by_id(token_id)
        .one(&tx)
        .await?
        .filter(|t| t.user_id == user_id)
        .ok_or(AppError::NotFound("token"))?;
    if token.revoked_on.is_none() {
        let mut active: api_token::ActiveModel = token.into();
        active.revoked_on = Set(Some(today()));
        active.update(&tx).await?;
        audit::record_as(
            &tx,
            by,
            AuditAction::TokenRevoke,
            None,
            token_id.to_string(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The id of the named account, for the command line.
pub async fn user_id_by_name(db: &impl ConnectionTrait, name: &str) -> Result<i32> {
    user::Entity::find()
        .filter(user::Column::Name.eq(name.trim().to_lowercase()))
        .one(db)
        .await?
        .map(|u| u.id)
        .ok_or(AppError::NotFound("account"))
}
