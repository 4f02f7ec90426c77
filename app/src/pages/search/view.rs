//! What the search page shows: hits, facet links with counts, active filters, paging.

use std::collections::HashMap;

use serde::Serialize;

use super::{
    facets::{ActiveFilter, FacetGroup, active_filters, facet_groups},
    form::SearchForm,
    sections::{self, KindItem, SectionItem, kind_items},
};
use crate::{
    pages::fields::SummaryItem,
    services::{
        search::{Kind, SearchHit, SearchOutcome},
        taxonomy,
    },
    vocabulary::{Channel, Impact},
};

#[derive(Serialize)]
pub(super) struct Hidden {
    pub(super) name: &'static str,
    pub(super) value: String,
}

#[derive(Serialize)]
pub(super) struct Suggestion {
    q: String,
    href: String,
}

#[derive(Serialize)]
pub(super) struct HitItem {
    report_ref: String,
    title_html: String,
    snippet_html: String,
    channel: Option<&'static str>,
    impact: Option<&'static str>,
    unit: Option<String>,
    month: String,
}

#[derive(Serialize, Default)]
pub(super) struct SearchPage {
    pub(super) heading: &'static str,
    pub(super) q: String,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) newest: bool,
    pub(super) hidden: Vec<Hidden>,
    pub(super) hidden_without_dates: Vec<Hidden>,
    pub(super) ran: bool,
    pub(super) summary: String,
    pub(super) notices: Vec<String>,
    /// Other searches to offer when nothing was found: the closest known words.
    pub(super) did_you_mean: Vec<Suggestion>,
    pub(super) hits: Vec<HitItem>,
    /// The feeds of what the search follows, for `<link rel="alternate">`.
    pub(super) feeds: Vec<crate::pages::feeds::FeedLink>,
    /// The guideline section that governs the topic, above the lessons.
    pub(super) guidance: Option<SectionItem>,
    /// Lessons or guideline sections, with their counts.
    pub(super) kinds: Vec<KindItem>,
    /// Guideline sections are listed rather than lessons.
    pub(super) listing_sections: bool,
    pub(super) sections: Vec<SectionItem>,
    pub(super) first: u64,
    pub(super) groups: Vec<FacetGroup>,
    pub(super) active: Vec<ActiveFilter>,
    pub(super) clear_filters: String,
    pub(super) previous: Option<String>,
    pub(super) next: Option<String>,
    pub(super) errors: Vec<SummaryItem>,
}

pub(super) fn fill(
    page: &mut SearchPage,
    form: &SearchForm,
    outcome: SearchOutcome,
    categories: Vec<taxonomy::Category>,
) {
    let factor_names: HashMap<String, String> = categories
        .into_iter()
        .flat_map(|c| c.factors)
        .map(|f| (f.slug, f.name))
        .collect();
    page.ran = true;
    page.listing_sections = outcome.kind == Kind::Guideline;
    let shown = outcome.hits.len() + outcome.sections.len();
    page.summary = if page.listing_sections {
        sections::summary(outcome.total, outcome.offset, shown)
    } else {
        summary(&outcome)
    };
    page.first = outcome.offset as u64 + 1;
    let current = form.page.max(1);
    page.previous = (current > 1).then(|| form.href(current - 1));
    page.next = (u64::from(outcome.offset) + (shown as u64) < outcome.total)
        .then(|| form.href(current + 1));
    page.kinds = kind_items(form, outcome.kind, outcome.kinds);
    page.guidance = outcome.guidance.map(SectionItem::from);
    page.sections = outcome
        .sections
        .into_iter()
        .map(SectionItem::from)
        .collect();
    page.notices = outcome.notices;
    page.did_you_mean = outcome
        .did_you_mean
        .into_iter()
        .map(|q| {
            let mut next = form.clone();
            next.q = q.clone();
            Suggestion {
                href: next.href(1),
                q,
            }
        })
        .collect();
    page.hits = outcome.hits.into_iter().map(HitItem::from).collect();
    page.groups = facet_groups(form, outcome.facets, &factor_names);
    page.active = if form.has_filters() {
        active_filters(form, &factor_names)
    } else {
        Vec::new()
    };
    page.clear_filters = SearchForm {
        q: form.q.clone(),
        ..SearchForm::default()
    }
    .href(1);
}

/// How many lessons were found, and which of them this page shows.
fn summary(outcome: &SearchOutcome) -> String {
    let found = match outcome.total {
        0 => "No lessons found".to_owned(),
        1 => "1 lesson".to_owned(),
        n if outcome.total_is_estimate => format!("About {n} lessons"),
        n => format!("{n} lessons"),
    };
    let shown = outcome.hits.len() as u64;
    if outcome.total > shown {
        let from = u64::from(outcome.offset) + 1;
        let to = u64::from(outcome.offset) + shown;
        format!("{found} (showing {from}–{to})")
    } else {
        found
    }
}

impl From<SearchHit> for HitItem {
    fn from(hit: SearchHit) -> Self {
        Self {
            report_ref: hit.report_ref,
            title_html: hit.title_html,
            snippet_html: hit.snippet_html,
            channel: hit.channel.map(Channel::label),
            impact: hit.impact.map(Impact::label),
            unit: hit.unit,
            month: hit.month,
        }
    }
}
