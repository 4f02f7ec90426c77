//! The search page's filters: each facet value with its count, linked to the same search
//! with that value toggled, and the filters in force, each linked to the search without it.

use std::collections::HashMap;

use search::{FacetCount, Facets};
use serde::Serialize;

use super::form::SearchForm;
use crate::vocabulary::{Channel, Impact};

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
pub(super) struct ActiveFilter {
    label: String,
    href: String,
}

/// Which list of a search's filters a facet sets.
type Pick = fn(&mut SearchForm) -> &mut Vec<String>;

/// The facets of the matching lessons, those with no value left out.
pub(super) fn facet_groups(
    form: &SearchForm,
    facets: Facets,
    factor_names: &HashMap<String, String>,
) -> Vec<FacetGroup> {
    let mut groups = vec![
        group(form, "Channel", facets.channel, |f| &mut f.channel, &|v| {
            channel_label(v)
        }),
        group(form, "Impact", facets.impact, |f| &mut f.impact, &|v| {
            impact_label(v)
        }),
        group(
            form,
            "What made it easy to get wrong",
            facets.factor,
            |f| &mut f.factor,
            &|v| factor_label(factor_names, v),
        ),
        group(form, "Tag", facets.tag, |f| &mut f.tag, &|v| {
            format!("#{v}")
        }),
    ];
    groups.push(unit_group(form, facets.unit));
    groups.retain(|g| !g.items.is_empty());
    groups
}

/// One facet: each value links to this search with that value toggled.
fn group(
    form: &SearchForm,
    title: &'static str,
    counts: Vec<FacetCount>,
    pick: Pick,
    label: &dyn Fn(&str) -> String,
) -> FacetGroup {
    let mut probe = form.clone();
    let chosen = pick(&mut probe).clone();
    let toggled = |value: &str| {
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
    FacetGroup {
        title,
        items: counts
            .into_iter()
            .map(|c| FacetItem {
                label: label(&c.value),
                count: c.count,
                href: toggled(&c.value),
                selected: chosen.contains(&c.value),
                indent: false,
            })
            .collect(),
    }
}

/// Units: top-level ones, then the children of the one filtered on; one unit at a time.
fn unit_group(form: &SearchForm, counts: Vec<FacetCount>) -> FacetGroup {
    let items = counts
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
    FacetGroup {
        title: "Organisational unit",
        items,
    }
}

/// The filters in force, each with a link to the search without it.
pub(super) fn active_filters(
    form: &SearchForm,
    factor_names: &HashMap<String, String>,
) -> Vec<ActiveFilter> {
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
        remove(channel_label(v), &|f| f.channel.retain(|x| x != v));
    }
    for v in &form.impact {
        remove(impact_label(v), &|f| f.impact.retain(|x| x != v));
    }
    for v in &form.factor {
        remove(factor_label(factor_names, v), &|f| {
            f.factor.retain(|x| x != v)
        });
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
    active
}

fn channel_label(slug: &str) -> String {
    Channel::from_slug(slug)
        .map(Channel::label)
        .unwrap_or(slug)
        .to_owned()
}

fn impact_label(slug: &str) -> String {
    Impact::from_slug(slug)
        .map(Impact::label)
        .unwrap_or(slug)
        .to_owned()
}

fn factor_label(names: &HashMap<String, String>, slug: &str) -> String {
    names.get(slug).cloned().unwrap_or_else(|| slug.to_owned())
}

fn or_any(month: &str) -> &str {
    if month.is_empty() { "any time" } else { month }
}
