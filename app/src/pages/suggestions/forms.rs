//! The three forms of a suggestion's page as posted, and their errors in a person's words,
//! each beside its own field.

use serde::{Deserialize, Serialize};

use crate::{error::FieldError, pages::fields::SummaryItem};

/// Accepting, as posted: the section as it will stand, and the change's note.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct AcceptForm {
    pub(super) heading: String,
    pub(super) text: String,
    pub(super) rationale: String,
    pub(super) effective_from: String,
}

/// Rejecting, as posted.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct RejectForm {
    pub(super) rationale: String,
}

/// Deferring, as posted.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct DeferForm {
    pub(super) until: String,
}

/// What a refused form brings back to the page.
pub(super) enum Kept {
    Nothing,
    Accept(AcceptForm),
    Reject(RejectForm),
    Defer(DeferForm),
}

impl Kept {
    /// The prefix of the form's field ids, and the field an error of no field of its own is
    /// shown beside.
    fn prefix_and_fallback(&self) -> (&'static str, &'static str) {
        match self {
            Kept::Reject(_) => ("reject-", "rationale"),
            Kept::Defer(_) => ("defer-", "until"),
            Kept::Nothing | Kept::Accept(_) => ("accept-", "text"),
        }
    }
}

/// One message per field of a form, or nothing; every field is present so that strict
/// templates can ask about any of them.
#[derive(Debug, Default, Serialize)]
pub(super) struct FieldErrors {
    heading: Option<String>,
    text: Option<String>,
    rationale: Option<String>,
    effective_from: Option<String>,
    until: Option<String>,
}

impl FieldErrors {
    fn slot(&mut self, field: &str) -> &mut Option<String> {
        match field {
            "heading" => &mut self.heading,
            "rationale" => &mut self.rationale,
            "effective_from" => &mut self.effective_from,
            "until" => &mut self.until,
            _ => &mut self.text,
        }
    }
}

/// The page's field for a service's field: the section's text is `markdown` to the
/// guideline service and `text` here; a new section's anchor is made from its heading.
fn page_field<'a>(field: &'a str, fallback: &'a str) -> &'a str {
    match field {
        "markdown" | "text" => "text",
        "anchor" | "heading" => "heading",
        "rationale" | "effective_from" | "until" => field,
        _ => fallback,
    }
}

/// The reason in words for a person on this page, rather than the API's terse fragment.
fn in_words(kept: &Kept, field: &str, reason: &str) -> String {
    if reason.starts_with(char::is_uppercase) {
        return reason.to_owned();
    }
    let required = reason.starts_with("is required");
    match (kept, field) {
        (Kept::Reject(_), "rationale") if required => {
            "Say why the guideline should not change: it is shown if the pattern comes back."
                .to_owned()
        }
        (_, "rationale") if required => {
            "Say why the guideline changes: readers see it in the history.".to_owned()
        }
        (_, "text") if required => "Write the section’s text.".to_owned(),
        (_, "heading") if required => "Give the section a heading.".to_owned(),
        _ => {
            let label = match (kept, field) {
                (Kept::Reject(_), "rationale") => "Why not",
                (_, "rationale") => "Why this change",
                (_, "heading") => "Heading",
                (_, "effective_from") => "Effective from",
                (_, "until") => "Deferred until",
                _ => "Text",
            };
            format!("{label}: {reason}")
        }
    }
}

/// Each error beside its field of the form that was sent, and in the summary that links
/// to it.
pub(super) fn shown(kept: &Kept, field_errors: &[FieldError]) -> (FieldErrors, Vec<SummaryItem>) {
    let (prefix, fallback) = kept.prefix_and_fallback();
    let mut shown = FieldErrors::default();
    let mut errors = Vec::with_capacity(field_errors.len());
    for FieldError { field, reason } in field_errors {
        let field = page_field(field, fallback);
        let text = in_words(kept, field, reason);
        let slot = shown.slot(field);
        *slot = Some(match slot.take() {
            Some(before) => format!("{before}; {text}"),
            None => text.clone(),
        });
        errors.push(SummaryItem {
            field: format!("{prefix}{field}"),
            text,
        });
    }
    (shown, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_services_fields_land_beside_the_pages_fields() {
        assert_eq!(page_field("markdown", "text"), "text");
        assert_eq!(page_field("anchor", "text"), "heading");
        assert_eq!(page_field("evidence", "text"), "text");
        assert_eq!(page_field("sections", "until"), "until");
    }

    #[test]
    fn a_missing_reason_is_asked_for_in_the_words_of_its_form() {
        let reject = Kept::Reject(RejectForm::default());
        let accept = Kept::Accept(AcceptForm::default());
        assert!(in_words(&reject, "rationale", "is required: say why").contains("should not"));
        assert!(in_words(&accept, "rationale", "is required").contains("history"));
        assert_eq!(
            in_words(&Kept::Nothing, "until", "must be after today"),
            "Deferred until: must be after today"
        );
    }
}
