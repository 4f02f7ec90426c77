//! `/v1/guidelines/search`: guideline sections matching some words, and the section body
//! that `/v1/search` uses for its guidance and its sections.

use poem::{Request, web::Data};
use poem_openapi::{Object, OpenApi, param::Query, payload::Json};

use super::{ApiProblem, auth};
use crate::{
    services::search::{self, SectionMatch},
    state::AppState,
};

pub struct GuidelineSearchApi;

/// A guideline section that matched a search.
#[derive(Debug, Object)]
pub struct SectionHitBody {
    /// The guideline's slug.
    pub guideline: String,
    pub guideline_title: String,
    pub anchor: String,
    /// Its place among the guideline's sections in force, from 1.
    pub number: i32,
    pub heading: String,
    /// The heading, HTML-escaped, with matches in `<mark>`.
    pub heading_html: String,
    /// A passage of its text, HTML-escaped, with matches in `<mark>`.
    pub snippet: String,
    /// BM25 among the sections: comparable between sections, not with lessons' scores.
    pub score: f32,
    /// Where the section is read: `/guidelines/{guideline}#{anchor}`.
    pub url: String,
}

impl From<SectionMatch> for SectionHitBody {
    fn from(hit: SectionMatch) -> Self {
        Self {
            url: hit.href(),
            guideline: hit.guideline,
            guideline_title: hit.guideline_title,
            anchor: hit.anchor,
            number: hit.number,
            heading: hit.heading,
            heading_html: hit.heading_html,
            snippet: hit.snippet_html,
            score: hit.score,
        }
    }
}

#[derive(Debug, Object)]
pub struct SectionSearchBody {
    /// Sections in force matching at least one of the words.
    pub total: u64,
    pub sections: Vec<SectionHitBody>,
}

#[OpenApi(prefix_path = "/v1")]
impl GuidelineSearchApi {
    /// Search the guideline sections in force.
    ///
    /// Sections matching more of the words come first, and rarer words and words in a
    /// heading count more. Search syntax is read as plain words. Retired sections are never
    /// answered.
    #[oai(
        path = "/guidelines/search",
        method = "get",
        operation_id = "search_guideline_sections"
    )]
    async fn search_guideline_sections(
        &self,
        state: Data<&AppState>,
        req: &Request,
        /// Free text, at most 1,000 characters; no words find no sections.
        #[oai(validator(max_length = 1000))]
        q: Query<Option<String>>,
        /// 1 to 100, default 20.
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Sections to skip, at most 10,000.
        #[oai(validator(minimum(value = "0"), maximum(value = "10000")))]
        offset: Query<Option<u32>>,
    ) -> Result<Json<SectionSearchBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let limit = limit.0.unwrap_or(search::DEFAULT_LIMIT) as usize;
        let offset = offset.0.unwrap_or(0) as usize;
        let (db, index, turns) = (&state.db, &state.index, &state.search_turns);
        let found =
            search::search_sections(db, index, turns, &q.0.unwrap_or_default(), limit, offset)
                .await?;
        Ok(Json(SectionSearchBody {
            total: found.total,
            sections: found.hits.into_iter().map(Into::into).collect(),
        }))
    }
}
