//! The search page: query box, facet sidebar with counts, snippets, paging and sort.

use std::collections::HashMap;

use poem::{Request, Response, handler, http::StatusCode, web::Data};
use serde::{Deserialize, Serialize};

use super::{error_page, render};
use crate::{
    error::AppError,
    pages::fields::{self, SummaryItem},
    services::{
        search::{self, DEFAULT_LIMIT, SearchOutcome, SearchQuery},
        taxonomy,
    },
    state::AppState,
    vocabulary::{Channel, Impact},
};

/// The page's query string. Filters of one kind may repeat.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct SearchForm {
    q: String,
    channel: Vec<String>,
    impact: Vec<String>,
    factor: Vec<String>,
    tag: Vec<String>,
    unit: String,
    from: String,
    to: String,
    sort: String,
    page: u32,
}

impl SearchForm {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let many = |pairs: &mut Vec<(&'static str, String)>, name, values: &[String]| {
            pairs.extend(values.iter().map(|v| (name, v.clone())));
        };
        many(&mut pairs, "channel", &self.channel);
        many(&mut pairs, "impact", &self.impact);
        many(&mut pairs, "factor", &self.factor);
        many(&mut pairs, "tag", &self.tag);
        for (name, value) in [
            ("unit", &self.unit),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                pairs.push((name, value.clone()));
            }
        }
        pairs
    }

    /// This search's URL, on `page`.
    fn href(&self, page: u32) -> String {
        let mut pairs = vec![("q", self.q.clone())];
        pairs.extend(self.pairs());
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        format!(
            "/search?{}",
            serde_html_form::to_string(&pairs).unwrap_or_default()
        )
    }

    fn has_filters(&self) -> bool {
        !self.pairs().iter().all(|(name, _)| *name == "sort")
    }

    fn query(&self) -> SearchQuery {
        SearchQuery {
            q: self.q.clone(),
            channel: self.channel.clone(),
            impact: self.impact.clone(),
            factor: self.factor.clone(),
            tag: self.tag.clone(),
            unit: Some(self.unit.clone()),
            from: Some(self.from.clone()),
            to: Some(self.to.clone()),
            sort: Some(if self.sort.is_empty() && self.q.trim().is_empty() {
                "newest".to_owned()
            } else {
                self.sort.clone()
            }),
            limit: Some(DEFAULT_LIMIT),
            offset: Some(self.page.saturating_sub(1).saturating_mul(DEFAULT_LIMIT)),
        }
    }
}

#[derive(Serialize)]
struct Hidden {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
struct FacetItem {
    label: String,
    count: u64,
    href: String,
    selected: bool,
    indent: bool,
}

#[derive(Serialize)]
struct FacetGroup {
    title: &'static str,
    items: Vec<FacetItem>,
}

#[derive(Serialize)]
struct ActiveFilter {
    label: String,
    href: String,
}

#[derive(Serialize)]
struct HitItem {
    report_ref: String,
    title_html: String,
    snippet_html: String,
    channel: Option<&'static str>,
    impact: Option<&'static str>,
    unit: Option<String>,
    month: String,
}

#[derive(Serialize, Default)]
struct SearchPage {
    heading: &'static str,
    q: String,
    from: String,
    to: String,
    newest: bool,
    hidden: Vec<Hidden>,
    hidden_without_dates: Vec<Hidden>,
    ran: bool,
    summary: String,
    notices: Vec<String>,
    hits: Vec<HitItem>,
    first: u64,
    groups: Vec<FacetGroup>,
    active: Vec<ActiveFilter>,
    clear_filters: String,
    previous: Option<String>,
    next: Option<String>,
    errors: Vec<SummaryItem>,
}

#[handler]
pub async fn search_page(Data(state): Data<&AppState>, req: &Request) -> Response {
    let form: SearchForm = match serde_html_form::from_str(req.uri().query().unwrap_or("")) {
        Ok(form) => form,
        Err(error) => {
            return error_page(
                state,
                &AppError::Malformed(format!("the search could not be read: {error}")),
            );
        }
    };
    let mut page = SearchPage {
        heading: "Search the shared lessons",
        q: form.q.clone(),
        from: form.from.clone(),
        to: form.to.clone(),
        newest: form.sort == "newest",
        hidden: form
            .pairs()
            .into_iter()
            .map(|(name, value)| Hidden { name, value })
            .collect(),
        hidden_without_dates: form
            .pairs()
            .into_iter()
            .filter(|(name, _)| *name != "from" && *name != "to")
            .map(|(name, value)| Hidden { name, value })
            .collect(),
        ..SearchPage::default()
    };
    match search::search(&state.db, &state.index, &form.query()).await {
        Ok(outcome) => {
            let names = match taxonomy::categories(&state.db).await {
                Ok(categories) => categories,
                Err(error) => return error_page(state, &error),
            };
            fill(&mut page, &form, outcome, names);
            render(state, "pages/search/index", &page, StatusCode::OK)
        }
        Err(AppError::Invalid(errors)) => {
            page.errors = fields::summary(&errors);
            render(
                state,
                "pages/search/index",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(error) => error_page(state, &error),
    }
}

fn fill(
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
