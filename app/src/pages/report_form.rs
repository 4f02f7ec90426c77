//! The report form as a page sees it: the person's values, the errors beside their fields,
//! and the choices to offer.

use serde::{Deserialize, Serialize};

use crate::{
    error::FieldError,
    services::{reports::ReportInput, taxonomy::Category, units::Unit},
    vocabulary::{Audience, Channel, Impact},
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
    /// Comma-separated.
    pub tags: String,
    /// `similar` when the person asked for similar lessons rather than to send.
    pub action: String,
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
            tags: form.tags.split(',').map(str::to_owned).collect(),
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

/// One line of the error summary at the top of a form, linking to its field.
#[derive(Debug, Serialize)]
pub struct SummaryItem {
    field: String,
    text: String,
}

impl From<&FieldError> for SummaryItem {
    fn from(error: &FieldError) -> Self {
        let reason = for_a_person(error);
        // A reason that is a sentence of its own reads alone; a fragment needs its field.
        let text = if reason.starts_with(char::is_uppercase) {
            reason
        } else {
            format!("{}: {reason}", label_of(&error.field))
        };
        Self {
            field: error.field.clone(),
            text,
        }
    }
}

/// The reason as a person on the form should read it: what to do rather than the API's
/// terse "is required; choose one of: …".
pub fn for_a_person(error: &FieldError) -> String {
    if !error.reason.starts_with("is required") {
        return error.reason.clone();
    }
    match error.field.as_str() {
        "title" => "Give the mistake a short title.",
        "narrative" => "Describe what happened.",
        "channel" => "Choose where it happened.",
        "impact" => "Choose how far it went.",
        "detail" => "Write what you would like to add.",
        _ => return error.reason.clone(),
    }
    .to_owned()
}

#[derive(Debug, Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Debug, Serialize)]
struct FactorChoice {
    slug: String,
    name: String,
    description: String,
    checked: bool,
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
}

fn label_of(field: &str) -> &'static str {
    match field {
        "title" => "Title",
        "narrative" => "What happened",
        "channel" => "Where it happened",
        "audience" => "Who it reached",
        "impact" => "How far it went",
        "factors" => "What made it easy to get wrong",
        "what_helped" => "What helped",
        "lesson" => "What would help",
        "unit" => "Organisational unit",
        "occurred_on" => "Month it happened",
        "tags" | "tag" => "Tags",
        "q" => "Search words",
        "from" => "From month",
        "to" => "To month",
        "sort" => "Order",
        "factor" => "Contributing factor",
        "limit" | "offset" => "Page",
        "receipt" => "Receipt code",
        "detail" => "Your detail",
        "confirm" => "Withdrawal",
        _ => "Form",
    }
}

fn choices<T: Copy>(
    all: &[T],
    chosen: &str,
    slug: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: slug(*v),
            label: label(*v),
            checked: slug(*v) == chosen,
        })
        .collect()
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
            channels: choices(Channel::ALL, &values.channel, Channel::slug, Channel::label),
            impacts: choices(Impact::ALL, &values.impact, Impact::slug, Impact::label),
            audiences: choices(
                Audience::ALL,
                &values.audience,
                Audience::slug,
                Audience::label,
            ),
            categories: categories
                .into_iter()
                .map(|c| {
                    let factors: Vec<FactorChoice> = c
                        .factors
                        .into_iter()
                        .map(|f| FactorChoice {
                            checked: values.factors.contains(&f.slug),
                            slug: f.slug,
                            name: f.name,
                            description: f.description,
                        })
                        .collect();
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
            errors: errors.iter().map(SummaryItem::from).collect(),
            field_errors,
            values,
            max_month,
            limits: Limits {
                title: crate::services::reports::MAX_TITLE,
            },
            similar_shown: false,
            similar: Vec::new(),
        }
    }
}
