//! Admin pages: staff accounts and the audit log.

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::{Deserialize, Serialize};

use super::{
    PageResult, Posted,
    account::see_other,
    fields::{self, SummaryItem},
    read_form_as_sent, render,
};
use crate::{
    auth::access::SignedIn,
    codes,
    error::AppError,
    services::{
        accounts::{self, Password, Role},
        audit::{self, AuditAction, AuditEntry},
    },
    state::AppState,
};

#[derive(Serialize)]
struct UserRow {
    name: String,
    role: &'static str,
    disabled: bool,
}

#[derive(Serialize)]
struct RoleChoice {
    value: &'static str,
    label: &'static str,
}

#[derive(Serialize, Default)]
struct UsersPage {
    users: Vec<UserRow>,
    roles: Vec<RoleChoice>,
    errors: Vec<SummaryItem>,
    name: String,
    created: Option<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewUserForm {
    name: String,
    role: String,
}

async fn users_page(state: &AppState, mut page: UsersPage, status: StatusCode) -> PageResult {
    page.users = accounts::list(&state.db)
        .await?
        .into_iter()
        .map(|a| UserRow {
            name: a.name,
            role: a.role.label(),
            disabled: a.disabled,
        })
        .collect();
    page.roles = Role::ALL
        .iter()
        .map(|r| RoleChoice {
            value: r.slug(),
            label: r.label(),
        })
        .collect();
    // A one-time password may be on this page: like every staff page, the access guard
    // answers it `no-store`.
    render(state, "pages/admin/users", &page, status)
}

#[handler]
pub async fn users(Data(state): Data<&AppState>) -> PageResult {
    users_page(state, UsersPage::default(), StatusCode::OK).await
}

#[handler]
pub async fn add_user(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<NewUserForm>(body).await?;
    let added = async {
        readable?;
        let role = Role::from_slug(&form.role)
            .ok_or_else(|| AppError::invalid("role", "choose one of the roles"))?;
        let password = codes::new_password();
        let (by, name) = (&actor.name, &form.name);
        let account =
            accounts::add(&state.db, by, name, role, &password, Password::OneTime).await?;
        Ok::<_, AppError>((account.name, password))
    };
    match added.await {
        Ok(created) => {
            let page = UsersPage {
                created: Some(created),
                ..UsersPage::default()
            };
            users_page(state, page, StatusCode::OK).await
        }
        Err(AppError::Invalid(errors)) => {
            let page = UsersPage {
                errors: fields::summary(&errors),
                name: form.name,
                ..UsersPage::default()
            };
            users_page(state, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => Err(error),
    }
}

#[handler]
pub async fn disable_user(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(name): Path<String>,
) -> PageResult {
    accounts::disable(&state.db, &actor.name, &name).await?;
    Ok(see_other("/admin/users"))
}

/// One line of the log in words: the action by its label, not its stored slug.
#[derive(Serialize)]
struct AuditRow {
    at: String,
    actor: String,
    action: String,
    target: Option<String>,
    detail: String,
}

impl From<AuditEntry> for AuditRow {
    fn from(entry: AuditEntry) -> Self {
        // An entry keeps its slug if a later version no longer knows the action: the log
        // shows everything it holds.
        let action = AuditAction::from_slug(&entry.action)
            .map_or(entry.action, |action| action.label().to_owned());
        Self {
            at: entry.at,
            actor: entry.actor,
            action,
            target: entry.target,
            detail: entry.detail,
        }
    }
}

#[derive(Serialize)]
struct AuditPage {
    entries: Vec<AuditRow>,
}

#[handler]
pub async fn audit_log(Data(state): Data<&AppState>) -> PageResult {
    let entries = audit::latest(&state.db, 500).await?;
    let page = AuditPage {
        entries: entries.into_iter().map(AuditRow::from).collect(),
    };
    render(state, "pages/admin/audit", &page, StatusCode::OK)
}
