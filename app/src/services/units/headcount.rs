//! A unit's headcount as an admin gives it: read, checked, stored with its line in the audit
//! log. Blank (or `null`) means not known, which is not the same as none.

use entities::unit;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

use super::{Unit, normalise_path};
use crate::{
    error::{AppError, Result},
    services::{
        accounts::{Account, Role},
        audit::{self, AuditAction},
    },
};

/// The largest headcount accepted: a unit of ten million people is a typing mistake.
pub const MAX_HEADCOUNT: u32 = 9_999_999;

/// Reads a headcount as typed on a form: digits, with commas or spaces between thousands
/// allowed ("1,200"); blank is not known.
pub fn parse_headcount(text: &str) -> Result<Option<u32>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::invalid(
            "headcount",
            format!(
                "'{text}' is not a whole number of people; give one like 120, or leave it blank if it is not known"
            ),
        ));
    }
    // More digits than an i64 holds is far above the maximum anyway.
    let n = digits.parse::<i64>().unwrap_or(i64::MAX);
    check_headcount(n).map(Some)
}

/// Checks a headcount given as a number: at least 1 and at most [`MAX_HEADCOUNT`].
pub fn check_headcount(n: i64) -> Result<u32> {
    if n < 1 {
        return Err(AppError::invalid(
            "headcount",
            "must be at least 1; leave it blank (null in the API) if it is not known",
        ));
    }
    u32::try_from(n)
        .ok()
        .filter(|&n| n <= MAX_HEADCOUNT)
        .ok_or_else(|| AppError::invalid("headcount", "must be below 10,000,000"))
}

/// Sets (or clears, with `None`) the headcount of the unit at `path`, for an admin.
pub async fn set_headcount(
    db: &DatabaseConnection,
    actor: &Account,
    path: &str,
    headcount: Option<u32>,
) -> Result<Unit> {
    if !actor.can(Role::Admin) {
        return Err(AppError::Forbidden("an admin account"));
    }
    let path = normalise_path(path);
    let txn = crate::db::begin_write(db).await?;
    let Some(row) = unit::Entity::find()
        .filter(unit::Column::Path.eq(&path))
        .one(&txn)
        .await?
    else {
        return Err(AppError::invalid(
            "unit",
            format!("'{path}' is not a unit of this organisation"),
        ));
    };
    let before = row.headcount;
    let mut update: unit::ActiveModel = row.into();
    update.headcount = Set(headcount.and_then(|n| i32::try_from(n).ok()));
    let updated = update.update(&txn).await?;
    let shown = |n: Option<i32>| n.map_or_else(|| "not known".to_owned(), |n| n.to_string());
    audit::record(
        &txn,
        actor,
        AuditAction::UnitHeadcount,
        Some(&path),
        format!("headcount {} → {}", shown(before), shown(updated.headcount)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(result: Result<Option<u32>>) -> String {
        match result {
            Err(AppError::Invalid(errors)) => errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.reason))
                .collect(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn a_headcount_is_a_whole_number_or_blank() {
        assert_eq!(parse_headcount("  ").ok(), Some(None));
        assert_eq!(parse_headcount("120").ok(), Some(Some(120)));
        assert_eq!(parse_headcount(" 1,200 ").ok(), Some(Some(1200)));
        assert_eq!(parse_headcount("9 999 999").ok(), Some(Some(MAX_HEADCOUNT)));
        assert!(reason(parse_headcount("12.5")).starts_with("headcount: '12.5' is not a whole"));
        assert!(reason(parse_headcount("-3")).starts_with("headcount: '-3' is not a whole"));
        assert!(reason(parse_headcount("twelve")).contains("is not a whole number"));
        assert!(reason(parse_headcount("0")).starts_with("headcount: must be at least 1"));
        assert_eq!(
            reason(parse_headcount("10000000")),
            "headcount: must be below 10,000,000"
        );
        assert_eq!(
            reason(parse_headcount("99999999999999999999999")),
            "headcount: must be below 10,000,000"
        );
    }
}
