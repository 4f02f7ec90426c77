//! What the search page shows: hits, facet links with counts, active filters, paging.

use std::collections::HashMap;

use serde::Serialize;

use super::form::SearchForm;
use crate::{
    pages::fields::SummaryItem,
    services::{search::SearchOutcome, taxonomy},
    vocabulary::{Channel, Impact},
};

#[derive(Serialize)]
pub(super) struct Hidden {
    pub(super) name: &'static str,
    pub(super) value: String,
}

#[derive(Serialize)]
pub(super) struct FacetItem {
    label: String,
    count: u64,
    href: String,
    selected: bool,
    indent: bool,
}

#[derive(Serialize)]
pub(super) struct FacetGroup {
    title: &'static str,
    items: Vec<FacetItem>,
}

#[derive(Serialize)]
pub(super) struct Suggestion {
    q: String,
    href: String,
}

#[derive(Serialize)]
pub(super) struct ActiveFilter {
    label: String,
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
    page.summary = match outcome.total {
        0 => "No lessons found".to_owned(),
        1 => "1 lesson".to_owned(),
        n if outcome.total_is_estimate => format!("About {n} lessons"),
        n => format!("{n} lessons"),
    };
    if outcome.total > 0 {
        let from = outcome.offset as u64 + 1;
        let to = outcome.offset as u64 + outcome.hits.len() as u64;
        if outcome.total > outcome.hits.len() as u64 {
            page.summary = format!("{} (showing {from}–{to})", page.summary);
        }
    }
    page.first = outcome.offset as u64 + 1;
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
    let current = form.page.max(1);
    page.previous = (current > 1).then(|| form.href(current - 1));
    page.next = (u64::from(outcome.offset) + (outcome.hits.len() as u64) < outcome.total)
        .then(|| form.href(current + 1));
    page.hits = outcome
        .hits
        .into_iter()
        .map(|hit| HitItem {
            report_ref: hit.report_ref,
            title_html: hit.title_html,
            snippet_html: hit.snippet_html,
            channel: hit.channel.map(Channel::label),
            impact: hit.impact.map(Impact::label),
            unit: hit.unit,
            month: hit.month,
        })
        .collect();

    // Each facet value links to this search with that value toggled.
    let toggle = |pick: fn(&mut SearchForm) -> &mut Vec<String>, value: &str| {
        let mut next = form.clone();
        next.page = 0;
        let list = pick(&mut next);
        if let Some(at) = list.iter().position(|v| v == value) {
            list.remove(at);
        } else {
            list.push(value.to_owned());
        }
        next.href(1)
    };
    let group = |title,
                 counts: Vec<::search::FacetCount>,
                 pick: fn(&mut SearchForm) -> &mut Vec<String>,
                 label: &dyn Fn(&str) -> String| {
        let mut probe = form.clone();
        let chosen = pick(&mut probe).clone();
        FacetGroup {
            title,
            items: counts
                .into_iter()
                .map(|c| FacetItem {
                    label: label(&c.value),
                    count: c.count,
                    href: toggle(pick, &c.value),
                    selected: chosen.contains(&c.value),
                    indent: false,
                })
                .collect(),
        }
    };
    let facets = outcome.facets;
    let mut groups = vec![
        group("Channel", facets.channel, |f| &mut f.channel, &|v| {
            Channel::from_slug(v)
                .map(Channel::label)
                .unwrap_or(v)
                .to_owned()
        }),
        group("Impact", facets.impact, |f| &mut f.impact, &|v| {
            Impact::from_slug(v)
                .map(Impact::label)
                .unwrap_or(v)
                .to_owned()
        }),
        group(
            "What made it easy to get wrong",
            facets.factor,
            |f| &mut f.factor,
            &|v| factor_names.get(v).cloned().unwrap_or_else(|| v.to_owned()),
        ),
        group("Tag", facets.tag, |f| &mut f.tag, &|v| format!("#{v}")),
    ];
    groups.retain(|g| !g.items.is_empty());
    let unit_items: Vec<FacetItem> = facets
        .unit
        .into_iter()
        .map(|c| {
            let selected = c.value == form.unit;
            let mut next = form.clone();
            next.page = 0;
            next.unit = if selected {
                String::new()
            } else {
                c.value.clone()
            };
            FacetItem {
                label: c.value.rsplit('/').next().unwrap_or(&c.value).to_owned(),
                indent: c.value.contains('/'),
                count: c.count,
                href: next.href(1),
                selected,
            }
        })
        .collect();
    if !unit_items.is_empty() {
        groups.push(FacetGroup {
            title: "Organisational unit",
            items: unit_items,
        });
    }
    page.groups = groups;

    let mut active = Vec::new();
    let mut remove = |label: String, change: &dyn Fn(&mut SearchForm)| {
        let mut next = form.clone();
        next.page = 0;
        change(&mut next);
        active.push(ActiveFilter {
            label,
            href: next.href(1),
        });
    };
    for v in &form.channel {
        remove(
            Channel::from_slug(v)
                .map(Channel::label)
                .unwrap_or(v)
                .to_owned(),
            &|f| f.channel.retain(|x| x != v),
        );
    }
    for v in &form.impact {
        remove(
            Impact::from_slug(v)
                .map(Impact::label)
                .unwrap_or(v)
                .to_owned(),
            &|f| f.impact.retain(|x| x != v),
        );
    }
    for v in &form.factor {
        remove(
            factor_names.get(v).cloned().unwrap_or_else(|| v.clone()),
            &|f| f.factor.retain(|x| x != v),
        );
    }
    for v in &form.tag {
        remove(format!("#{v}"), &|f| f.tag.retain(|x| x != v));
    }
    if !form.unit.is_empty() {
        remove(form.unit.clone(), &|f| f.unit.clear());
    }
    if !form.from.is_empty() || !form.to.is_empty() {
        remove(
            format!("{} to {}", or_any(&form.from), or_any(&form.to)),
            &|f| {
                f.from.clear();
                f.to.clear();
            },
        );
    }
    page.active = if form.has_filters() {
        active
    } else {
        Vec::new()
    };
    page.clear_filters = SearchForm {
        q: form.q.clone(),
        ..SearchForm::default()
    }
    .href(1);
}

fn or_any(month: &str) -> &str {
    if month.is_empty() { "any time" } else { month }
}
