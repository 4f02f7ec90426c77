//! Field labels for error summaries: one table for every form of the site.

use serde::Serialize;

use crate::error::FieldError;

/// One line of the error summary at the top of a form, linking to its field.
#[derive(Debug, Serialize)]
pub struct SummaryItem {
    pub field: String,
    pub label: &'static str,
    pub reason: String,
}

impl From<&FieldError> for SummaryItem {
    fn from(error: &FieldError) -> Self {
        Self {
            label: label_of(&error.field),
            field: error.field.clone(),
            reason: error.reason.clone(),
        }
    }
}

/// Summary lines for a list of field errors.
pub fn summary(errors: &[FieldError]) -> Vec<SummaryItem> {
    errors.iter().map(SummaryItem::from).collect()
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
        "name" => "Name",
        "password" => "Password",
        "current" => "Current password",
        "new" => "New password",
        "label" => "What the token is for",
        "role" => "Role",
        "question" => "Question",
        "reason" => "Reason",
        "answer" => "Your answer",
        "target" => "Published lesson",
        _ => "Form",
    }
}
