//! The policy owner's inbox of suggested guideline updates: the list by tab here, one
//! suggestion with its evidence and diff in [`detail`], the three decisions in [`decide`], and
//! the admins' page of the drafts' templates in [`admin`].

pub mod admin;
mod decide;
mod detail;
mod forms;

use poem::{
    handler,
    http::StatusCode,
    web::{Data, Query},
};
use serde::{Deserialize, Serialize};

use super::{PageResult, patterns::EffectView, render};
use crate::{
    error::AppError,
    services::{
        effect, guidelines,
        suggestions::{self, Filters, SuggestionStatus, SuggestionView},
    },
    state::AppState,
    today,
};
pub use decide::{accept, defer, reject};
pub use detail::show;

/// The inbox's tabs: decided holds the accepted and the rejected, newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Open,
    Deferred,
    Decided,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Open, Tab::Deferred, Tab::Decided];

    fn of(slug: &str) -> Self {
        match slug {
            "deferred" => Tab::Deferred,
            "decided" | "accepted" | "rejected" => Tab::Decided,
            _ => Tab::Open,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Tab::Open => "open",
            Tab::Deferred => "deferred",
            Tab::Decided => "decided",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Open => "Open",
            Tab::Deferred => "Deferred",
            Tab::Decided => "Decided",
        }
    }

    fn statuses(self) -> &'static [SuggestionStatus] {
        match self {
            Tab::Open => &[SuggestionStatus::Open],
            Tab::Deferred => &[SuggestionStatus::Deferred],
            Tab::Decided => &[SuggestionStatus::Accepted, SuggestionStatus::Rejected],
        }
    }
}

/// Where a suggestion would change a guideline, in words: "Email §3 “Sending to many
/// people”", or "Email — new section".
fn target(s: &SuggestionView) -> String {
    match (&s.section, s.section_number, &s.current_heading) {
        (Some(_), Some(number), Some(heading)) => {
            format!("{} §{number} “{heading}”", s.guideline_title)
        }
        // The section was retired since: its address still names it.
        (Some(anchor), _, _) => format!("{}, section #{anchor} (retired)", s.guideline_title),
        (None, _, _) => format!("{} — new section", s.guideline_title),
    }
}

/// An open suggestion back after a rejection says so, with how much its pattern grew.
fn came_back(s: &SuggestionView) -> Option<String> {
    let decided = s.decided.as_ref()?;
    if s.status != SuggestionStatus::Open && s.status != SuggestionStatus::Deferred {
        return None;
    }
    let rationale = decided
        .rationale
        .as_deref()
        .unwrap_or("no reason was given");
    let grown = match decided.occurrences {
        Some(before) => format!(
            " The pattern has grown from {before} to {} occurrences since.",
            s.pattern_occurrences
        ),
        None => String::new(),
    };
    Some(format!(
        "Rejected on {} by {} because: “{rationale}”.{grown}",
        decided.on, decided.by
    ))
}

/// The effect of the latest change citing an accepted suggestion's pattern, if there is one.
async fn effect_of(
    state: &AppState,
    s: &SuggestionView,
    key: String,
) -> Result<Option<EffectView>, AppError> {
    if s.status != SuggestionStatus::Accepted {
        return Ok(None);
    }
    let window = state.config.patterns.window_days;
    let measured = effect::of_latest_change(&state.db, s.pattern_id, today(), window).await?;
    Ok(measured.map(|m| EffectView::of(key, &m.effect).with_change(&m.change)))
}

#[derive(Serialize)]
struct Item {
    id: i32,
    pattern_id: i32,
    pattern_title: String,
    reason: String,
    kind: &'static str,
    target: String,
    score: String,
    status: &'static str,
    deferred_until: Option<String>,
    came_back: Option<String>,
    /// For a decided one: what was decided, in a sentence.
    decision: Option<String>,
    revision_href: Option<String>,
    effect: Option<EffectView>,
}

