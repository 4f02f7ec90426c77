//! `/v1/search` and similar reports.

use poem::{Request, web::Data};
use poem_openapi::{
    Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};
use serde::Deserialize;

use super::{ApiJson, ApiProblem, auth, guideline_search::SectionHitBody};
use crate::{
    codes::ReportRef,
    services::search::{self, SearchHit, SearchOutcome, SearchQuery},
    state::AppState,
    vocabulary::{Channel, Impact},
};

pub struct SearchApi;

/// One matching shared lesson. Optional fields are left out when they have no value.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SearchHitBody {
    #[oai(rename = "ref")]
    pub report_ref: String,
    pub title: String,
    /// The title, HTML-escaped, with matches in `<mark>`.
    pub title_html: String,
    /// A passage, HTML-escaped, with matches in `<mark>`.
    pub snippet: String,
    /// BM25 relevance; 0 when sorted by date.
    pub score: f32,
    pub channel: Option<Channel>,
    pub impact: Option<Impact>,
    pub unit: Option<String>,
    /// `YYYY-MM`.
    pub month: String,
}

impl From<SearchHit> for SearchHitBody {
    fn from(hit: SearchHit) -> Self {
        Self {
            report_ref: hit.report_ref,
            title: hit.title,
            title_html: hit.title_html,
            snippet: hit.snippet_html,
            score: hit.score,
            channel: hit.channel,
            impact: hit.impact,
            unit: hit.unit,
            month: hit.month,
        }
    }
}

#[derive(Debug, Object)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// Counts of the matching lessons by each filterable value.
#[derive(Debug, Object)]
pub struct FacetsBody {
    pub channel: Vec<FacetValue>,
    pub impact: Vec<FacetValue>,
    pub factor: Vec<FacetValue>,
    pub category: Vec<FacetValue>,
    pub tag: Vec<FacetValue>,
    /// Top-level units, then the children of the unit filtered on.
    pub unit: Vec<FacetValue>,
    /// Matching lessons (`lesson`) and guideline sections (`guideline`); the other facets
    /// count lessons only.
    pub kind: Vec<FacetValue>,
}

#[derive(Debug, Object)]
pub struct SearchResultsBody {
    pub total: u64,
    /// True when the query matched so much that `total` and the facet counts were estimated
    /// from a sample rather than counted one by one.
    pub total_is_estimate: bool,
    /// Matching lessons; empty when `kind=guideline` asks for sections.
    pub hits: Vec<SearchHitBody>,
    /// The guideline section that governs the topic, shown above the lessons: the best
    /// matching section, when every word of the query (common words aside) is in its heading
    /// or text and one of them is in its heading. Only on the first page of lessons by
    /// relevance.
    #[oai(skip_serializing_if_is_none)]
    pub guidance: Option<SectionHitBody>,
    /// Matching guideline sections, when `kind=guideline`; `total` then counts them.
    pub sections: Vec<SectionHitBody>,
    pub facets: FacetsBody,
    /// How the query was read, when not as typed (lenient syntax, spelling, any word).
    pub notices: Vec<String>,
    /// Words and phrases that mean the same as some of the query's (from the thesaurus),
    /// searched for too, with less weight than the words typed.
    pub also_searched_for: Vec<String>,
    /// When nothing matched: the query with its unknown words replaced by the closest
    /// words the lessons hold, to offer as other searches.
    pub did_you_mean: Vec<String>,
    pub limit: u32,
    pub offset: u32,
}

impl From<SearchOutcome> for SearchResultsBody {
    fn from(outcome: SearchOutcome) -> Self {
        let values = |counts: Vec<::search::FacetCount>| {
            counts
                .into_iter()
                .map(|c| FacetValue {
                    value: c.value,
                    count: c.count,
                })
                .collect()
        };
        Self {
            total: outcome.total,
            total_is_estimate: outcome.total_is_estimate,
            hits: outcome.hits.into_iter().map(Into::into).collect(),
            guidance: outcome.guidance.map(Into::into),
            sections: outcome.sections.into_iter().map(Into::into).collect(),
            facets: FacetsBody {
                channel: values(outcome.facets.channel),
                impact: values(outcome.facets.impact),
                factor: values(outcome.facets.factor),
                category: values(outcome.facets.category),
                tag: values(outcome.facets.tag),
                unit: values(outcome.facets.unit),
                kind: vec![
                    FacetValue {
                        value: search::Kind::Lesson.slug().to_owned(),
                        count: outcome.kinds.lesson,
                    },
                    FacetValue {
                        value: search::Kind::Guideline.slug().to_owned(),
                        count: outcome.kinds.guideline,
                    },
                ],
            },
            notices: outcome.notices,
            also_searched_for: outcome.also_searched_for,
            did_you_mean: outcome.did_you_mean,
            limit: outcome.limit,
            offset: outcome.offset,
        }
    }
}

