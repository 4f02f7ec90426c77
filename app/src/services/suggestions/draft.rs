//! Drafting a suggestion's text and reason from its pattern, its target and the best member
//! lessons, quoted from their published versions only: the reporter's own words never leave
//! moderation.

use entities::{guideline_revision, pattern, publication, report};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use time::Date;

use super::{SuggestionKind, target::Target, templates::Template};
use crate::{error::Result, services::guidelines::MAX_HEADING, vocabulary::Status};

/// Lessons quoted in a draft.
const QUOTES: usize = 3;
/// The most of a lesson a quote takes.
const QUOTE_CHARS: usize = 320;

/// A suggestion as drafted, before it is stored.
#[derive(Clone, Debug)]
pub(super) struct Draft {
    pub kind: SuggestionKind,
    pub guideline_id: i32,
    /// The section reinforced; blank for a new one.
    pub anchor: String,
    pub heading: String,
    pub reason: String,
    pub text: String,
    /// Refs of the lessons quoted.
    pub quoted: Vec<String>,
    pub score: f64,
}

/// An accepted change of the same pattern that did not stop it: a regression cites it.
#[derive(Clone, Debug)]
pub(super) struct Earlier {
    pub revision: i32,
    pub effective_from: Date,
}

/// What the templates are given.
#[derive(Serialize)]
pub(super) struct DraftData {
    pattern: PatternData,
    guideline: GuidelineData,
    /// The section reinforced, or the closest one to a new section.
    section: SectionData,
    quotes: Vec<Quote>,
    earlier: Option<EarlierData>,
}

#[derive(Serialize)]
struct PatternData {
    id: i32,
    title: String,
    explanation: String,
    occurrences: i32,
    units: i32,
    first_seen: String,
    last_seen: String,
    terms: String,
    /// A checklist line made from the pattern's title and terms.
    check: String,
}

#[derive(Serialize)]
struct GuidelineData {
    slug: String,
    title: String,
}

#[derive(Serialize)]
struct SectionData {
    number: i32,
    heading: String,
    markdown: String,
}

#[derive(Serialize)]
struct Quote {
    #[serde(rename = "ref")]
    reference: String,
    title: String,
    text: String,
}

#[derive(Serialize)]
struct EarlierData {
    revision: i32,
    effective_from: String,
}

/// Drafts the suggestion of `pattern` for `target`.
pub(super) async fn draft(
    db: &DatabaseConnection,
    pattern: &pattern::Model,
    members: &[(String, usize)],
    target: &Target,
    earlier: Option<&Earlier>,
    template: &Template,
) -> Result<Draft> {
    let quotes = quotes(db, members).await?;
    let terms: Vec<String> = serde_json::from_str(&pattern.terms).unwrap_or_default();
    let section = &target.best.section;
    let data = DraftData {
        pattern: PatternData {
            id: pattern.id,
            title: pattern.title.clone(),
            explanation: pattern.explanation.clone(),
            occurrences: pattern.occurrences,
            units: pattern.unit_count,
            first_seen: pattern.first_seen.clone(),
            last_seen: pattern.last_seen.clone(),
            check: check_line(&pattern.title, &terms),
            terms: terms.join(", "),
        },
        guideline: GuidelineData {
            slug: target.best.guideline.slug.clone(),
            title: target.best.guideline.title.clone(),
        },
        section: SectionData {
            number: section.position,
            heading: section.heading.clone(),
            markdown: section.markdown.clone(),
        },
        quotes,
        earlier: earlier.map(|e| EarlierData {
            revision: e.revision,
            effective_from: e.effective_from.to_string(),
        }),
    };
    let text = template.render(&data)?;
    let since = last_change(db, target).await?;
    let reason = reason(pattern, target, earlier, since);
    let heading = match target.kind {
        SuggestionKind::Reinforce => section.heading.clone(),
        SuggestionKind::Add => clip(&pattern.title, MAX_HEADING),
    };
    Ok(Draft {
        kind: target.kind,
        guideline_id: target.best.guideline.id,
        anchor: match target.kind {
            SuggestionKind::Reinforce => section.anchor.clone(),
            SuggestionKind::Add => String::new(),
        },
        heading,
        reason,
        text: tidy(&text),
        quoted: data.quotes.iter().map(|q| q.reference.clone()).collect(),
        score: pattern.score,
    })
}

/// The best member lessons, quoted from their published versions: those with the most of the
/// pattern's words first. A member withdrawn since is left out.
async fn quotes(db: &DatabaseConnection, members: &[(String, usize)]) -> Result<Vec<Quote>> {
    let mut ranked: Vec<&(String, usize)> = members.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let wanted: Vec<String> = ranked
        .iter()
        .take(QUOTES * 4)
        .map(|m| m.0.clone())
        .collect();
    let published: std::collections::HashSet<String> = report::Entity::find()
        .filter(report::Column::Id.is_in(wanted.clone()))
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut texts: std::collections::HashMap<String, publication::Model> =
        publication::Entity::find()
            .filter(publication::Column::ReportId.is_in(wanted.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.report_id.clone(), p))
            .collect();
    Ok(wanted
        .into_iter()
        .filter(|r| published.contains(r))
        .filter_map(|r| texts.remove(&r))
        .take(QUOTES)
        .map(|p| {
            let said = [&p.lesson, &p.what_helped, &p.title]
                .into_iter()
                .find(|t| !t.trim().is_empty())
                .cloned()
                .unwrap_or_default();
            Quote {
                reference: p.report_id,
                title: one_line(&p.title),
                text: clip(&one_line(&said), QUOTE_CHARS),
            }
        })
        .collect())
}

