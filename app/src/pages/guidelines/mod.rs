//! The guideline pages: the list, one guideline with the lessons behind each section, its
//! history, any revision and any two compared; editing lives in [`edit`], lesson links in
//! [`lessons`].

mod comparing;
pub mod edit;
pub mod lessons;
mod section_page;
mod view;

use poem::{
    handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use serde::{Deserialize, Serialize};

use super::{PageResult, render};
use crate::{
    auth,
    codes::ReportRef,
    error::AppError,
    services::{
        accounts::Role,
        effect,
        guidelines::{self, EvidenceKind, RevisionSummary, SectionRef},
        reports,
    },
    state::AppState,
};
pub use comparing::compare;
use view::{DiffView, GuidelineItem, Heading, RevisionItem, SectionItem, Titles, WhyLesson, day};

/// Whether the person looking may change guidelines: policy owners and admins.
fn may_edit() -> bool {
    auth::current()
        .account()
        .is_some_and(|account| account.can(Role::PolicyOwner))
}

#[derive(Serialize)]
struct ListPage {
    guidelines: Vec<GuidelineItem>,
    feeds: Vec<crate::pages::feeds::FeedLink>,
}

#[handler]
pub async fn list(Data(state): Data<&AppState>) -> PageResult {
    let guidelines = guidelines::list(&state.db).await?;
    let page = ListPage {
        guidelines: guidelines.into_iter().map(GuidelineItem::from).collect(),
        feeds: crate::pages::feeds::guideline_links(),
    };
    render(state, "pages/guidelines/index", &page, StatusCode::OK)
}

#[derive(Serialize)]
struct GuidelinePage {
    slug: String,
    title: String,
    summary: String,
    owner_role: String,
    revision: i32,
    effective_from: Option<String>,
    contents: Vec<Heading>,
    sections: Vec<SectionItem>,
    can_edit: bool,
    notice: Option<String>,
}

/// After a change, the guideline page says what became of it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    /// The revision a change was saved as.
    saved: Option<String>,
    /// Set when a change was sent that changed nothing.
    unchanged: Option<String>,
}

impl ShowQuery {
    fn notice(&self) -> Option<String> {
        if let Some(number) = self.saved.as_deref().and_then(|n| n.parse::<u32>().ok()) {
            return Some(format!(
                "Saved as revision {number}. The history shows the change and its reason."
            ));
        }
        self.unchanged
            .is_some()
            .then(|| "Nothing was different, so no revision was made.".to_owned())
    }
}

#[handler]
pub async fn show(
    Data(state): Data<&AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ShowQuery>,
) -> PageResult {
    let guideline = guidelines::get(&state.db, &slug).await?;
    let contents: Vec<Heading> = guideline
        .sections
        .iter()
        .map(|s| Heading {
            anchor: s.anchor.clone(),
            heading: s.heading.clone(),
        })
        .collect();
    let mut sections = Vec::with_capacity(guideline.sections.len() + guideline.retired.len());
    for section in guideline.sections {
        let found = SectionRef {
            guideline: guideline.slug.clone(),
            anchor: section.anchor.clone(),
        };
        let linked = guidelines::lessons_of(&state.db, &found).await?;
        let lessons = linked
            .lessons
            .into_iter()
            .map(|l| WhyLesson {
                report_ref: l.report_ref,
                title: l.title,
                linked_on: day(l.linked_on),
            })
            .collect();
        sections.push(SectionItem::in_force(section, lessons, linked.total));
    }
    // Retired sections come last, so that their anchors still answer.
    for section in guideline.retired {
        sections.push(SectionItem::retired(section, &contents));
    }
    let page = GuidelinePage {
        slug: guideline.slug,
        title: guideline.title,
        summary: guideline.summary,
        owner_role: guideline.owner_role,
        revision: guideline.revision,
        effective_from: guideline.effective_from.map(day),
        contents,
        sections,
        can_edit: may_edit(),
        notice: query.notice(),
    };
    render(state, "pages/guidelines/show", &page, StatusCode::OK)
}

