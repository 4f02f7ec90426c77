//! `/v1/guidelines`: guidelines as living documents — reading them and their history for
//! readers, changing them for policy owners — and, in [`guidance`], the guidance linked to a
//! lesson, which moderators link.

mod bodies;
mod guidance;
mod requests;

use poem::{Request, web::Data};
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
    payload::Json,
};

pub use guidance::GuidanceApi;

use super::{
    ApiJson, ApiProblem,
    auth::{self, PolicyOwnerToken},
};
use crate::{
    error::AppError,
    services::guidelines::{self, NewGuideline, Outcome, SectionEdit, SectionRef},
    state::AppState,
};
use bodies::{
    ComparisonBody, GuidelineBody, GuidelineListBody, RevisionDetailBody, RevisionsBody,
    SectionDetailBody,
};
use requests::{ChangeBody, MoveRequest, NewGuidelineRequest, RetireRequest, SectionRequest};

pub struct GuidelinesApi;

#[derive(ApiResponse)]
enum Created {
    /// Created.
    #[oai(status = 201)]
    Created(Json<ChangeBody>),
}

#[derive(ApiResponse)]
enum Written {
    /// The section was changed, or was already as sent (`changed` says which).
    #[oai(status = 200)]
    Changed(Json<ChangeBody>),
    /// The anchor was new: the section was added at the end.
    #[oai(status = 201)]
    Added(Json<ChangeBody>),
}

