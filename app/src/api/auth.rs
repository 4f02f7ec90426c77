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

/// A personal API token: `Authorization: Bearer TOKEN`, from `kintsugi user add … --token` or
/// the account page.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "token_account")]
pub struct BearerToken(pub Account);

async fn token_account(req: &Request, _bearer: Bearer) -> poem::Result<Account> {
    // The token was already checked once per request, by the identifying middleware.
    req.extensions()
        .get::<Viewer>()
        .and_then(|viewer| viewer.token_account.clone())
        .ok_or_else(|| ApiProblem::from(AppError::Unauthenticated).into())
}

impl BearerToken {
    /// The token's account, if its role includes `role`.
    pub fn require(self, role: Role) -> Result<Account, ApiProblem> {
        if self.0.can(role) {
            Ok(self.0)
        } else {
            Err(AppError::Forbidden(role.label()).into())
        }
    }
}

/// Reading published lessons: open, or for any signed-in account or token.
pub fn readers(req: &Request, state: &AppState) -> Result<(), ApiProblem> {
    access::require(req, state, Access::Readers)?;
    Ok(())
}
