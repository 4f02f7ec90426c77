//! Changing a guideline, for policy owners and admins: edit, add, move and retire a section.
//! Each change is a revision with its reason; a refused form comes back as it was sent.

use poem::{
    Body, handler,
    web::{Data, Path},
};

use super::section_page::{Kept, MoveForm, RetireForm, SectionForm, note, section_page};
use crate::{
    auth::access::SignedIn,
    error::AppError,
    pages::{PageResult, Posted, account::see_other, read_form_as_sent},
    services::guidelines::{self, Outcome, SectionEdit},
    state::AppState,
};
/// Back to the section on the guideline, which says what became of the change.
fn done(outcome: &Outcome, anchor: &str) -> PageResult {
    let said = if outcome.changed {
        format!("saved={}", outcome.revision)
    } else {
        "unchanged=1".to_owned()
    };
    Ok(see_other(&format!(
        "/guidelines/{}?{said}#{anchor}",
        outcome.slug
    )))
}

/// A change's result: back to the guideline, or the page again with the form as sent.
async fn answer(
    state: &AppState,
    slug: &str,
    anchor: Option<&str>,
    kept: Kept,
    changed: Result<(Outcome, String), AppError>,
) -> PageResult {
    match changed {
        Ok((outcome, anchor)) => done(&outcome, &anchor),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            section_page(state, slug, anchor, kept, Some(error)).await
        }
        Err(error) => Err(error),
    }
}

#[handler]
pub async fn new_section(Data(state): Data<&AppState>, Path(slug): Path<String>) -> PageResult {
    section_page(state, &slug, None, Kept::Nothing, None).await
}

#[handler]
pub async fn edit_section(
    Data(state): Data<&AppState>,
    Path((slug, anchor)): Path<(String, String)>,
) -> PageResult {
    section_page(state, &slug, Some(&anchor), Kept::Nothing, None).await
}

#[handler]
pub async fn add_section(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(slug): Path<String>,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<SectionForm>(body).await?;
    let added = async {
        readable?;
        let edit = SectionEdit {
            heading: Some(form.heading.clone()),
            markdown: form.markdown.clone(),
        };
        let why = note(&form.rationale, &form.effective_from, &form.evidence);
        guidelines::add_section(&state.db, &actor.name, &slug, &edit, &why).await
    };
    let added = added.await;
    answer(state, &slug, None, Kept::Text(form), added).await
}

#[handler]
pub async fn save_section(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path((slug, anchor)): Path<(String, String)>,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<SectionForm>(body).await?;
    let saved = async {
        readable?;
        // The section must exist: this form changes one, never adds one.
        let current = guidelines::section(&state.db, &slug, &anchor).await?;
        let edit = SectionEdit {
            heading: Some(form.heading.clone()),
            markdown: form.markdown.clone(),
        };
        let why = note(&form.rationale, &form.effective_from, &form.evidence);
        let outcome =
            guidelines::put_section(&state.db, &actor.name, &slug, &current.anchor, &edit, &why)
                .await?;
        Ok((outcome, current.anchor))
    };
    let saved = saved.await;
    answer(state, &slug, Some(&anchor), Kept::Text(form), saved).await
}

#[handler]
pub async fn move_section(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path((slug, anchor)): Path<(String, String)>,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<MoveForm>(body).await?;
    let moved = async {
        readable?;
        let current = guidelines::section(&state.db, &slug, &anchor).await?;
        let position = match form.direction.as_str() {
            "up" if current.position > 1 => current.position - 1,
            "up" => {
                return Err(AppError::invalid(
                    "direction",
                    "This section is already the first.",
                ));
            }
            "down" => current.position + 1,
            _ => return Err(AppError::invalid("direction", "Choose up or down.")),
        };
        let why = note(&form.rationale, &form.effective_from, "");
        let outcome =
            guidelines::move_section(&state.db, &actor.name, &slug, &anchor, position, &why)
                .await
                .map_err(|error| match error {
                    // One place down from the last is past the end.
                    AppError::Invalid(errors) if errors.iter().any(|e| e.field == "position") => {
                        AppError::invalid("direction", "This section is already the last.")
                    }
                    other => other,
                })?;
        Ok((outcome, current.anchor))
    };
    let moved = moved.await;
    answer(state, &slug, Some(&anchor), Kept::Move(form), moved).await
}

#[handler]
pub async fn retire_section(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path((slug, anchor)): Path<(String, String)>,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<RetireForm>(body).await?;
    let retired = async {
        readable?;
        let why = note(&form.rationale, &form.effective_from, "");
        let replaced_by = Some(form.replaced_by.as_str());
        let outcome =
            guidelines::retire_section(&state.db, &actor.name, &slug, &anchor, replaced_by, &why)
                .await?;
        Ok((outcome, anchor.clone()))
    };
    let retired = retired.await;
    answer(state, &slug, Some(&anchor), Kept::Retire(form), retired).await
}
