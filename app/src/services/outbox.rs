//! Appending to the outbox that feeds the search index, and reading it back.
//!
//! A row names what changed; the indexer reads its current state when it applies the row, so
//! a row says nothing of the change itself and replaying it does no harm.

use entities::outbox;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::error::Result;

/// What an outbox row names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// A report, by ref.
    Report(String),
    /// One section of a guideline.
    Section { guideline: String, anchor: String },
    /// Every section of a guideline, as when its title changes.
    Guideline(String),
}

impl Subject {
    pub(crate) const REPORT: &'static str = "report";
    const SECTION: &'static str = "section";
    const GUIDELINE: &'static str = "guideline";

    /// The row's `kind` and `subject` columns.
    fn columns(&self) -> (&'static str, String) {
        match self {
            Self::Report(id) => (Self::REPORT, id.clone()),
            Self::Section { guideline, anchor } => (Self::SECTION, format!("{guideline}#{anchor}")),
            Self::Guideline(slug) => (Self::GUIDELINE, slug.clone()),
        }
    }

    /// What a stored row names; `None` for a kind this program does not know, which a newer
    /// instance sharing the database may have written.
    pub fn of(row: &outbox::Model) -> Option<Self> {
        match row.kind.as_str() {
            Self::REPORT => Some(Self::Report(row.subject.clone())),
            Self::SECTION => {
                // Anchors never hold `#`; a slug could only if it were never checked.
                let (guideline, anchor) = row.subject.rsplit_once('#')?;
                Some(Self::Section {
                    guideline: guideline.to_owned(),
                    anchor: anchor.to_owned(),
                })
            }
            Self::GUIDELINE => Some(Self::Guideline(row.subject.clone())),
            _ => None,
        }
    }

    fn row(&self) -> outbox::ActiveModel {
        let (kind, subject) = self.columns();
        outbox::ActiveModel {
            id: NotSet,
            kind: Set(kind.to_owned()),
            subject: Set(subject),
        }
    }
}

/// Records that a report changed. Call it inside the transaction of the change itself, so the
/// index can never miss a write that committed.
pub async fn record_change(tx: &impl ConnectionTrait, report_id: &str) -> Result<()> {
    record(tx, &Subject::Report(report_id.to_owned())).await
}

/// Records that several reports changed, in one statement.
pub async fn record_changes(tx: &impl ConnectionTrait, report_ids: &[String]) -> Result<()> {
    if report_ids.is_empty() {
        return Ok(());
    }
    outbox::Entity::insert_many(
        report_ids
            .iter()
            .map(|id| Subject::Report(id.clone()).row()),
    )
    .exec_without_returning(tx)
    .await?;
    Ok(())
}

/// Records that a guideline section changed: added, edited, moved, retired or renamed (for a
/// new anchor, record the old one too, so that the index drops it). Call it inside the
/// transaction of the change.
pub async fn record_section_change(
    tx: &impl ConnectionTrait,
    guideline_slug: &str,
    anchor: &str,
) -> Result<()> {
    record(
        tx,
        &Subject::Section {
            guideline: guideline_slug.to_owned(),
            anchor: anchor.to_owned(),
        },
    )
    .await
}

/// Records that a guideline changed as a whole (its title, or many sections at once, as an
/// import does): every one of its sections is brought up to date, and those it no longer
/// holds leave the index. Call it inside the transaction of the change.
pub async fn record_guideline_change(
    tx: &impl ConnectionTrait,
    guideline_slug: &str,
) -> Result<()> {
    record(tx, &Subject::Guideline(guideline_slug.to_owned())).await
}

async fn record(tx: &impl ConnectionTrait, subject: &Subject) -> Result<()> {
    outbox::Entity::insert(subject.row()).exec(tx).await?;
    Ok(())
}

/// The rows after `after`, oldest first, at most `limit` of them: what a follower of the
/// outbox reads next.
pub async fn rows_after(
    db: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<outbox::Model>> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Id.gt(after))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The id of the newest row; 0 when there is none.
pub async fn latest_id(db: &impl ConnectionTrait) -> Result<i64> {
    let newest: Option<Option<i64>> = outbox::Entity::find()
        .select_only()
        .column_as(outbox::Column::Id.max(), "newest")
        .into_tuple()
        .one(db)
        .await?;
    Ok(newest.flatten().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(subject: &Subject) -> outbox::Model {
        let (kind, text) = subject.columns();
        outbox::Model {
            id: 1,
            kind: kind.to_owned(),
            subject: text,
        }
    }

    #[test]
    fn every_subject_reads_back_as_written() {
        for subject in [
            Subject::Report("abcdefghij".into()),
            Subject::Section {
                guideline: "email".into(),
                anchor: "bcc-for-external-lists".into(),
            },
            Subject::Guideline("email".into()),
        ] {
            assert_eq!(Subject::of(&stored(&subject)), Some(subject));
        }
    }

    #[test]
    fn a_kind_from_a_newer_program_is_skipped_not_misread() {
        let row = outbox::Model {
            id: 1,
            kind: "pattern".into(),
            subject: "x".into(),
        };
        assert_eq!(Subject::of(&row), None);
        let broken = outbox::Model {
            id: 2,
            kind: "section".into(),
            subject: "no-anchor".into(),
        };
        assert_eq!(Subject::of(&broken), None);
    }
}
