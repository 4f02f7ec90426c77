//! Staff roles and what each one includes.

use serde::{Deserialize, Serialize};

/// A staff account's role. Reporters have none: logging a mistake needs no account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Role {
    /// Searches and reads published lessons, marks them.
    Reader,
    /// Works the moderation queue; also a reader.
    Moderator,
    /// Reviews trends and guideline suggestions; also a reader.
    PolicyOwner,
    /// Manages accounts and settings; may do everything.
    Admin,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Reader,
        Role::Moderator,
        Role::PolicyOwner,
        Role::Admin,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Moderator => "moderator",
            Role::PolicyOwner => "policy_owner",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Reader => "Reader",
            Role::Moderator => "Moderator",
            Role::PolicyOwner => "Policy owner",
            Role::Admin => "Admin",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.slug() == slug)
    }

    /// Whether this role may do what `needed` may. Moderators and policy owners are both
    /// readers, but neither is the other: a policy owner has no business with raw reports.
    pub fn includes(self, needed: Role) -> bool {
        match (self, needed) {
            (Role::Admin, _) => true,
            (_, Role::Reader) => true,
            (have, needed) => have == needed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_readers_and_admin_includes_all() {
        for role in Role::ALL {
            assert!(role.includes(Role::Reader));
            assert!(Role::Admin.includes(*role));
            assert_eq!(Role::from_slug(role.slug()), Some(*role));
        }
        assert!(!Role::Moderator.includes(Role::PolicyOwner));
        assert!(!Role::PolicyOwner.includes(Role::Moderator));
        assert!(!Role::Reader.includes(Role::Moderator));
        assert!(!Role::Moderator.includes(Role::Admin));
    }
}