async fn item(state: &AppState, s: SuggestionView) -> Result<Item, AppError> {
    let effect = effect_of(state, &s, format!("suggestion-{}", s.id)).await?;
    let decided = s.decided.as_ref().filter(|_| {
        matches!(
            s.status,
            SuggestionStatus::Accepted | SuggestionStatus::Rejected
        )
    });
    let decision = decided.map(|d| {
        if s.status == SuggestionStatus::Accepted {
            let revision = d
                .revision
                .map(|n| format!(" as revision {n}"))
                .unwrap_or_default();
            let effective = d.effective_from.unwrap_or(d.on);
            format!(
                "Accepted on {} by {}{revision}, effective from {effective}.",
                d.on, d.by
            )
        } else {
            let why = d.rationale.as_deref().unwrap_or_default();
            format!("Rejected on {} by {}: “{why}”", d.on, d.by)
        }
    });
    let revision_href = decided
        .and_then(|d| d.revision)
        .filter(|_| s.status == SuggestionStatus::Accepted)
        .map(|n| format!("/guidelines/{}/revisions/{n}", s.guideline));
    Ok(Item {
        id: s.id,
        pattern_id: s.pattern_id,
        target: target(&s),
        came_back: came_back(&s),
        pattern_title: s.pattern_title,
        reason: s.reason,
        kind: s.kind.label(),
        score: format!("{:.1}", s.score),
        status: s.status.label(),
        deferred_until: s.deferred_until.map(|d| d.to_string()),
        decision,
        revision_href,
        effect,
    })
}

#[derive(Serialize)]
struct TabLink {
    label: &'static str,
    href: String,
    count: usize,
    selected: bool,
}

#[derive(Serialize)]
struct GuidelineChoice {
    slug: String,
    title: String,
    selected: bool,
}

#[derive(Serialize)]
struct InboxPage {
    page_title: String,
    tab: &'static str,
    tabs: Vec<TabLink>,
    guidelines: Vec<GuidelineChoice>,
    /// The guideline filtered on, when it is one.
    guideline: Option<String>,
    items: Vec<Item>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    status: String,
    guideline: String,
    /// Set after a rejection or a deferral, to say what became of it.
    rejected: Option<String>,
    deferred: Option<String>,
}

impl InboxQuery {
    fn notice(&self) -> Option<String> {
        let number = |text: &Option<String>| text.as_deref().and_then(|n| n.parse::<u32>().ok());
        if let Some(id) = number(&self.rejected) {
            return Some(format!(
                "Suggestion {id} was rejected. It comes back only if its pattern grows clearly, \
                 with your reason shown."
            ));
        }
        number(&self.deferred).map(|id| {
            format!("Suggestion {id} was deferred. It is open again on the day you chose.")
        })
    }
}

#[handler]
pub async fn inbox(Data(state): Data<&AppState>, Query(query): Query<InboxQuery>) -> PageResult {
    let tab = Tab::of(&query.status);
    let known = guidelines::list(&state.db).await?;
    // Only a guideline that exists is kept in the tabs' links.
    let guideline = known
        .iter()
        .find(|g| g.slug == query.guideline.trim())
        .map(|g| g.slug.clone());
    let mut tabs = Vec::with_capacity(Tab::ALL.len());
    let mut shown = Vec::new();
    for each in Tab::ALL {
        let mut found = Vec::new();
        for status in each.statuses() {
            let filters = Filters {
                status: Some(*status),
                guideline: guideline.clone(),
            };
            found.extend(suggestions::list(&state.db, &filters).await?);
        }
        let filter = guideline
            .as_deref()
            .map(|g| format!("&guideline={g}"))
            .unwrap_or_default();
        tabs.push(TabLink {
            label: each.label(),
            href: format!("/suggestions?status={}{filter}", each.slug()),
            count: found.len(),
            selected: each == tab,
        });
        if each == tab {
            shown = found;
        }
    }
    if tab == Tab::Decided {
        let on = |s: &SuggestionView| s.decided.as_ref().map(|d| d.on);
        shown.sort_by(|a, b| on(b).cmp(&on(a)).then(b.id.cmp(&a.id)));
    }
    let mut items = Vec::with_capacity(shown.len());
    for s in shown {
        items.push(item(state, s).await?);
    }
    let page = InboxPage {
        page_title: format!(
            "Suggested guideline updates: {}",
            tab.label().to_lowercase()
        ),
        tab: tab.slug(),
        tabs,
        guidelines: known
            .into_iter()
            .map(|g| GuidelineChoice {
                selected: Some(&g.slug) == guideline.as_ref(),
                slug: g.slug,
                title: g.title,
            })
            .collect(),
        guideline,
        items,
        notice: query.notice(),
    };
    render(state, "pages/suggestions/index", &page, StatusCode::OK)
}
