//! What every change of a guideline carries: why (required), from when, and on what evidence.

use entities::{pattern, report, suggestion};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use time::Date;

use crate::{
    codes::ReportRef,
    error::{AppError, Result},
    today,
    vocabulary::{Status, vocabulary},
};

/// The most a rationale may say.
pub const MAX_RATIONALE: usize = 5_000;
/// The most evidence one change may cite.
pub const MAX_EVIDENCE: usize = 50;

vocabulary! {
    /// What a piece of evidence behind a change is.
    EvidenceKind {
        Lesson => ("lesson", "Lesson"),
        Pattern => ("pattern", "Recurring pattern"),
        Suggestion => ("suggestion", "Suggestion"),
    }
}

/// A change's reasons as a person gives them.
#[derive(Clone, Debug, Default)]
pub struct ChangeNote {
    /// Why the change is made: required.
    pub rationale: String,
    /// `YYYY-MM-DD`; blank or absent means the day of the change. May be in the past (a
    /// change made before Kintsugi) or in the future.
    pub effective_from: Option<String>,
    /// What led to the change: refs of published lessons, and `pattern:N` or
    /// `suggestion:N` (or their addresses, `/patterns/N`) for a recurring pattern or the
    /// suggestion drawn from it.
    pub evidence: Vec<String>,
}

impl ChangeNote {
    /// A note with only a rationale, effective today.
    pub fn because(rationale: impl Into<String>) -> Self {
        Self {
            rationale: rationale.into(),
            ..Self::default()
        }
    }
}

/// One piece of evidence, by kind and key (a report ref for a lesson, a number for a pattern
/// or a suggestion).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub key: String,
}

impl Evidence {
    /// Reads one item of a change's evidence as a person or a client writes it.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        for (kind, prefix, address) in [
            (EvidenceKind::Pattern, "pattern:", "/patterns/"),
            (EvidenceKind::Suggestion, "suggestion:", "/suggestions/"),
        ] {
            let number = text
                .strip_prefix(prefix)
                .or_else(|| text.rfind(address).map(|at| &text[at + address.len()..]));
            if let Some(number) = number {
                let id = number
                    .trim_end_matches('/')
                    .parse::<u32>()
                    .ok()
                    .filter(|id| *id > 0 && i32::try_from(*id).is_ok())
                    .ok_or_else(|| {
                        AppError::invalid(
                            "evidence",
                            format!(
                                "'{}' names no {}: write {prefix}N",
                                text.chars().take(40).collect::<String>(),
                                kind.label().to_lowercase()
                            ),
                        )
                    })?;
                return Ok(Self {
                    kind,
                    key: id.to_string(),
                });
            }
        }
        Ok(Self {
            kind: EvidenceKind::Lesson,
            key: ReportRef::from_field("evidence", text)?.to_string(),
        })
    }

    /// A pattern's evidence entry.
    pub fn pattern(id: i32) -> Self {
        Self {
            kind: EvidenceKind::Pattern,
            key: id.to_string(),
        }
    }
}

/// A note checked: what a revision stores.
#[derive(Clone, Debug)]
pub(super) struct Note {
    pub rationale: String,
    pub effective_from: Date,
    pub evidence: Vec<Evidence>,
}

/// Checks the parts of a note that need no database; evidence is checked by [`verify`].
pub(super) fn validate(note: &ChangeNote) -> Result<Note> {
    let rationale = note.rationale.trim();
    if rationale.is_empty() {
        return Err(AppError::invalid(
            "rationale",
            "is required: say why the guideline changes",
        ));
    }
    let length = rationale.chars().count();
    if length > MAX_RATIONALE {
        return Err(AppError::invalid(
            "rationale",
            format!("is {length} characters long; the limit is {MAX_RATIONALE}"),
        ));
    }
    if rationale
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(AppError::invalid(
            "rationale",
            "contains control characters",
        ));
    }
    let effective_from = match note.effective_from.as_deref().map(str::trim) {
        None | Some("") => today(),
        Some(text) => parse_date(text)?,
    };
    if note.evidence.len() > MAX_EVIDENCE {
        return Err(AppError::invalid(
            "evidence",
            format!(
                "cites {} items; the limit is {MAX_EVIDENCE}",
                note.evidence.len()
            ),
        ));
    }
    let mut evidence: Vec<Evidence> = Vec::new();
    for text in &note.evidence {
        let item = Evidence::parse(text)?;
        if !evidence.contains(&item) {
            evidence.push(item);
        }
    }
    Ok(Note {
        rationale: rationale.to_owned(),
        effective_from,
        evidence,
    })
}

/// Checks inside the change's transaction that every lesson cited is published and every
/// pattern and suggestion cited exists.
pub(super) async fn verify(tx: &impl ConnectionTrait, note: &Note) -> Result<()> {
    for item in &note.evidence {
        let (found, what) = match item.kind {
            EvidenceKind::Lesson => (
                report::Entity::find_by_id(item.key.clone())
                    .filter(report::Column::Status.eq(Status::Published.slug()))
                    .count(tx)
                    .await?,
                "a published lesson",
            ),
            EvidenceKind::Pattern => (
                pattern::Entity::find_by_id(id_of(item)?).count(tx).await?,
                "a recurring pattern",
            ),
            EvidenceKind::Suggestion => (
                suggestion::Entity::find_by_id(id_of(item)?)
                    .count(tx)
                    .await?,
                "a suggestion",
            ),
        };
        if found == 0 {
            return Err(AppError::invalid(
                "evidence",
                format!("'{}' is not {what}", item.key),
            ));
        }
    }
    Ok(())
}

fn id_of(item: &Evidence) -> Result<i32> {
    item.key
        .parse()
        .map_err(|_| AppError::invalid("evidence", format!("'{}' is not a number", item.key)))
}

fn parse_date(text: &str) -> Result<Date> {
    let date = crate::parse_day("effective_from", text)?;
    // Far enough either way for any real rule, near enough to catch a typed year.
    if !(1950..=2100).contains(&date.year()) {
        return Err(AppError::invalid(
            "effective_from",
            "must be a date between 1950 and 2100",
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rationale_is_required_and_the_date_defaults_to_today() {
        assert!(validate(&ChangeNote::because("  ")).is_err());
        let note = validate(&ChangeNote::because(" Lessons show it. "));
        assert_eq!(
            note.as_ref()
                .map(|n| (n.rationale.as_str(), n.effective_from))
                .ok(),
            Some(("Lessons show it.", today()))
        );
    }

    #[test]
    fn dates_in_the_past_and_future_are_kept_and_bad_ones_named() {
        for (text, ok) in [
            ("2019-03-01", true),
            ("2031-01-31", true),
            ("2026-02-30", false),
            ("01/02/2026", false),
            ("1900-01-01", false),
        ] {
            let note = ChangeNote {
                effective_from: Some(text.to_owned()),
                ..ChangeNote::because("why")
            };
            match validate(&note) {
                Ok(n) => assert!(ok && n.effective_from.to_string() == text, "{text}"),
                Err(e) => assert!(
                    !ok && e.to_string().starts_with("effective_from:"),
                    "{text}: {e}"
                ),
            }
        }
    }

    #[test]
    fn evidence_must_look_like_lesson_refs() {
        let note = ChangeNote {
            evidence: vec!["not a ref".to_owned()],
            ..ChangeNote::because("why")
        };
        assert!(validate(&note).is_err_and(|e| e.to_string().starts_with("evidence:")));
    }
}
