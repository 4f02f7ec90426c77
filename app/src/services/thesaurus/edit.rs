//! Admins' edits of the thesaurus: a group added, changed or removed, or the defaults back.

use entities::setting;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};
use search::{MAX_GROUP, SearchIndex, Thesaurus};

use super::{GROUPS, Stored, ThesaurusKeeper, ThesaurusView, VERSION, read, view};
use crate::{
    error::{AppError, Result},
    services::{
        accounts::Account,
        audit::{self, AuditAction},
    },
};

/// Groups a thesaurus holds at most: enough for any field, few enough to read on one page.
pub const MAX_GROUPS: usize = 1_000;
/// Characters a word or phrase holds at most.
pub const MAX_TERM_CHARS: usize = 100;

/// What an edit does; groups are counted from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupEdit {
    Add,
    Replace(usize),
    Remove(usize),
}

/// The words and phrases of a group as typed: one a line, or separated by commas.
pub fn terms_of(text: &str) -> Vec<String> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|term| !term.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Applies `edit` with `words` (ignored for a removal) to the thesaurus of `version`, stores
/// it and applies it to this instance's index. Refused as a conflict when the thesaurus has
/// changed since `version`, so that two admins never overwrite each other unknowingly.
pub async fn edit_group(
    db: &DatabaseConnection,
    index: &SearchIndex,
    keeper: &ThesaurusKeeper,
    actor: &Account,
    version: i64,
    edit: GroupEdit,
    words: &str,
) -> Result<ThesaurusView> {
    let stored = read(db).await?;
    if stored.version != version {
        return Err(changed_meanwhile());
    }
    let mut groups = stored.groups.unwrap_or_else(|| keeper.defaults.clone());
    let (action, number, detail) = match edit {
        GroupEdit::Add => {
            if groups.len() >= MAX_GROUPS {
                return Err(AppError::invalid(
                    "words",
                    format!("The thesaurus holds at most {MAX_GROUPS} groups: remove one first."),
                ));
            }
            let terms = checked(&groups, None, words)?;
            let detail = terms.join(", ");
            groups.push(terms);
            (AuditAction::ThesaurusAdd, groups.len(), detail)
        }
        GroupEdit::Replace(at) => {
            let old = groups
                .get(at)
                .ok_or(AppError::NotFound("thesaurus group"))?;
            let terms = checked(&groups, Some(at), words)?;
            let detail = format!("{} → {}", old.join(", "), terms.join(", "));
            groups[at] = terms;
            (AuditAction::ThesaurusEdit, at + 1, detail)
        }
        GroupEdit::Remove(at) => {
            if at >= groups.len() {
                return Err(AppError::NotFound("thesaurus group"));
            }
            let removed = groups.remove(at);
            (AuditAction::ThesaurusRemove, at + 1, removed.join(", "))
        }
    };
    let json = serde_json::to_string(&groups)
        .map_err(|e| AppError::Internal(format!("the thesaurus could not be written: {e}")))?;
    let entry = Entry {
        actor,
        action,
        target: Some(format!("group {number}")),
        detail,
    };
    let next = store(db, version, Some(json), entry).await?;
    let stored = Stored {
        version: next,
        groups: Some(groups),
    };
    let shown = view(
        keeper,
        Stored {
            version: next,
            groups: stored.groups.clone(),
        },
    );
    keeper.apply(index, stored);
    Ok(shown)
}

/// Drops the admins' groups: the defaults apply again. Nothing to do when they already do.
pub async fn reset(
    db: &DatabaseConnection,
    index: &SearchIndex,
    keeper: &ThesaurusKeeper,
    actor: &Account,
    version: i64,
) -> Result<()> {
    let stored = read(db).await?;
    if stored.version != version {
        return Err(changed_meanwhile());
    }
    if stored.groups.is_none() {
        return Ok(());
    }
    let detail = format!("back to {}", keeper.defaults_from);
    let entry = Entry {
        actor,
        action: AuditAction::ThesaurusReset,
        target: None,
        detail,
    };
    let next = store(db, version, None, entry).await?;
    keeper.apply(
        index,
        Stored {
            version: next,
            groups: None,
        },
    );
    Ok(())
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict(
        "Someone else changed the thesaurus while you were editing it. It is shown here as it \
         is now; check your change against it and send it again."
            .to_owned(),
    )
}

/// The audit entry of an edit.
struct Entry<'a> {
    actor: &'a Account,
    action: AuditAction,
    target: Option<String>,
    detail: String,
}

