//! The thesaurus searches apply: the default groups (shipped, or a `--thesaurus-file`) until an
//! admin edits them, then the admin's groups, stored in the database so that every instance
//! sharing it follows the change.
//!
//! Two settings rows hold it: `thesaurus_version`, a counter that every edit raises, and
//! `thesaurus`, the edited groups as JSON (absent while the defaults are in force). Each
//! instance remembers the version its index applies and compares it with the stored one on a
//! short interval; the instance that makes an edit applies it at once.

mod edit;

use std::{sync::Mutex, time::Duration};

use entities::setting;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use search::{SearchIndex, Thesaurus};

pub use self::edit::{GroupEdit, MAX_GROUPS, MAX_TERM_CHARS, edit_group, reset, terms_of};
use crate::error::{AppError, Result};

const VERSION: &str = "thesaurus_version";
const GROUPS: &str = "thesaurus";

/// How often an instance looks for an edit made on another instance.
const FOLLOW: Duration = Duration::from_secs(1);

/// Where the defaults come from, and which stored version this instance's index applies.
pub struct ThesaurusKeeper {
    defaults: Vec<Vec<String>>,
    defaults_from: String,
    /// `None` until the first look at the database.
    applied: Mutex<Option<i64>>,
}

/// The thesaurus as an admin sees it.
#[derive(Clone, Debug)]
pub struct ThesaurusView {
    /// What an edit must be based on: an edit made from an older version is refused.
    pub version: i64,
    pub groups: Vec<Vec<String>>,
    /// Whether an admin's groups are in force rather than the defaults.
    pub edited: bool,
    /// Where the defaults come from, in words.
    pub defaults_from: String,
}

/// The stored state: its version and, once edited, its groups.
struct Stored {
    version: i64,
    groups: Option<Vec<Vec<String>>>,
}

impl ThesaurusKeeper {
    /// A keeper whose defaults are `defaults` (already checked), from `defaults_from`.
    pub fn new(defaults: Vec<Vec<String>>, defaults_from: impl Into<String>) -> Self {
        Self {
            defaults,
            defaults_from: defaults_from.into(),
            applied: Mutex::new(None),
        }
    }

    fn applied(&self) -> Option<i64> {
        match self.applied.lock() {
            Ok(applied) => *applied,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    /// Gives the index the groups of `stored`, unless it already applies that version or a
    /// later one (an edit applied here may race with the follower reading an older one).
    fn apply(&self, index: &SearchIndex, stored: Stored) {
        let thesaurus = match &stored.groups {
            Some(groups) => Thesaurus::new(groups).unwrap_or_else(|error| {
                // Only a change of the analyzer between versions could make stored groups
                // invalid: searches then go on with the defaults rather than with nothing.
                tracing::warn!(
                    group = error.group + 1,
                    reason = %error.reason,
                    "the stored thesaurus cannot be used; the default groups apply"
                );
                self.default_thesaurus()
            }),
            None => self.default_thesaurus(),
        };
        let mut applied = match self.applied.lock() {
            Ok(applied) => applied,
            Err(poisoned) => poisoned.into_inner(),
        };
        if applied.is_none_or(|version| version < stored.version) {
            index.set_thesaurus(thesaurus);
            *applied = Some(stored.version);
        }
    }

    fn default_thesaurus(&self) -> Thesaurus {
        // The defaults were checked when the keeper was made.
        Thesaurus::new(&self.defaults).unwrap_or_default()
    }
}

/// Makes the index apply the stored thesaurus if it has changed since it last looked.
pub async fn refresh(
    db: &DatabaseConnection,
    index: &SearchIndex,
    keeper: &ThesaurusKeeper,
) -> Result<()> {
    let version = stored_version(db).await?;
    if keeper.applied() == Some(version) {
        return Ok(());
    }
    let stored = read(db).await?;
    keeper.apply(index, stored);
    Ok(())
}

/// Follows edits made on other instances sharing the database, until the task is stopped.
pub async fn follow(
    db: DatabaseConnection,
    index: std::sync::Arc<SearchIndex>,
    keeper: std::sync::Arc<ThesaurusKeeper>,
) {
    let mut ticks = tokio::time::interval(FOLLOW);
    loop {
        ticks.tick().await;
        if let Err(error) = refresh(&db, &index, &keeper).await {
            tracing::warn!(%error, "could not look for a change of the thesaurus");
        }
    }
}

/// The thesaurus in force, as stored.
pub async fn current(db: &DatabaseConnection, keeper: &ThesaurusKeeper) -> Result<ThesaurusView> {
    let stored = read(db).await?;
    Ok(view(keeper, stored))
}

fn view(keeper: &ThesaurusKeeper, stored: Stored) -> ThesaurusView {
    ThesaurusView {
        version: stored.version,
        edited: stored.groups.is_some(),
        groups: stored.groups.unwrap_or_else(|| keeper.defaults.clone()),
        defaults_from: keeper.defaults_from.clone(),
    }
}

async fn stored_version(db: &impl ConnectionTrait) -> Result<i64> {
    let row = setting::Entity::find_by_id(VERSION.to_owned())
        .one(db)
        .await?;
    row.map_or(Ok(0), |row| parse_version(&row.value))
}

/// Both rows in one statement, so that the groups read belong to the version read.
async fn read(db: &impl ConnectionTrait) -> Result<Stored> {
    let rows = setting::Entity::find()
        .filter(setting::Column::Key.is_in([VERSION, GROUPS]))
        .all(db)
        .await?;
    let mut stored = Stored {
        version: 0,
        groups: None,
    };
    for row in rows {
        if row.key == VERSION {
            stored.version = parse_version(&row.value)?;
        } else {
            let groups = serde_json::from_str(&row.value).map_err(|e| {
                AppError::Internal(format!("the stored thesaurus is not readable: {e}"))
            })?;
            stored.groups = Some(groups);
        }
    }
    Ok(stored)
}

fn parse_version(value: &str) -> Result<i64> {
    value.parse().map_err(|_| {
        AppError::Internal(format!(
            "the stored thesaurus version {value:?} is not a number"
        ))
    })
}
