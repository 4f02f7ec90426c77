//! Suggested redactions for moderators, and the one function that applies the accepted ones.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;

use super::detect;
use super::names::{self, NotNames};
use super::rules::RedactionRules;

/// What kind of identifying detail a redaction removes.
///
/// Declared from most to least specific: when two equally long suggestions cover the same
/// text, the earlier kind wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RedactionKind {
    Email,
    Link,
    Handle,
    Phone,
    StaffNumber,
    Name,
}

impl RedactionKind {
    pub const ALL: [Self; 6] = [
        Self::Email,
        Self::Link,
        Self::Handle,
        Self::Phone,
        Self::StaffNumber,
        Self::Name,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Link => "link",
            Self::Handle => "handle",
            Self::Phone => "phone",
            Self::StaffNumber => "staff_number",
            Self::Name => "name",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.slug() == slug)
    }

    /// What takes the detail's place in published text.
    pub fn replacement(self) -> &'static str {
        match self {
            Self::Email => "[email address]",
            Self::Link => "[link]",
            Self::Handle => "[handle]",
            Self::Phone => "[phone number]",
            Self::StaffNumber => "[staff number]",
            Self::Name => "[name]",
        }
    }
}

/// A suggested redaction of `text[start..end]` (byte offsets, on char boundaries).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Redaction {
    /// `kind-start`, e.g. `email-123`: stable for the same text, so a form can send it back.
    pub id: String,
    pub kind: RedactionKind,
    pub start: usize,
    pub end: usize,
    pub original: String,
    pub replacement: String,
}

/// `not_names` adds to the rule file's phrases that are never names, such as unit names.
pub(super) fn find(rules: &RedactionRules, text: &str, not_names: &NotNames) -> Vec<Redaction> {
    let mut found: Vec<(RedactionKind, Range<usize>)> = Vec::new();
    let (personal, plain): (Vec<_>, Vec<_>) = detect::links(text).into_iter().partition(|l| l.1);
    // Digits and @ inside an ordinary link (a page slug, a date in a path) are not contact details.
    let inside_plain_link = |r: &Range<usize>| {
        plain
            .iter()
            .any(|(link, _)| link.start <= r.start && r.end <= link.end)
    };
    found.extend(personal.into_iter().map(|(r, _)| (RedactionKind::Link, r)));
    found.extend(
        detect::emails(text)
            .into_iter()
            .map(|r| (RedactionKind::Email, r)),
    );
    found.extend(
        detect::handles(text)
            .into_iter()
            .filter(|r| !inside_plain_link(r))
            .map(|r| (RedactionKind::Handle, r)),
    );
    found.extend(
        detect::phones(text)
            .into_iter()
            .filter(|r| !inside_plain_link(r))
            .map(|r| (RedactionKind::Phone, r)),
    );
    for regex in &rules.staff_numbers {
        found.extend(
            regex
                .find_iter(text)
                .map(|m| (RedactionKind::StaffNumber, m.range())),
        );
    }
    if let Some(names) = &rules.names {
        found.extend(
            names
                .find_iter(text)
                .filter(|m| is_name_occurrence(m.as_str()))
                .map(|m| (RedactionKind::Name, m.range())),
        );
    }
    for regex in &rules.name_patterns {
        found.extend(
            regex
                .find_iter(text)
                .map(|m| (RedactionKind::Name, m.range())),
        );
    }
    if rules.likely_names {
        found.extend(
            names::find(text, &[&rules.not_names, not_names])
                .into_iter()
                .map(|r| (RedactionKind::Name, r)),
        );
    }
    resolve(found)
        .into_iter()
        .map(|(kind, r)| Redaction {
            id: format!("{}-{}", kind.slug(), r.start),
            kind,
            original: text[r.clone()].to_owned(),
            replacement: kind.replacement().to_owned(),
            start: r.start,
            end: r.end,
        })
        .collect()
}

/// A configured full name matches in any case, since people type "jane doe"; a single word
/// matches only with a capital, so that the surname "Baker" leaves "the baker" alone.
fn is_name_occurrence(matched: &str) -> bool {
    matched.contains(char::is_whitespace) || matched.starts_with(char::is_uppercase)
}

/// Keeps the longest of overlapping suggestions (then the most specific kind, then the
/// earliest), and returns them sorted by start.
fn resolve(mut found: Vec<(RedactionKind, Range<usize>)>) -> Vec<(RedactionKind, Range<usize>)> {
    found.retain(|(_, r)| !r.is_empty());
    found.sort_by_key(|(kind, r)| (std::cmp::Reverse(r.len()), *kind, r.start));
    let mut kept: BTreeMap<usize, (RedactionKind, Range<usize>)> = BTreeMap::new();
    for (kind, range) in found {
        if !overlaps_kept(&kept, &range) {
            kept.insert(range.start, (kind, range));
        }
    }
    kept.into_values().collect()
}

/// Kept spans are disjoint, so only the last one starting before `range` ends can overlap it.
fn overlaps_kept<T>(kept: &BTreeMap<usize, (T, Range<usize>)>, range: &Range<usize>) -> bool {
    kept.range(..range.end)
        .next_back()
        .is_some_and(|(_, (_, k))| k.end > range.start)
}

/// Replaces the accepted redactions in `text`.
///
/// A redaction is skipped, never a panic, when its span is empty, out of range, not on char
/// boundaries, no longer holds its `original` (the text changed since it was suggested), or
/// overlaps one accepted earlier in the list.
pub fn apply(text: &str, accepted: &[Redaction]) -> String {
    let mut spans: BTreeMap<usize, (&str, Range<usize>)> = BTreeMap::new();
    for redaction in accepted {
        let range = redaction.start..redaction.end;
        let holds_original = text.get(range.clone()) == Some(redaction.original.as_str());
        if range.is_empty() || !holds_original || overlaps_kept(&spans, &range) {
            continue;
        }
        spans.insert(range.start, (redaction.replacement.as_str(), range));
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (replacement, range) in spans.into_values() {
        out.push_str(&text[from..range.start]);
        out.push_str(replacement);
        from = range.end;
    }
    out.push_str(&text[from..]);
    out
}
