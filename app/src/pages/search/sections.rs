//! Guideline sections on the search page: the governing section above the lessons, the
//! `kind` facet that switches between lessons and sections, and the list of sections.

use serde::Serialize;

use super::form::SearchForm;
use crate::services::search::{Kind, KindCounts, SectionMatch};

/// A guideline section as the page lists it.
#[derive(Serialize)]
pub(super) struct SectionItem {
    /// "Email §3".
    label: String,
    heading: String,
    heading_html: String,
    snippet_html: String,
    href: String,
}

impl From<SectionMatch> for SectionItem {
    fn from(hit: SectionMatch) -> Self {
        Self {
            label: format!("{} §{}", hit.guideline_title, hit.number),
            href: hit.href(),
            heading: hit.heading,
            heading_html: hit.heading_html,
            snippet_html: hit.snippet_html,
        }
    }
}

/// One kind of result, with its count, linked to the same search listing that kind.
#[derive(Serialize)]
pub(super) struct KindItem {
    label: &'static str,
    count: u64,
    href: String,
    selected: bool,
}

/// The `kind` facet: lessons, then guideline sections.
pub(super) fn kind_items(form: &SearchForm, shown: Kind, counts: KindCounts) -> Vec<KindItem> {
    [
        (Kind::Lesson, "Lessons", counts.lesson),
        (Kind::Guideline, "Guideline sections", counts.guideline),
    ]
    .into_iter()
    .map(|(kind, label, count)| {
        let mut next = form.clone();
        next.page = 0;
        next.kind = match kind {
            Kind::Lesson => String::new(),
            Kind::Guideline => kind.slug().to_owned(),
        };
        KindItem {
            label,
            count,
            href: next.href(1),
            selected: kind == shown,
        }
    })
    .collect()
}

/// How many sections were found, and which of them this page shows.
pub(super) fn summary(total: u64, offset: u32, shown: usize) -> String {
    let found = match total {
        0 => "No guideline sections found".to_owned(),
        1 => "1 guideline section".to_owned(),
        n => format!("{n} guideline sections"),
    };
    let shown = shown as u64;
    if total > shown {
        let from = u64::from(offset) + 1;
        format!("{found} (showing {from}–{})", u64::from(offset) + shown)
    } else {
        found
    }
}
