//! `/v1/reports/{ref}/guidelines`: the guidance linked to a lesson, which moderators link
//! and unlink.

use poem::{Request, web::Data};
use poem_openapi::{Object, OpenApi, param::Path, payload::Json};
use serde::Deserialize;

use crate::{
    api::{
        ApiJson, ApiProblem,
        auth::{self, ModeratorToken},
    },
    codes::ReportRef,
    error::AppError,
    services::guidelines::{self, Guidance, SectionRef},
    state::AppState,
};

/// Sections to link a lesson to.
#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// Sections in force, as `guideline#anchor` (`email#bcc-for-external-lists`); 1 to 20.
    #[oai(validator(min_items = 1, max_items = 20))]
    pub sections: Vec<String>,
}

/// The guidance that applies to a lesson.
#[derive(Debug, Object)]
pub struct GuidanceBody {
    /// How many links the call added (0 when reading).
    pub linked: u64,
    pub sections: Vec<GuidanceEntry>,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct GuidanceEntry {
    /// The guideline's slug.
    pub guideline: String,
    pub guideline_title: String,
    pub anchor: String,
    pub heading: String,
    /// `YYYY-MM-DD`, when the section has been retired since it was linked.
    pub retired_on: Option<String>,
    pub replaced_by: Option<String>,
}

impl From<Guidance> for GuidanceEntry {
    fn from(g: Guidance) -> Self {
        Self {
            guideline: g.guideline,
            guideline_title: g.guideline_title,
            anchor: g.anchor,
            heading: g.heading,
            retired_on: g.retired_on.map(|d| d.to_string()),
            replaced_by: g.replaced_by,
        }
    }
}

pub struct GuidanceApi;

#[OpenApi(prefix_path = "/v1")]
impl GuidanceApi {
    /// The guidance that applies to a published lesson: the sections linked to it.
    #[oai(
        path = "/reports/:ref/guidelines",
        method = "get",
        operation_id = "get_report_guidance"
    )]
    async fn get_guidance(
        &self,
        state: Data<&AppState>,
        req: &Request,
        #[oai(name = "ref")] report_ref: Path<String>,
    ) -> Result<Json<GuidanceBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let lesson: ReportRef = report_ref.parse()?;
        guidance(&state, &lesson, 0).await
    }

    /// Link a published lesson to the sections it concerns (moderators). Sections already
    /// linked stay linked; `linked` counts the new links.
    #[oai(
        path = "/reports/:ref/guidelines",
        method = "post",
        operation_id = "link_report_guidance"
    )]
    async fn link_guidance(
        &self,
        state: Data<&AppState>,
        auth: ModeratorToken,
        #[oai(name = "ref")] report_ref: Path<String>,
        body: ApiJson<LinkRequest>,
    ) -> Result<Json<GuidanceBody>, ApiProblem> {
        let lesson: ReportRef = report_ref.parse()?;
        let sections = body
            .0
            .sections
            .iter()
            .map(|s| SectionRef::parse("sections", s))
            .collect::<Result<Vec<_>, _>>()?;
        let linked = guidelines::link(&state.db, &auth.0, &lesson, &sections).await?;
        guidance(&state, &lesson, linked).await
    }

    /// Unlink a lesson from a section (moderators); 404 when they were not linked.
    #[oai(
        path = "/reports/:ref/guidelines/:slug/:anchor",
        method = "delete",
        operation_id = "unlink_report_guidance"
    )]
    async fn unlink_guidance(
        &self,
        state: Data<&AppState>,
        auth: ModeratorToken,
        #[oai(name = "ref")] report_ref: Path<String>,
        slug: Path<String>,
        anchor: Path<String>,
    ) -> Result<Json<GuidanceBody>, ApiProblem> {
        let lesson: ReportRef = report_ref.parse()?;
        let section = SectionRef {
            guideline: slug.0,
            anchor: anchor.0,
        };
        if !guidelines::unlink(&state.db, &auth.0, &lesson, &section).await? {
            return Err(AppError::NotFound("link").into());
        }
        guidance(&state, &lesson, 0).await
    }
}

async fn guidance(
    state: &AppState,
    lesson: &ReportRef,
    linked: usize,
) -> Result<Json<GuidanceBody>, ApiProblem> {
    let sections = guidelines::guidance_of(&state.db, lesson).await?;
    Ok(Json(GuidanceBody {
        linked: linked as u64,
        sections: sections.into_iter().map(Into::into).collect(),
    }))
}
