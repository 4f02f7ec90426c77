//! How API operations know who calls: a bearer token for staff operations (declared in the
//! spec, so the explorer offers to authorise), and the readers' rule for reading operations.

use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};

use super::ApiProblem;
use crate::{
    auth::{
        Viewer,
        access::{self, Access},
    },
    error::AppError,
    services::accounts::{Account, Role},
    state::AppState,
};

// One security scheme per role, so that the role is checked with the token, before the
// request body is read: a reader gets 403 from a moderator's operation whatever they send.

/// A personal API token of any account: `Authorization: Bearer TOKEN`, from
/// `kintsugi user add … --token` or the account page.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "any_account")]
pub struct AccountToken(pub Account);

/// An API token of a moderator (or an admin).
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "moderator")]
pub struct ModeratorToken(pub Account);

/// An API token of a policy owner (or an admin).
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "policy_owner")]
pub struct PolicyOwnerToken(pub Account);

/// An API token of a policy owner or a moderator (or an admin): those who look after
/// recurring patterns.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "pattern_keeper")]
pub struct PatternKeeperToken(pub Account);

/// An API token of an admin.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "admin")]
pub struct AdminToken(pub Account);

async fn any_account(req: &Request, _bearer: Bearer) -> poem::Result<Account> {
    token_with(req, Role::Reader)
}

async fn moderator(req: &Request, _bearer: Bearer) -> poem::Result<Account> {
    token_with(req, Role::Moderator)
}

async fn policy_owner(req: &Request, _bearer: Bearer) -> poem::Result<Account> {
    token_with(req, Role::PolicyOwner)
}

async fn pattern_keeper(req: &Request, _bearer: Bearer) -> poem::Result<Account> {
    token_with(req, Role::PolicyOwner).or_else(|_| token_with(req, Role::Moderator))
}

async fn admin(req: &Request, _bearer: Bearer) -> poem::Result<Account> {
    token_with(req, Role::Admin)
}

fn token_with(req: &Request, role: Role) -> poem::Result<Account> {
    // The token itself was checked once per request, by the identifying middleware.
    let account = req
        .extensions()
        .get::<Viewer>()
        .and_then(|viewer| viewer.token_account.clone())
        .ok_or_else(|| ApiProblem::from(AppError::Unauthenticated))?;
    if account.can(role) {
        Ok(account)
    } else {
        Err(ApiProblem::from(AppError::Forbidden(role.label())).into())
    }
}

/// Reading published lessons: open, or for any signed-in account or token.
pub fn readers(req: &Request, state: &AppState) -> Result<(), ApiProblem> {
    access::require(req, state, Access::Readers)?;
    Ok(())
}