#[OpenApi(prefix_path = "/v1")]
impl GuidelinesApi {
    /// Every guideline, by title.
    #[oai(path = "/guidelines", method = "get", operation_id = "list_guidelines")]
    async fn list_guidelines(
        &self,
        state: Data<&AppState>,
        req: &Request,
    ) -> Result<Json<GuidelineListBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let guidelines = guidelines::list(&state.db).await?;
        Ok(Json(GuidelineListBody {
            guidelines: guidelines.into_iter().map(Into::into).collect(),
        }))
    }

    /// A guideline as it stands: its sections in force with their text (Markdown and safe
    /// HTML) and the published lessons linked to each.
    #[oai(
        path = "/guidelines/:slug",
        method = "get",
        operation_id = "get_guideline"
    )]
    async fn get_guideline(
        &self,
        state: Data<&AppState>,
        req: &Request,
        slug: Path<String>,
    ) -> Result<Json<GuidelineBody>, ApiProblem> {
        auth::readers(req, &state)?;
        Ok(Json(guidelines::get(&state.db, &slug).await?.into()))
    }

    /// One section with the lessons that explain it, newest link first. A retired section
    /// answers too, with when it was retired and what replaces it.
    #[oai(
        path = "/guidelines/:slug/sections/:anchor",
        method = "get",
        operation_id = "get_guideline_section"
    )]
    async fn get_section(
        &self,
        state: Data<&AppState>,
        req: &Request,
        slug: Path<String>,
        anchor: Path<String>,
    ) -> Result<Json<SectionDetailBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let section = guidelines::section(&state.db, &slug, &anchor).await?;
        let named = SectionRef {
            guideline: slug.0,
            anchor: anchor.0,
        };
        let lessons = guidelines::lessons_of(&state.db, &named).await?;
        Ok(Json(SectionDetailBody {
            section: section.into(),
            lesson_count: lessons.total as u64,
            linked_lessons: lessons.lessons.into_iter().map(Into::into).collect(),
        }))
    }

    /// A guideline's revisions, newest first: who, when, why, from when, on what evidence.
    #[oai(
        path = "/guidelines/:slug/revisions",
        method = "get",
        operation_id = "list_guideline_revisions"
    )]
    async fn list_revisions(
        &self,
        state: Data<&AppState>,
        req: &Request,
        slug: Path<String>,
    ) -> Result<Json<RevisionsBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let revisions = guidelines::revisions(&state.db, &slug).await?;
        Ok(Json(RevisionsBody {
            revisions: revisions.into_iter().map(Into::into).collect(),
        }))
    }

    /// One revision with its word-level differences from the revision before.
    #[oai(
        path = "/guidelines/:slug/revisions/:number",
        method = "get",
        operation_id = "get_guideline_revision"
    )]
    async fn get_revision(
        &self,
        state: Data<&AppState>,
        req: &Request,
        slug: Path<String>,
        /// From 1.
        #[oai(validator(minimum(value = "1"), maximum(value = "2147483647")))]
        number: Path<u32>,
    ) -> Result<Json<RevisionDetailBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let number = i32::try_from(number.0).map_err(|_| AppError::NotFound("revision"))?;
        Ok(Json(
            guidelines::revision(&state.db, &slug, number).await?.into(),
        ))
    }

    /// What changed between any two revisions, word by word: `from` (default: the revision
    /// before `to`) and `to` (default: the latest), in either order.
    #[oai(
        path = "/guidelines/:slug/compare",
        method = "get",
        operation_id = "compare_guideline_revisions"
    )]
    async fn compare_revisions(
        &self,
        state: Data<&AppState>,
        req: &Request,
        slug: Path<String>,
        /// The earlier revision; by default the one before `to`.
        #[oai(validator(minimum(value = "1"), maximum(value = "2147483647")))]
        from: Query<Option<u32>>,
        /// The later revision; by default the latest.
        #[oai(validator(minimum(value = "1"), maximum(value = "2147483647")))]
        to: Query<Option<u32>>,
    ) -> Result<Json<ComparisonBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let number = |n: u32| i32::try_from(n).map_err(|_| AppError::NotFound("revision"));
        let to = match to.0 {
            Some(to) => number(to)?,
            None => guidelines::get(&state.db, &slug).await?.revision,
        };
        let from = match from.0 {
            Some(from) => number(from)?,
            None => (to - 1).max(1),
        };
        let comparison = guidelines::compare_revisions(&state.db, &slug, from, to).await?;
        Ok(Json(comparison.into()))
    }

    /// Create a guideline (policy owners). Revision 1; add sections with `PUT`.
    #[oai(
        path = "/guidelines",
        method = "post",
        operation_id = "create_guideline"
    )]
    async fn create_guideline(
        &self,
        state: Data<&AppState>,
        auth: PolicyOwnerToken,
        body: ApiJson<NewGuidelineRequest>,
    ) -> Result<Created, ApiProblem> {
        let request = body.0;
        let new = NewGuideline {
            slug: request.slug.clone(),
            title: request.title.clone(),
            summary: request.summary.clone(),
            owner_role: request.owner_role.clone(),
        };
        let outcome =
            guidelines::create_guideline(&state.db, &auth.0.name, &new, &request.note()).await?;
        Ok(Created::Created(answer(&state, &outcome).await?))
    }

    /// Set a section's text (policy owners): one revision, with a rationale. An anchor the
    /// guideline does not hold yet adds a section at the end (201; `heading` required);
    /// sending a section's current text again changes nothing (`changed: false`). A retired
    /// section answers 409.
    #[oai(
        path = "/guidelines/:slug/sections/:anchor",
        method = "put",
        operation_id = "put_guideline_section"
    )]
    async fn put_section(
        &self,
        state: Data<&AppState>,
        auth: PolicyOwnerToken,
        slug: Path<String>,
        anchor: Path<String>,
        body: ApiJson<SectionRequest>,
    ) -> Result<Written, ApiProblem> {
        let request = body.0;
        let edit = SectionEdit {
            heading: request.heading.clone(),
            markdown: request.markdown.clone(),
        };
        let outcome = guidelines::put_section(
            &state.db,
            &auth.0.name,
            &slug,
            &anchor,
            &edit,
            &request.note(),
        )
        .await?;
        let body = answer(&state, &outcome).await?;
        Ok(if outcome.created {
            Written::Added(body)
        } else {
            Written::Changed(body)
        })
    }

    /// Move a section in force to another place (policy owners): one revision.
    #[oai(
        path = "/guidelines/:slug/sections/:anchor/move",
        method = "post",
        operation_id = "move_guideline_section"
    )]
    async fn move_section(
        &self,
        state: Data<&AppState>,
        auth: PolicyOwnerToken,
        slug: Path<String>,
        anchor: Path<String>,
        body: ApiJson<MoveRequest>,
    ) -> Result<Json<ChangeBody>, ApiProblem> {
        let request = body.0;
        let outcome = guidelines::move_section(
            &state.db,
            &auth.0.name,
            &slug,
            &anchor,
            request.position as usize,
            &request.note(),
        )
        .await?;
        answer(&state, &outcome).await
    }

    /// Retire a section (policy owners): one revision. Its text stays in the history and its
    /// anchor keeps answering, with the retirement and the replacing section.
    #[oai(
        path = "/guidelines/:slug/sections/:anchor/retire",
        method = "post",
        operation_id = "retire_guideline_section"
    )]
    async fn retire_section(
        &self,
        state: Data<&AppState>,
        auth: PolicyOwnerToken,
        slug: Path<String>,
        anchor: Path<String>,
        body: ApiJson<RetireRequest>,
    ) -> Result<Json<ChangeBody>, ApiProblem> {
        let request = body.0;
        let outcome = guidelines::retire_section(
            &state.db,
            &auth.0.name,
            &slug,
            &anchor,
            request.replaced_by.as_deref(),
            &request.note(),
        )
        .await?;
        answer(&state, &outcome).await
    }
}

/// What a change answers: what it did, and the guideline as it now stands.
async fn answer(state: &AppState, outcome: &Outcome) -> Result<Json<ChangeBody>, ApiProblem> {
    let guideline = guidelines::get(&state.db, &outcome.slug).await?;
    Ok(Json(ChangeBody::new(outcome, guideline)))
}
