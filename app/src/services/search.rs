//! Searching shared lessons: reading the request, asking the index, and completing the hits
//! from the database, which stays the truth.

mod request;
mod sections;

use std::{collections::HashMap, sync::Arc};

use entities::{publication, report, unit};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use search::{Facets, Hit, Notice, SearchIndex, Sort};
use tokio::sync::Semaphore;

pub use self::{
    request::{DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_QUERY, SearchQuery, request},
    sections::{
        Kind, KindCounts, SUGGESTIONS, SectionMatch, SectionsOutcome, kind, lesson_words,
        search_sections, suggest_for_text, suggest_sections,
    },
};
use crate::{
    codes::{self, ReportRef},
    error::{AppError, Result},
    vocabulary::{Channel, Impact, Status},
};

#[derive(Clone, Debug)]
pub struct SearchHit {
    pub report_ref: String,
    pub title: String,
    pub title_html: String,
    pub snippet_html: String,
    pub score: f32,
    pub channel: Option<Channel>,
    pub impact: Option<Impact>,
    pub unit: Option<String>,
    /// `YYYY-MM`: when it happened, or else when it was logged.
    pub month: String,
}

#[derive(Clone, Debug)]
pub struct SearchOutcome {
    pub total: u64,
    /// Whether `total` and the facet counts are estimates (a very common query).
    pub total_is_estimate: bool,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
    /// How the query was read, in words for people.
    pub notices: Vec<String>,
    /// The thesaurus's words searched for besides the words typed.
    pub also_searched_for: Vec<String>,
    /// When nothing matched: searches for the closest words the lessons hold.
    pub did_you_mean: Vec<String>,
    pub limit: u32,
    pub offset: u32,
    /// What the search lists: lessons in `hits`, or sections in `sections`.
    pub kind: Kind,
    /// How many lessons and sections match: the `kind` facet.
    pub kinds: KindCounts,
    /// The section that governs the topic, shown above the lessons when it matches well
    /// (see [`SectionMatch::governs`]).
    pub guidance: Option<SectionMatch>,
    /// The page of matching sections, when sections are asked for.
    pub sections: Vec<SectionMatch>,
}

/// Searches the lessons, and the guideline sections beside them. Sections are matched by
/// the words alone; the lessons' filters do not apply to them.
pub async fn search(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    turns: &SearchTurns,
    query: &SearchQuery,
) -> Result<SearchOutcome> {
    let (mut request, kind) = request::checked(db, query).await?;
    let (limit, offset) = (request.limit as u32, request.offset as u32);
    let text = request.text.clone();
    // Sections listed: a page of them. Lessons listed: the governing candidate and the count.
    let (sections_wanted, sections_skipped) = match kind {
        Kind::Guideline => (request.limit + request.offset, request.offset),
        Kind::Lesson => (sections::GUIDANCE_CANDIDATES, 0),
    };
    if kind == Kind::Guideline {
        // Only the count of lessons is shown.
        (request.limit, request.offset) = (1, 0);
    }
    let first_page = request.offset == 0 && request.sort == Sort::Relevance;
    let target = Arc::clone(index);
    let (results, found) = turns
        .run(move || {
            let results = target.search(&request)?;
            let found = target.search_sections(&text, sections_wanted)?;
            Ok((results, found))
        })
        .await?;
    let mut found = sections::complete(db, found).await?;
    found.hits.drain(..sections_skipped.min(found.hits.len()));
    let kinds = KindCounts {
        lesson: results.total,
        guideline: found.total,
    };
    let (total, hits, guidance, sections) = match kind {
        Kind::Lesson => {
            let guidance = found
                .hits
                .into_iter()
                .next()
                .filter(|best| first_page && best.governs());
            let hits = complete(db, results.hits).await?;
            (results.total, hits, guidance, Vec::new())
        }
        Kind::Guideline => (found.total, Vec::new(), None, found.hits),
    };
    Ok(SearchOutcome {
        total,
        total_is_estimate: kind == Kind::Lesson && results.total_is_estimate,
        hits,
        facets: results.facets,
        notices: results.notices.iter().map(describe).collect(),
        also_searched_for: results.also_searched_for,
        did_you_mean: results.did_you_mean,
        limit,
        offset,
        kind,
        kinds,
        guidance,
        sections,
    })
}

/// Published reports like the one with `report_ref`; a 404 unless that one is published.
pub async fn similar(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    turns: &SearchTurns,
    report_ref: &ReportRef,
    limit: usize,
) -> Result<Vec<SearchHit>> {
    crate::services::reports::get_published(db, report_ref).await?;
    let target = Arc::clone(index);
    let own = report_ref.to_string();
    let hits = turns
        .run(move || Ok(target.similar_to(&own, limit)?))
        .await?;
    complete(db, hits).await
}

