//! The report form as a page sees it: the person's values, the errors beside their fields,
//! and the choices to offer.

use serde::{Deserialize, Serialize};

use crate::{
    error::FieldError,
    pages::{
        choices::{Choice, FactorChoice},
        fields::{self, SummaryItem, for_a_person},
    },
    services::{
        reports::{ReportInput, split_tags},
        taxonomy::Category,
        units::Unit,
    },
};

/// The form as posted. Every field defaults to empty, so a half-filled form still reads.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReportForm {
    pub title: String,
    pub narrative: String,
    pub channel: String,
    pub audience: String,
    pub impact: String,
    pub factors: Vec<String>,
    pub what_helped: String,
    pub lesson: String,
    pub unit: String,
    pub occurred_on: String,
    /// Separated by commas (or, without a comma, by spaces).
    pub tags: String,
    /// `similar` when the person asked for similar lessons rather than to send.
    pub action: String,
    /// The form's one-time token: sending the same form twice logs one report.
    pub once: String,
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

impl From<ReportForm> for ReportInput {
    fn from(form: ReportForm) -> Self {
        Self {
            channel: non_empty(&form.channel),
            audience: non_empty(&form.audience),
            impact: non_empty(&form.impact),
            unit: non_empty(&form.unit),
            occurred_on: non_empty(&form.occurred_on),
            tags: split_tags(&form.tags),
            title: form.title,
            narrative: form.narrative,
            factors: form.factors,
            what_helped: form.what_helped,
            lesson: form.lesson,
            source_url: None,
        }
    }
}

/// One message per field, or nothing; every field is present so that strict templates can
/// ask about any of them.
#[derive(Debug, Default, Serialize)]
pub struct FieldErrors {
    title: Option<String>,
    narrative: Option<String>,
    channel: Option<String>,
    audience: Option<String>,
    impact: Option<String>,
    factors: Option<String>,
    what_helped: Option<String>,
    lesson: Option<String>,
    unit: Option<String>,
    occurred_on: Option<String>,
    tags: Option<String>,
}

#[derive(Debug, Serialize)]
struct CategoryChoice {
    name: String,
    description: String,
    open: bool,
    factors: Vec<FactorChoice>,
}

#[derive(Debug, Serialize)]
struct UnitChoice {
    path: String,
    label: String,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct Limits {
    title: usize,
}

#[derive(Debug, Serialize)]
pub struct ReportFormPage {
    values: ReportForm,
    field_errors: FieldErrors,
    errors: Vec<SummaryItem>,
    channels: Vec<Choice>,
    impacts: Vec<Choice>,
    audiences: Vec<Choice>,
    categories: Vec<CategoryChoice>,
    units: Vec<UnitChoice>,
    max_month: String,
    limits: Limits,
    similar_shown: bool,
    similar: Vec<SimilarItem>,
    /// Reading lessons needs an account here, and the person has none signed in.
    similar_locked: bool,
    hints_shown: bool,
    hints: FieldHints,
}

/// The hints on each text, shown beside it.
#[derive(Debug, Default, Serialize)]
struct FieldHints {
    title: Vec<HintItem>,
    narrative: Vec<HintItem>,
    what_helped: Vec<HintItem>,
    lesson: Vec<HintItem>,
}

/// A blameless-language hint on the form.
#[derive(Debug, Serialize)]
pub struct HintItem {
    /// The field's name on the form.
    pub field: &'static str,
    pub field_label: &'static str,
    pub excerpt: String,
    pub explanation: String,
    pub reframing: String,
}

/// A past lesson in a "similar" list.
#[derive(Debug, Serialize)]
pub struct SimilarItem {
    pub report_ref: String,
    pub title: String,
    pub month: String,
}

impl From<crate::services::search::SearchHit> for SimilarItem {
    fn from(hit: crate::services::search::SearchHit) -> Self {
        Self {
            report_ref: hit.report_ref,
            title: hit.title,
            month: hit.month,
        }
    }
}

impl ReportFormPage {
    /// Shows these past lessons in the form's "similar" panel.
    pub fn with_similar(mut self, similar: Vec<SimilarItem>) -> Self {
        self.similar_shown = true;
        self.similar = similar;
        self
    }

    /// Tells the person that past lessons need an account, instead of showing them.
    pub fn with_similar_locked(mut self) -> Self {
        self.similar_locked = true;
        self
    }

    /// Shows the wording hints found in the person's text, each beside its field.
    pub fn with_hints(mut self, hints: Vec<HintItem>) -> Self {
        self.hints_shown = true;
        for hint in hints {
            let slot = match hint.field {
                "title" => &mut self.hints.title,
                "narrative" => &mut self.hints.narrative,
                "what_helped" => &mut self.hints.what_helped,
                _ => &mut self.hints.lesson,
            };
            slot.push(hint);
        }
        self
    }
}

impl ReportFormPage {
    pub fn new(
        values: ReportForm,
        errors: &[FieldError],
        categories: Vec<Category>,
        units: Vec<Unit>,
        max_month: String,
    ) -> Self {
        let mut field_errors = FieldErrors::default();
        for error in errors {
            let slot = match error.field.as_str() {
                "title" => &mut field_errors.title,
                "narrative" => &mut field_errors.narrative,
                "channel" => &mut field_errors.channel,
                "audience" => &mut field_errors.audience,
                "impact" => &mut field_errors.impact,
                "factors" => &mut field_errors.factors,
                "what_helped" => &mut field_errors.what_helped,
                "lesson" => &mut field_errors.lesson,
                "unit" => &mut field_errors.unit,
                "occurred_on" => &mut field_errors.occurred_on,
                _ => &mut field_errors.tags,
            };
            *slot = Some(for_a_person(error));
        }
        Self {
            channels: Choice::channels(&values.channel),
            impacts: Choice::impacts(&values.impact),
            audiences: Choice::audiences(&values.audience),
            categories: categories
                .into_iter()
                .map(|c| {
                    let factors = FactorChoice::list(c.factors, &values.factors);
                    CategoryChoice {
                        open: factors.iter().any(|f| f.checked),
                        name: c.name,
                        description: c.description,
                        factors,
                    }
                })
                .collect(),
            units: units
                .into_iter()
                .map(|u| UnitChoice {
                    selected: u.path == values.unit,
                    label: format!("{}{}", "\u{2003}".repeat(u.depth), u.name),
                    path: u.path,
                })
                .collect(),
            errors: fields::summary(errors),
            field_errors,
            values,
            max_month,
            limits: Limits {
                title: crate::services::reports::MAX_TITLE,
            },
            similar_shown: false,
            similar: Vec::new(),
            similar_locked: false,
            hints_shown: false,
            hints: FieldHints::default(),
        }
    }
}
