//! `kintsugi user`: add, list and disable staff accounts, and issue API tokens.

use std::io::{BufRead, IsTerminal};

use anyhow::Context;
use clap::Subcommand;
use sea_orm::DatabaseConnection;

use crate::{
    codes,
    services::accounts::{self, Password, Role, tokens},
};

/// The operator at the command line, as the audit log names them.
const OPERATOR: &str = "command line";

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account and print a one-time password for it (or read one from stdin).
    ///
    /// Roles: `reader` reads and marks lessons; `moderator` also works the moderation queue;
    /// `policy_owner` also reviews trends and guideline suggestions; `admin` may do all of it
    /// and manages accounts.
    Add {
        /// The name the person signs in with, e.g. `a.moreau`.
        name: String,
        #[arg(long, value_enum)]
        role: Role,
        /// Also create an API token and print it, for scripts (`Authorization: Bearer TOKEN`).
        #[arg(long)]
        token: bool,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List every account with its role and whether it is disabled.
    List,
    /// Disable an account: it can no longer sign in, and its sessions and tokens stop working.
    Disable { name: String },
    /// Create another API token for an existing account and print it once.
    Token {
        name: String,
        /// What the token is for, shown when listing and revoking tokens.
        #[arg(long, default_value = "command line")]
        label: String,
    },
}

pub async fn users(db: &DatabaseConnection, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            name,
            role,
            token,
            password_stdin,
        } => {
            let (password, generated) = if password_stdin {
                (read_password()?, false)
            } else {
                (codes::new_password(), true)
            };
            let kind = if generated {
                Password::OneTime
            } else {
                Password::Chosen
            };
            let account = accounts::add(db, OPERATOR, &name, role, &password, kind).await?;
            println!("Created {} ({}).", account.name, role.label());
            if generated {
                println!("One-time password: {password}");
                println!(
                    "Hand it over in person; it is not shown again. The first sign-in asks for a new one."
                );
            }
            if token {
                let secret = tokens::issue(db, OPERATOR, account.id, "command line").await?;
                println!("API token: {secret}");
            }
        }
        UserCommand::List => {
            let list = accounts::list(db).await?;
            if list.is_empty() {
                println!(
                    "No accounts yet. Create the first with: kintsugi user add NAME --role admin"
                );
            }
            for account in list {
                let state = if account.disabled {
                    "disabled"
                } else {
                    "active"
                };
                println!("{:<32} {:<14} {state}", account.name, account.role.slug());
            }
        }
        UserCommand::Disable { name } => {
            accounts::disable(db, OPERATOR, &name)
                .await
                .with_context(|| format!("while disabling {name}"))?;
            println!("Disabled {name}: signed out everywhere, tokens no longer work.");
        }
        UserCommand::Token { name, label } => {
            let user_id = tokens::user_id_by_name(db, &name)
                .await
                .with_context(|| format!("no account named {name}"))?;
            let secret = tokens::issue(db, OPERATOR, user_id, &label).await?;
            println!("API token: {secret}");
        }
    }
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (at least 12 characters): ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("while reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