/// Published reports like a text being written.
pub async fn similar_to_draft(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    turns: &SearchTurns,
    title: &str,
    narrative: &str,
    limit: usize,
) -> Result<Vec<SearchHit>> {
    let target = Arc::clone(index);
    // A draft is only a hint for similarity: its first few thousand characters say enough.
    let title: String = title.chars().take(500).collect();
    let narrative: String = narrative.chars().take(5_000).collect();
    let hits = turns
        .run(move || Ok(target.similar_to_text(&title, &narrative, limit)?))
        .await?;
    complete(db, hits).await
}

/// Searches running at once: two per core. A search is mostly computation, and many more
/// at once than there are cores only take turns on them, each on a thread of its own with
/// its own allocator arena: the server then holds more memory and answers no sooner. Two
/// per core rather than one keep the cores busy while a search waits for its thread.
pub struct SearchTurns(Semaphore);

impl Default for SearchTurns {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self(Semaphore::new(2 * cores))
    }
}

impl SearchTurns {
    /// Runs a search on the blocking pool once it has its turn.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let _turn = self
            .0
            .acquire()
            .await
            .map_err(|e| AppError::Internal(format!("search queue: {e}")))?;
        crate::blocking(work).await
    }
}

fn describe(notice: &Notice) -> String {
    match notice {
        Notice::Lenient { .. } => {
            "Part of your search could not be read as search syntax, so it was read as plain words."
                .to_owned()
        }
        Notice::Fuzzy => {
            "Nothing matched exactly, so these results allow for small differences in spelling."
                .to_owned()
        }
        Notice::AnyWord => {
            "Nothing matched all of your words, so these results match some of them.".to_owned()
        }
        Notice::SomeWords => {
            "Some results match only some of your words; those matching more come first.".to_owned()
        }
        Notice::Corrected { typed, searched } => {
            format!(
                "No lesson contains “{typed}”: searched for the closest spelling, “{searched}”."
            )
        }
        Notice::AlsoSearched { words } => format!("Also searched for: {}.", words.join(", ")),
    }
}

/// The columns of a report that a search hit shows.
#[derive(Debug, FromQueryResult)]
struct HitRow {
    id: String,
    channel: Option<String>,
    impact: Option<String>,
    unit_id: Option<i32>,
    occurred_month: Option<String>,
    submitted_on: time::Date,
    status: String,
}

/// Adds what the database knows to the index's hits, dropping any that are no longer
/// published (the index may be a moment behind).
async fn complete(db: &DatabaseConnection, hits: Vec<Hit>) -> Result<Vec<SearchHit>> {
    let refs: Vec<String> = hits
        .iter()
        .map(|h| h.report_ref.clone())
        .filter(|r| codes::is_report_ref(r))
        .collect();
    if refs.is_empty() {
        return Ok(Vec::new());
    }
    // Found by primary key and only the columns a hit shows: a filter on the status here
    // would lead the planner to the status index, which every published report shares.
    let reports: HashMap<String, HitRow> = report::Entity::find()
        .select_only()
        .columns([
            report::Column::Id,
            report::Column::Channel,
            report::Column::Impact,
            report::Column::UnitId,
            report::Column::OccurredMonth,
            report::Column::SubmittedOn,
            report::Column::Status,
        ])
        .filter(report::Column::Id.is_in(refs.clone()))
        .into_model::<HitRow>()
        .all(db)
        .await?
        .into_iter()
        .filter(|r| r.status == Status::Published.slug())
        .map(|r| (r.id.clone(), r))
        .collect();
    // The published title, never the reporter's own.
    let titles: HashMap<String, String> = publication::Entity::find()
        .select_only()
        .columns([publication::Column::ReportId, publication::Column::Title])
        .filter(publication::Column::ReportId.is_in(refs))
        .into_tuple::<(String, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let unit_ids: Vec<i32> = reports.values().filter_map(|r| r.unit_id).collect();
    let units: HashMap<i32, String> = if unit_ids.is_empty() {
        HashMap::new()
    } else {
        unit::Entity::find()
            .filter(unit::Column::Id.is_in(unit_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.path))
            .collect()
    };
    Ok(hits
        .into_iter()
        .filter_map(|hit| {
            let report = reports.get(&hit.report_ref)?;
            let title = titles.get(&hit.report_ref)?.clone();
            Some(SearchHit {
                report_ref: hit.report_ref,
                title,
                title_html: hit.title_html,
                snippet_html: hit.snippet_html,
                score: hit.score,
                channel: report.channel.as_deref().and_then(Channel::from_slug),
                impact: report.impact.as_deref().and_then(Impact::from_slug),
                unit: report.unit_id.and_then(|id| units.get(&id).cloned()),
                month: report
                    .occurred_month
                    .clone()
                    .unwrap_or_else(|| crate::month_of(report.submitted_on)),
            })
        })
        .collect())
}
