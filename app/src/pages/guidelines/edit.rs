//! Changing a guideline, for policy owners and admins: edit, add, move and retire a section.
//! Each change is a revision with its reason; a refused form comes back as it was sent.

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::{Deserialize, Serialize};

use super::view::Heading;
use crate::{
    auth::access::SignedIn,
    error::{AppError, FieldError},
    pages::{
        PageResult, Posted,
        account::see_other,
        fields::{SummaryItem, for_a_person},
        read_form_as_sent, render,
    },
    services::guidelines::{self, ChangeNote, Outcome, SectionEdit, anchors},
    state::AppState,
};

/// The text of a section and the reasons for the change, as posted.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SectionForm {
    heading: String,
    markdown: String,
    rationale: String,
    effective_from: String,
    /// Lesson refs (or their addresses), separated by commas or spaces.
    evidence: String,
}

/// Moving a section one place, as posted.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MoveForm {
    /// `up` or `down`.
    direction: String,
    rationale: String,
    effective_from: String,
}

/// Retiring a section, as posted.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RetireForm {
    replaced_by: String,
    rationale: String,
    effective_from: String,
}

fn note(rationale: &str, effective_from: &str, evidence: &str) -> ChangeNote {
    ChangeNote {
        rationale: rationale.to_owned(),
        effective_from: Some(effective_from.to_owned()),
        evidence: evidence
            .split([',', ' ', '\n', '\t'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

/// One message per field of the three forms, or nothing; every field is present so that
/// strict templates can ask about any of them.
#[derive(Debug, Default, Serialize)]
struct FieldErrors {
    heading: Option<String>,
    markdown: Option<String>,
    rationale: Option<String>,
    effective_from: Option<String>,
    evidence: Option<String>,
    direction: Option<String>,
    replaced_by: Option<String>,
}

impl FieldErrors {
    fn of(errors: &[FieldError]) -> Self {
        let mut shown = Self::default();
        for error in errors {
            let slot = match error.field.as_str() {
                // A new section's anchor is made from its heading.
                "heading" | "anchor" => &mut shown.heading,
                "markdown" => &mut shown.markdown,
                "rationale" => &mut shown.rationale,
                "effective_from" => &mut shown.effective_from,
                "evidence" => &mut shown.evidence,
                "direction" | "position" => &mut shown.direction,
                "replaced_by" => &mut shown.replaced_by,
                _ => continue,
            };
            let reason = for_a_person(error);
            *slot = Some(match slot.take() {
                Some(before) => format!("{before}; {reason}"),
                None => reason,
            });
        }
        shown
    }
}

/// Which of the page's forms was sent: its fields carry this prefix in their ids.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Text,
    Move,
    Retire,
}

impl Which {
    fn prefix(self) -> &'static str {
        match self {
            Which::Text => "",
            Which::Move => "move-",
            Which::Retire => "retire-",
        }
    }
}

#[derive(Serialize)]
struct SectionPage {
    page_title: String,
    slug: String,
    title: String,
    /// Absent for a new section.
    anchor: Option<String>,
    action: String,
    refusal: Option<String>,
    errors: Vec<SummaryItem>,
    values: SectionForm,
    field_errors: FieldErrors,
    move_values: MoveForm,
    move_errors: FieldErrors,
    retire_values: RetireForm,
    retire_errors: FieldErrors,
    /// The other sections in force, which may replace this one.
    replacements: Vec<Heading>,
}

/// What a refused form brings back to the page.
enum Kept {
    Nothing,
    Text(SectionForm),
    Move(MoveForm),
    Retire(RetireForm),
}

impl Kept {
    fn which(&self) -> Which {
        match self {
            Kept::Move(_) => Which::Move,
            Kept::Retire(_) => Which::Retire,
            Kept::Nothing | Kept::Text(_) => Which::Text,
        }
    }
}

/// The section page, blank for a new section or filled from the section, with whatever a
/// refused form brings back in place of the stored values.
async fn section_page(
    state: &AppState,
    slug: &str,
    anchor: Option<&str>,
    kept: Kept,
    error: Option<AppError>,
) -> PageResult {
    let guideline = guidelines::get(&state.db, slug).await?;
    let current = match anchor {
        Some(anchor) => {
            let found = guideline.sections.iter().find(|s| s.anchor == anchor);
            // A retired section cannot change: its place on the guideline says so.
            Some(found.ok_or(AppError::NotFound("section"))?)
        }
        None => None,
    };
    let which = kept.which();
    let (mut values, mut move_values, mut retire_values) = (
        current.map_or_else(SectionForm::default, |s| SectionForm {
            heading: s.heading.clone(),
            markdown: s.markdown.clone(),
            ..SectionForm::default()
        }),
        MoveForm::default(),
        RetireForm::default(),
    );
    match kept {
        Kept::Nothing => {}
        Kept::Text(form) => values = form,
        Kept::Move(form) => move_values = form,
        Kept::Retire(form) => retire_values = form,
    }
    let (field_errors, refusal, status) = match &error {
        None => (Vec::new(), None, StatusCode::OK),
        Some(AppError::Invalid(errors)) => (errors.clone(), None, StatusCode::UNPROCESSABLE_ENTITY),
        Some(other) => (Vec::new(), Some(other.public_message()), other.status()),
    };
    let shown = FieldErrors::of(&field_errors);
    let (mut text_errors, mut move_errors, mut retire_errors) = Default::default();
    match which {
        Which::Text => text_errors = shown,
        Which::Move => move_errors = shown,
        Which::Retire => retire_errors = shown,
    }
    let errors = field_errors
        .iter()
        .map(|e| {
            let mut item = SummaryItem::from(e);
            let field = match e.field.as_str() {
                "anchor" => "heading",
                "position" => "direction",
                other => other,
            };
            item.field = format!("{}{field}", which.prefix());
            item
        })
        .collect();
    let replacements = guideline
        .sections
        .iter()
        .filter(|s| Some(s.anchor.as_str()) != anchor)
        .map(|s| Heading {
            anchor: s.anchor.clone(),
            heading: s.heading.clone(),
        })
        .collect();
    let page = SectionPage {
        page_title: match current {
            Some(s) => format!("Change “{}”", s.heading),
            None => "Add a section".to_owned(),
        },
        action: match anchor {
            Some(anchor) => format!("/guidelines/{}/sections/{anchor}", guideline.slug),
            None => format!("/guidelines/{}/sections", guideline.slug),
        },
        slug: guideline.slug,
        title: guideline.title,
        anchor: anchor.map(str::to_owned),
        refusal,
        errors,
        values,
        field_errors: text_errors,
        move_values,
        move_errors,
        retire_values,
        retire_errors,
        replacements,
    };
    render(state, "pages/guidelines/section", &page, status)
}

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
        let anchor = anchors::slug_of(&form.heading);
        if anchor.is_empty() {
            return Err(AppError::invalid(
                "heading",
                "needs at least one letter or digit, to make the section's address",
            ));
        }
        // The address is made from the heading: a heading that makes one in use would
        // change that section instead of adding one.
        if guidelines::section(&state.db, &slug, &anchor).await.is_ok() {
            return Err(AppError::invalid(
                "heading",
                format!(
                    "makes the address #{anchor}, which another section has: word it differently"
                ),
            ));
        }
        let edit = SectionEdit {
            heading: Some(form.heading.clone()),
            markdown: form.markdown.clone(),
        };
        let why = note(&form.rationale, &form.effective_from, &form.evidence);
        let outcome =
            guidelines::put_section(&state.db, &actor.name, &slug, &anchor, &edit, &why).await?;
        Ok((outcome, anchor))
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