#[derive(Serialize)]
struct HistoryPage {
    page_title: String,
    slug: String,
    title: String,
    revisions: Vec<RevisionItem>,
}

#[handler]
pub async fn history(Data(state): Data<&AppState>, Path(slug): Path<String>) -> PageResult {
    let guideline = guidelines::get(&state.db, &slug).await?;
    let revisions = guidelines::revisions(&state.db, &guideline.slug).await?;
    let titles = evidence_titles(state, &revisions).await?;
    let page = HistoryPage {
        page_title: format!("History of {}", guideline.title),
        slug: guideline.slug,
        title: guideline.title,
        revisions: revisions
            .into_iter()
            .map(|r| RevisionItem::of(r, &titles))
            .collect(),
    };
    render(state, "pages/guidelines/history", &page, StatusCode::OK)
}

#[derive(Serialize)]
struct RevisionPage {
    page_title: String,
    slug: String,
    title: String,
    revision: RevisionItem,
    previous: Option<i32>,
    diff: DiffView,
    /// For a first revision: the guideline as it was recorded, rather than a diff against
    /// nothing that would mark every word as added.
    first: Vec<FirstSection>,
    /// The measured effect on each pattern it cites, for policy owners and admins.
    effects: Vec<super::patterns::EffectView>,
}

#[derive(Serialize)]
struct FirstSection {
    anchor: String,
    heading: String,
    /// Sanitised by the service's renderer.
    html: String,
}

/// The titles of the lessons that revisions cite and that are still published.
async fn evidence_titles(
    state: &AppState,
    revisions: &[RevisionSummary],
) -> Result<Titles, AppError> {
    let mut titles = Titles::new();
    for evidence in revisions.iter().flat_map(|r| &r.evidence) {
        if evidence.kind != EvidenceKind::Lesson || titles.contains_key(&evidence.key) {
            continue;
        }
        let Some(lesson) = ReportRef::parse(&evidence.key) else {
            continue;
        };
        match reports::get_published(&state.db, &lesson).await {
            Ok(report) => {
                titles.insert(evidence.key.clone(), report.title);
            }
            // Withdrawn or merged since: it is still cited, by its ref.
            Err(AppError::NotFound(_)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(titles)
}

/// A revision number from an address: anything else names no revision.
fn revision_number(text: &str) -> Result<i32, AppError> {
    text.parse::<i32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(AppError::NotFound("revision"))
}

#[handler]
pub async fn revision(
    Data(state): Data<&AppState>,
    Path((slug, number)): Path<(String, String)>,
) -> PageResult {
    let number = revision_number(&number)?;
    let detail = guidelines::revision(&state.db, &slug, number).await?;
    let titles = evidence_titles(state, std::slice::from_ref(&detail.revision)).await?;
    let effects = effect::for_revision(
        &state.db,
        auth::current().account(),
        &detail.revision.evidence,
        detail.revision.effective_from,
        crate::today(),
        state.config.patterns.window_days,
    )
    .await?
    .into_iter()
    .map(|p| {
        super::patterns::EffectView::of(format!("pattern-{}", p.id), &p.effect)
            .with_pattern(p.id, &p.title)
    })
    .collect();
    let title = detail.snapshot.title.clone();
    let page = RevisionPage {
        page_title: format!("Revision {number} of {title}"),
        slug: detail.slug,
        title,
        previous: (number > 1).then_some(number - 1),
        diff: DiffView::from(&detail.diff),
        first: if number == 1 {
            detail
                .snapshot
                .current()
                .map(|s| FirstSection {
                    anchor: s.anchor.clone(),
                    heading: s.heading.clone(),
                    html: guidelines::markdown::render(&s.markdown),
                })
                .collect()
        } else {
            Vec::new()
        },
        revision: RevisionItem::of(detail.revision, &titles),
        effects,
    };
    render(state, "pages/guidelines/revision", &page, StatusCode::OK)
}