/// Text on one line, so that it stays inside a Markdown quote.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `limit` characters, cut at a word with an ellipsis.
fn clip(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let cut: String = text.chars().take(limit.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > limit / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// A checklist line from the pattern's title and terms.
fn check_line(title: &str, terms: &[String]) -> String {
    if terms.is_empty() {
        format!("could this message repeat “{title}”?")
    } else {
        format!(
            "could this message repeat “{title}” ({})?",
            terms.iter().take(4).cloned().collect::<Vec<_>>().join(", ")
        )
    }
}

/// No runs of blank lines, one newline at the end.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// When the target section last changed, by the effective date of its latest revision.
async fn last_change(db: &DatabaseConnection, target: &Target) -> Result<Option<Date>> {
    Ok(guideline_revision::Entity::find()
        .filter(guideline_revision::Column::GuidelineId.eq(target.best.guideline.id))
        .filter(guideline_revision::Column::Anchor.eq(target.best.section.anchor.clone()))
        .order_by_desc(guideline_revision::Column::EffectiveFrom)
        .one(db)
        .await?
        .map(|r| r.effective_from))
}

/// Occurrences of the pattern from `month` (`YYYY-MM`) on.
fn occurrences_since(pattern: &pattern::Model, month: &str) -> i64 {
    let by_month: Vec<(String, i64)> = serde_json::from_str(&pattern.by_month).unwrap_or_default();
    by_month
        .iter()
        .filter(|(m, _)| m.as_str() >= month)
        .map(|(_, n)| n)
        .sum()
}

/// The sentence that says why: what the section already says, or that nothing says it.
fn reason(
    pattern: &pattern::Model,
    target: &Target,
    earlier: Option<&Earlier>,
    since: Option<Date>,
) -> String {
    let best = &target.best;
    let place = format!(
        "{} §{} “{}”",
        best.guideline.title, best.section.position, best.section.heading
    );
    let evidence = format!(
        "{} occurrences in {} units since {}",
        pattern.occurrences, pattern.unit_count, pattern.first_seen
    );
    let title = &pattern.title;
    if let Some(earlier) = earlier {
        let after = occurrences_since(pattern, &crate::month_of(earlier.effective_from));
        return format!(
            "{place} was changed for this pattern in revision {}, effective {}, yet it occurs \
             again: {after} occurrences from that month on, {evidence} in all: {title}.",
            earlier.revision, earlier.effective_from
        );
    }
    match target.kind {
        SuggestionKind::Reinforce => {
            let why = if best.linked * 3 >= target.members && best.linked > 0 {
                format!(
                    "moderators linked {} of the pattern's {} lessons to it",
                    best.linked, target.members
                )
            } else {
                format!(
                    "it holds {} of the pattern's {} terms",
                    best.covered, target.terms
                )
            };
            let recent = since
                .map(crate::month_of)
                .filter(|m| m.as_str() > pattern.first_seen.as_str())
                .map(|m| {
                    format!(
                        ", {} of them since it last changed ({m})",
                        occurrences_since(pattern, &m)
                    )
                })
                .unwrap_or_default();
            format!(
                "{place} already covers this ({why}), yet {evidence}{recent} describe it: {title}."
            )
        }
        SuggestionKind::Add => {
            let words = if target.terms > 0 {
                format!(" and holds {} of its {} terms", best.covered, target.terms)
            } else {
                String::new()
            };
            format!(
                "No section covers this well: the closest, {place}, has {} of the pattern's {} \
                 lessons linked to it{words}, while {evidence} describe it: {title}. A new \
                 section of {} is proposed.",
                best.linked, target.members, best.guideline.title
            )
        }
    }
}

/// Data for checking a template before it is stored.
pub(super) fn sample() -> DraftData {
    let quote = |n: u32| Quote {
        reference: format!("K-SAMPLE{n}"),
        title: "Newsletter sent with every address visible".to_owned(),
        text: "Use Bcc for any message to people outside the team.".to_owned(),
    };
    DraftData {
        pattern: PatternData {
            id: 1,
            title: "Mailing lists sent with every address visible".to_owned(),
            explanation: "11 reports from 9 units since 2025-03 mention bcc.".to_owned(),
            occurrences: 11,
            units: 9,
            first_seen: "2025-03".to_owned(),
            last_seen: "2026-10".to_owned(),
            terms: "bcc, to field".to_owned(),
            check: check_line("Mailing lists sent with every address visible", &[]),
        },
        guideline: GuidelineData {
            slug: "email".to_owned(),
            title: "Email".to_owned(),
        },
        section: SectionData {
            number: 3,
            heading: "Sending to many people".to_owned(),
            markdown: "Put the addresses of a group in Bcc.".to_owned(),
        },
        quotes: vec![quote(1), quote(2)],
        earlier: Some(EarlierData {
            revision: 4,
            effective_from: "2026-03-01".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_cut_at_a_word() {
        assert_eq!(clip("short", 10), "short");
        let long = "one two three four five six seven eight nine ten";
        let cut = clip(long, 20);
        assert!(cut.ends_with('…') && cut.chars().count() <= 20, "{cut}");
        assert!(!cut.contains("fiv"), "{cut}");
    }

    #[test]
    fn drafts_keep_one_blank_line_between_blocks() {
        assert_eq!(tidy("a\n\n\n\nb  \n"), "a\n\nb\n");
    }
}