/// Stores `groups` (or removes them, for the defaults) as the version after `version`, with
/// its audit entry, in one transaction. The version is claimed first, by a
/// conditional update: of two edits made from the same version, the second finds it taken
/// and nothing of it is stored.
async fn store(
    db: &DatabaseConnection,
    version: i64,
    groups: Option<String>,
    entry: Entry<'_>,
) -> Result<i64> {
    let next = version + 1;
    let txn = crate::db::begin_write(db).await?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set(VERSION.to_owned()),
        value: Set("0".to_owned()),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&txn)
    .await?;
    let claimed = setting::Entity::update_many()
        .col_expr(setting::Column::Value, Expr::value(next.to_string()))
        .filter(setting::Column::Key.eq(VERSION))
        .filter(setting::Column::Value.eq(version.to_string()))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(changed_meanwhile());
    }
    match groups {
        Some(json) => {
            setting::Entity::insert(setting::ActiveModel {
                key: Set(GROUPS.to_owned()),
                value: Set(json),
            })
            .on_conflict(
                OnConflict::column(setting::Column::Key)
                    .update_column(setting::Column::Value)
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        }
        None => {
            setting::Entity::delete_by_id(GROUPS.to_owned())
                .exec(&txn)
                .await?;
        }
    }
    let target = entry.target.as_deref();
    audit::record(&txn, entry.actor, entry.action, target, entry.detail).await?;
    txn.commit().await?;
    Ok(next)
}

/// The terms of `words` as the group at `at` (or a new group), checked on their own and
/// against the other groups; errors name the field `words` and say what to change.
fn checked(groups: &[Vec<String>], at: Option<usize>, words: &str) -> Result<Vec<String>> {
    let invalid = |reason: String| AppError::invalid("words", reason);
    let terms = terms_of(words);
    if terms.is_empty() {
        return Err(invalid(
            "Write the words or phrases that mean the same thing, one a line.".to_owned(),
        ));
    }
    if terms.len() > MAX_GROUP {
        return Err(invalid(format!(
            "A group holds at most {MAX_GROUP} words or phrases; this one has {}. Split it \
             into groups that each mean one thing.",
            terms.len()
        )));
    }
    if let Some(long) = terms.iter().find(|t| t.chars().count() > MAX_TERM_CHARS) {
        let start: String = long.chars().take(30).collect();
        return Err(invalid(format!(
            "\"{start}…\" is longer than {MAX_TERM_CHARS} characters."
        )));
    }
    Thesaurus::new(std::slice::from_ref(&terms)).map_err(|e| invalid(sentence(&e.reason)))?;
    let others: Vec<Vec<String>> = groups
        .iter()
        .enumerate()
        .filter(|(n, _)| Some(*n) != at)
        .map(|(_, group)| group.clone())
        .collect();
    let others_read = Thesaurus::new(&others).map_err(|e| {
        AppError::Internal(format!("the stored thesaurus is invalid: {}", e.reason))
    })?;
    for term in &terms {
        if let Some(held) = others_read.group_holding(term) {
            // Back from the other groups' numbering to the page's.
            let number = match at {
                Some(at) if held >= at => held + 2,
                _ => held + 1,
            };
            let shown = others.get(held).map(|g| g.join(", ")).unwrap_or_default();
            return Err(invalid(format!(
                "\"{term}\" is already in group {number} ({shown}): a word or phrase belongs \
                 to one group only."
            )));
        }
    }
    Ok(terms)
}

/// The search crate's reason as a sentence of its own.
fn sentence(reason: &str) -> String {
    let mut chars = reason.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups() -> Vec<Vec<String>> {
        [
            ["bcc", "blind copy"],
            ["cc", "carbon copy"],
            ["fax", "facsimile"],
        ]
        .iter()
        .map(|g| g.iter().map(|w| (*w).to_owned()).collect())
        .collect()
    }

    fn reason(result: Result<Vec<String>>) -> String {
        match result {
            Ok(terms) => format!("accepted {terms:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn terms_are_read_by_line_or_comma() {
        assert_eq!(
            terms_of(" Bcc\n\nblind copy, blind carbon copy \r\n"),
            ["Bcc", "blind copy", "blind carbon copy"]
        );
    }

    #[test]
    fn a_term_of_another_group_is_named_with_that_group() {
        let found = reason(checked(&groups(), Some(0), "bcc\nFacsimiles"));
        assert!(
            found.contains("\"Facsimiles\" is already in group 3 (fax, facsimile)"),
            "{found}"
        );
        let found = reason(checked(&groups(), Some(2), "fax\nblind copies"));
        assert!(found.contains("is already in group 1 (bcc"), "{found}");
        let found = reason(checked(&groups(), None, "telefax, carbon copy"));
        assert!(found.contains("is already in group 2 (cc"), "{found}");
    }

    #[test]
    fn a_group_may_keep_its_own_terms() {
        let kept = checked(&groups(), Some(1), "cc\ncarbon copy\ncourtesy copy");
        assert_eq!(kept.ok().map(|t| t.len()), Some(3));
    }

    #[test]
    fn empty_lonely_and_huge_groups_are_refused_with_a_reason() {
        assert!(reason(checked(&groups(), None, " \n , ")).contains("Write the words"));
        assert!(reason(checked(&groups(), None, "telefax")).contains("at least two"));
        let huge: Vec<String> = (0..10_000).map(|n| format!("word{n}")).collect();
        assert!(reason(checked(&groups(), None, &huge.join("\n"))).contains("at most 24"));
        let long = format!("telefax\n{}", "a".repeat(200));
        assert!(reason(checked(&groups(), None, &long)).contains("longer than 100 characters"));
    }
}
