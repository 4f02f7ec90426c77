//! Readers' signals on a published lesson: "this happened to us too" and "this helped me".
//!
//! Only counts are kept. To count each person once, a signal is stored under a keyed hash of
//! (account id, report, kind) with a key that lives in the installation's settings: the
//! signals table alone cannot tell who marked what, and the hash reveals nothing without the
//! key. That hash is the only link from a reader to a lesson, and it exists only for this.

use entities::{reader_signal, report};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};
use sha2::{Digest, Sha256};

use crate::{
    codes::{self, ReportRef},
    error::Result,
    services::{accounts::Account, reports, units},
    today,
    vocabulary::{Status, vocabulary},
};

vocabulary! {
    SignalKind {
        // The same thing happened in the reader's team: another occurrence.
        HappenedToUs => ("happened_to_us", "It happened to us too"),
        Helped => ("helped", "It helped me"),
    }
}

/// How often a lesson has occurred and helped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignalCounts {
    /// The report itself, the reports merged into it, and the readers' "happened to us too".
    pub occurrences: u64,
    pub helped: u64,
}

fn dedup_key(key: &[u8], account: &Account, report_ref: &ReportRef, kind: SignalKind) -> String {
    let mut hasher = Sha256::new();
    hasher.update(key);
    hasher.update(account.id.to_be_bytes());
    hasher.update(report_ref.as_str().as_bytes());
    hasher.update(kind.slug().as_bytes());
    codes::hex(&hasher.finalize())
}

/// Records a signal; marking twice counts once. Returns whether this one was new.
pub async fn mark(
    db: &DatabaseConnection,
    key: &[u8],
    account: &Account,
    report_ref: &ReportRef,
    kind: SignalKind,
    unit: Option<&str>,
) -> Result<bool> {
    // Only published lessons take signals; anything else is the same 404 as for reading.
    reports::find_published(db, report_ref).await?;
    let unit_id = match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(path) => Some(units::existing(db, path).await?),
        None => None,
    };
    let inserted = reader_signal::Entity::insert(reader_signal::ActiveModel {
        dedup_key: Set(dedup_key(key, account, report_ref, kind)),
        report_id: Set(report_ref.to_string()),
        kind: Set(kind.slug().to_owned()),
        unit_id: Set(unit_id),
        month: Set(crate::month_of(today())),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(db)
    .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(rows) if rows > 0))
}

/// The kinds of signal this reader has given this lesson, so that the page can say so. Found
/// by the same keyed hash that counts them once: nothing more is kept to answer it.
pub async fn marked_by(
    db: &DatabaseConnection,
    key: &[u8],
    account: &Account,
    report_ref: &ReportRef,
) -> Result<Vec<SignalKind>> {
    let kinds = [SignalKind::HappenedToUs, SignalKind::Helped];
    let keys: Vec<String> = kinds
        .iter()
        .map(|kind| dedup_key(key, account, report_ref, *kind))
        .collect();
    let found: Vec<String> = reader_signal::Entity::find()
        .select_only()
        .column(reader_signal::Column::DedupKey)
        .filter(reader_signal::Column::DedupKey.is_in(keys.clone()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(kinds
        .into_iter()
        .zip(keys)
        .filter(|(_, key)| found.contains(key))
        .map(|(kind, _)| kind)
        .collect())
}

pub async fn counts(db: &DatabaseConnection, report_ref: &ReportRef) -> Result<SignalCounts> {
    let count_of = |kind: SignalKind| {
        reader_signal::Entity::find()
            .filter(reader_signal::Column::ReportId.eq(report_ref.as_str()))
            .filter(reader_signal::Column::Kind.eq(kind.slug()))
            .count(db)
    };
    let merged = report::Entity::find()
        .filter(report::Column::MergedInto.eq(report_ref.as_str()))
        .filter(report::Column::Status.eq(Status::Merged.slug()))
        .count(db)
        .await?;
    Ok(SignalCounts {
        occurrences: 1 + merged + count_of(SignalKind::HappenedToUs).await?,
        helped: count_of(SignalKind::Helped).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_depends_on_the_secret_and_names_nobody() {
        let account = Account {
            id: 7,
            name: "a.reader".to_owned(),
            role: crate::services::accounts::Role::Reader,
            must_change_password: false,
        };
        let lesson = ReportRef::parse("abcdefghjk").expect("a well-formed ref");
        let one = dedup_key(b"secret one", &account, &lesson, SignalKind::Helped);
        let two = dedup_key(b"secret two", &account, &lesson, SignalKind::Helped);
        assert_ne!(one, two);
        assert_eq!(
            one,
            dedup_key(b"secret one", &account, &lesson, SignalKind::Helped)
        );
        assert_ne!(
            one,
            dedup_key(b"secret one", &account, &lesson, SignalKind::HappenedToUs)
        );
        assert!(!one.contains("a.reader") && !one.contains('7'.to_string().repeat(2).as_str()));
    }
}