#[derive(Debug, Object)]
pub struct SimilarBody {
    pub hits: Vec<SearchHitBody>,
}

/// A report being written, to find similar past lessons for.
#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    #[oai(default)]
    #[serde(default)]
    pub title: String,
    #[oai(default)]
    #[serde(default)]
    pub narrative: String,
}

const SIMILAR: usize = 5;

#[OpenApi(prefix_path = "/v1")]
impl SearchApi {
    /// Search the shared lessons.
    ///
    /// Lessons matching more of the words come first: all of one or two words must match,
    /// two of three, and about half of a longer query. Words of the thesaurus that mean the
    /// same thing are searched for too, with less weight (`also_searched_for`); a word no
    /// lesson holds is replaced by the closest that one does; a query that still finds nothing
    /// is retried with any of its words, then answers with `did_you_mean`. `"a phrase"`,
    /// `-word` and `OR` work as usual, and `notices` says how the query was read. Filters of
    /// one kind may be repeated or comma-separated (either matches).
    #[oai(path = "/search", method = "get", operation_id = "search_reports")]
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per documented query parameter"
    )]
    async fn search_reports(
        &self,
        state: Data<&AppState>,
        req: &Request,
        /// Free text, at most 1,000 characters.
        #[oai(validator(max_length = 1000))]
        q: Query<Option<String>>,
        /// Channel slugs (see `channel` in `NewReport`).
        channel: Query<Vec<String>>,
        /// Contributing-factor slugs from `GET /v1/factors`.
        factor: Query<Vec<String>>,
        /// Impact slugs (see `impact` in `NewReport`).
        impact: Query<Vec<String>>,
        /// A unit path; the unit and all units below it match.
        unit: Query<Option<String>>,
        /// Tags.
        tag: Query<Vec<String>>,
        /// From this month or day, inclusive (`YYYY-MM` or `YYYY-MM-DD`, a day of the calendar).
        #[oai(validator(pattern = r"^([0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"))]
        from: Query<Option<String>>,
        /// Up to this month or day, inclusive; not before `from`.
        #[oai(validator(pattern = r"^([0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"))]
        to: Query<Option<String>>,
        /// `relevance` (default) or `newest`.
        #[oai(validator(pattern = r"^(relevance|newest)?$"))]
        sort: Query<Option<String>>,
        /// 1 to 100, default 20.
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Results to skip, at most 10,000.
        #[oai(validator(minimum(value = "0"), maximum(value = "10000")))]
        offset: Query<Option<u32>>,
        /// `lesson` (default): lessons, with the governing section in `guidance`;
        /// `guideline`: guideline sections in `sections`.
        #[oai(validator(pattern = r"^(lesson|guideline)?$"))]
        kind: Query<Option<String>>,
    ) -> Result<Json<SearchResultsBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let query = SearchQuery {
            q: q.0.unwrap_or_default(),
            channel: channel.0,
            impact: impact.0,
            factor: factor.0,
            tag: tag.0,
            unit: unit.0,
            from: from.0,
            to: to.0,
            sort: sort.0,
            limit: limit.0,
            offset: offset.0,
            kind: kind.0,
        };
        let outcome = search::search(&state.db, &state.index, &state.search_turns, &query).await?;
        Ok(Json(outcome.into()))
    }

    /// Published reports similar to a published report.
    #[oai(
        path = "/reports/:ref/similar",
        method = "get",
        operation_id = "list_similar_reports"
    )]
    async fn list_similar_reports(
        &self,
        state: Data<&AppState>,
        req: &Request,
        #[oai(name = "ref")] report_ref: Path<String>,
    ) -> Result<Json<SimilarBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let report_ref: ReportRef = report_ref.parse()?;
        let (db, index, turns) = (&state.db, &state.index, &state.search_turns);
        let hits = search::similar(db, index, turns, &report_ref, SIMILAR).await?;
        Ok(Json(SimilarBody {
            hits: hits.into_iter().map(Into::into).collect(),
        }))
    }

    /// Past lessons similar to a report being written, for the report form.
    #[oai(
        path = "/similar",
        method = "post",
        operation_id = "list_similar_to_draft"
    )]
    async fn list_similar_to_draft(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: ApiJson<DraftBody>,
    ) -> Result<Json<SimilarBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let DraftBody { title, narrative } = body.0;
        let (db, index, turns) = (&state.db, &state.index, &state.search_turns);
        let hits = search::similar_to_draft(db, index, turns, &title, &narrative, SIMILAR).await?;
        Ok(Json(SimilarBody {
            hits: hits.into_iter().map(Into::into).collect(),
        }))
    }
}
