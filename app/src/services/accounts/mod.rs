//! Staff accounts: creating, listing, disabling, and checking a password at sign-in.
//!
//! Nothing here knows about reports. A person who logs a mistake while signed in is not
//! linked to it, because the submission path never asks who is signed in.

mod passwords;
pub mod role;
pub mod sessions;
pub mod tokens;

use std::net::IpAddr;

use entities::user;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

pub use role::Role;

use crate::{
    error::{AppError, Result},
    services::{
        audit::{self, AuditAction},
        limits::SignInLimits,
    },
    today,
};

/// A signed-in staff member, as the rest of the app sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: i32,
    pub name: String,
    pub role: Role,
    /// Signed in with a one-time password that should be replaced.
    pub must_change_password: bool,
}

impl Account {
    fn from_model(model: user::Model) -> Result<Self> {
        let role = Role::from_slug(&model.role).ok_or_else(|| {
            AppError::Internal(format!("account {} has an unknown role", model.id))
        })?;
        Ok(Self {
            id: model.id,
            name: model.name,
            role,
            must_change_password: model.must_change_password,
        })
    }

    /// Whether this account may act as `needed`.
    pub fn can(&self, needed: Role) -> bool {
        self.role.includes(needed)
    }
}

/// An account as listed for admins.
#[derive(Clone, Debug)]
pub struct AccountSummary {
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub has_password: bool,
}

/// Names are what people sign in with: short, no spaces, no look-alike trouble.
fn validate_name(name: &str) -> Result<String> {
    let name = name.trim();
    let valid = (2..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if valid {
        Ok(name.to_lowercase())
    } else {
        Err(AppError::invalid(
            "name",
            "use 2 to 64 letters, digits, dots, dashes, underscores or @",
        ))
    }
}

/// Whether a new account's password was chosen by its holder or handed over as a one-time
/// password, which they are asked to replace at their first sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Password {
    Chosen,
    OneTime,
}

/// Creates an account with the given password, audited as done `by` the named admin (or the
/// operator at the command line) in the same transaction. Fails with a field error if the
/// name is taken.
pub async fn add(
    db: &DatabaseConnection,
    by: &str,
    name: &str,
    role: Role,
    password: &str,
    kind: Password,
) -> Result<Account> {
    let name = validate_name(name)?;
    passwords::check_strength(password)?;
    let hash = passwords::hash(password).await?;
    let tx = crate::db::begin_write(db).await?;
    if user::Entity::find()
        .filter(user::Column::Name.eq(name.clone()))
        .one(&tx)
        .await?
        .is_some()
    {
        return Err(AppError::invalid(
            "name",
            format!("an account named '{name}' already exists"),
        ));
    }
    let model = user::ActiveModel {
        name: Set(name),
        role: Set(role.slug().to_owned()),
        password_hash: Set(Some(hash)),
        disabled: Set(false),
        must_change_password: Set(kind == Password::OneTime),
        created_on: Set(today()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record_as(
        &tx,
        by,
        AuditAction::UserAdd,
        Some(&model.name),
        role.slug(),
    )
    .await?;
    tx.commit().await?;
    Account::from_model(model)
}

/// Every account, by name.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<AccountSummary>> {
    user::Entity::find()
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            Ok(AccountSummary {
                role: Role::from_slug(&u.role).ok_or_else(|| {
                    AppError::Internal(format!("account {} has an unknown role", u.id))
                })?,
                name: u.name,
                disabled: u.disabled,
                has_password: u.password_hash.is_some(),
            })
        })
        .collect()
}

/// Disables an account and ends its sessions; its tokens stop working with it. Audited as
/// done `by` the named admin in the same transaction. An admin cannot disable their own
/// account: the last admin would lock everyone out of the admin pages.
pub async fn disable(db: &DatabaseConnection, by: &str, name: &str) -> Result<()> {
    if by == name.trim().to_lowercase() {
        return Err(AppError::Conflict(
            "you cannot disable your own account".to_owned(),
        ));
    }
    let tx = crate::db::begin_write(db).await?;
    disable_in(&tx, name).await?;
    audit::record_as(&tx, by, AuditAction::UserDisable, Some(name.trim()), "").await?;
    tx.commit().await?;
    Ok(())
}

async fn disable_in(db: &impl ConnectionTrait, name: &str) -> Result<()> {
    let model = find_by_name(db, name)
        .await?
        .ok_or(AppError::NotFound("account"))?;
    let id = model.id;
    let mut active: user::ActiveModel = model.into();
    active.disabled = Set(true);
    active.update(db).await?;
    sessions::end_all_for(db, id).await
}

async fn find_by_name(db: &impl ConnectionTrait, name: &str) -> Result<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Name.eq(name.trim().to_lowercase()))
        .one(db)
        .await?)
}

/// The active account with this id, if any: disabled accounts count as absent.
pub async fn active_by_id(db: &DatabaseConnection, id: i32) -> Result<Option<Account>> {
    match user::Entity::find_by_id(id).one(db).await? {
        Some(model) if !model.disabled => Account::from_model(model).map(Some),
        _ => Ok(None),
    }
}

/// Checks a name and password. Unknown names, disabled accounts and wrong passwords give the
/// same answer, and take the same time, so sign-in cannot be used to probe for names.
pub async fn verify(
    db: &DatabaseConnection,
    name: &str,
    password: &str,
) -> Result<Option<Account>> {
    let model = find_by_name(db, name).await?;
    let stored = model.as_ref().and_then(|m| m.password_hash.clone());
    let matches = passwords::verify(password, stored).await?;
    match model {
        Some(model) if matches && !model.disabled => Account::from_model(model).map(Some),
        _ => Ok(None),
    }
}

/// Signs in with a name and password from `address`, within the sign-in limits: `None` for
/// a name and password that match no active account, `TooManyAttempts` past the limits.
pub async fn sign_in(
    db: &DatabaseConnection,
    limits: &SignInLimits,
    name: &str,
    password: &str,
    address: Option<IpAddr>,
) -> Result<Option<Account>> {
    limits
        .attempt(name, address, verify(db, name, password))
        .await
}

/// Changes a signed-in person's password after checking the current one.
pub async fn change_password(
    db: &DatabaseConnection,
    account: &Account,
    current: &str,
    new: &str,
) -> Result<()> {
    if verify(db, &account.name, current).await?.is_none() {
        return Err(AppError::invalid(
            "current",
            "this is not your current password",
        ));
    }
    passwords::check_strength(new).map_err(|_| {
        AppError::invalid(
            "new",
            "use at least 12 characters; a few unrelated words work well",
        )
    })?;
    let hash = passwords::hash(new).await?;
    user::Entity::update(user::ActiveModel {
        id: Set(account.id),
        password_hash: Set(Some(hash)),
        must_change_password: Set(false),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}
