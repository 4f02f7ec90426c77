//! Field labels for error summaries: one table for every form of the site.

use serde::Serialize;

use crate::error::FieldError;

/// One line of the error summary at the top of a form, linking to its field.
#[derive(Debug, Serialize)]
pub struct SummaryItem {
    pub field: String,
    pub text: String,
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
        "question" => "Write the question for the reporter.",
        "reason" => "Say why, so that the reporter understands.",
        "rationale" => "Say why the guideline changes: readers see it in the history.",
        "heading" => "Give the section a heading.",
        "markdown" => "Write the section’s text.",
        _ => return error.reason.clone(),
    }
    .to_owned()
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
        "period" => "Period",
        "from" => "From month",
        "to" => "To month",
        "sort" => "Order",
        "factor" => "Contributing factor",
        "limit" | "offset" => "Page",
        "receipt" => "Receipt code",
        "detail" => "Your detail",
        "confirm" => "Withdrawal",
        "comment" => "Your comment",
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
        "words" => "Words and phrases",
        "heading" => "Heading",
        "markdown" => "Text",
        "rationale" => "Why this change",
        "effective_from" => "Effective from",
        "evidence" => "Evidence",
        "replaced_by" => "Replaced by",
        "direction" => "Where to",
        "section" | "sections" => "Section",
        "headcount" => "Headcount",
        _ => "Form",
    }
}
