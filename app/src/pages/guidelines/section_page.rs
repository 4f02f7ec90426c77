//! The section page of policy owners: the three forms it holds (the text, a move, a
//! retirement), each shown again as sent with its errors beside its fields.

use poem::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::view::Heading;
use crate::{
    error::{AppError, FieldError},
    pages::{
        PageResult,
        fields::{SummaryItem, for_a_person},
        render,
    },
    services::guidelines::{self, ChangeNote},
    state::AppState,
};

/// The text of a section and the reasons for the change, as posted.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct SectionForm {
    pub(super) heading: String,
    pub(super) markdown: String,
    pub(super) rationale: String,
    pub(super) effective_from: String,
    /// Lesson refs (or their addresses), separated by commas or spaces.
    pub(super) evidence: String,
}

/// Moving a section one place, as posted.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct MoveForm {
    /// `up` or `down`.
    pub(super) direction: String,
    pub(super) rationale: String,
    pub(super) effective_from: String,
}

/// Retiring a section, as posted.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct RetireForm {
    pub(super) replaced_by: String,
    pub(super) rationale: String,
    pub(super) effective_from: String,
}

pub(super) fn note(rationale: &str, effective_from: &str, evidence: &str) -> ChangeNote {
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
pub(super) enum Kept {
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
pub(super) async fn section_page(
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
